"""``ocrkit plate IMAGE [--json] [-o marked.png]``: find and read licence plates."""


def run(args):
    import json

    from ..io import imread, imwrite
    from ..pipelines._draw import draw_polygons
    from ..pipelines.plate import PLATE_FORMATS, read_plates
    img = imread(args.image)
    formats = None if args.any_format else (args.format or PLATE_FORMATS)
    plates = read_plates(img, max_plates=args.max, formats=formats)
    if args.output:
        imwrite(args.output, draw_polygons(img, [p.quad for p in plates], color=(0, 0, 255),
                                           thickness=3))
    if args.json:
        print(json.dumps({"plates": [p.to_dict() for p in plates]}))
    elif not plates:
        print("no plate found")
    else:
        for p in plates:
            x, y, w, h = p.box
            print(f"{p.text}\tconfidence {p.confidence:.2f}\tbox {x},{y},{w},{h}")
    return 0 if plates else 3


def register(sub):
    p = sub.add_parser(
        "plate", help="find licence plates in an image and read them",
        description="Exit status 0 when a plate was read, 3 when none was found. A plate must "
                    "fit one of the plate formats (by default "
                    "LLDD LLL, LL-DDD-LL, LLL DDDD, DLLLDDD, DD-LLL-D, LLLDDD: L a letter, "
                    "D a digit, A either; spaces and hyphens as on the plate).")
    p.add_argument("image", help="image file")
    p.add_argument("--max", type=int, default=1, help="at most this many plates (default 1)")
    p.add_argument("--format", action="append", metavar="PATTERN",
                   help='a plate format such as "LL-DDD-LL" (repeat for several; replaces '
                        "the default list)")
    p.add_argument("--any-format", action="store_true",
                   help="accept any row of 4-10 letters and digits")
    p.add_argument("-o", "--output", help="write the image with the plates outlined")
    p.add_argument("--json", action="store_true",
                   help='print {"plates": [{text, confidence, box, quad, char_confidences}]}')
    p.set_defaults(func=run)
