"""``ocrkit plate IMAGE [--json]``: find and read licence plates."""


def run(args):
    import json

    from ..io import imread
    from ..pipelines.plate import read_plates
    img = imread(args.image)
    plates = read_plates(img, max_plates=args.max)
    if args.json:
        print(json.dumps({"plates": [p.to_dict() for p in plates]}))
        return 0
    if not plates:
        print("no plate found")
        return 0
    for p in plates:
        x, y, w, h = p.box
        print(f"{p.text}\tconfidence {p.confidence:.2f}\tbox {x},{y},{w},{h}")
    return 0


def register(sub):
    p = sub.add_parser("plate", help="find licence plates in an image and read them")
    p.add_argument("image", help="image file")
    p.add_argument("--max", type=int, default=1, help="at most this many plates (default 1)")
    p.add_argument("--json", action="store_true",
                   help='print {"plates": [{text, confidence, box, quad, char_confidences}]}')
    p.set_defaults(func=run)
