"""``python -m ocrkit.synth``: measure generation rates, or write sample images.

    python -m ocrkit.synth bench [--seconds 5] [--warmup 300] [--cold]
    python -m ocrkit.synth samples OUTDIR [--n 4] [--split train]
"""
import argparse
import os
import sys
import time

import numpy as np

__all__ = ["main"]


def _rate(fn, seconds, warmup):
    """Items per second of `fn(rng)` (which returns its item count), after
    `warmup` calls that fill the font and glyph caches. Wall and CPU time are both
    reported: on a shared machine CPU time is the fairer single-core figure."""
    rng = np.random.default_rng(12345)
    for _ in range(warmup):
        fn(rng)
    items, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < seconds:
        items += fn(rng)
    return items / (time.perf_counter() - t0), items / max(time.process_time() - c0, 1e-9)


def bench(seconds=5.0, warmup=300, stream=sys.stdout, prewarm=True):
    from . import make_char_crops, make_document, make_plate, make_scene, make_sudoku
    if prewarm:
        from .scenes import prewarm as fill
        t0 = time.perf_counter()
        fill("train")
        print(f"(glyph cache filled in {time.perf_counter() - t0:.1f} s)", file=stream, flush=True)
    jobs = [
        ("scene 512x512", lambda r: (make_scene(r), 1)[1], warmup),
        ("char crops 32x32 (batches of 256)", lambda r: len(make_char_crops(r, 256)[1]), max(1, warmup // 50)),
        ("plate 320x160", lambda r: (make_plate(r), 1)[1], warmup // 5),
        ("sudoku 640x640", lambda r: (make_sudoku(r), 1)[1], warmup // 20),
        ("document 768x1024", lambda r: (make_document(r), 1)[1], warmup // 50),
    ]
    print("| generator | items/s (wall) | items/s (CPU time) |", file=stream)
    print("|---|---|---|", file=stream)
    for name, fn, w in jobs:
        wall, cpu = _rate(fn, seconds, w)
        print(f"| {name} | {wall:.1f} | {cpu:.1f} |", file=stream, flush=True)
    return 0


def samples(outdir, n=4, split="train"):
    from PIL import Image, ImageDraw

    from . import make_char_crops, make_document, make_plate, make_scene, make_sudoku
    os.makedirs(outdir, exist_ok=True)

    def save(img, name, polys=()):
        pil = Image.fromarray(np.ascontiguousarray(img[:, :, ::-1]) if img.ndim == 3 else img)
        if len(polys):
            pil = pil.convert("RGB")
            d = ImageDraw.Draw(pil)
            for q in polys:
                d.polygon([tuple(p + 0.5) for p in q], outline=(255, 0, 0))
        pil.save(os.path.join(outdir, name))

    for k in range(n):
        rng = np.random.default_rng(k)
        img, quads, _ = make_scene(rng, split=split)
        save(img, f"scene_{k}.png")
        save(img, f"scene_{k}_quads.png", quads)
        img, quads, _, text = make_document(rng, split=split)
        save(img, f"document_{k}.png")
        with open(os.path.join(outdir, f"document_{k}.txt"), "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        img, text, boxes = make_plate(rng, split=split)
        save(img, f"plate_{k}_{text.replace(' ', '_')}.png", boxes)
        img, grid = make_sudoku(rng, split=split)
        save(img, f"sudoku_{k}.png")
        np.savetxt(os.path.join(outdir, f"sudoku_{k}.txt"), grid, fmt="%d")
    crops, _ = make_char_crops(np.random.default_rng(0), 160, split=split)
    save(crops.reshape(10, 16, 32, 32).transpose(0, 2, 1, 3).reshape(320, 512), "char_crops.png")
    print(f"wrote samples to {outdir}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m ocrkit.synth", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bench", help="generation rates on one core")
    b.add_argument("--seconds", type=float, default=5.0)
    b.add_argument("--warmup", type=int, default=300)
    b.add_argument("--cold", action="store_true", help="skip filling the glyph cache first")
    s = sub.add_parser("samples", help="write sample images with their ground truth")
    s.add_argument("outdir")
    s.add_argument("--n", type=int, default=4)
    s.add_argument("--split", default="train", choices=("train", "val"))
    args = parser.parse_args(argv)
    if args.cmd == "bench":
        return bench(args.seconds, args.warmup, prewarm=not args.cold)
    return samples(args.outdir, args.n, args.split)


if __name__ == "__main__":
    sys.exit(main())
