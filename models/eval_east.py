"""Evaluate ocrkit's EAST detector: accuracy on held-out synthetic images, and latency.

Accuracy: precision, recall and hmean at IoU >= 0.5 (one-to-one greedy matching by
IoU) on ``--n`` scenes (512x512) and ``--n`` document pages (768x1024) rendered by
ocrkit.synth from the "val" split (fonts and words never seen in training), seed
``--seed``. The images are cached in ``--cache`` so models can be compared on the
same bytes.

Latency: one 512x512 scene detected at 320x320 and 640x640 network input, int8
and float16, 1 and 2 threads; median seconds of preprocess (resize + float
conversion), inference and decode + NMS. The rival runs the same weights through
cv2.dnn (float32 TFLite at a fixed size, OpenCV's classic engine, which returns
both outputs) with the decoding of OpenCV's EAST sample (a Python loop over the
score map) and cv2.dnn.NMSBoxesRotated.

    python models/eval_east.py accuracy --model ocrkit/models/east_int8.tflite
    python models/eval_east.py latency --run models/east/runs/r1
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import ocrkit  # noqa: E402
from ocrkit.east import EASTDetector, _opencv_net  # noqa: E402


# ----------------------------------------------------------------- data
def eval_set(cache, n, seed, split="val"):
    """{"scene": [(img, quads)], "document": [...]} from the val split, cached.
    split="train" renders the same kind of set with the training fonts and words
    (fresh images, not training samples): the gap to "val" shows how much the
    model depends on the fonts and words it saw."""
    path = os.path.join(cache, f"east_{split}_{n}_{seed}.npz")
    if os.path.exists(path):
        z = np.load(path, allow_pickle=True)
        return {k: list(zip(z[f"{k}_img"], z[f"{k}_quads"])) for k in ("scene", "document")}
    from ocrkit.synth import make_document, make_scene
    out = {}
    rng = np.random.default_rng([seed, 0])
    out["scene"] = [make_scene(rng, (512, 512), split)[:2] for _ in range(n)]
    rng = np.random.default_rng([seed, 1])
    docs = []
    for _ in range(n):
        skew = float(rng.normal(0, 4)) if rng.random() < 0.7 else float(rng.uniform(-30, 30))
        img, quads, _, _ = make_document(rng, (768, 1024), split, skew_deg=skew)
        docs.append((img, quads))
    out["document"] = docs
    os.makedirs(cache, exist_ok=True)
    arrays = {}
    for k, items in out.items():
        imgs = np.empty(len(items), object)
        qs = np.empty(len(items), object)
        for i, (im, q) in enumerate(items):
            imgs[i] = im
            qs[i] = np.asarray(q, np.float32).reshape(-1, 4, 2)
        arrays[f"{k}_img"], arrays[f"{k}_quads"] = imgs, qs
    np.savez(path, **arrays)
    return {k: [(im, np.asarray(q, np.float32).reshape(-1, 4, 2)) for im, q in v]
            for k, v in out.items()}


# ----------------------------------------------------------------- matching
def _clip(subject, clip):
    """Sutherland-Hodgman: convex `subject` polygon clipped by convex `clip` (both CW or CCW)."""
    def side(p, a, b):
        return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
    sgn = 1.0 if _area(clip) >= 0 else -1.0
    out = list(subject)
    for i in range(len(clip)):
        a, b = clip[i], clip[(i + 1) % len(clip)]
        inp, out = out, []
        if not inp:
            break
        for j in range(len(inp)):
            p, q = inp[j], inp[(j + 1) % len(inp)]
            sp, sq = side(p, a, b) * sgn, side(q, a, b) * sgn
            if sp >= 0:
                out.append(p)
            if (sp >= 0) != (sq >= 0):
                t = sp / (sp - sq)
                out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def _area(poly):
    s = 0.0
    for i in range(len(poly)):
        x0, y0 = poly[i]
        x1, y1 = poly[(i + 1) % len(poly)]
        s += x0 * y1 - x1 * y0
    return 0.5 * s


def quad_iou(a, b):
    pa, pb = [tuple(p) for p in np.asarray(a, float)], [tuple(p) for p in np.asarray(b, float)]
    inter = _clip(pa, pb)
    ia = abs(_area(inter)) if len(inter) >= 3 else 0.0
    u = abs(_area(pa)) + abs(_area(pb)) - ia
    return ia / u if u > 0 else 0.0


def match(gt, det, thr=0.5):
    """Number of one-to-one matches with IoU >= thr (greedy, highest IoU first)."""
    if not len(gt) or not len(det):
        return 0
    g = np.asarray(gt, float).reshape(-1, 4, 2)
    d = np.asarray(det, float).reshape(-1, 4, 2)
    gl, gh = g.min(1), g.max(1)
    dl, dh = d.min(1), d.max(1)
    pairs = []
    for i in range(len(g)):
        ok = np.flatnonzero((dl[:, 0] < gh[i, 0]) & (dh[:, 0] > gl[i, 0]) &
                            (dl[:, 1] < gh[i, 1]) & (dh[:, 1] > gl[i, 1]))
        for j in ok:
            v = quad_iou(g[i], d[j])
            if v >= thr:
                pairs.append((v, i, j))
    pairs.sort(reverse=True)
    used_g, used_d, n = set(), set(), 0
    for _, i, j in pairs:
        if i not in used_g and j not in used_d:
            used_g.add(i), used_d.add(j)
            n += 1
    return n


def accuracy(det, items, score_threshold=0.5, nms_threshold=0.4):
    tp = ng = nd = 0
    for img, quads in items:
        found = det.detect(img, score_threshold, nms_threshold)
        polys = [d.polygon for d in found]
        tp += match(quads, polys)
        ng += len(quads)
        nd += len(polys)
    p = tp / nd if nd else 0.0
    r = tp / ng if ng else 0.0
    h = 2 * p * r / (p + r) if p + r else 0.0
    return {"images": len(items), "gt": ng, "det": nd, "tp": tp,
            "precision": round(p, 4), "recall": round(r, 4), "hmean": round(h, 4)}


# ----------------------------------------------------------------- rival
def opencv_decode(scores, geometry, thr):
    """OpenCV's samples/dnn/text_detection.py decode (a Python loop over the map)."""
    detections, confidences = [], []
    height, width = scores.shape[2:4]
    for y in range(height):
        s = scores[0][0][y]
        x0, x1, x2, x3, ang = (geometry[0][k][y] for k in range(5))
        for x in range(width):
            score = s[x]
            if score < thr:
                continue
            ox, oy = x * 4.0, y * 4.0
            angle = ang[x]
            cos_a, sin_a = math.cos(angle), math.sin(angle)
            h = x0[x] + x2[x]
            w = x1[x] + x3[x]
            offset = ([ox + cos_a * x1[x] + sin_a * x2[x], oy - sin_a * x1[x] + cos_a * x2[x]])
            p1 = (-sin_a * h + offset[0], -cos_a * h + offset[1])
            p3 = (-cos_a * w + offset[0], sin_a * w + offset[1])
            center = (0.5 * (p1[0] + p3[0]), 0.5 * (p1[1] + p3[1]))
            detections.append((center, (w, h), -1 * angle * 180.0 / math.pi))
            confidences.append(float(score))
    return detections, confidences


class OpenCVRival:
    """The same weights through cv2.dnn + OpenCV's sample decode + NMSBoxesRotated."""

    def __init__(self, path, size):
        import cv2
        self.cv2, self.size = cv2, size
        self.net = _opencv_net(cv2, path)       # the engine choice the detector makes
        self.names = list(self.net.getUnconnectedOutLayersNames())

    def detect(self, image, thr=0.5, nms=0.4):
        cv2 = self.cv2
        t0 = _clock()
        x = cv2.resize(image, (self.size, self.size)).astype(np.float32)
        blob = np.ascontiguousarray(x.transpose(2, 0, 1)[None])
        t1 = _clock()
        self.net.setInput(blob)
        outs = self.net.forward(self.names)
        t2 = _clock()
        geo, score = (outs if outs[0].shape[1] == 5 else outs[::-1])
        # ocrkit's models emit sigmoids; the units conversion is part of decoding
        geo = geo.copy()
        geo[:, :4] *= 512.0
        geo[:, 4] = (geo[:, 4] - 0.5) * math.pi
        boxes, conf = opencv_decode(score, geo, thr)
        idx = cv2.dnn.NMSBoxesRotated(boxes, conf, thr, nms) if boxes else []
        t3 = _clock()
        self.timings = {"preprocess": t1 - t0, "inference": t2 - t1, "decode": t3 - t2}
        return [boxes[i] for i in np.asarray(idx).ravel()]


# ----------------------------------------------------------------- latency
_clock = time.perf_counter

def _median_timings(fn, timings, n):
    rows = []
    for _ in range(n):
        fn()
        rows.append(dict(timings()))
    return {k: float(np.median([r[k] for r in rows])) for k in rows[0]}


def latency(a):
    import cv2
    global _clock
    if a.clock == "cpu":
        # CPU time of the calling thread: with 1 thread the interpreter, cv2.dnn
        # and the resize all run on it, so this ignores other jobs' load (rows
        # with 2 threads then miss the worker thread and are not comparable).
        from ocrkit import east as east_module
        _clock = east_module._clock = time.thread_time
    from ocrkit.synth import make_scene
    img, _, _ = make_scene(np.random.default_rng([a.seed, 7]), (512, 512), "val")
    results = []
    models = {"int8": a.int8, "f16": a.f16}
    for threads in a.threads:
        ocrkit.set_num_threads(threads)
        cv2.setNumThreads(threads)
        for size in (320, 640):
            for kind, path in models.items():
                det = EASTDetector(path, input_size=size)
                det.detect(img)
                t = _median_timings(lambda: det.detect(img), lambda: det.timings, a.repeat)
                results.append({"who": f"ocrkit {kind}", "threads": threads, "size": size, **t})
                print(json.dumps(results[-1]), flush=True)
            rv = OpenCVRival(os.path.join(a.run, f"east_f32_{size}.tflite"), size)
            rv.detect(img)
            t = _median_timings(lambda: rv.detect(img), lambda: rv.timings, a.repeat)
            results.append({"who": "cv2.dnn f32 + sample decode", "threads": threads, "size": size, **t})
            print(json.dumps(results[-1]), flush=True)
    return results


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("accuracy")
    c.add_argument("--model", default=None)
    c.add_argument("--n", type=int, default=200)
    c.add_argument("--seed", type=int, default=2026)
    c.add_argument("--cache", default="models/east/runs/eval")
    c.add_argument("--threads", type=int, default=2)
    c.add_argument("--score-threshold", type=float, default=0.5)
    c.add_argument("--nms-threshold", type=float, default=0.4)
    c.add_argument("--styles", nargs="+", default=["scene", "document"])
    c.add_argument("--split", choices=("val", "train"), default="val",
                   help="fonts and words: held-out (val) or the training ones")
    c.add_argument("--limit", type=int, default=None, help="first N images of each style only")
    c.add_argument("--input-size", type=int, default=None)
    c.add_argument("--contain", default=None,
                   help="containment filter threshold after NMS ('none': off; default: the detector's)")
    lt = sub.add_parser("latency")
    lt.add_argument("--run", default="models/east/runs/r1")
    lt.add_argument("--int8", default="ocrkit/models/east_int8.tflite")
    lt.add_argument("--f16", default="ocrkit/models/east_f16.tflite")
    lt.add_argument("--repeat", type=int, default=30)
    lt.add_argument("--seed", type=int, default=2026)
    lt.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    lt.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    a = ap.parse_args(argv)
    if a.cmd == "accuracy":
        ocrkit.set_num_threads(a.threads)
        data = eval_set(a.cache, a.n, a.seed, a.split)
        det = EASTDetector(a.model, input_size=a.input_size)
        if a.contain is not None:
            det.contain_threshold = None if a.contain.lower() == "none" else float(a.contain)
        for style in a.styles:
            t = time.time()
            r = accuracy(det, data[style][:a.limit], a.score_threshold, a.nms_threshold)
            r.update(style=style, model=a.model or "bundled", seconds=round(time.time() - t, 1))
            print(json.dumps(r), flush=True)
    else:
        latency(a)


if __name__ == "__main__":
    main()
