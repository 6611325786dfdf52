"""Parity of ocrkit.contours with OpenCV 5 (cv2.findContours, approxPolyDP, convexHull, ...)."""
import numpy as np
import pytest

import cv2
import ocrkit
from ocrkit import contours as C

MODES = {"external": cv2.RETR_EXTERNAL, "list": cv2.RETR_LIST,
         "ccomp": cv2.RETR_CCOMP, "tree": cv2.RETR_TREE}
METHODS = {"none": cv2.CHAIN_APPROX_NONE, "simple": cv2.CHAIN_APPROX_SIMPLE}


def _same_contours(ours, ref, what):
    c1, h1 = ref
    c2, h2 = ours
    assert isinstance(c2, tuple), what
    assert len(c1) == len(c2), f"{what}: {len(c2)} contours, OpenCV {len(c1)}"
    for i, (a, b) in enumerate(zip(c1, c2)):
        assert b.dtype == np.int32 and b.shape == a.shape, f"{what}: contour {i} shape {b.shape} vs {a.shape}"
        assert np.array_equal(a, b), f"{what}: contour {i} differs"
    if h1 is None:
        assert h2 is None, what
    else:
        assert h2.dtype == np.int32 and np.array_equal(h1, h2), f"{what}: hierarchy differs"


def _nested_blobs(rng, h, w, n):
    """Filled circles and ellipses, some with holes and islands inside, plus speckle."""
    img = np.zeros((h, w), np.uint8)
    for _ in range(n):
        c = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        r = int(rng.integers(1, max(2, min(h, w) // 3)))
        cv2.circle(img, c, r, 255, -1)
        if rng.random() < 0.6:
            cv2.ellipse(img, c, (max(1, r // 2), max(1, r // 3)), float(rng.uniform(0, 180)), 0, 360, 0, -1)
            if rng.random() < 0.5:
                cv2.circle(img, c, max(1, r // 5), 255, -1)
    img[rng.random((h, w)) < 0.02] ^= 255
    return img


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("method", list(METHODS))
def test_find_contours_random_noise(rng, mode, method):
    # pure noise makes every local configuration: touching diagonals, 1-pixel lines, holes
    for _ in range(60):
        h, w = (int(v) for v in rng.integers(1, 30, 2))
        img = ((rng.random((h, w)) < rng.uniform(0.1, 0.9)) * rng.integers(1, 256)).astype(np.uint8)
        _same_contours(C.find_contours(img, mode, method),
                       cv2.findContours(img.copy(), MODES[mode], METHODS[method]), f"{h}x{w} {mode} {method}")


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("method", list(METHODS))
def test_find_contours_nested_shapes(rng, mode, method):
    # > 125 contours in some images, so OpenCV's 7-bit border labels wrap
    for h, w, n in [(37, 53, 8), (120, 200, 40), (301, 257, 150), (480, 640, 400)]:
        img = _nested_blobs(rng, h, w, n)
        _same_contours(C.find_contours(img, mode, method),
                       cv2.findContours(img.copy(), MODES[mode], METHODS[method]), f"{h}x{w} {mode} {method}")


@pytest.mark.parametrize("mode", ["external", "tree"])
def test_find_contours_1080p(rng, mode):
    img = _nested_blobs(rng, 1080, 1920, 800)
    _same_contours(C.find_contours(img, mode, "simple"),
                   cv2.findContours(img.copy(), MODES[mode], cv2.CHAIN_APPROX_SIMPLE), f"1080p {mode}")


def test_find_contours_edges_and_small():
    # OpenCV 5 pads with zeros: pixels on the image edge belong to objects
    for img in [np.ones((1, 1), np.uint8), np.zeros((1, 1), np.uint8), np.full((3, 4), 7, np.uint8),
                np.eye(5, dtype=np.uint8), np.ones((1, 9), np.uint8), np.ones((9, 1), np.uint8)]:
        for mode in MODES:
            for method in METHODS:
                _same_contours(C.find_contours(img, mode, method),
                               cv2.findContours(img.copy(), MODES[mode], METHODS[method]), f"{img.shape} {mode}")
    contours, hierarchy = C.find_contours(np.zeros((4, 4), np.uint8))
    assert contours == () and hierarchy is None


def test_find_contours_deep_nesting():
    # concentric rings and squares: a tree over 100 levels deep, one-pixel-wide rings
    for size in (31, 200):
        yy, xx = np.mgrid[0:size, 0:size]
        rings = ((np.hypot(yy - size / 2, xx - size / 2).astype(int) // 2) % 2 * 255).astype(np.uint8)
        squares = ((np.maximum(abs(yy - size // 2), abs(xx - size // 2)) % 2) * 255).astype(np.uint8)
        for img in (rings, squares):
            for mode in MODES:
                for method in METHODS:
                    _same_contours(C.find_contours(img, mode, method),
                                   cv2.findContours(img.copy(), MODES[mode], METHODS[method]),
                                   f"rings {size} {mode} {method}")


def test_find_contours_views_threads_and_input_untouched(rng):
    base = _nested_blobs(rng, 200, 300, 30)
    view = base[::2, 1::3]                    # non-contiguous view
    keep = view.copy()
    ref = cv2.findContours(np.ascontiguousarray(view), cv2.RETR_TREE, cv2.CHAIN_APPROX_NONE)
    for nt in (1, 3):
        ocrkit.set_num_threads(nt)
        try:
            _same_contours(C.find_contours(view, "tree", "none"), ref, f"view threads={nt}")
        finally:
            ocrkit.set_num_threads(0)
    assert np.array_equal(view, keep)
    three_d = np.ascontiguousarray(view)[:, :, None]
    _same_contours(C.find_contours(three_d, "tree", "none"), ref, "H×W×1")


def test_find_contours_bad_input():
    with pytest.raises(TypeError, match="binary"):
        C.find_contours(np.zeros((4, 4), np.float32))
    with pytest.raises(TypeError, match="binary"):
        C.find_contours([[0, 1], [1, 0]])
    with pytest.raises(ValueError, match="binary"):
        C.find_contours(np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(ValueError, match="binary"):
        C.find_contours(np.zeros((0, 4), np.uint8))
    with pytest.raises(ValueError, match="mode"):
        C.find_contours(np.zeros((4, 4), np.uint8), mode="floodfill")
    with pytest.raises(ValueError, match="method"):
        C.find_contours(np.zeros((4, 4), np.uint8), method="tc89_l1")


def _point_sets(rng, count=120):
    """Random, clustered (many duplicates), collinear and float point sets."""
    for t in range(count):
        n = int(rng.integers(1, 70))
        kind = t % 6
        if kind == 0:
            p = rng.integers(-500, 500, (n, 2))
        elif kind == 1:
            p = rng.integers(0, 4, (n, 2))
        elif kind == 2:
            p = rng.integers(-20, 20, 2) + rng.integers(0, 30, n)[:, None] * rng.integers(-3, 4, 2)
        elif kind == 3:
            p = rng.normal(0, 100, (n, 2))
        elif kind == 4:
            p = rng.integers(0, 3, (n, 2)) * 7
        else:
            p = np.round(rng.normal(0, 30, (n, 2)), 1)
        yield p


@pytest.mark.parametrize("dtype", [np.int32, np.float32])
def test_convex_hull(rng, dtype):
    for p in _point_sets(rng):
        q = p.astype(dtype).reshape(-1, 1, 2)
        for cw in (False, True):
            ref = cv2.convexHull(q, clockwise=cw)
            ours = C.convex_hull(q, clockwise=cw)
            assert ours.dtype == ref.dtype and np.array_equal(ours, ref), (q.tolist(), cw)
            ref_i = cv2.convexHull(q, clockwise=cw, returnPoints=False)
            ours_i = C.convex_hull(q.reshape(-1, 2), clockwise=cw, return_points=False)
            assert ours_i.dtype == np.int32 and np.array_equal(ours_i, ref_i), (q.tolist(), cw)


def test_convex_hull_large(rng):
    for q in [rng.integers(0, 2000, (10000, 2)).astype(np.int32),
              rng.normal(500, 200, (10000, 2)).astype(np.float32)]:
        assert np.array_equal(C.convex_hull(q), cv2.convexHull(q))
        assert np.array_equal(C.convex_hull(q, return_points=False), cv2.convexHull(q, returnPoints=False))


@pytest.mark.parametrize("dtype", [np.int32, np.float32])
def test_min_area_rect_and_box_points(rng, dtype):
    for p in list(_point_sets(rng)) + [rng.integers(0, 2000, (10000, 2))]:
        q = p.astype(dtype)
        ref = cv2.minAreaRect(q)
        ours = C.min_area_rect(q)
        assert ours == ref, (q.tolist()[:20], ours, ref)
        assert np.array_equal(C.box_points(ours), cv2.boxPoints(ref))


@pytest.mark.parametrize("dtype", [np.int32, np.float32])
def test_approx_poly_dp_point_sets(rng, dtype):
    for p in _point_sets(rng):
        q = p.astype(dtype).reshape(-1, 1, 2)
        for closed in (False, True):
            for eps in (0.0, 0.5, 2.0, 10.0):
                ref = cv2.approxPolyDP(q, eps, closed)
                ours = C.approx_poly_dp(q, eps, closed)
                assert ours.dtype == ref.dtype and np.array_equal(ours, ref), (q.tolist(), closed, eps)


@pytest.mark.parametrize("dtype", [np.int32, np.float32])
def test_approx_poly_dp_contours(rng, dtype):
    img = _nested_blobs(rng, 300, 400, 40)
    contours, _ = cv2.findContours(img, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    for c in contours:
        q = c.astype(dtype)
        for closed in (True, False):
            for eps in (1.0, 0.02 * cv2.arcLength(c, True)):
                assert np.array_equal(C.approx_poly_dp(q, eps, closed), cv2.approxPolyDP(q, eps, closed))


@pytest.mark.parametrize("dtype", [np.int32, np.float32])
def test_area_length_bounding_rect(rng, dtype):
    for p in _point_sets(rng):
        q = p.astype(dtype).reshape(-1, 1, 2)
        assert C.contour_area(q) == cv2.contourArea(q)
        assert C.contour_area(q, oriented=True) == cv2.contourArea(q, True)
        for closed in (False, True):
            assert C.arc_length(q, closed) == cv2.arcLength(q, closed)
        assert C.bounding_rect(q) == tuple(cv2.boundingRect(q))


def test_lists_accepted_and_input_untouched():
    pts = [[0, 0], [4, 0], [2, 1], [4, 4], [0, 4]]
    ref = np.array(pts, np.int32)
    assert np.array_equal(C.convex_hull(pts), cv2.convexHull(ref))
    assert C.contour_area(pts) == cv2.contourArea(ref)
    fl = [[0.5, 0.25], [4.0, 0.0], [3.5, 4.0]]
    assert C.bounding_rect(fl) == tuple(cv2.boundingRect(np.array(fl, np.float32)))
    arr = ref.copy()
    C.approx_poly_dp(arr, 1.0, True)
    C.min_area_rect(arr)
    assert np.array_equal(arr, ref)


def test_points_bad_input():
    for fn in (lambda p: C.convex_hull(p), C.min_area_rect, C.bounding_rect,
               lambda p: C.contour_area(p), lambda p: C.arc_length(p, True),
               lambda p: C.approx_poly_dp(p, 1.0, True)):
        with pytest.raises(ValueError, match="at least 1 point"):
            fn(np.zeros((0, 2), np.int32))
        with pytest.raises(ValueError, match="N×2"):
            fn(np.zeros((5, 3), np.int32))
        with pytest.raises(ValueError, match="N×2"):
            fn(np.zeros(6, np.int32))
        with pytest.raises(TypeError, match="int32 or float32"):
            fn(np.zeros((5, 2), np.float64))
        with pytest.raises(ValueError, match="NaN"):
            fn(np.array([[0, 0], [np.nan, 1]], np.float32))
    with pytest.raises(ValueError, match="epsilon"):
        C.approx_poly_dp([[0, 0], [1, 1]], -1.0, True)
    with pytest.raises(TypeError, match="epsilon"):
        C.approx_poly_dp([[0, 0], [1, 1]], "1", True)
    with pytest.raises(TypeError, match="rect"):
        C.box_points((1, 2, 3))
