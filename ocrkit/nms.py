"""Non-maximum suppression: boxes, rotated boxes, polygons, EAST's locality-aware merge.

The greedy functions give the same kept indices, in the same order, as OpenCV's
``cv2.dnn.NMSBoxes`` / ``NMSBoxesRotated`` / ``softNMSBoxes``; the kept set is found
with a spatial grid so that each candidate is tested only against nearby kept boxes.
Index arrays are ``int32`` like OpenCV's; empty input gives an empty ``int32`` array.
"""
import numpy as np

from . import _validate
from ._ext import _nms

__all__ = ["nms_boxes", "nms_rotated", "nms_polygons", "soft_nms", "locality_aware_nms"]

_EMPTY = np.empty(0, np.int32)


def _scores(scores, n, name="scores", dtype=np.float32):
    s = _validate.real_array(scores, name)
    if s.shape[0] != n:
        raise ValueError(f"{name} must have one entry per box: got {s.shape[0]} scores for {n} boxes")
    with np.errstate(over="ignore"):
        s = np.ascontiguousarray(s, dtype=dtype)
    if not np.all(np.isfinite(s)):
        raise ValueError(f"{name} has values too large for {np.dtype(dtype).name}")
    return s


def _sizes_nonnegative(arr, cols, name, what):
    bad = np.flatnonzero(np.any(arr[:, cols] < 0, axis=1))
    if bad.size:
        raise ValueError(f"{name} has a negative {what} (row {int(bad[0])})")


def _thresholds(score_threshold, iou_threshold, iou_name="iou_threshold"):
    st = _validate.real(score_threshold, "score_threshold")
    if st < 0:
        raise ValueError(f"score_threshold must be >= 0, got {st}")
    it = _validate.real(iou_threshold, iou_name)
    if it < 0:
        raise ValueError(f"{iou_name} must be >= 0, got {it}")
    return float(np.float32(st)), float(np.float32(it))


def _eta(eta):
    e = _validate.real(eta, "eta")
    if e <= 0:
        raise ValueError(f"eta must be > 0, got {e}")
    return float(np.float32(e))


def _quads(polys, name="polys"):
    p = _validate.real_array(polys, name, columns=8)
    if p.shape[0]:
        # turn directions of consecutive edges, on quads scaled to unit size
        with np.errstate(over="ignore", invalid="ignore"):
            q = p.reshape(-1, 4, 2)
            q = q - q[:, :1, :]
            scale = np.max(np.abs(q), axis=(1, 2))
            q = q / np.where(scale > 0, scale, 1.0)[:, None, None]
            e = np.roll(q, -1, axis=1) - q
            en = np.roll(e, -1, axis=1)
            cross = e[..., 0] * en[..., 1] - e[..., 1] * en[..., 0]
        convex = np.all(cross >= -1e-9, axis=1) | np.all(cross <= 1e-9, axis=1)
        bad = np.flatnonzero(~convex)
        if bad.size:
            raise ValueError(f"{name} row {int(bad[0])} is not a convex quadrilateral "
                             "(vertices must go around the quad in order)")
    return p


def nms_boxes(boxes, scores, score_threshold, iou_threshold, *, top_k=0, eta=1.0):
    """Greedy non-maximum suppression of axis-aligned boxes, as ``cv2.dnn.NMSBoxes``.

    Boxes whose score is strictly above `score_threshold` are visited in descending
    score order (ties keep input order), cut to the `top_k` best when ``top_k > 0``;
    a box is kept when its IoU with every box kept so far is at most the (adaptive)
    threshold.

    Parameters
    ----------
    boxes : array_like, shape (N, 4)
        ``(x, y, w, h)`` per box (taken as float64, like OpenCV's ``Rect2d``);
        widths and heights must be >= 0.
    scores : array_like, shape (N,)
        Confidence per box (taken as float32).
    score_threshold : float
        Keep only boxes with ``score > score_threshold``; must be >= 0.
    iou_threshold : float
        Suppress a box whose IoU with a kept box exceeds this; must be >= 0.
    top_k : int, optional
        When > 0, only the `top_k` highest-scoring candidates are considered.
    eta : float, optional
        Adaptive threshold: after each kept box, while the threshold is above 0.5 it is
        multiplied by `eta` (when ``eta < 1``). Must be > 0.

    Returns
    -------
    keep : ndarray of int32
        Indices of the kept boxes, highest score first.

    Notes
    -----
    The IoU is OpenCV's: area ``w * h`` with no +1, computed in double and rounded to
    float before the comparison. Like OpenCV, two boxes of zero area count as
    identical (IoU 1) wherever they are.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrkit import nms_boxes
    >>> boxes = np.array([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 5, 5]])
    >>> nms_boxes(boxes, [0.9, 0.8, 0.7], 0.5, 0.5)
    array([0, 2], dtype=int32)
    """
    b = _validate.real_array(boxes, "boxes", columns=4)
    s = _scores(scores, b.shape[0])
    st, it = _thresholds(score_threshold, iou_threshold)
    k = _validate.integer(top_k, "top_k", minimum=0)
    e = _eta(eta)
    _sizes_nonnegative(b, [2, 3], "boxes", "width or height")
    if b.shape[0] == 0:
        return _EMPTY.copy()
    return _nms.nms_boxes(b, s, st, it, k, e)


def nms_rotated(rects, scores, score_threshold, iou_threshold, *, top_k=0, eta=1.0):
    """Greedy non-maximum suppression of rotated rectangles, as ``cv2.dnn.NMSBoxesRotated``.

    Same procedure as :func:`nms_boxes`, with the IoU of two rotated rectangles
    computed as OpenCV's ``rotatedRectangleIntersection`` + ``contourArea`` do.

    Parameters
    ----------
    rects : array_like, shape (N, 5)
        ``(cx, cy, w, h, angle_deg)`` per rectangle (taken as float32, like OpenCV's
        ``RotatedRect``); widths and heights must be >= 0.
    scores : array_like, shape (N,)
        Confidence per rectangle.
    score_threshold, iou_threshold : float
        As in :func:`nms_boxes` (both >= 0).
    top_k : int, optional
        When > 0, only the `top_k` highest-scoring candidates are considered.
    eta : float, optional
        Adaptive threshold factor, as in :func:`nms_boxes`.

    Returns
    -------
    keep : ndarray of int32
        Indices of the kept rectangles, highest score first.

    Notes
    -----
    OpenCV's conventions are kept on purpose, since they decide which boxes survive:
    a rectangle of zero width or height overlaps nothing; two rectangles whose corners
    agree within ``1e-6 * max(area)`` have IoU 1; and when one rectangle lies inside the
    other without their edges crossing, OpenCV reports a "full" intersection and the
    IoU is taken as 1 (not the area ratio). Rectangles are first pruned by their
    bounding boxes, which cannot change the result. The corners, the intersection
    points and the IoU follow OpenCV 5's float steps, so they are the same bits as
    OpenCV's, and so are the decisions on degenerate cases (rectangles exactly
    touching at an angle) that rounding settles.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrkit import nms_rotated
    >>> rects = np.array([[50, 50, 40, 20, 30], [52, 50, 40, 20, 30], [150, 50, 40, 20, -60]])
    >>> nms_rotated(rects, [0.9, 0.8, 0.7], 0.5, 0.5)
    array([0, 2], dtype=int32)
    """
    r = _validate.real_array(rects, "rects", columns=5)
    s = _scores(scores, r.shape[0])
    st, it = _thresholds(score_threshold, iou_threshold)
    k = _validate.integer(top_k, "top_k", minimum=0)
    e = _eta(eta)
    _sizes_nonnegative(r, [2, 3], "rects", "width or height")
    with np.errstate(over="ignore"):
        r32 = np.ascontiguousarray(r, dtype=np.float32)
    if not np.all(np.isfinite(r32)):
        raise ValueError("rects has values too large for float32")
    if r.shape[0] == 0:
        return _EMPTY.copy()
    return _nms.nms_rotated(r32, s, st, it, k, e)


def nms_polygons(polys, scores, iou_threshold):
    """Greedy non-maximum suppression of convex quadrilaterals with exact polygon IoU.

    Quads are visited in descending score order (ties keep input order); one is kept
    when its IoU with every kept quad is at most `iou_threshold`.

    Parameters
    ----------
    polys : array_like, shape (N, 8)
        ``(x0, y0, x1, y1, x2, y2, x3, y3)``: the corners of a convex quad in order
        around it (clockwise or counter-clockwise).
    scores : array_like, shape (N,)
        Confidence per quad (taken as float32 for the ordering).
    iou_threshold : float
        Suppress a quad whose IoU with a kept one exceeds this; must be >= 0.

    Returns
    -------
    keep : ndarray of int32
        Indices of the kept quads, highest score first.

    Notes
    -----
    The intersection is found by Sutherland-Hodgman clipping of one quad by the other
    in double precision; IoU = inter / (area_a + area_b - inter), and 0 when that union
    is 0 (two degenerate quads), as in the EAST reference code.

    Examples
    --------
    >>> from ocrkit import nms_polygons
    >>> quads = [[0, 0, 10, 0, 10, 10, 0, 10], [1, 0, 11, 0, 11, 10, 1, 10], [20, 0, 30, 0, 30, 5, 20, 5]]
    >>> nms_polygons(quads, [0.8, 0.9, 0.7], 0.5)
    array([1, 2], dtype=int32)
    """
    p = _quads(polys)
    s = _scores(scores, p.shape[0])
    it = _validate.real(iou_threshold, "iou_threshold")
    if it < 0:
        raise ValueError(f"iou_threshold must be >= 0, got {it}")
    if p.shape[0] == 0:
        return _EMPTY.copy()
    return _nms.nms_polygons(p, s, it)


_SOFT_METHODS = {"linear": 1, "gaussian": 2}


def soft_nms(boxes, scores, score_threshold, nms_threshold, *, top_k=0, sigma=0.5,
             method="gaussian"):
    """Soft non-maximum suppression (Bodla et al. 2017), as ``cv2.dnn.softNMSBoxes``.

    Repeatedly picks the box with the highest current score (ties: lowest index),
    stops when that score is below `score_threshold` or `top_k` boxes are picked, and
    decays the score of every remaining box with score >= `score_threshold` by its IoU
    ``o`` with the picked box: ``s *= exp(-o**2 / sigma)`` ("gaussian") or, when
    ``o > nms_threshold``, ``s *= 1 - o`` ("linear").

    Parameters
    ----------
    boxes : array_like, shape (N, 4)
        ``(x, y, w, h)`` per box; widths and heights >= 0. OpenCV accepts integer boxes
        only; these may be real (integer boxes give OpenCV's exact results).
    scores : array_like, shape (N,)
        Initial confidences (float32).
    score_threshold : float
        Boxes whose score falls below this are dropped; >= 0.
    nms_threshold : float
        IoU above which the linear method decays a score; >= 0.
    top_k : int, optional
        Keep at most this many boxes (0: no limit).
    sigma : float, optional
        Width of the Gaussian decay; must be > 0.
    method : {"gaussian", "linear"}, optional
        Decay function.

    Returns
    -------
    keep : ndarray of int32
        Indices of the kept boxes in pick order.
    updated_scores : ndarray of float32
        Their scores when picked. (OpenCV returns the same two arrays in the order
        ``(updated_scores, indices)``.)

    Examples
    --------
    >>> from ocrkit import soft_nms
    >>> keep, s = soft_nms([[0, 0, 10, 10], [2, 0, 10, 10]], [0.9, 0.8], 0.0, 0.5)
    >>> keep
    array([0, 1], dtype=int32)
    >>> s.round(4)
    array([0.9   , 0.3289], dtype=float32)
    """
    b = _validate.real_array(boxes, "boxes", columns=4)
    s = _scores(scores, b.shape[0])
    st, nt = _thresholds(score_threshold, nms_threshold, iou_name="nms_threshold")
    k = _validate.integer(top_k, "top_k", minimum=0)
    sg = _validate.real(sigma, "sigma")
    if sg <= 0:
        raise ValueError(f"sigma must be > 0, got {sg}")
    m = _SOFT_METHODS[_validate.choice(method, tuple(_SOFT_METHODS), "method")]
    _sizes_nonnegative(b, [2, 3], "boxes", "width or height")
    if b.shape[0] == 0:
        return _EMPTY.copy(), np.empty(0, np.float32)
    return _nms.soft_nms(b, s, st, nt, k, float(np.float32(sg)), m)


def locality_aware_nms(polys, scores, iou_threshold):
    """EAST's locality-aware NMS (Zhou et al. 2017, "EAST: an efficient and accurate
    scene text detector", section 3.5).

    Definition (that of the reference implementation, argman/EAST
    ``locality_aware_nms.py``):

    1. Walk the rows in the given order (EAST emits them row by row over the score
       map, so neighbours are consecutive) keeping a running quad ``p`` with score
       ``sp``. When the next quad ``g`` (score ``sg``) has IoU(g, p) > `iou_threshold`,
       merge: ``p = (sg * g + sp * p) / (sg + sp)`` coordinate-wise and
       ``sp = sg + sp``. Otherwise emit ``p`` and start again from ``g``.
    2. Run standard polygon NMS (:func:`nms_polygons`) with the same threshold over the
       merged quads, highest summed score first (ties in merge order).

    The C++ ``lanms`` of the same repository differs in two ways not followed here:
    it rounds coordinates to a 1e-4 grid and reorders a quad's corners to match before
    averaging, and its second stage merges groups instead of suppressing.

    Parameters
    ----------
    polys : array_like, shape (N, 8)
        Convex quads ``(x0, y0, ..., x3, y3)``, in EAST's row-major candidate order.
    scores : array_like, shape (N,)
        Positive scores.
    iou_threshold : float
        Merge / suppress threshold (EAST uses 0.2-0.3); >= 0.

    Returns
    -------
    polys : ndarray of float32, shape (M, 8)
        Merged, surviving quads, highest score first.
    scores : ndarray of float32, shape (M,)
        Their summed scores.

    Examples
    --------
    >>> from ocrkit import locality_aware_nms
    >>> quads = [[0, 0, 10, 0, 10, 10, 0, 10], [2, 0, 12, 0, 12, 10, 2, 10]]
    >>> p, s = locality_aware_nms(quads, [1.0, 3.0], 0.3)
    >>> p
    array([[ 1.5,  0. , 11.5,  0. , 11.5, 10. ,  1.5, 10. ]], dtype=float32)
    >>> s
    array([4.], dtype=float32)
    """
    p = _quads(polys)
    s = _scores(scores, p.shape[0], dtype=np.float64)
    it = _validate.real(iou_threshold, "iou_threshold")
    if it < 0:
        raise ValueError(f"iou_threshold must be >= 0, got {it}")
    if np.any(s <= 0):
        raise ValueError("scores must be > 0 (they weight the merged coordinates)")
    if p.size and np.max(np.abs(p)) > np.finfo(np.float32).max:
        raise ValueError("polys has coordinates too large for the float32 result")
    if p.shape[0] == 0:
        return np.empty((0, 8), np.float32), np.empty(0, np.float32)
    return _nms.locality_aware_nms(p, s, it)
