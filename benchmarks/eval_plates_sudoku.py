"""Measure the plate and sudoku jobs on generated images with held-out fonts (split="val").

    nice -n 10 python benchmarks/eval_plates_sudoku.py --n 50 --out /tmp/eval_ps

Sets (fixed seeds):

- ``plate``: ocrkit.synth.make_plate 320×160 (the plate spans 45–90 % of the width,
  on a car-body texture with clutter, rotated ±10°, in perspective, degraded).
- ``plate_scene``: the same kind of plate image pasted at a random place into a
  960×640 background (ocrkit.synth.backgrounds.make_background) so the plate
  spans 15–30 % of the width.
- ``sudoku``: ocrkit.synth.make_sudoku 640×640.
- ``noplate`` (only when asked for): make_sudoku 640×640 images (rows of digits,
  captions of a word and a number) read by the plate job, which should find
  no plate in them; the figure is the share of images with a plate reported.

Figures: plates, the share of exact strings (spaces and hyphens included) and the
share exact ignoring spaces; sudoku, the share of the 81 cells right (0 for empty),
of digit cells right, of boards found, of whole grids right; time per image (wall
clock on this machine, whatever else runs on it).

The rival row is Tesseract alone: for plates, the true plate quad warped upright
(64 px high) read with ``--psm 7`` and a whitelist of A-Z, 0-9 and "-"; for
sudoku, the board warped from its true quad, each cell's inner 80 % read with
``--psm 10`` and the whitelist 1-9 (nothing read = empty), on the first
``--tess-sudoku-n`` images only (81 Tesseract calls per image). Tesseract thus gets the
true geometry, ocrkit has to find it. Results go to OUT/results.jsonl and OUT/summary.md.
"""
import argparse
import json
import os
import time

import numpy as np

from ocrkit import tesseract
from ocrkit.pipelines._quad import order_quad, quad_size, warp_quad
from ocrkit.pipelines.plate import PLATE_H, read_plates
from ocrkit.pipelines.sudoku import read_sudoku
from ocrkit.synth import make_plate, make_sudoku
from ocrkit.synth.backgrounds import make_background

PLATE_WHITELIST = "-c tessedit_char_whitelist=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
DIGIT_WHITELIST = "-c tessedit_char_whitelist=123456789"


def plate_scene(rng, split):
    img, text, boxes, quad = make_plate(rng, split, (320, 160), with_quad=True)
    back = make_background(rng, (960, 640), clutter=int(rng.integers(0, 6)))
    x, y = int(rng.integers(0, 960 - 320)), int(rng.integers(0, 640 - 160))
    back[y:y + 160, x:x + 320] = img
    return back, text, quad + np.float32((x, y))


def _norm(t):
    return " ".join(t.upper().split())


def tesseract_plate(img, quad):
    q = order_quad(quad)
    w, h = quad_size(q)
    crop = warp_quad(img, q, (max(8, int(round(w * PLATE_H / h))), PLATE_H))
    return _norm(tesseract.image_to_string(crop, psm=7, config=PLATE_WHITELIST))


def tesseract_sudoku(img, quad, cell=48):
    board = warp_quad(img, order_quad(quad), (9 * cell, 9 * cell))
    m = cell // 10
    grid = np.zeros((9, 9), np.int64)
    for r in range(9):
        for c in range(9):
            crop = board[r * cell + m:(r + 1) * cell - m, c * cell + m:(c + 1) * cell - m]
            t = tesseract.image_to_string(crop, psm=10, config=DIGIT_WHITELIST)
            t = "".join(ch for ch in t if ch in "123456789")
            grid[r, c] = int(t[0]) if t else 0
    return grid


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--out", default="/tmp/eval_ps")
    ap.add_argument("--sets", default="plate,plate_scene,sudoku")
    ap.add_argument("--no-tesseract", action="store_true")
    ap.add_argument("--tess-sudoku-n", type=int, default=10,
                    help="Tesseract reads only the first N sudoku images (81 calls each)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    use_tess = not args.no_tesseract and tesseract.available()
    res = open(os.path.join(args.out, "results.jsonl"), "w")
    rows = []
    for name in args.sets.split(","):
        rng = np.random.default_rng({"plate": 1001, "plate_scene": 1002, "sudoku": 1003,
                                     "noplate": 1004}[name])
        acc = {"ours": [], "tess": []}
        for i in range(args.n):
            if name in ("sudoku", "noplate"):
                img, truth, quad = make_sudoku(rng, "val", (640, 640), with_quad=True)
                if name == "noplate":
                    truth = ""
            elif name == "plate":
                img, truth, _, quad = make_plate(rng, "val", (320, 160), with_quad=True)
            else:
                img, truth, quad = plate_scene(rng, "val")
            t0 = time.perf_counter()
            if name == "sudoku":
                try:
                    got, found = read_sudoku(img).grid, True
                except ValueError:
                    got, found = np.zeros((9, 9), np.int64), False
            else:
                plates = read_plates(img)
                got = plates[0].text if plates else ""
            dt = time.perf_counter() - t0
            acc["ours"].append((got, dt, found if name == "sudoku" else bool(got)))
            rec = {"set": name, "i": i, "method": "ocrkit", "seconds": round(dt, 4),
                   "truth": truth.tolist() if name == "sudoku" else truth,
                   "got": got.tolist() if name == "sudoku" else got}
            res.write(json.dumps(rec) + "\n")
            if use_tess and name != "noplate" and (name != "sudoku" or i < args.tess_sudoku_n):
                t0 = time.perf_counter()
                tg = tesseract_sudoku(img, quad) if name == "sudoku" else tesseract_plate(img, quad)
                dt = time.perf_counter() - t0
                acc["tess"].append((tg, dt, True))
                res.write(json.dumps({**rec, "method": "tesseract", "seconds": round(dt, 4),
                                      "got": tg.tolist() if name == "sudoku" else tg}) + "\n")
            res.flush()
        for method, items in acc.items():
            if not items:
                continue
            rows.append(_summary(name, method, items, args.out))
        print("\n".join(rows[-2:]), flush=True)
    header = ("| set | method | n | main figure | second figure | found | s/image (mean) |\n"
              "|---|---|---|---|---|---|---|")
    with open(os.path.join(args.out, "summary.md"), "w") as f:
        f.write(header + "\n" + "\n".join(rows) + "\n")
    print(header)
    print("\n".join(rows))


def _summary(name, method, items, out):
    recs = [json.loads(ln) for ln in open(os.path.join(out, "results.jsonl"))]
    recs = [r for r in recs if r["set"] == name and r["method"] == ("ocrkit" if method == "ours" else "tesseract")]
    n = len(recs)
    t = np.mean([r["seconds"] for r in recs])
    found = np.mean([it[2] for it in items])
    label = "ocrkit" if method == "ours" else "Tesseract alone (true geometry)"
    if name == "sudoku":
        truth = np.array([r["truth"] for r in recs])
        got = np.array([r["got"] for r in recs])
        cells = (truth == got).mean()
        digits = (truth == got)[truth > 0].mean()
        whole = (truth == got).reshape(n, -1).all(1).mean()
        return (f"| {name} | {label} | {n} | cells right {cells:.4f} | digit cells right {digits:.4f}, "
                f"whole grids {whole:.2f} | {found:.2f} | {t:.3f} |")
    if name == "noplate":
        false = sum(bool(r["got"]) for r in recs)
        return (f"| {name} | {label} | {n} | images with a plate reported {false}/{n} "
                f"| (should be none) | {found:.2f} | {t:.3f} |")
    exact = np.mean([r["got"] == r["truth"] for r in recs])
    nospace = np.mean([r["got"].replace(" ", "") == r["truth"].replace(" ", "") for r in recs])
    return (f"| {name} | {label} | {n} | exact {exact:.3f} | exact ignoring spaces {nospace:.3f} "
            f"| {found:.2f} | {t:.3f} |")


if __name__ == "__main__":
    main()
