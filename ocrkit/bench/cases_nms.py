"""Benchmark cases for the NMS family: ocrkit vs cv2.dnn's NMS, and a straightforward
NumPy NMS as the baseline."""
import numpy as np

from . import Case

SCORE_T, IOU_T = 0.1, 0.5


def _cv2():
    import cv2
    return cv2


def numpy_nms(boxes, scores, score_threshold, iou_threshold):
    """The textbook vectorised NumPy NMS (one candidate against all the rest per
    step), with OpenCV's conventions: strict score threshold, stable order, w*h area."""
    idx = np.flatnonzero(scores > score_threshold)
    order = idx[np.argsort(-scores[idx], kind="stable")]
    x1, y1 = boxes[:, 0], boxes[:, 1]
    x2, y2 = x1 + boxes[:, 2], y1 + boxes[:, 3]
    area = boxes[:, 2] * boxes[:, 3]
    keep = []
    while order.size:
        i = order[0]
        keep.append(i)
        rest = order[1:]
        w = np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest])
        h = np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest])
        inter = np.clip(w, 0, None) * np.clip(h, 0, None)
        iou = inter / np.maximum(area[i] + area[rest] - inter, 1e-12)
        order = rest[iou <= iou_threshold]
    return np.array(keep, np.int32)


def _random_boxes(rng, n):
    """Detector-like boxes over a 1920x1080 frame, 20-200 px a side."""
    xy = rng.uniform(0, 1, (n, 2)) * [1920, 1080]
    wh = rng.uniform(20, 200, (n, 2))
    return np.hstack([xy, wh]), rng.random(n).astype(np.float32)


def _make_boxes(n):
    def make(rng):
        return _random_boxes(rng, n)
    return make


def _make_rotated(n):
    def make(rng):
        c = rng.uniform(0, 1, (n, 2)) * [1920, 1080]
        wh = rng.uniform(20, 200, (n, 2)) * [1.0, 0.4]
        a = rng.uniform(-90, 90, (n, 1))
        rects = np.hstack([c, wh, a]).astype(np.float32)
        as_list = [((float(r[0]), float(r[1])), (float(r[2]), float(r[3])), float(r[4])) for r in rects]
        return rects, rng.random(n).astype(np.float32), as_list
    return make


def _rect_corners(cx, cy, w, h, ang_deg):
    t = np.deg2rad(ang_deg)
    ux, uy = np.cos(t), np.sin(t)
    dx = np.array([-w, w, w, -w]) / 2
    dy = np.array([-h, -h, h, h]) / 2
    return np.stack([cx + dx * ux - dy * uy, cy + dx * uy + dy * ux], axis=1)


def east_candidates(rng, lines=10, size=320, stride=4, noise=1.0):
    """Candidates of a 320x320 EAST pass (an 80x80 score map): every cell inside a text
    line predicts that line's quad with a little noise; rows come out in row-major
    order as EAST's thresholded score map gives them."""
    ys, xs = np.mgrid[0:size:stride, 0:size:stride]
    cells = np.stack([xs.ravel() + stride / 2, ys.ravel() + stride / 2], axis=1)
    polys, where = [], []
    for k in range(lines):
        cx, cy = rng.uniform(100, 220), (k + 0.5) * size / lines
        w, h, ang = rng.uniform(160, 290), rng.uniform(14, 26), rng.uniform(-8, 8)
        q = _rect_corners(cx, cy, w, h, ang)
        # inside test against the four (counter-clockwise) edges
        e = np.roll(q, -1, axis=0) - q
        rel = cells[:, None, :] - q[None, :, :]
        inside = np.all(e[None, :, 0] * rel[..., 1] - e[None, :, 1] * rel[..., 0] >= 0, axis=1)
        for ci in np.flatnonzero(inside):
            polys.append((q + rng.normal(0, noise, q.shape)).ravel())
            where.append(ci)
    order = np.argsort(np.array(where), kind="stable")
    polys = np.array(polys)[order]
    scores = rng.uniform(0.8, 1.0, len(polys))
    return polys, scores


def cases():
    from .. import nms

    out = []
    for n, quick in ((10000, True), (1000, False)):
        out.append(Case(
            family="nms", name="nms_boxes", size=f"{n} boxes", channels=0, make=_make_boxes(n),
            ours=lambda b, s: nms.nms_boxes(b, s, SCORE_T, IOU_T),
            opencv=lambda b, s: _cv2().dnn.NMSBoxes(b, s, SCORE_T, IOU_T),
            baseline=lambda b, s: numpy_nms(b, s, SCORE_T, IOU_T), baseline_name="numpy", quick=quick))
    for n, quick in ((2000, True), (500, False)):
        out.append(Case(
            family="nms", name="nms_rotated", size=f"{n} rotated boxes", channels=0, make=_make_rotated(n),
            ours=lambda r, s, rl: nms.nms_rotated(r, s, SCORE_T, IOU_T),
            opencv=lambda r, s, rl: _cv2().dnn.NMSBoxesRotated(rl, s, SCORE_T, IOU_T), quick=quick))

    def make_soft(rng):
        b, s = _random_boxes(rng, 1000)
        return np.round(b).astype(np.int32), s

    out.append(Case(
        family="nms", name="soft_nms gaussian", size="1000 boxes", channels=0, make=make_soft,
        ours=lambda b, s: nms.soft_nms(b, s, SCORE_T, IOU_T),
        opencv=lambda b, s: _cv2().dnn.softNMSBoxes(b, s, SCORE_T, IOU_T), quick=False))

    def make_quads(rng):
        rects, s, _ = _make_rotated(2000)(rng)
        polys = np.concatenate([_rect_corners(*r).ravel()[None] for r in rects.astype(np.float64)])
        return polys, s

    out.append(Case(
        family="nms", name="nms_polygons", size="2000 quads", channels=0, make=make_quads,
        ours=lambda p, s: nms.nms_polygons(p, s, IOU_T)))

    def make_east(rng):
        return east_candidates(rng)

    out.append(Case(
        family="nms", name="locality_aware_nms", size="EAST 320x320 candidates", channels=0,
        make=make_east, ours=lambda p, s: nms.locality_aware_nms(p, s, 0.3)))
    return out
