"""Contours and shape analysis: find_contours, approx_poly_dp, areas, hulls, rectangles.

Results follow OpenCV 5 (``cv2.findContours``, ``cv2.approxPolyDP``,
``cv2.contourArea``, ``cv2.arcLength``, ``cv2.boundingRect``,
``cv2.convexHull``, ``cv2.minAreaRect``, ``cv2.boxPoints``): the same
contours with the same start points, point order, contour order and
hierarchy; the same hull points in the same order; the same floats.

Point sets are N×2 or N×1×2 arrays of (x, y), int32 or float32 (lists are
accepted and converted); contours come back as N×1×2 int32 arrays like
OpenCV's.
"""
import math

import numpy as np

from . import _threads
from . import _validate as V
from ._ext import _contours as _c

__all__ = [
    "find_contours",
    "approx_poly_dp",
    "contour_area",
    "arc_length",
    "bounding_rect",
    "convex_hull",
    "min_area_rect",
    "box_points",
]

_MODES = {"external": 0, "list": 1, "ccomp": 2, "tree": 3}
_METHODS = {"none": 1, "simple": 2}


def find_contours(binary, mode="external", method="simple"):
    """Trace the borders of the objects in a binary image (``cv2.findContours``).

    Parameters
    ----------
    binary : ndarray
        H×W (or H×W×1) uint8 image; nonzero pixels are objects. Pixels on the
        image edge count as they are (OpenCV 5 pads the image with zeros).
    mode : {"external", "list", "ccomp", "tree"}
        Which contours and hierarchy: outer borders only; all borders, flat;
        two levels (outer borders and their holes); the full nesting tree.
    method : {"simple", "none"}
        "none" keeps every border pixel; "simple" keeps only the ends of
        horizontal, vertical and diagonal runs.

    Returns
    -------
    contours : tuple of ndarray
        Each an N×1×2 int32 array of (x, y) points, in OpenCV's order.
    hierarchy : ndarray or None
        1×N×4 int32, per contour [next, previous, first_child, parent]
        (-1 where there is none); None when there are no contours.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.zeros((6, 6), np.uint8)
    >>> img[1:5, 1:5] = 255
    >>> contours, hierarchy = ocrkit.find_contours(img, "external", "simple")
    >>> contours[0].reshape(-1, 2).tolist()
    [[1, 1], [1, 4], [4, 4], [4, 1]]
    >>> hierarchy.tolist()
    [[[-1, -1, -1, -1]]]
    """
    img = V.image(binary, "binary", dtypes=(np.uint8,), channels=(1,))
    if img.ndim == 3:
        img = np.ascontiguousarray(img[:, :, 0])
    m = _MODES[V.choice(mode, _MODES, "mode")]
    k = _METHODS[V.choice(method, _METHODS, "method")]
    return _c.find_contours(img, m, k, _threads.for_size(img.size))


def approx_poly_dp(curve, epsilon, closed):
    """Simplify a polyline with the Douglas–Peucker algorithm (``cv2.approxPolyDP``).

    Parameters
    ----------
    curve : array_like
        N×2 or N×1×2 points, int32 or float32.
    epsilon : float
        Largest distance (pixels) between the curve and its approximation; >= 0.
    closed : bool
        Whether the curve is closed (last point joins the first).

    Returns
    -------
    ndarray
        M×1×2 array of the kept points, same dtype as `curve`.

    Examples
    --------
    >>> import ocrkit
    >>> ocrkit.approx_poly_dp([[0, 0], [5, 1], [10, 0], [10, 10], [0, 10]], 2.0, True).reshape(-1, 2).tolist()
    [[0, 0], [10, 0], [10, 10], [0, 10]]
    """
    pts = V.points(curve, "curve")
    eps = V.real(epsilon, "epsilon")
    if eps < 0:
        raise ValueError(f"epsilon must be >= 0, got {epsilon}")
    keep = _c.approx_poly_dp(pts, eps, bool(closed))
    return pts[keep].reshape(-1, 1, 2)


def contour_area(contour, oriented=False):
    """Area enclosed by a polygon (``cv2.contourArea``, the shoelace formula).

    Parameters
    ----------
    contour : array_like
        N×2 or N×1×2 vertices, int32 or float32.
    oriented : bool
        If True return the signed area (its sign tells the vertex order, as
        OpenCV's); otherwise the absolute area.

    Returns
    -------
    float

    Examples
    --------
    >>> import ocrkit
    >>> ocrkit.contour_area([[0, 0], [4, 0], [4, 3], [0, 3]])
    12.0
    """
    pts = V.points(contour, "contour")
    return _c.contour_area(pts, bool(oriented))


def arc_length(curve, closed):
    """Length of a polyline or closed polygon (``cv2.arcLength``).

    Parameters
    ----------
    curve : array_like
        N×2 or N×1×2 points, int32 or float32.
    closed : bool
        Whether to add the segment from the last point back to the first.

    Returns
    -------
    float

    Examples
    --------
    >>> import ocrkit
    >>> ocrkit.arc_length([[0, 0], [3, 0], [3, 4]], True)
    12.0
    """
    pts = V.points(curve, "curve")
    return _c.arc_length(pts, bool(closed))


def bounding_rect(points):
    """Smallest upright rectangle holding all points (``cv2.boundingRect``).

    Parameters
    ----------
    points : array_like
        N×2 or N×1×2 points, int32 or float32.

    Returns
    -------
    tuple of int
        (x, y, w, h); a float point set is measured on floor(coordinates).

    Examples
    --------
    >>> import ocrkit
    >>> ocrkit.bounding_rect([[2, 3], [5, 1], [4, 7]])
    (2, 1, 4, 7)
    """
    pts = V.points(points, "points")
    return _c.bounding_rect(pts)


def convex_hull(points, clockwise=False, return_points=True):
    """Convex hull of a point set (``cv2.convexHull``, Sklansky's algorithm).

    Parameters
    ----------
    points : array_like
        N×2 or N×1×2 points, int32 or float32.
    clockwise : bool
        Orientation of the output (in OpenCV's sense).
    return_points : bool
        True: the hull points; False: their indices into `points`.

    Returns
    -------
    ndarray
        M×1×2 points (same dtype as `points`) or M×1 int32 indices, in the
        order and from the start point OpenCV gives.

    Examples
    --------
    >>> import ocrkit
    >>> ocrkit.convex_hull([[0, 0], [4, 0], [2, 1], [4, 4], [0, 4]]).reshape(-1, 2).tolist()
    [[0, 0], [4, 0], [4, 4], [0, 4]]
    """
    pts = V.points(points, "points")
    idx = _c.convex_hull(pts, bool(clockwise), bool(return_points))
    if not return_points:
        return idx.reshape(-1, 1)
    return pts[idx].reshape(-1, 1, 2)


def min_area_rect(points):
    """Rotated rectangle of least area holding all points (``cv2.minAreaRect``).

    Rotating calipers over the convex hull, with OpenCV 5's conventions: the
    angle (degrees) lies in [-90, 0), and which side is the width follows from it.

    Parameters
    ----------
    points : array_like
        N×2 or N×1×2 points, int32 or float32.

    Returns
    -------
    ((cx, cy), (w, h), angle)
        Centre, size and rotation in degrees, as Python floats of float32 values.

    Examples
    --------
    >>> import ocrkit
    >>> ocrkit.min_area_rect([[0, 0], [4, 0], [4, 2], [0, 2]])
    ((2.0, 1.0), (2.0, 4.0), -90.0)
    """
    pts = V.points(points, "points")
    return _c.min_area_rect(pts)


def box_points(rect):
    """Corners of a rotated rectangle (``cv2.boxPoints``).

    Parameters
    ----------
    rect : ((cx, cy), (w, h), angle)
        As returned by :func:`min_area_rect`; angle in degrees.

    Returns
    -------
    ndarray
        4×2 float32 corners, in OpenCV's order.

    Examples
    --------
    >>> import ocrkit
    >>> ocrkit.box_points(((2.0, 1.0), (4.0, 2.0), 0.0)).tolist()
    [[0.0, 2.0], [0.0, 0.0], [4.0, 0.0], [4.0, 2.0]]
    """
    try:
        (cx, cy), (w, h), angle = rect
    except (TypeError, ValueError):
        raise TypeError(f"rect must be ((cx, cy), (w, h), angle), got {rect!r}") from None
    cx, cy, w, h = (np.float32(V.real(v, "rect")) for v in (cx, cy, w, h))
    angle = np.float32(V.real(angle, "rect"))
    # RotatedRect::points: cos/sin in double, the corners in float32, each from the centre
    rad = float(angle) * math.pi / 180.0
    b = np.float32(np.float32(math.cos(rad)) * np.float32(0.5))
    a = np.float32(np.float32(math.sin(rad)) * np.float32(0.5))
    out = np.array([[cx - a * h - b * w, cy + b * h - a * w],
                    [cx + a * h - b * w, cy - b * h - a * w],
                    [cx + a * h + b * w, cy - b * h + a * w],
                    [cx - a * h + b * w, cy + b * h + a * w]], np.float32)
    return out
