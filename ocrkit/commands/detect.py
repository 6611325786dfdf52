"""``ocrkit detect IMAGE``: find words with the EAST detector; print, draw or dump them."""


def run(args):
    import json

    from ..commands import CommandError
    from ..east import EASTDetector
    from ..io import imread, imwrite
    image = imread(args.image)
    try:
        det = EASTDetector(args.model, input_size=args.input_size, backend=args.backend)
    except ImportError as e:
        raise CommandError(str(e)) from None
    found = det.detect(image, score_threshold=args.score_threshold,
                       nms_threshold=args.nms_threshold)
    if args.json:
        print(json.dumps([{"polygon": [[round(float(v), 2) for v in pt] for pt in d.polygon],
                           "score": round(d.score, 4)} for d in found]))
    else:
        for d in found:
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in d.polygon)
            print(f"{d.score:.3f} {pts}")
    if args.output:
        from ..pipelines._draw import draw_polygons
        imwrite(args.output, draw_polygons(image, [d.polygon for d in found], color=(0, 255, 0)))
    return 0


def register(sub):
    p = sub.add_parser("detect", help="find words in an image with the EAST text detector")
    p.add_argument("image", help="image file (any format ocrkit.imread reads)")
    p.add_argument("-o", "--output", help="write the image with the detected quads drawn on it")
    p.add_argument("--json", action="store_true",
                   help="print a JSON list of {polygon: [[x, y] x 4], score}")
    p.add_argument("--model", help="a .tflite model (default: the bundled east_f16.tflite); "
                                   "with --backend opencv also .pb/.onnx")
    p.add_argument("--backend", choices=("tflite", "opencv"), default="tflite")
    p.add_argument("--input-size", type=int, default=None,
                   help="square network size, a multiple of 32 (default: the image's own size)")
    p.add_argument("--score-threshold", type=float, default=0.5)
    p.add_argument("--nms-threshold", type=float, default=0.4)
    p.set_defaults(func=run)
