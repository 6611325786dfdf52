"""Parity of ocrkit.nms with cv2.dnn.NMSBoxes / NMSBoxesRotated / softNMSBoxes, exact
polygon IoU against cv2.intersectConvexConvex, EAST's locality-aware NMS against a
direct transcription of its reference, and argument checking."""
import cv2
import numpy as np
import pytest

import ocrkit
from ocrkit._ext import _nms
from ocrkit.nms import locality_aware_nms, nms_boxes, nms_polygons, nms_rotated, soft_nms


# ----------------------------------------------------------------- helpers

def cv_nms_boxes(boxes, scores, st, it, top_k=0, eta=1.0):
    return np.asarray(cv2.dnn.NMSBoxes(np.asarray(boxes, np.float64), np.asarray(scores, np.float32),
                                       st, it, eta, top_k), np.int32).ravel()


def _rr(r):
    return ((float(r[0]), float(r[1])), (float(r[2]), float(r[3])), float(r[4]))


def cv_nms_rotated(rects, scores, st, it, top_k=0, eta=1.0):
    return np.asarray(cv2.dnn.NMSBoxesRotated([_rr(r) for r in rects], np.asarray(scores, np.float32),
                                              st, it, eta, top_k), np.int32).ravel()


def random_boxes(rng, n, kind):
    """Random (x, y, w, h) sets with the awkward cases mixed in."""
    xy = rng.uniform(-40, 400, (n, 2))
    wh = rng.uniform(0, 90, (n, 2))
    if kind == "grid":      # integer grid: identical, touching and nested boxes
        xy = np.round(xy / 10) * 10
        wh = np.round(wh / 10) * 10
    elif kind == "dupes":   # many exact duplicates
        pick = rng.integers(0, max(1, n // 4), n)
        xy, wh = xy[pick], wh[pick]
    elif kind == "zero":    # a third of the boxes have zero width or height
        z = rng.random(n) < 0.33
        wh[z, rng.integers(0, 2, z.sum())] = 0
    elif kind == "tiny":    # coordinates near 0 and sizes near float resolution
        xy = rng.uniform(-1e-3, 1e-3, (n, 2))
        wh = rng.uniform(0, 2e-3, (n, 2))
    elif kind == "subeps":  # areas below DBL_EPSILON: OpenCV's "both empty" rule
        xy = rng.uniform(-5, 5, (n, 2))
        wh = rng.uniform(0, 3e-8, (n, 2))
        wh[rng.random(n) < 0.5] *= 1e8
    elif kind == "spread":  # clusters far apart: a sparse, very wide grid
        xy = xy + rng.choice([0.0, 1e5, -3e6], (n, 1))
    return np.hstack([xy, wh])


def random_scores(rng, n, ties):
    s = rng.random(n).astype(np.float32)
    if ties:
        s = (np.round(s * 4) / 4).astype(np.float32)
    return s


def random_rects(rng, n, kind):
    c = rng.uniform(0, 300, (n, 2))
    wh = rng.uniform(0, 80, (n, 2))
    a = rng.uniform(-180, 180, (n, 1))
    if kind == "grid":       # axis-aligned on a grid: touching, nested, identical
        c, wh = np.round(c / 10) * 10, np.round(wh / 10) * 10
        a = rng.choice([0.0, 90.0, -90.0, 180.0], (n, 1))
    elif kind == "near90":   # angles within a hair of +-90
        a = rng.choice([90.0, -90.0], (n, 1)) + rng.uniform(-1e-3, 1e-3, (n, 1))
    elif kind == "dupes":    # duplicates and 90-degree twins (same rect, w/h swapped)
        pick = rng.integers(0, max(1, n // 4), n)
        c, wh, a = c[pick], wh[pick].copy(), a[pick].copy()
        twin = rng.random(n) < 0.5
        wh[twin] = wh[twin][:, ::-1]
        a[twin] += 90.0
    elif kind == "zero":
        z = rng.random(n) < 0.3
        wh[z, rng.integers(0, 2, z.sum())] = 0
    elif kind == "spread":
        c = c + rng.choice([0.0, 2e4, -1e5], (n, 1))
    return np.hstack([c, wh, a]).astype(np.float32)


def quad_of_rect(r):
    return np.asarray(cv2.boxPoints(_rr(r)), np.float64).ravel()


def cv_quad_iou(a, b):
    pa = np.asarray(a, np.float32).reshape(4, 2)
    pb = np.asarray(b, np.float32).reshape(4, 2)
    ia = abs(cv2.contourArea(pa))
    ib = abs(cv2.contourArea(pb))
    inter, _ = cv2.intersectConvexConvex(pa, pb)
    inter = max(inter, 0.0)
    union = ia + ib - inter
    return inter / union if union > 0 else 0.0


# ------------------------------------------------------------- nms_boxes

@pytest.mark.parametrize("kind", ["uniform", "grid", "dupes", "zero", "tiny", "subeps", "spread"])
@pytest.mark.parametrize("ties", [False, True])
def test_nms_boxes_matches_opencv(rng, kind, ties):
    for trial in range(25):
        n = int(rng.integers(1, 250))
        boxes = random_boxes(rng, n, kind)
        scores = random_scores(rng, n, ties)
        st = float(rng.choice([0.0, 0.1, 0.5]))
        it = float(rng.choice([0.0, 0.2, 0.5, 0.7, 1.0]))
        top_k = int(rng.choice([0, 0, 1, 7]))
        eta = float(rng.choice([1.0, 1.0, 0.9, 0.5]))
        ours = nms_boxes(boxes, scores, st, it, top_k=top_k, eta=eta)
        ref = cv_nms_boxes(boxes, scores, st, it, top_k, eta)
        assert ours.dtype == np.int32
        np.testing.assert_array_equal(ours, ref, err_msg=f"{kind} trial {trial} n={n} st={st} it={it} "
                                                         f"top_k={top_k} eta={eta}")


@pytest.mark.parametrize("n", [1, 2, 3, 10000])
def test_nms_boxes_sizes(rng, n):
    boxes = random_boxes(rng, n, "uniform") * [4.8, 2.7, 1, 1]
    scores = rng.random(n).astype(np.float32)
    np.testing.assert_array_equal(nms_boxes(boxes, scores, 0.05, 0.45),
                                  cv_nms_boxes(boxes, scores, 0.05, 0.45))


def test_nms_boxes_large_and_huge_boxes(rng):
    # a few boxes spanning the whole scene go to the kept list every candidate scans
    boxes = np.vstack([random_boxes(rng, 3000, "uniform"),
                       [[-50, -50, 600, 600], [0, 0, 500, 10], [0, 0, 10, 500]]])
    scores = rng.random(len(boxes)).astype(np.float32)
    scores[-3:] = [0.99, 0.98, 0.5]
    for it in (0.0, 0.05, 0.3, 0.6):
        np.testing.assert_array_equal(nms_boxes(boxes, scores, 0.0, it), cv_nms_boxes(boxes, scores, 0.0, it))


def test_huge_coordinates_do_not_break_the_grid():
    # x + w overflows to inf: the grid falls back to one cell, answers still match
    boxes = np.array([[0, 0, 10, 10], [1e308, 1e308, 1e308, 1e308], [2, 2, 10, 10], [-1e308, 5, 1e308, 4]])
    scores = np.float32([0.9, 0.8, 0.7, 0.6])
    np.testing.assert_array_equal(nms_boxes(boxes, scores, 0.0, 0.3), cv_nms_boxes(boxes, scores, 0.0, 0.3))
    rects = np.float32([[0, 0, 10, 10, 0], [3e38, 3e38, 1e38, 1e38, 0], [2, 2, 10, 10, 0]])
    np.testing.assert_array_equal(nms_rotated(rects, scores[:3], 0.0, 0.3),
                                  cv_nms_rotated(rects, scores[:3], 0.0, 0.3))
    keep, _ = soft_nms(boxes, scores, 0.0, 0.3)
    assert sorted(keep) == [0, 1, 2, 3]


def test_nms_boxes_threshold_ties_are_exact():
    # IoU exactly 1/3, 1/2: the comparison is IoU <= threshold in OpenCV's float
    boxes = [[0, 0, 2, 1], [1, 0, 2, 1], [0, 0, 1, 1], [0.5, 0, 1, 1]]
    for it in (1 / 3, np.nextafter(np.float32(1 / 3), 0), 0.5, np.nextafter(np.float32(0.5), 0)):
        for order in ([0.9, 0.8, 0.7, 0.6], [0.6, 0.7, 0.8, 0.9]):
            np.testing.assert_array_equal(nms_boxes(boxes, order, 0.0, float(it)),
                                          cv_nms_boxes(boxes, order, 0.0, float(it)))


def test_nms_boxes_zero_area_rule():
    # OpenCV: two zero-area boxes count as identical wherever they are
    boxes = [[0, 0, 0, 0], [100, 100, 0, 5], [3, 3, 4, 4]]
    np.testing.assert_array_equal(nms_boxes(boxes, [0.9, 0.8, 0.7], 0.0, 0.5), [0, 2])
    np.testing.assert_array_equal(nms_boxes(boxes, [0.9, 0.8, 0.7], 0.0, 1.0), [0, 1, 2])


def test_nms_boxes_score_threshold_is_strict_and_order_stable():
    boxes = [[0, 0, 1, 1], [10, 0, 1, 1], [20, 0, 1, 1], [30, 0, 1, 1]]
    np.testing.assert_array_equal(nms_boxes(boxes, [0.5, 0.7, 0.7, 0.4], 0.5, 0.5), [1, 2])
    np.testing.assert_array_equal(nms_boxes(boxes, [0.5, 0.7, 0.7, 0.4], 0.0, 0.5, top_k=3), [1, 2, 0])


def test_nms_boxes_accepts_lists_views_and_keeps_input(rng):
    boxes = random_boxes(rng, 60, "grid")
    scores = random_scores(rng, 60, True)
    b0, s0 = boxes.copy(), scores.copy()
    ref = cv_nms_boxes(boxes, scores, 0.1, 0.4)
    np.testing.assert_array_equal(nms_boxes(boxes.tolist(), scores.tolist(), 0.1, 0.4), ref)
    wide = np.zeros((60, 8))
    wide[:, ::2] = boxes
    np.testing.assert_array_equal(nms_boxes(wide[:, ::2], scores.astype(np.float64), 0.1, 0.4), ref)
    np.testing.assert_array_equal(nms_boxes(boxes.astype(np.float32), scores, 0.1, 0.4),
                                  cv_nms_boxes(boxes.astype(np.float32), scores, 0.1, 0.4))
    np.testing.assert_array_equal(boxes, b0)
    np.testing.assert_array_equal(scores, s0)


def test_empty_inputs():
    for fn, args in ((nms_boxes, ([], [], 0.1, 0.5)), (nms_rotated, (np.zeros((0, 5)), [], 0.1, 0.5)),
                     (nms_polygons, (np.zeros((0, 8)), [], 0.5))):
        out = fn(*args)
        assert out.dtype == np.int32 and out.shape == (0,)
    keep, s = soft_nms([], [], 0.1, 0.5)
    assert keep.dtype == np.int32 and keep.shape == (0,) and s.dtype == np.float32 and s.shape == (0,)
    p, s = locality_aware_nms([], [], 0.3)
    assert p.shape == (0, 8) and p.dtype == np.float32 and s.shape == (0,)
    # nothing above the score threshold
    assert nms_boxes([[0, 0, 1, 1]], [0.1], 0.5, 0.5).shape == (0,)


# ------------------------------------------------------------ nms_rotated

@pytest.mark.parametrize("kind", ["uniform", "grid", "near90", "dupes", "zero", "spread"])
def test_nms_rotated_matches_opencv(rng, kind):
    for trial in range(12):
        n = int(rng.integers(1, 120))
        rects = random_rects(rng, n, kind)
        scores = random_scores(rng, n, ties=trial % 3 == 0)
        st = float(rng.choice([0.0, 0.1]))
        it = float(rng.choice([0.0, 0.3, 0.5, 0.7]))
        top_k = int(rng.choice([0, 0, 5]))
        eta = float(rng.choice([1.0, 0.9]))
        ours = nms_rotated(rects, scores, st, it, top_k=top_k, eta=eta)
        ref = cv_nms_rotated(rects, scores, st, it, top_k, eta)
        np.testing.assert_array_equal(ours, ref, err_msg=f"{kind} trial {trial} n={n} it={it} eta={eta}")


def test_nms_rotated_larger_set(rng):
    rects = random_rects(rng, 700, "uniform") * np.float32([3, 2, 1, 1, 1])
    scores = rng.random(700).astype(np.float32)
    np.testing.assert_array_equal(nms_rotated(rects, scores, 0.1, 0.3), cv_nms_rotated(rects, scores, 0.1, 0.3))


def test_rotated_intersection_kind_matches_opencv(rng):
    # none / partial / full must agree exactly: "full" means IoU 1 in NMSBoxesRotated
    kinds = {cv2.INTERSECT_NONE: 0, cv2.INTERSECT_PARTIAL: 1, cv2.INTERSECT_FULL: 2}
    for i in range(3000):
        a = random_rects(rng, 1, ["uniform", "grid", "near90"][i % 3])[0] / np.float32([6, 6, 1, 1, 1])
        b = a.copy() if i % 7 == 0 else random_rects(rng, 1, ["uniform", "grid", "near90"][i % 3])[0] / \
            np.float32([6, 6, 1, 1, 1])
        if i % 11 == 0:   # nudged copies: the "same rect" tolerance
            b = a + np.float32(rng.normal(0, 1e-4, 5))
        ref, _ = cv2.rotatedRectangleIntersection(_rr(a), _rr(b))
        ours, _ = _nms.rotated_intersection(a, b)
        assert ours == kinds[ref], (a, b)


def test_rotated_intersection_and_iou_bit_exact(rng):
    # corners, intersection points and IoU are OpenCV 5's bits, not just close
    for i in range(2500):
        kind = ["uniform", "grid", "near90", "dupes"][i % 4]
        a, b = random_rects(rng, 2, kind) / np.float32([6, 6, 1, 1, 1])
        res, inter = cv2.rotatedRectangleIntersection(_rr(a), _rr(b))
        k, pts = _nms.rotated_intersection(a, b)
        if res == cv2.INTERSECT_NONE:
            ref = 0.0
        elif res == cv2.INTERSECT_FULL:
            ref = 1.0
        else:
            np.testing.assert_array_equal(pts, inter.reshape(-1, 2))
            ia = np.float32(cv2.contourArea(inter))
            ref = ia / (np.float32(a[2] * a[3]) + np.float32(b[2] * b[3]) - ia)
        assert np.float32(_nms.rotated_iou(a, b)) == np.float32(ref), (a, b)


def test_nms_rotated_opencv_quirks():
    # nested rectangles: OpenCV's "full" intersection counts as IoU 1
    rects = [[0, 0, 10, 10, 0], [0, 0, 2, 2, 30], [50, 50, 0, 10, 0], [50, 50, 4, 4, 0]]
    np.testing.assert_array_equal(nms_rotated(rects, [0.9, 0.8, 0.7, 0.6], 0.0, 0.5), [0, 2, 3])
    np.testing.assert_array_equal(cv_nms_rotated(rects, [0.9, 0.8, 0.7, 0.6], 0.0, 0.5), [0, 2, 3])
    # identical rects given as (w, h, a) and (h, w, a + 90)
    twins = [[5, 5, 20, 10, 10], [5, 5, 10, 20, 100]]
    np.testing.assert_array_equal(nms_rotated(twins, [0.5, 0.6], 0.0, 0.99), [1])
    # rects touching at an edge or a corner do not overlap
    # a small rect inside a big one at 30 degrees, touching its edge: OpenCV's rounding
    # finds an edge crossing, so this is a partial overlap (IoU 1/8), not a full one
    inner = [[1, 1, 2, 4, 30], [1, 2, 1, 1, 30]]
    np.testing.assert_array_equal(nms_rotated(inner, [0.9, 0.8], 0.0, 0.2), [0, 1])
    np.testing.assert_array_equal(cv_nms_rotated(inner, [0.9, 0.8], 0.0, 0.2), [0, 1])
    assert _nms.rotated_iou(np.float32(inner[1]), np.float32(inner[0])) == pytest.approx(0.125, rel=1e-6)
    touching = [[0, 0, 10, 10, 0], [10, 0, 10, 10, 0], [10, 10, 10, 10, 0], [0, 10, 10, 10, 90]]
    np.testing.assert_array_equal(nms_rotated(touching, [0.9, 0.8, 0.7, 0.6], 0.0, 0.0), [0, 1, 2, 3])
    np.testing.assert_array_equal(cv_nms_rotated(touching, [0.9, 0.8, 0.7, 0.6], 0.0, 0.0), [0, 1, 2, 3])


# --------------------------------------------------------------- soft_nms

@pytest.mark.parametrize("method", ["gaussian", "linear"])
def test_soft_nms_matches_opencv(rng, method):
    cv_method = {"gaussian": cv2.dnn.SOFT_NMSMETHOD_SOFTNMS_GAUSSIAN,
                 "linear": cv2.dnn.SOFT_NMSMETHOD_SOFTNMS_LINEAR}[method]
    for trial in range(60):
        n = int(rng.integers(1, 120))
        # OpenCV's softNMSBoxes takes integer cv::Rect only
        boxes = np.hstack([rng.integers(-20, 200, (n, 2)), rng.integers(0, 60, (n, 2))]).astype(np.int32)
        if trial % 4 == 1:   # empty boxes (OpenCV's "both empty" rule) and a few huge ones
            boxes[rng.random(n) < 0.3, 2] = 0
            boxes[rng.random(n) < 0.05, 2:] = 500
        if trial % 10 == 3:  # duplicates
            boxes = boxes[rng.integers(0, max(1, n // 3), n)]
        scores = random_scores(rng, n, ties=trial % 3 == 0)
        st = float(rng.choice([0.0, 0.1, 0.3]))
        nt = float(rng.choice([0.0, 0.3, 0.5]))
        top_k = int(rng.choice([0, 0, 5]))
        sigma = float(rng.choice([0.5, 0.1, 2.0]))
        ref_s, ref_i = cv2.dnn.softNMSBoxes(boxes, scores, st, nt, top_k=top_k, sigma=sigma, method=cv_method)
        keep, s = soft_nms(boxes, scores, st, nt, top_k=top_k, sigma=sigma, method=method)
        np.testing.assert_array_equal(keep, np.asarray(ref_i, np.int32).ravel())
        np.testing.assert_array_equal(s, np.asarray(ref_s, np.float32).ravel())


def test_soft_nms_many_boxes(rng):
    n = 1500
    boxes = np.hstack([rng.integers(0, 1900, (n, 2)), rng.integers(10, 200, (n, 2))]).astype(np.int32)
    scores = rng.random(n).astype(np.float32)
    for st, method in ((0.1, cv2.dnn.SOFT_NMSMETHOD_SOFTNMS_GAUSSIAN), (0.3, cv2.dnn.SOFT_NMSMETHOD_SOFTNMS_LINEAR)):
        ref_s, ref_i = cv2.dnn.softNMSBoxes(boxes, scores, st, 0.3, method=method)
        keep, s = soft_nms(boxes, scores, st, 0.3,
                           method="gaussian" if method == cv2.dnn.SOFT_NMSMETHOD_SOFTNMS_GAUSSIAN else "linear")
        np.testing.assert_array_equal(keep, np.asarray(ref_i, np.int32).ravel())
        np.testing.assert_array_equal(s, np.asarray(ref_s, np.float32).ravel())


def test_soft_nms_known_values():
    keep, s = soft_nms([[0, 0, 10, 10], [2, 0, 10, 10], [50, 50, 5, 5]], [0.9, 0.8, 0.85], 0.0, 0.5)
    np.testing.assert_array_equal(keep, [0, 2, 1])
    iou = 80 / 120
    np.testing.assert_allclose(s, [0.9, 0.85, 0.8 * np.exp(-iou * iou / 0.5)], rtol=1e-6)
    keep, s = soft_nms([[0, 0, 10, 10], [2, 0, 10, 10]], [0.9, 0.8], 0.0, 0.5, method="linear")
    np.testing.assert_allclose(s, [0.9, 0.8 * (1 - iou)], rtol=1e-6)
    keep, s = soft_nms([[0, 0, 10, 10], [2, 0, 10, 10]], [0.9, 0.8], 0.5, 0.5, method="linear")
    np.testing.assert_array_equal(keep, [0])   # decayed below the score threshold


# ----------------------------------------------------------- polygon IoU

def test_quad_iou_known_values():
    sq = [0, 0, 10, 0, 10, 10, 0, 10]
    assert _nms.quad_iou(np.array(sq, float), np.array(sq, float)) == 1.0
    assert _nms.quad_iou(np.array(sq, float), np.array([5, 0, 15, 0, 15, 10, 5, 10], float)) == pytest.approx(1 / 3)
    # clockwise vs counter-clockwise order gives the same answer
    cw = np.array(sq, float).reshape(4, 2)[::-1].ravel().copy()
    assert _nms.quad_iou(cw, np.array([5, 5, 15, 5, 15, 15, 5, 15], float)) == pytest.approx(25 / 175)
    # diamond inside the square: 50 / 100
    assert _nms.quad_iou(np.array(sq, float), np.array([5, 0, 10, 5, 5, 10, 0, 5], float)) == pytest.approx(0.5)
    # touching edge and corner: no overlap
    assert _nms.quad_iou(np.array(sq, float), np.array([10, 0, 20, 0, 20, 10, 10, 10], float)) == 0.0
    assert _nms.quad_iou(np.array(sq, float), np.array([10, 10, 20, 10, 20, 20, 10, 20], float)) == 0.0
    # a degenerate quad against itself: union 0 gives 0
    assert _nms.quad_iou(np.zeros(8), np.zeros(8)) == 0.0


def test_quad_iou_matches_opencv_area(rng):
    for i in range(1000):
        a, b = random_rects(rng, 2, "uniform") / np.float32([6, 6, 1, 1, 1])
        qa, qb = quad_of_rect(a), quad_of_rect(b)
        # cv2.intersectConvexConvex works in float32: compare to 1e-4 of the larger area
        ref = cv_quad_iou(qa, qb)
        assert _nms.quad_iou(qa, qb) == pytest.approx(ref, abs=1e-4)


def _greedy_reference(polys, scores, thr):
    order = np.argsort(-np.asarray(scores, np.float32), kind="stable")
    keep = []
    for i in order:
        if all(_nms.quad_iou(polys[i], polys[k]) <= thr for k in keep):
            keep.append(i)
    return np.array(keep, np.int32)


def test_nms_polygons_matches_greedy_reference(rng):
    for trial in range(20):
        n = int(rng.integers(1, 150))
        rects = random_rects(rng, n, ["uniform", "grid", "dupes"][trial % 3])
        polys = np.array([quad_of_rect(r) for r in rects])
        scores = random_scores(rng, n, ties=trial % 2 == 0)
        thr = float(rng.choice([0.0, 0.3, 0.5]))
        np.testing.assert_array_equal(nms_polygons(polys, scores, thr), _greedy_reference(polys, scores, thr))


def test_nms_polygons_axis_aligned_equals_nms_boxes(rng):
    boxes = random_boxes(rng, 300, "uniform")
    x, y, w, h = boxes.T
    polys = np.stack([x, y, x + w, y, x + w, y + h, x, y + h], axis=1)
    scores = rng.random(300).astype(np.float32)
    np.testing.assert_array_equal(nms_polygons(polys, scores, 0.4), nms_boxes(boxes, scores, -0.0, 0.4))


# ---------------------------------------------------- locality-aware NMS

def lanms_reference(polys, scores, thr):
    """argman/EAST locality_aware_nms.py, with shapely's IoU replaced by the exact
    convex IoU and a stable sort."""
    merged = []
    p = None
    for g, s in zip(np.asarray(polys, float), np.asarray(scores, float)):
        g = np.append(g, s)
        if p is not None and _nms.quad_iou(g[:8].copy(), p[:8].copy()) > thr:
            q = g.copy()
            q[:8] = (g[8] * g[:8] + p[8] * p[:8]) / (g[8] + p[8])
            q[8] = g[8] + p[8]
            p = q
        else:
            if p is not None:
                merged.append(p)
            p = g
    if p is not None:
        merged.append(p)
    S = np.array(merged)
    keep = _greedy_reference(S[:, :8], S[:, 8].astype(np.float32), thr)
    return S[keep, :8].astype(np.float32), S[keep, 8].astype(np.float32)


def test_locality_aware_nms_known_merge():
    quads = [[0, 0, 10, 0, 10, 10, 0, 10],
             [2, 0, 12, 0, 12, 10, 2, 10],      # IoU 8/12 with the first: merged
             [4, 0, 14, 0, 14, 10, 4, 10],      # merged into the running quad
             [100, 0, 110, 0, 110, 10, 100, 10],
             [0, 1, 10, 1, 10, 11, 0, 11]]      # not consecutive with the first group
    p, s = locality_aware_nms(quads, [1.0, 1.0, 2.0, 0.5, 0.25], 0.3)
    # group 1: (1*0 + 1*2)/2 = 1, then (2*4 + 2*1)/4 = 2.5  -> x from 2.5 to 12.5, score 4
    np.testing.assert_allclose(p[0], [2.5, 0, 12.5, 0, 12.5, 10, 2.5, 10])
    np.testing.assert_allclose(s, [4.0, 0.5])   # the last quad is suppressed by the first group
    np.testing.assert_allclose(p[1], [100, 0, 110, 0, 110, 10, 100, 10])


def test_locality_aware_nms_no_merge_is_polygon_nms(rng):
    quads = np.array([quad_of_rect(r) for r in random_rects(rng, 40, "uniform")])
    quads = quads[np.argsort(quads[:, 0])]
    scores = rng.uniform(0.5, 1.0, 40)
    p, s = locality_aware_nms(quads, scores, 1.0)   # IoU never exceeds 1: nothing merges
    keep = nms_polygons(quads, scores, 1.0)
    np.testing.assert_allclose(p, quads[keep].astype(np.float32))


def synthetic_east_candidates(rng, lines=5, cell=4):
    """Quads as EAST's geometry map would give them: each score-map cell inside a text
    line predicts that line's (slightly noisy) box, rows scanned top to bottom."""
    out = []
    for _ in range(lines):
        cx, cy = rng.uniform(80, 240), rng.uniform(40, 280)
        w, h, ang = rng.uniform(60, 200), rng.uniform(12, 30), rng.uniform(-15, 15)
        base = cv2.boxPoints(((cx, cy), (w, h), ang)).astype(np.float64)
        ys, xs = np.mgrid[0:320:cell, 0:320:cell]
        inside = cv2.pointPolygonTest
        for y, x in zip(ys.ravel(), xs.ravel()):
            if inside(base.astype(np.float32), (float(x), float(y)), False) > 0:
                out.append(((y, x), (base + rng.normal(0, 1.0, base.shape)).ravel()))
    out.sort(key=lambda t: t[0])
    polys = np.array([q for _, q in out])
    scores = rng.uniform(0.8, 1.0, len(polys))
    return polys, scores


def test_locality_aware_nms_matches_reference(rng):
    polys, scores = synthetic_east_candidates(rng)
    assert len(polys) > 200
    for thr in (0.2, 0.3, 0.5):
        p, s = locality_aware_nms(polys, scores, thr)
        rp, rs = lanms_reference(polys, scores, thr)
        np.testing.assert_allclose(p, rp, rtol=1e-6, atol=1e-4)
        np.testing.assert_allclose(s, rs, rtol=1e-6)


# ----------------------------------------------------------- bad input

@pytest.mark.parametrize("call, exc, match", [
    (lambda: nms_boxes([[0, 0, 1, np.nan]], [0.5], 0.1, 0.5), ValueError, "boxes"),
    (lambda: nms_boxes([[0, 0, -1, 1]], [0.5], 0.1, 0.5), ValueError, "boxes has a negative"),
    (lambda: nms_boxes([[0, 0, 1, 1]], [0.5, 0.6], 0.1, 0.5), ValueError, "scores"),
    (lambda: nms_boxes([[0, 0, 1]], [0.5], 0.1, 0.5), ValueError, "boxes must have shape"),
    (lambda: nms_boxes([[0, 0, 1, 1]], [[0.5]], 0.1, 0.5), ValueError, "scores must be 1-D"),
    (lambda: nms_boxes([[0, 0, 1, 1]], [np.inf], 0.1, 0.5), ValueError, "scores"),
    (lambda: nms_boxes([[0, 0, 1, 1]], [1e39], 0.1, 0.5), ValueError, "scores"),
    (lambda: nms_boxes("boxes", [0.5], 0.1, 0.5), TypeError, "boxes"),
    (lambda: nms_boxes([[0, 0, 1, 1]], [0.5], -0.1, 0.5), ValueError, "score_threshold"),
    (lambda: nms_boxes([[0, 0, 1, 1]], [0.5], np.nan, 0.5), ValueError, "score_threshold"),
    (lambda: nms_boxes([[0, 0, 1, 1]], [0.5], 0.1, -0.5), ValueError, "iou_threshold"),
    (lambda: nms_boxes([[0, 0, 1, 1]], [0.5], 0.1, "0.5"), TypeError, "iou_threshold"),
    (lambda: nms_boxes([[0, 0, 1, 1]], [0.5], 0.1, 0.5, eta=0), ValueError, "eta"),
    (lambda: nms_boxes([[0, 0, 1, 1]], [0.5], 0.1, 0.5, top_k=-1), ValueError, "top_k"),
    (lambda: nms_boxes([[0, 0, 1, 1]], [0.5], 0.1, 0.5, top_k=1.5), TypeError, "top_k"),
    (lambda: nms_rotated([[0, 0, 1, 1]], [0.5], 0.1, 0.5), ValueError, "rects must have shape"),
    (lambda: nms_rotated([[0, 0, 1, -1, 0]], [0.5], 0.1, 0.5), ValueError, "rects has a negative"),
    (lambda: nms_rotated([[0, 0, 1, 1, np.nan]], [0.5], 0.1, 0.5), ValueError, "rects"),
    (lambda: nms_rotated([[1e39, 0, 1, 1, 0]], [0.5], 0.1, 0.5), ValueError, "rects"),
    (lambda: nms_rotated([[0, 0, 1, 1, 0]], [0.5, 0.1], 0.1, 0.5), ValueError, "scores"),
    (lambda: nms_polygons([[0, 0, 1, 1, 1, 0, 0, 1]], [0.5], 0.5), ValueError, "convex"),
    (lambda: nms_polygons([[0, 0, 1, 0, 1, 1]], [0.5], 0.5), ValueError, "polys must have shape"),
    (lambda: nms_polygons([[0, 0, 1, 0, 1, 1, 0, 1]], [0.5], -1), ValueError, "iou_threshold"),
    (lambda: soft_nms([[0, 0, 1, 1]], [0.5], 0.1, 0.5, sigma=0), ValueError, "sigma"),
    (lambda: soft_nms([[0, 0, 1, 1]], [0.5], 0.1, 0.5, method="hard"), ValueError, "method"),
    (lambda: soft_nms([[0, 0, 1, 1]], [0.5], 0.1, -0.5), ValueError, "nms_threshold"),
    (lambda: soft_nms([[0, 0, -1, 1]], [0.5], 0.1, 0.5), ValueError, "boxes"),
    (lambda: locality_aware_nms([[0, 0, 1, 0, 1, 1, 0, 1]], [0.0], 0.3), ValueError, "scores must be > 0"),
    (lambda: locality_aware_nms([[0, 0, 1, 0, 1, 1, 0, 1]], [0.5, 0.5], 0.3), ValueError, "scores"),
    (lambda: locality_aware_nms([[0, 0, 1, 1, 1, 0, 0, 1]], [0.5], 0.3), ValueError, "convex"),
    (lambda: locality_aware_nms([[0, 0, 1, 0, 1, 1, 0, 1]], [0.5], np.nan), ValueError, "iou_threshold"),
    (lambda: locality_aware_nms([[0, 0, 1e39, 0, 1e39, 1, 0, 1]], [0.5], 0.3), ValueError, "too large"),
    (lambda: nms_polygons([[0, 0, 1, 0, 1, 1, 0, np.inf]], [0.5], 0.3), ValueError, "polys"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_public_names():
    for name in ("nms_boxes", "nms_rotated", "nms_polygons", "soft_nms", "locality_aware_nms"):
        assert getattr(ocrkit, name) is getattr(ocrkit.nms, name)
        assert name in ocrkit.__all__
