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
from ._ext import _resize

__all__ = ["resize"]

_RESIZE_INTERP = ("nearest", "linear", "cubic", "area", "lanczos4", "nearest_exact")
# codes of csrc/resize.h
_LINEAR, _CUBIC, _AREA_LINEAR, _LANCZOS4 = 1, 2, 3, 4
_DBL_EPSILON = np.finfo(np.float64).eps
_MAX_PIXELS = 1 << 31


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
    nthreads = _threads.get_num_threads()
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
