"""``ocrkit ocr IMAGE``: the text of a page or a scene."""


def run(args):
    import json

    from ..io import imread
    from ..pipelines.ocr import ocr
    img = imread(args.image)
    result = ocr(img, engine=args.engine, lang=args.lang, psm=args.psm, kind=args.kind)
    if args.json:
        print(json.dumps(result.to_dict()))
    else:
        print(result.text)
    if args.output:
        from ..io import imwrite
        from ..pipelines._draw import draw_polygons
        imwrite(args.output, draw_polygons(img, [r.polygon for r in result.regions],
                                           color=(0, 160, 0)))
    return 0


def register(sub):
    p = sub.add_parser("ocr", help="read the text of a page (any angle) or a scene")
    p.add_argument("image", help="image file")
    p.add_argument("--engine", choices=("auto", "tesseract", "charnet"), default="auto",
                   help="reader: Tesseract, or the character CNN for scene regions "
                        "(auto: Tesseract when installed)")
    p.add_argument("--kind", choices=("auto", "page", "scene"), default="auto",
                   help="a page of text or a scene photo (auto: decide from the image)")
    p.add_argument("--lang", default="eng", help="Tesseract language(s), e.g. eng or eng+deu")
    p.add_argument("--psm", type=int, default=None,
                   help="Tesseract page segmentation mode 0-13 for pages (default 3: automatic)")
    p.add_argument("-o", "--output", help="write the image with the words' boxes drawn on it")
    p.add_argument("--json", action="store_true",
                   help="print {kind, engine, text, angle, page, regions: [{text, confidence, "
                        "polygon, box}]}")
    p.set_defaults(func=run)
