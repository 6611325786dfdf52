"""``ocrkit scan IMAGE -o page.png``: straighten and clean a photographed page."""


def run(args):
    import json

    from ..io import imread, imwrite
    from ..pipelines.scan import scan
    img = imread(args.image)
    result = scan(img, ocr=args.ocr, lang=args.lang)
    imwrite(args.output, result.warped if args.color else result.clean)
    if args.json:
        d = result.to_dict()
        d["output"] = args.output
        print(json.dumps(d))
    else:
        if result.quad is None:
            print("no page outline found: the whole image was deskewed and cleaned")
        else:
            corners = " ".join(f"{x:.0f},{y:.0f}" for x, y in result.quad)
            print(f"page corners: {corners}")
        print(f"wrote {args.output} ({result.warped.shape[1]}x{result.warped.shape[0]})")
        if args.ocr:
            print(result.text)
    return 0


def register(sub):
    p = sub.add_parser("scan", help="find a page in a photo, straighten and clean it")
    p.add_argument("image", help="image file")
    p.add_argument("-o", "--output", required=True, help="where to write the straightened page")
    p.add_argument("--color", action="store_true",
                   help="write the straightened page in colour instead of cleaned black on white")
    p.add_argument("--ocr", action="store_true", help="also read the page with Tesseract")
    p.add_argument("--lang", default="eng", help="Tesseract language(s) for --ocr")
    p.add_argument("--json", action="store_true",
                   help="print {found, quad, size, text, output}")
    p.set_defaults(func=run)
