"""Resize, affine and perspective warps.

Every function follows OpenCV's semantics (``cv2.resize``, ``cv2.warpAffine``,
``cv2.warpPerspective``, ``cv2.getRotationMatrix2D``, ...): same output sizes,
same sampling positions, same rounding.  uint8 results match OpenCV bit for bit
on almost every pixel; float32 results agree to about 1e-5.
"""
import math

import numpy as np

from . import _threads
from . import _validate as _v
from ._ext import _resize, _warp

__all__ = ["resize", "get_rotation_matrix_2d", "get_affine_transform", "get_perspective_transform",
           "warp_affine", "warp_perspective", "rotate"]

_RESIZE_INTERP = ("nearest", "linear", "cubic", "area", "lanczos4", "nearest_exact")
# codes of csrc/resize.h
_LINEAR, _CUBIC, _AREA_LINEAR, _LANCZOS4 = 1, 2, 3, 4
_DBL_EPSILON = np.finfo(np.float64).eps
_MAX_PIXELS = 1 << 31


def _nthreads(out_elems):
    """Kernel threads for an output of this many elements (see _threads.for_size)."""
    return _threads.for_size(out_elems)


def _round(v):
    """cvRound / saturate_cast<int>(double): nearest, ties to even."""
    return int(round(v))


def _resize_size(src_shape, dsize, fx, fy):
    sh, sw = src_shape[:2]
    if dsize is not None and not (_is_zero_pair(dsize)):
        dw, dh = _v.size_pair(dsize, "dsize", minimum=1)
        return dw, dh, dw / sw, dh / sh
    fx = _v.real(fx, "fx")
    fy = _v.real(fy, "fy")
    if fx <= 0 or fy <= 0:
        raise ValueError("resize needs dsize, or both fx and fy > 0 "
                         f"(got dsize={dsize!r}, fx={fx}, fy={fy})")
    dw, dh = _round(sw * fx), _round(sh * fy)
    if dw <= 0 or dh <= 0:
        raise ValueError(f"fx={fx}, fy={fy} shrink the {sw}×{sh} image to nothing ({dw}×{dh})")
    return dw, dh, fx, fy


def _is_zero_pair(value):
    try:
        return len(value) == 2 and all(isinstance(v, (int, np.integer)) and v == 0 for v in value)
    except TypeError:
        return False


def resize(src, dsize=None, fx=0.0, fy=0.0, interpolation="linear"):
    """Resize an image, like ``cv2.resize``.

    Parameters
    ----------
    src : ndarray
        H×W or H×W×C image (C = 1, 3 or 4), uint8 or float32, any strides.
    dsize : (int, int) or None
        Output size as (width, height).  ``None`` or ``(0, 0)`` means: computed
        from `fx` and `fy` as ``round(W*fx), round(H*fy)``.
    fx, fy : float
        Scale factors along x and y; used (and required > 0) only when `dsize`
        is not given.  As in OpenCV, they also set the sampling step, so
        ``fx=1/3`` samples at exactly 3-pixel steps.
    interpolation : {"nearest", "linear", "cubic", "area", "lanczos4", "nearest_exact"}
        ``"area"`` averages pixel areas when shrinking (integer factors take a
        fast path) and behaves like a sharper bilinear when enlarging.  An
        exact 2× shrink with ``"linear"`` is computed as ``"area"``, as OpenCV
        does.

    Returns
    -------
    ndarray
        The resized image, same dtype and channel count as `src`.

    Notes
    -----
    uint8 uses OpenCV's fixed-point weights (11 fractional bits, cubic
    A = -0.75) and reproduces both its SIMD and scalar rounding, so results
    match ``cv2.resize`` bit for bit on the tested shapes.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.arange(16, dtype=np.uint8).reshape(4, 4)
    >>> ocrkit.resize(img, (2, 2), interpolation="area")
    array([[ 3,  5],
           [11, 13]], dtype=uint8)
    >>> ocrkit.resize(img, fx=2, fy=2).shape
    (8, 8)
    """
    src = _v.image(src)
    interp = _v.choice(interpolation, _RESIZE_INTERP, "interpolation")
    dw, dh, inv_x, inv_y = _resize_size(src.shape, dsize, fx, fy)
    cn = _v.channels_of(src)
    if dw * dh * cn >= _MAX_PIXELS:
        raise ValueError(f"dsize {dw}×{dh} is too large (at most 2**31 elements)")
    sh, sw = src.shape[:2]
    out_shape = (dh, dw) if src.ndim == 2 else (dh, dw, cn)
    if (dw, dh) == (sw, sh):
        return src.copy()
    nthreads = _nthreads(dw * dh * cn)
    src3 = _v.as_3d(src)
    dst = np.empty(out_shape, src.dtype)
    dst3 = _v.as_3d(dst)

    if interp in ("nearest", "nearest_exact"):
        exact = interp == "nearest_exact"
        xofs = _resize.nn_tab(sw, dw, inv_x, exact)
        yofs = _resize.nn_tab(sh, dh, inv_y, exact)
        psize = cn * src.itemsize
        _resize.nn(src3.reshape(sh, -1).view(np.uint8), dst3.reshape(dh, -1).view(np.uint8),
                   psize, xofs, yofs, nthreads)
        return dst

    scale_x, scale_y = 1.0 / inv_x, 1.0 / inv_y
    iscale_x, iscale_y = _round(scale_x), _round(scale_y)
    area_fast = abs(scale_x - iscale_x) < _DBL_EPSILON and abs(scale_y - iscale_y) < _DBL_EPSILON
    u8 = src.dtype == np.uint8
    if interp == "linear" and area_fast and iscale_x == 2 and iscale_y == 2:
        interp = "area"   # OpenCV: an exact 2x shrink averages 2x2 cells
    if interp == "area" and scale_x >= 1 and scale_y >= 1:
        if area_fast:
            (_resize.area_fast_u8 if u8 else _resize.area_fast_f32)(
                src3, dst3, iscale_x, iscale_y, nthreads)
            return dst
        xdi, xsi, xal = _resize.area_tab(sw, dw, scale_x)
        ydi, ysi, yal = _resize.area_tab(sh, dh, scale_y)
        starts = np.flatnonzero(np.r_[True, ydi[1:] != ydi[:-1]])
        ytabofs = np.append(starts, len(ydi)).astype(np.int32)
        (_resize.area_u8 if u8 else _resize.area_f32)(
            src3, dst3, xdi, xsi, xal, ydi, ysi, yal, ytabofs, nthreads)
        return dst

    code = {"linear": _LINEAR, "cubic": _CUBIC, "area": _AREA_LINEAR, "lanczos4": _LANCZOS4}[interp]
    xofs, xa, xia, xmin, xmax = _resize.tab(code, sw, dw, scale_x, inv_x, True)
    yofs, ya, yia, _, _ = _resize.tab(code, sh, dh, scale_y, inv_y, False)
    if u8:
        _resize.generic_u8(src3, dst3, code, xofs, xia, xa, xmin, xmax, yofs, yia, ya, nthreads)
    else:
        _resize.generic_f32(src3, dst3, code, xofs, xa, xmin, xmax, yofs, ya, nthreads)
    return dst


# --------------------------------------------------------------------- transforms

def _points(value, name, n):
    """n (x, y) points as float32, like OpenCV's Point2f arguments."""
    try:
        pts = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of {n} (x, y) points, got {type(value).__name__}") from None
    if pts.shape != (n, 2):
        raise ValueError(f"{name} must have shape ({n}, 2), got {pts.shape}")
    if not np.all(np.isfinite(pts)):
        raise ValueError(f"{name} contains NaN or infinity")
    return pts.astype(np.float32)


def get_rotation_matrix_2d(center, angle, scale):
    """2×3 matrix rotating by `angle` degrees about `center`, like ``cv2.getRotationMatrix2D``.

    Parameters
    ----------
    center : (float, float)
        Rotation centre (x, y) in source pixel coordinates.
    angle : float
        Degrees; positive rotates counter-clockwise on screen (y axis down).
    scale : float
        Isotropic scale factor.

    Returns
    -------
    ndarray
        2×3 float64 matrix for :func:`warp_affine`.

    Examples
    --------
    >>> import ocrkit
    >>> ocrkit.get_rotation_matrix_2d((2, 2), 90, 1.0).round(6) + 0.0
    array([[ 0.,  1.,  0.],
           [-1.,  0.,  4.]])
    """
    cx, cy = (float(v) for v in _points([center], "center", 1)[0])
    angle = _v.real(angle, "angle") * (math.pi / 180)  # OpenCV: angle *= CV_PI/180
    scale = _v.real(scale, "scale")
    alpha = math.cos(angle) * scale
    beta = math.sin(angle) * scale
    return np.array([[alpha, beta, (1 - alpha) * cx - beta * cy],
                     [-beta, alpha, beta * cx + (1 - alpha) * cy]], dtype=np.float64)


def _solve(a, b, name):
    try:
        x = np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        x = None
    if x is None or not np.all(np.isfinite(x)):
        raise ValueError(f"{name}: the points are degenerate (collinear or repeated); no unique transform")
    return x


def get_affine_transform(src_pts, dst_pts):
    """2×3 affine matrix mapping 3 source points onto 3 destination points
    (``cv2.getAffineTransform``).

    Parameters
    ----------
    src_pts, dst_pts : array_like, shape (3, 2)
        Corresponding (x, y) points (taken as float32, as OpenCV does).

    Returns
    -------
    ndarray
        2×3 float64 matrix.

    Examples
    --------
    >>> import ocrkit
    >>> ocrkit.get_affine_transform([[0, 0], [1, 0], [0, 1]], [[1, 1], [3, 1], [1, 4]])
    array([[2., 0., 1.],
           [0., 3., 1.]])
    """
    src = _points(src_pts, "src_pts", 3).astype(np.float64)
    dst = _points(dst_pts, "dst_pts", 3).astype(np.float64)
    a = np.zeros((6, 6))
    b = np.zeros(6)
    for i in range(3):
        a[2 * i, 0:3] = (src[i, 0], src[i, 1], 1)
        a[2 * i + 1, 3:6] = (src[i, 0], src[i, 1], 1)
        b[2 * i], b[2 * i + 1] = dst[i]
    return _solve(a, b, "get_affine_transform").reshape(2, 3)


def get_perspective_transform(src_pts, dst_pts):
    """3×3 homography mapping 4 source points onto 4 destination points
    (``cv2.getPerspectiveTransform``).

    Parameters
    ----------
    src_pts, dst_pts : array_like, shape (4, 2)
        Corresponding (x, y) corners (taken as float32, as OpenCV does), e.g. a
        page's corners and the rectangle it should fill.

    Returns
    -------
    ndarray
        3×3 float64 matrix with ``m[2, 2] == 1``.

    Examples
    --------
    >>> import ocrkit
    >>> m = ocrkit.get_perspective_transform([[0, 0], [4, 0], [4, 4], [0, 4]],
    ...                                      [[0, 0], [8, 0], [8, 8], [0, 8]])
    >>> m.round(6)
    array([[2., 0., 0.],
           [0., 2., 0.],
           [0., 0., 1.]])
    """
    src = _points(src_pts, "src_pts", 4)
    dst = _points(dst_pts, "dst_pts", 4)
    a = np.zeros((8, 8))
    b = np.zeros(8)
    for i in range(4):
        sx, sy = src[i]
        dx, dy = dst[i]
        a[i, 0:3] = (sx, sy, 1)
        a[i + 4, 3:6] = (sx, sy, 1)
        # OpenCV multiplies the float32 coordinates in float32
        a[i, 6:8] = (-(sx * dx), -(sy * dx))
        a[i + 4, 6:8] = (-(sx * dy), -(sy * dy))
        b[i], b[i + 4] = float(dx), float(dy)
    x = _solve(a, b, "get_perspective_transform")
    return np.append(x, 1.0).reshape(3, 3)


# -------------------------------------------------------------------------- warps

_WARP_INTERP = {"nearest": 0, "linear": 1, "cubic": 2}
_WARP_BORDERS = ("constant", "replicate")


def _warp_matrix(m, perspective):
    shape = (3, 3) if perspective else (2, 3)
    try:
        arr = np.array(m, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"m must be a numeric {shape[0]}×{shape[1]} matrix, got {type(m).__name__}") from None
    if arr.shape != shape:
        raise ValueError(f"m must have shape {shape}, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("m contains NaN or infinity")
    return arr


def _invert_affine(m):
    # OpenCV's own formula (warpAffine without WARP_INVERSE_MAP), same rounding
    m0, m1, m2, m3, m4, m5 = (float(v) for v in m.ravel())
    d = m0 * m4 - m1 * m3
    if d == 0:
        raise ValueError("m is singular (zero determinant); it cannot be inverted")
    d = 1.0 / d
    a11, a22 = m4 * d, m0 * d
    m0, m1, m3, m4 = a11, m1 * -d, m3 * -d, a22
    b1 = -m0 * m2 - m1 * m5
    b2 = -m3 * m2 - m4 * m5
    return np.array([m0, m1, b1, m3, m4, b2])


def _invert_perspective(m):
    # cv::invert's closed form for 3x3 (DECOMP_LU), same operation order
    s = [[float(v) for v in row] for row in m]
    d = (s[0][0] * (s[1][1] * s[2][2] - s[1][2] * s[2][1])
         - s[0][1] * (s[1][0] * s[2][2] - s[1][2] * s[2][0])
         + s[0][2] * (s[1][0] * s[2][1] - s[1][1] * s[2][0]))
    if d == 0:
        raise ValueError("m is singular (zero determinant); it cannot be inverted")
    d = 1.0 / d
    t = [(s[1][1] * s[2][2] - s[1][2] * s[2][1]) * d,
         (s[0][2] * s[2][1] - s[0][1] * s[2][2]) * d,
         (s[0][1] * s[1][2] - s[0][2] * s[1][1]) * d,
         (s[1][2] * s[2][0] - s[1][0] * s[2][2]) * d,
         (s[0][0] * s[2][2] - s[0][2] * s[2][0]) * d,
         (s[0][2] * s[1][0] - s[0][0] * s[1][2]) * d,
         (s[1][0] * s[2][1] - s[1][1] * s[2][0]) * d,
         (s[0][1] * s[2][0] - s[0][0] * s[2][1]) * d,
         (s[0][0] * s[1][1] - s[0][1] * s[1][0]) * d]
    return np.array(t)


def _border_value(value, cn):
    """A number (every channel) or a sequence of up to 4 per-channel values."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        vals = [float(value)] * cn
    else:
        try:
            vals = [float(v) for v in value]
        except (TypeError, ValueError):
            raise TypeError(f"border_value must be a number or a sequence of numbers, got {value!r}") from None
        if not 1 <= len(vals) <= 4:
            raise ValueError(f"border_value must have 1 to 4 values, got {len(vals)}")
    if not all(math.isfinite(v) for v in vals):
        raise ValueError(f"border_value must be finite, got {value!r}")
    return np.array((vals + [0.0] * 4)[:4], dtype=np.float64)


def _warp_impl(src, m, dsize, interpolation, border, border_value, inverse_map, perspective):
    src = _v.image(src)
    mat = _warp_matrix(m, perspective)
    interp = _WARP_INTERP[_v.choice(interpolation, tuple(_WARP_INTERP), "interpolation")]
    bcode = _v.border(border, "border", allowed=_WARP_BORDERS)
    cn = _v.channels_of(src)
    bval = _border_value(border_value, cn)
    if dsize is None:
        dw, dh = src.shape[1], src.shape[0]
    else:
        dw, dh = _v.size_pair(dsize, "dsize", minimum=1)
    if dw * dh * cn >= _MAX_PIXELS:
        raise ValueError(f"dsize {dw}×{dh} is too large (at most 2**31 elements)")
    if inverse_map:
        inv = mat.ravel().copy()
    else:
        inv = _invert_perspective(mat) if perspective else _invert_affine(mat)
    dst = np.empty((dh, dw) if src.ndim == 2 else (dh, dw, cn), src.dtype)
    fn = _warp.warp_u8 if src.dtype == np.uint8 else _warp.warp_f32
    fn(_v.as_3d(src), _v.as_3d(dst), np.ascontiguousarray(inv, dtype=np.float64), perspective, interp,
       bcode, bval, _nthreads(dw * dh * cn))
    return dst


_WARP_DOC = """

    Parameters
    ----------
    src : ndarray
        H×W or H×W×C image (C = 1, 3 or 4), uint8 or float32, any strides.
    m : array_like
        The {shape} transform from source to destination coordinates (or the
        reverse with ``inverse_map=True``).  Must be finite and invertible.
    dsize : (int, int) or None
        Output (width, height); ``None`` keeps the source size.
    interpolation : {{"nearest", "linear", "cubic"}}
    border : {{"constant", "replicate"}}
        How pixels outside the source are filled.
    border_value : float or sequence of float
        Fill for ``border="constant"``: one number for every channel, or one
        value per channel (B, G, R, A).  Default 0.
    inverse_map : bool
        `m` already maps destination to source (``cv2.WARP_INVERSE_MAP``).

    Returns
    -------
    ndarray
        The warped image, dtype and channels of `src`.

    Notes
    -----
    Nearest and linear sample where OpenCV 5 does (float32 coordinates) and
    blend in float, rounding half to even; cubic samples at the exact float
    position with Keys weights (A = -0.75), as OpenCV 5 does.  uint8 results match
    ``cv2.{cvname}`` bit for bit on almost all pixels (at most 1 apart).
"""


def warp_affine(src, m, dsize, *, interpolation="linear", border="constant", border_value=0,
                inverse_map=False):
    return _warp_impl(src, m, dsize, interpolation, border, border_value, inverse_map, False)


warp_affine.__doc__ = ("""Apply a 2×3 affine transform, like ``cv2.warpAffine``.""" + _WARP_DOC.format(
    shape="2×3", cvname="warpAffine") + """
    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.arange(9, dtype=np.uint8).reshape(3, 3)
    >>> ocrkit.warp_affine(img, [[1, 0, 1], [0, 1, 0]], (3, 3))   # shift right by 1
    array([[0, 0, 1],
           [0, 3, 4],
           [0, 6, 7]], dtype=uint8)
    """)


def warp_perspective(src, m, dsize, *, interpolation="linear", border="constant", border_value=0,
                     inverse_map=False):
    return _warp_impl(src, m, dsize, interpolation, border, border_value, inverse_map, True)


warp_perspective.__doc__ = ("""Apply a 3×3 homography, like ``cv2.warpPerspective``.""" + _WARP_DOC.format(
    shape="3×3", cvname="warpPerspective") + """
    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.arange(16, dtype=np.uint8).reshape(4, 4)
    >>> m = ocrkit.get_perspective_transform([[0, 0], [3, 0], [3, 3], [0, 3]],
    ...                                      [[0, 0], [1.5, 0], [1.5, 1.5], [0, 1.5]])
    >>> ocrkit.warp_perspective(img, m, (2, 2), interpolation="nearest")
    array([[ 0,  2],
           [ 8, 10]], dtype=uint8)
    """)


def rotate(src, angle_deg, *, expand=True, interpolation="linear", border="constant", border_value=0):
    """Rotate an image about its centre, optionally growing the canvas to keep all of it.

    Meant for deskewing a scanned page: with ``expand=True`` (default) the
    output is just large enough to hold the whole rotated image, so no text is
    cropped; with ``expand=False`` it keeps the source size.

    Parameters
    ----------
    src : ndarray
        H×W or H×W×C image, uint8 or float32.
    angle_deg : float
        Degrees, positive counter-clockwise on screen (as ``cv2.getRotationMatrix2D``).
    expand : bool
        Grow the output to the rotated image's bounding box.
    interpolation : {"nearest", "linear", "cubic"}
    border : {"constant", "replicate"}
    border_value : float or sequence of float
        Fill of the uncovered corners (use 255 for white paper).

    Returns
    -------
    ndarray
        The rotated image.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.zeros((20, 40), np.uint8)
    >>> ocrkit.rotate(img, 90).shape
    (40, 20)
    >>> ocrkit.rotate(img, 30, expand=False).shape
    (20, 40)
    """
    src = _v.image(src)
    angle = _v.real(angle_deg, "angle_deg")
    h, w = src.shape[:2]
    # pixel centres sit at integers, so the image centre is ((w-1)/2, (h-1)/2)
    m = get_rotation_matrix_2d(((w - 1) / 2, (h - 1) / 2), angle, 1.0)
    if expand:
        c, s = abs(m[0, 0]), abs(m[0, 1])
        # a tiny slack keeps 90°-multiples (cos = 6e-17) from adding a pixel
        nw = max(1, int(math.ceil(w * c + h * s - 1e-6)))
        nh = max(1, int(math.ceil(w * s + h * c - 1e-6)))
        m[0, 2] += (nw - w) / 2
        m[1, 2] += (nh - h) / 2
    else:
        nw, nh = w, h
    return warp_affine(src, m, (nw, nh), interpolation=interpolation, border=border,
                       border_value=border_value)
