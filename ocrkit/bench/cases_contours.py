"""Benchmark cases for contours and shape analysis (ocrkit.contours)."""
import numpy as np

from .. import contours as C
from . import SIZES, Case, make_image


def _cv2():
    import cv2
    return cv2


def _skm():
    import skimage.measure as m
    return m


def _qhull():
    from scipy.spatial import ConvexHull
    return ConvexHull


def blob_image(rng, size="1080p", cell=12):
    """Binary image of many smooth blobs with holes and islands nested inside
    (level bands of a smoothed random field), plus a little speckle."""
    h, w = SIZES[size] if isinstance(size, str) else size
    ch, cw = h // cell + 2, w // cell + 2
    field = rng.random((ch, cw)).astype(np.float32)
    field = np.repeat(np.repeat(field, cell, 0), cell, 1)[:h + cell, :w + cell]
    # box-smooth the blocky field (cumulative sums) so the blobs get round edges
    s = np.cumsum(np.cumsum(field, 0), 1)
    k = cell
    smooth = (s[k:, k:] - s[:-k, k:] - s[k:, :-k] + s[:-k, :-k])[:h, :w] / (k * k)
    fg = (smooth > 0.55) ^ (smooth > 0.65) ^ (smooth > 0.75)
    fg ^= rng.random((h, w)) < 0.002
    return (fg * 255).astype(np.uint8)


def _contour(rng, n=8000):
    """A long closed wiggly contour (int32 N×1×2) for approximation and measures."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    r = 300 + 40 * np.sin(7 * t) + 15 * np.sin(23 * t) + rng.normal(0, 1.5, n)
    pts = np.stack([960 + r * np.cos(t), 540 + r * np.sin(t)], 1)
    return np.round(pts).astype(np.int32).reshape(-1, 1, 2)


def cases():
    cv = _cv2

    def blobs(size="1080p"):
        return lambda rng: (blob_image(rng, size),)

    def noisy(rng):
        return (((make_image(rng, "1080p") > 170) * 255).astype(np.uint8),)

    def pts_i32(rng):
        return (rng.integers(0, 2000, (10000, 2)).astype(np.int32),)

    def pts_f32(rng):
        return (rng.normal(1000, 300, (10000, 2)).astype(np.float32),)

    def curve(rng):
        return (_contour(rng),)

    def sk_contours(img):
        return _skm().find_contours(img, 127.5)

    def sk_approx(c):
        return _skm().approximate_polygon(c.reshape(-1, 2), 2.0)

    out = [
        Case("contours", "find_contours external", "1080p", 1, blobs(),
             lambda a: C.find_contours(a, "external", "simple"),
             lambda a: cv().findContours(a, cv().RETR_EXTERNAL, cv().CHAIN_APPROX_SIMPLE),
             sk_contours, "skimage"),
        Case("contours", "find_contours tree", "1080p", 1, blobs(),
             lambda a: C.find_contours(a, "tree", "simple"),
             lambda a: cv().findContours(a, cv().RETR_TREE, cv().CHAIN_APPROX_SIMPLE)),
        Case("contours", "find_contours tree none", "1080p", 1, blobs(),
             lambda a: C.find_contours(a, "tree", "none"),
             lambda a: cv().findContours(a, cv().RETR_TREE, cv().CHAIN_APPROX_NONE)),
        Case("contours", "find_contours list (speckle)", "1080p", 1, noisy,
             lambda a: C.find_contours(a, "list", "simple"),
             lambda a: cv().findContours(a, cv().RETR_LIST, cv().CHAIN_APPROX_SIMPLE), quick=False),
        Case("contours", "find_contours external", "480p", 1, blobs("480p"),
             lambda a: C.find_contours(a, "external", "simple"),
             lambda a: cv().findContours(a, cv().RETR_EXTERNAL, cv().CHAIN_APPROX_SIMPLE)),
        Case("contours", "convex_hull int32", "10000 points", 0, pts_i32,
             lambda p: C.convex_hull(p), lambda p: cv().convexHull(p),
             lambda p: _qhull()(p), "scipy"),
        Case("contours", "convex_hull float32", "10000 points", 0, pts_f32,
             lambda p: C.convex_hull(p), lambda p: cv().convexHull(p),
             lambda p: _qhull()(p), "scipy"),
        Case("contours", "convex_hull indices", "10000 points", 0, pts_i32,
             lambda p: C.convex_hull(p, return_points=False),
             lambda p: cv().convexHull(p, returnPoints=False), quick=False),
        Case("contours", "min_area_rect", "10000 points", 0, pts_i32,
             C.min_area_rect, lambda p: cv().minAreaRect(p)),
        Case("contours", "min_area_rect float32", "10000 points", 0, pts_f32,
             C.min_area_rect, lambda p: cv().minAreaRect(p), quick=False),
        Case("contours", "approx_poly_dp eps=2", "8000-pt contour", 0, curve,
             lambda c: C.approx_poly_dp(c, 2.0, True), lambda c: cv().approxPolyDP(c, 2.0, True),
             sk_approx, "skimage"),
        Case("contours", "contour_area", "8000-pt contour", 0, curve,
             C.contour_area, lambda c: cv().contourArea(c), quick=False),
        Case("contours", "arc_length", "8000-pt contour", 0, curve,
             lambda c: C.arc_length(c, True), lambda c: cv().arcLength(c, True), quick=False),
        Case("contours", "bounding_rect", "10000 points", 0, pts_i32,
             C.bounding_rect, lambda p: cv().boundingRect(p), quick=False),
    ]
    return out
