"""``ocrkit search IMAGE TERM...``: where words occur in an image."""


def run(args):
    import json

    from ..io import imread, imwrite
    from ..pipelines.search import draw_matches, search
    img = imread(args.image)
    result = search(img, args.terms, fuzzy=args.fuzzy, lang=args.lang, kind=args.kind)
    if args.json:
        print(json.dumps(result.to_dict()))
    else:
        for m in result.matches:
            x, y, w, h = m.box
            extra = f" (distance {m.distance})" if m.distance else ""
            print(f"{m.term!r}: {m.text!r} at x={x} y={y} w={w} h={h}{extra}")
        missing = [t for t, n in result.counts.items() if n == 0]
        for t in missing:
            print(f"{t!r}: not found")
    if args.output:
        imwrite(args.output, draw_matches(img, result))
    return 0 if result.matches else 3


def register(sub):
    p = sub.add_parser("search", help="find where words occur in an image, with boxes",
                       description="Exit status 0 when a term was found, 3 when none was.")
    p.add_argument("image", help="image file")
    p.add_argument("terms", nargs="+", metavar="TERM",
                   help="word or quoted phrase to look for (case and punctuation ignored)")
    p.add_argument("--fuzzy", action="store_true",
                   help="also accept near misses (about one wrong letter in five)")
    p.add_argument("-o", "--output", help="write the image with the matches outlined")
    p.add_argument("--lang", default="eng", help="Tesseract language(s)")
    p.add_argument("--kind", choices=("auto", "page", "scene"), default="auto")
    p.add_argument("--json", action="store_true",
                   help="print {counts, matches: [{term, text, distance, box, polygons}], text}")
    p.set_defaults(func=run)
