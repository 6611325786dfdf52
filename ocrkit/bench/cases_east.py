"""Benchmark cases for EAST post-processing: geometry decoding, locality-aware NMS,
scoring of the merged quads and the fragment filter (the whole of what
``EASTDetector.detect`` does after inference, in C) against OpenCV's EAST sample (a Python loop decoding the score
map, then cv2.dnn.NMSBoxesRotated), on the same hand-built network outputs."""
import math

import numpy as np

from . import Case

THRESHOLD, NMS = 0.5, 0.4


def _cv2():
    import cv2
    return cv2


def east_maps(rng, size, lines):
    """NCHW score (1x1xHxW) and geometry (1x5xHxW) maps of a `size` x `size` EAST pass,
    in pixels and radians like the original model: `lines` text lines, each predicted
    (with a little noise) by the cells inside its shrunk box."""
    n = size // 4
    score = np.zeros((1, 1, n, n), np.float32)
    geo = np.zeros((1, 5, n, n), np.float32)
    ys, xs = np.mgrid[0:n, 0:n] * 4.0
    for k in range(lines):
        cx, cy = rng.uniform(0.3, 0.7) * size, (k + 0.5) * size / lines
        w, h = rng.uniform(0.3, 0.8) * size, rng.uniform(0.4, 0.7) * size / lines
        a = math.radians(rng.uniform(-10, 10))
        R, D = (math.cos(a), -math.sin(a)), (math.sin(a), math.cos(a))
        u = (xs - cx) * R[0] + (ys - cy) * R[1]
        v = (xs - cx) * D[0] + (ys - cy) * D[1]
        inside = (np.abs(u) < 0.5 * w - 0.2 * h) & (np.abs(v) < 0.3 * h)
        noise = rng.normal(0, 0.5, (4,) + u.shape)
        for c, val in enumerate((v + h / 2, w / 2 - u, h / 2 - v, u + w / 2)):
            geo[0, c][inside] = (val + noise[c])[inside]
        geo[0, 4][inside] = a
        score[0, 0][inside] = rng.uniform(0.7, 1.0, inside.sum())
    return score, geo


def ours(score, geo):
    from ..east import CONTAIN_THRESHOLD, EASTDetector, decode_nms
    polys, _ = decode_nms(score, geo, THRESHOLD, NMS, layout="nchw")
    return EASTDetector._finish(polys, score[0, 0], (1.0, 1.0), THRESHOLD, CONTAIN_THRESHOLD)


def opencv_sample(score, geo):
    """samples/dnn/text_detection.py: decode in Python, then NMSBoxesRotated."""
    boxes, conf = [], []
    height, width = score.shape[2:4]
    for y in range(height):
        s = score[0][0][y]
        x0, x1, x2, x3, ang = (geo[0][k][y] for k in range(5))
        for x in range(width):
            if s[x] < THRESHOLD:
                continue
            ox, oy = x * 4.0, y * 4.0
            c, sn = math.cos(ang[x]), math.sin(ang[x])
            h, w = x0[x] + x2[x], x1[x] + x3[x]
            off = (ox + c * x1[x] + sn * x2[x], oy - sn * x1[x] + c * x2[x])
            p1 = (-sn * h + off[0], -c * h + off[1])
            p3 = (-c * w + off[0], sn * w + off[1])
            boxes.append(((0.5 * (p1[0] + p3[0]), 0.5 * (p1[1] + p3[1])), (w, h),
                          -ang[x] * 180.0 / math.pi))
            conf.append(float(s[x]))
    return _cv2().dnn.NMSBoxesRotated(boxes, conf, THRESHOLD, NMS)


def cases():
    out = []
    for size, lines, quick in ((320, 6, True), (640, 12, True), (1280, 24, False)):
        def make(rng, size=size, lines=lines):
            return east_maps(rng, size, lines)
        out.append(Case(
            family="east", name="EAST decode+NMS", size=f"{size}x{size} input, {lines} lines",
            channels=0, make=make, ours=ours, opencv=opencv_sample, quick=quick))
    return out
