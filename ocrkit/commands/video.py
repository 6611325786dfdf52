"""``ocrkit video FILE``: text over time from sampled frames."""


def run(args):
    import json

    from ..pipelines.video import read_video
    result = read_video(args.file, every=args.every, lang=args.lang, kind=args.kind,
                        progress=not args.quiet)
    if args.json:
        print(json.dumps(result))
    else:
        for s in result["segments"]:
            print(f"{s['start']:8.2f}-{s['end']:8.2f}s  {s['text']}")
    return 0


def register(sub):
    p = sub.add_parser("video", help="text over time in a video (needs OpenCV: ocrkit[video])")
    p.add_argument("file", help="video file OpenCV can decode")
    p.add_argument("--every", type=int, default=30, help="read one frame in N (default 30)")
    p.add_argument("--lang", default="eng", help="Tesseract language(s)")
    p.add_argument("--kind", choices=("auto", "page", "scene"), default="auto")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true",
                   help="print {fps, frames, sampled, segments: [{start, end, text, frames}]}")
    p.set_defaults(func=run)
