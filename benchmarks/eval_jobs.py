"""Measure the OCR jobs on generated pages with held-out fonts (split="val").

    nice -n 10 python benchmarks/eval_jobs.py --n 50 --out /tmp/eval_jobs

Sets (fixed seeds; ocrkit.synth.make_document, A4 at 150 dpi = 1240×1754 px):

- ``straight``: scanned pages, not turned (look="scan", skew 0).
- ``rotated``: pages turned uniformly within ±30°, scanned or photographed on a
  desk under perspective (look chosen at random by make_document).
- ``scan``: photographed pages (look="photo", ±30°) for the page finder.
- ``scene`` (only with ``--sets scene``): ocrkit.synth.make_scene 512×512 images;
  word recall with EAST regions read one by one (ocrkit) against Tesseract's
  sparse-text mode on the whole image.

Figures per set:

- character error rate (CER): edit distance between the whitespace-normalised
  texts over the true text's length, averaged over pages (and pooled);
- search recall: for up to 5 true words per page (alphabetic, ≥ 4 letters, once
  on the page), the share that ``search`` finds at the right place (the found
  box's centre inside the true word's quad, grown by 25% of its height);
- scan success: the share of photos whose four page corners are all found within
  1% of the image diagonal (21 px), and the median corner error;
- time per image (wall clock, this machine, whatever else runs on it).

The rival row is Tesseract alone on the same images: one ``image_to_data`` call on
the raw image (default page segmentation), its words joined in Tesseract's line
order for the CER and its word boxes for search. Results go to OUT/results.jsonl (one line per image and method, written
as it goes) and OUT/summary.md.
"""
import argparse
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from ocrkit import tesseract                                   # noqa: E402
from ocrkit.pipelines._text import char_error_rate              # noqa: E402
from ocrkit.pipelines.ocr import read_page                      # noqa: E402
from ocrkit.pipelines.scan import scan                          # noqa: E402
from ocrkit.pipelines.search import match_terms, normalize_word  # noqa: E402
from ocrkit.pipelines._quad import order_quad                   # noqa: E402
from ocrkit.synth import make_document                          # noqa: E402

SIZE = (1240, 1754)
SEEDS = {"straight": 1000, "rotated": 2000, "scan": 3000, "scene": 4000}


def make_set(name, n, start=0):
    """Yield (index, skew, image, word quads, words, text, page corners) for images
    start … n-1 of a set (the ones before are generated too: same images whatever
    the split of the work)."""
    rng = np.random.default_rng(SEEDS[name])
    for i in range(n):
        if name == "straight":
            skew, look = 0.0, "scan"
        elif name == "rotated":
            skew, look = float(rng.uniform(-30, 30)), None
        else:
            skew, look = float(rng.uniform(-30, 30)), "photo"
        img, quads, words, text, page = make_document(rng, SIZE, "val", skew, look=look,
                                                      with_page=True)
        if i >= start:
            yield i, skew, img, quads, words, text, page


def search_targets(words, rng, k=5):
    """Up to k true words to search for: alphabetic, ≥ 4 letters, once on the page."""
    norm = [normalize_word(w) for w in words]
    counts = {}
    for w in norm:
        counts[w] = counts.get(w, 0) + 1
    ok = [i for i, w in enumerate(norm) if len(w) >= 4 and w.isalpha() and counts[w] == 1]
    if not ok:
        return []
    return sorted(rng.choice(ok, min(k, len(ok)), replace=False).tolist())


def _inside(pt, quad, grow):
    """Point inside the quad grown by `grow` pixels (convex, clockwise)."""
    q = np.asarray(quad, np.float64)
    c = q.mean(0)
    q = q + grow * (q - c) / np.maximum(np.linalg.norm(q - c, axis=1, keepdims=True), 1e-6)
    for a, b in zip(q, np.roll(q, -1, axis=0)):
        if (b[0] - a[0]) * (pt[1] - a[1]) - (b[1] - a[1]) * (pt[0] - a[0]) < 0:
            return False
    return True


def search_hits(found_words, found_boxes, words, quads, targets):
    """How many target words are found with a box at their true place."""
    hits = 0
    for t in targets:
        term = normalize_word(words[t])
        q = np.asarray(quads[t], np.float64)
        h = np.linalg.norm(q[3] - q[0])
        ok = False
        for m in match_terms(found_words, [term]):
            x, y, w, hh = found_boxes[m.start]
            if _inside((x + w / 2, y + hh / 2), q, 0.25 * h + 2):
                ok = True
                break
        hits += ok
    return hits


def run_ocr_set(name, n, log, start=0, methods=("ocrkit", "tesseract")):
    rng = np.random.default_rng(SEEDS[name] + 7)
    for i, skew, img, quads, words, text, page in make_set(name, n):
        targets = search_targets(words, rng)
        if i < start:
            continue
        ours = float("nan")
        if "ocrkit" in methods:
            t = time.perf_counter()
            r = read_page(img)
            dt = time.perf_counter() - t
            hits = search_hits([x.text for x in r.regions], [x.box for x in r.regions],
                               words, quads, targets)
            rec = {"set": name, "i": i, "method": "ocrkit", "skew": round(skew, 2),
                   "cer": char_error_rate(r.text, text), "chars": len(" ".join(text.split())),
                   "search_targets": len(targets), "search_hits": hits, "seconds": dt,
                   "angle": r.angle}
            log.write(json.dumps(rec) + "\n")
            log.flush()
            ours = rec["cer"]
        if "tesseract" not in methods:
            print(f"{name} {i}: skew {skew:+.1f} CER ocrkit {ours:.4f}", file=sys.stderr)
            continue
        t = time.perf_counter()
        data = tesseract.image_to_data(img)
        dt = time.perf_counter() - t
        # the words in Tesseract's own layout order, lines as image_to_string gives them
        raw, key = [], None
        for x in data:
            k = (x.block, x.par, x.line)
            raw.append(("\n" if key is not None and k != key else " ") + x.text)
            key = k
        raw = "".join(raw)
        hits = search_hits([x.text for x in data], [x.box for x in data], words, quads, targets)
        rec = {"set": name, "i": i, "method": "tesseract", "skew": round(skew, 2),
               "cer": char_error_rate(raw, text), "chars": len(" ".join(text.split())),
               "search_targets": len(targets), "search_hits": hits, "seconds": dt}
        log.write(json.dumps(rec) + "\n")
        log.flush()
        print(f"{name} {i}: skew {skew:+.1f} CER ocrkit {ours:.4f} tesseract {rec['cer']:.4f}",
              file=sys.stderr)


def run_scan_set(n, log, start=0):
    diag = float(np.hypot(*SIZE))
    for i, skew, img, quads, words, text, page in make_set("scan", n, start):
        t = time.perf_counter()
        res = scan(img)
        dt = time.perf_counter() - t
        if res.quad is None:
            err = None
        else:
            err = float(np.abs(np.linalg.norm(res.quad - order_quad(page), axis=1)).max())
        rec = {"set": "scan", "i": i, "method": "ocrkit", "skew": round(skew, 2),
               "corner_error": err, "success": err is not None and err <= 0.01 * diag,
               "seconds": dt}
        log.write(json.dumps(rec) + "\n")
        log.flush()
        print(f"scan {i}: corner error {err}", file=sys.stderr)


def run_scene_set(n, log, start=0):
    """Scene word recall: the share of true words (normalised) that appear among
    the words read, per image; ocrkit = EAST regions + Tesseract --psm 7 each,
    the rival = Tesseract alone in sparse-text mode (--psm 11) on the image."""
    from ocrkit.pipelines.ocr import read_scene
    from ocrkit.synth import make_scene
    rng = np.random.default_rng(SEEDS["scene"])
    for i in range(n):
        img, quads, words = make_scene(rng, (512, 512), "val")
        if i < start:
            continue
        truth = [normalize_word(w) for w in words if normalize_word(w)]
        for method in ("ocrkit", "tesseract"):
            t = time.perf_counter()
            if method == "ocrkit":
                got = [normalize_word(w) for r in read_scene(img).regions for w in r.text.split()]
            else:
                got = [normalize_word(w.text) for w in tesseract.image_to_data(img, psm=11)]
            dt = time.perf_counter() - t
            pool = list(got)
            hits = 0
            for w in truth:
                if w in pool:
                    pool.remove(w)
                    hits += 1
            rec = {"set": "scene", "i": i, "method": method, "words": len(truth),
                   "hits": hits, "false": len(pool), "seconds": dt}
            log.write(json.dumps(rec) + "\n")
            log.flush()
        print(f"scene {i}: {len(truth)} words", file=sys.stderr)


def summarize(path):
    rows = {}
    for line in open(path):
        r = json.loads(line)
        rows[(r["set"], r["i"], r["method"])] = r       # a rerun image counts once
    rows = list(rows.values())
    lines = ["| set | method | images | CER mean | CER pooled | CER median | search recall "
             "| scan success | s / image |", "|---|---|---|---|---|---|---|---|---|"]
    for name in ("straight", "rotated", "scan"):
        for method in ("ocrkit", "tesseract"):
            rs = [r for r in rows if r["set"] == name and r["method"] == method]
            if not rs:
                continue
            sec = np.mean([r["seconds"] for r in rs])
            if name == "scan":
                succ = np.mean([r["success"] for r in rs])
                errs = [r["corner_error"] for r in rs if r["corner_error"] is not None]
                med = np.median(errs) if errs else float("nan")
                lines.append(f"| {name} | {method} | {len(rs)} | | | | | {100 * succ:.0f}% "
                             f"(median corner error {med:.1f} px) | {sec:.2f} |")
                continue
            cer = [r["cer"] for r in rs]
            pooled = sum(r["cer"] * r["chars"] for r in rs) / sum(r["chars"] for r in rs)
            tgt = sum(r["search_targets"] for r in rs)
            hits = sum(r["search_hits"] for r in rs)
            lines.append(f"| {name} | {method} | {len(rs)} | {100 * np.mean(cer):.2f}% | "
                         f"{100 * pooled:.2f}% | {100 * np.median(cer):.2f}% | "
                         f"{100 * hits / max(1, tgt):.1f}% ({hits}/{tgt}) | | {sec:.2f} |")
    scene = [r for r in rows if r["set"] == "scene"]
    if scene:
        lines += ["", "| set | method | images | word recall | words read that are not "
                  "in the image | s / image |", "|---|---|---|---|---|---|"]
        for method in ("ocrkit", "tesseract"):
            rs = [r for r in scene if r["method"] == method]
            if rs:
                w = sum(r["words"] for r in rs)
                h = sum(r["hits"] for r in rs)
                lines.append(f"| scene | {method} | {len(rs)} | {100 * h / max(1, w):.1f}% "
                             f"({h}/{w}) | {sum(r['false'] for r in rs)} | "
                             f"{np.mean([r['seconds'] for r in rs]):.2f} |")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=50, help="images per set")
    p.add_argument("--sets", default="straight,rotated,scan")
    p.add_argument("--out", default="eval_jobs_out")
    p.add_argument("--methods", default="ocrkit,tesseract",
                   help="which rows to measure (the rival's do not change with ocrkit's code)")
    p.add_argument("--start", type=int, default=0,
                   help="first image index (split a set over processes: --start 25 --n 50)")
    p.add_argument("--summary-only", action="store_true",
                   help="only summarise OUT/results.jsonl (e.g. several runs' files joined)")
    a = p.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, "results.jsonl")
    if not a.summary_only:
        with open(path, "a") as log:
            for name in a.sets.split(","):
                if name == "scan":
                    run_scan_set(a.n, log, a.start)
                elif name == "scene":
                    run_scene_set(a.n, log, a.start)
                else:
                    run_ocr_set(name, a.n, log, a.start, a.methods.split(","))
    table = summarize(path)
    with open(os.path.join(a.out, "summary.md"), "w") as f:
        f.write(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
