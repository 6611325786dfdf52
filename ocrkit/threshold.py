"""Fixed, Otsu, triangle and adaptive thresholding (OpenCV-compatible)."""
import builtins
import math
from fractions import Fraction

import numpy as np

from . import _threads, _validate
from ._ext import _threshold

__all__ = ["threshold", "adaptive_threshold", "otsu_threshold", "triangle_threshold", "histogram"]

# OpenCV's THRESH_* numbering (the C layer uses the same codes)
_TYPES = {"binary": 0, "binary_inv": 1, "trunc": 2, "tozero": 3, "tozero_inv": 4}
_METHODS = ("otsu", "triangle")
_LIMITS = {np.dtype(np.uint8): (0, 255), np.dtype(np.int16): (-32768, 32767),
           np.dtype(np.uint16): (0, 65535)}


_THRESH_DTYPES = frozenset(np.dtype(d) for d in (np.uint8, np.int16, np.uint16, np.float32))


def _is_plain_image(src, dtypes):
    """True for a non-empty C-contiguous H×W or H×W×{1,3,4} array of an allowed dtype,
    which _validate.image would return unchanged."""
    return (builtins.type(src) is np.ndarray and src.dtype in dtypes and src.flags.c_contiguous
            and (src.ndim == 2 or (src.ndim == 3 and src.shape[2] in (1, 3, 4))) and src.size > 0)


def _real(value, name):
    t = builtins.type(value)
    if (t is float or t is int) and math.isfinite(value):
        return float(value)
    return _validate.real(value, name)


def _cv_round(v):
    """cvRound: nearest integer, ties to even (Python's round does the same)."""
    return int(round(v))


def histogram(src):
    """Histogram of a uint8 or uint16 image over all its samples.

    Parameters
    ----------
    src : ndarray
        uint8 image (256 bins) or uint16 image (65536 bins), any channel count;
        every sample of every channel is counted.

    Returns
    -------
    hist : ndarray of int64
        ``hist[v]`` is the number of samples equal to ``v``.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> ocrkit.histogram(np.array([[0, 1], [1, 255]], np.uint8))[[0, 1, 255]]
    array([1, 2, 1])
    """
    src = _validate.image(src, dtypes=(np.uint8, np.uint16))
    return _threshold.histogram(src, _threads.for_size(src.size))


def _gray_u8(src, method):
    src = _validate.image(src, dtypes=(np.uint8,), channels=(1,))
    return src[:, :, 0] if src.ndim == 3 else src


def otsu_threshold(src):
    """Otsu's threshold of a single-channel uint8 or uint16 image, as OpenCV computes it.

    Parameters
    ----------
    src : ndarray
        H×W (or H×W×1) uint8 or uint16 image.

    Returns
    -------
    thresh : float
        The value ``cv2.threshold(src, 0, maxval, THRESH_BINARY | THRESH_OTSU)`` returns
        (pixels ``> thresh`` form the foreground).

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.array([[10, 12, 200, 210]], np.uint8)
    >>> ocrkit.otsu_threshold(img)
    12.0
    """
    src = _validate.image(src, dtypes=(np.uint8, np.uint16), channels=(1,))
    hist = _threshold.histogram(src, _threads.for_size(src.size))
    return float(_threshold.otsu_from_hist(hist, src.shape[0] * src.shape[1]))


def triangle_threshold(src):
    """Triangle-method threshold of a single-channel uint8 image, as OpenCV computes it.

    Parameters
    ----------
    src : ndarray
        H×W (or H×W×1) uint8 image.

    Returns
    -------
    thresh : float
        The value ``cv2.threshold(src, 0, maxval, THRESH_BINARY | THRESH_TRIANGLE)`` returns.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.array([[0, 0, 0, 0, 1, 2, 3, 200]], np.uint8)
    >>> ocrkit.triangle_threshold(img)
    5.0
    """
    src = _gray_u8(src, "triangle")
    hist = _threshold.histogram(src, _threads.for_size(src.size))
    return float(_threshold.triangle_from_hist(hist))


def threshold(src, thresh, maxval, type="binary", *, method=None):
    """Apply a fixed (or automatically chosen) threshold to every sample, like cv2.threshold.

    Parameters
    ----------
    src : ndarray
        H×W or H×W×C image (C = 1, 3, 4) of dtype uint8, int16, uint16 or float32.
        ``method="otsu"`` needs a single-channel uint8 or uint16 image,
        ``method="triangle"`` a single-channel uint8 image.
    thresh : float
        Threshold (ignored when `method` is given). For integer images it is
        floored first, as OpenCV does.
    maxval : float
        Value given to samples that pass with the binary types (rounded and
        saturated to the dtype for integer images).
    type : {"binary", "binary_inv", "trunc", "tozero", "tozero_inv"}
        ``binary``: ``maxval if v > thresh else 0``; ``binary_inv``: the opposite;
        ``trunc``: ``min(v, thresh)``; ``tozero``: ``v if v > thresh else 0``;
        ``tozero_inv``: ``0 if v > thresh else v``.
    method : {None, "otsu", "triangle"}
        Compute the threshold from the image histogram instead of using `thresh`.

    Returns
    -------
    retval : float
        The threshold used (the floored value for integer images, the computed one
        with a `method`).
    dst : ndarray
        Result with the shape and dtype of `src`.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.array([[0, 100, 200]], np.uint8)
    >>> ocrkit.threshold(img, 127, 255)
    (127.0, array([[  0,   0, 255]], dtype=uint8))
    >>> ocrkit.threshold(img, 0, 255, "binary", method="otsu")[0]
    100.0
    """
    # the common case (contiguous array, plain numbers, lower-case names) skips
    # the general checks, which cost more than thresholding a small image
    if not _is_plain_image(src, _THRESH_DTYPES):
        src = _validate.image(src, dtypes=tuple(_THRESH_DTYPES))
    ttype = _TYPES.get(type) if isinstance(type, str) else None
    if ttype is None:
        ttype = _TYPES[_validate.choice(type, tuple(_TYPES), "type")]
    if method is not None:
        method = _validate.choice(method, _METHODS, "method")
    maxval = _real(maxval, "maxval")
    if method is None:
        thresh = _real(thresh, "thresh")
    nthreads = _threads.for_size(src.size)
    if method == "otsu":
        thresh = otsu_threshold(src)
    elif method == "triangle":
        thresh = triangle_threshold(src)

    dst = np.empty_like(src)
    if src.dtype == np.float32:
        _threshold.thresh(src, dst, thresh, maxval, ttype, nthreads)
        return float(thresh), dst

    lo, hi = _LIMITS[src.dtype]
    ithresh = math.floor(thresh)
    imaxval = ithresh if ttype == 2 else _cv_round(maxval)
    imaxval = min(max(imaxval, lo), hi)
    if ithresh < lo or ithresh >= hi:
        # the threshold lies outside the dtype's range: every sample lands on the
        # same side, which OpenCV resolves to a constant image or a copy
        if (ttype in (0, 1) or (ttype in (2, 4) and ithresh < lo)
                or (ttype == 3 and ithresh >= hi)):
            if ttype == 0:
                value = 0 if ithresh >= hi else imaxval
            elif ttype == 1:
                value = imaxval if ithresh >= hi else 0
            else:
                value = 0
            dst.fill(value)
        else:
            np.copyto(dst, src)
        return float(ithresh), dst
    _threshold.thresh(src, dst, ithresh, imaxval, ttype, nthreads)
    return float(ithresh), dst


_FIXED_GAUSS = {
    1: [1.0], 3: [0.25, 0.5, 0.25], 5: [0.0625, 0.25, 0.375, 0.25, 0.0625],
    7: [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125],
    9: [v / 256.0 for v in (4, 13, 30, 51, 60, 51, 30, 13, 4)],
}


def _gaussian_taps(n):
    """cv2.getGaussianKernel(n, 0, CV_32F): OpenCV's fixed tables up to 9 taps, then
    sigma = 0.15 n + 0.35 (one rounding, as its fused multiply-add) and taps
    exp(-x^2 / (2 sigma^2)) normalised in double, cast to float32."""
    if n in _FIXED_GAUSS:
        return np.array(_FIXED_GAUSS[n], np.float32)
    sigma = float(Fraction(n) * Fraction(0.15) + Fraction(0.35))
    scale = -0.125 / (sigma * sigma)
    half = (n - 1) // 2
    values = [math.exp(float((1 - n + 2 * i) ** 2) * scale) for i in range(half)]
    total = 0.0
    for v in values:
        total += v
    total = total * 2.0 + 1.0
    inv = 1.0 / total
    taps = [v * inv for v in values]
    return np.array(taps + [inv] + taps[::-1], np.float32)


def adaptive_threshold(src, maxval, method, type, block_size, c):
    """Threshold each pixel against the mean of its neighbourhood, like cv2.adaptiveThreshold.

    The local mean (a box or Gaussian blur with replicated borders, rounded to
    uint8 exactly as OpenCV rounds it) and the comparison are fused into a single
    pass over the image; no intermediate image is built.

    Parameters
    ----------
    src : ndarray
        H×W (or H×W×1) uint8 image.
    maxval : float
        Value of the pixels that pass (saturated to uint8; a negative value gives an
        all-zero result, as in OpenCV).
    method : {"mean", "gaussian"}
        Box mean of the ``block_size × block_size`` block, or its Gaussian-weighted
        mean (sigma ``0.3 * ((block_size - 1) * 0.5 - 1) + 0.8``).
    type : {"binary", "binary_inv"}
        ``binary``: ``maxval`` where ``src > mean - c``; ``binary_inv``: the opposite.
    block_size : int
        Odd neighbourhood size, from 3 to 4095.
    c : float
        Constant subtracted from the mean (rounded up for ``binary``, down for
        ``binary_inv``, as OpenCV does).

    Returns
    -------
    dst : ndarray
        uint8 image of the shape of `src`.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.tile(np.array([10, 10, 200, 10, 10], np.uint8), (5, 1))
    >>> ocrkit.adaptive_threshold(img, 255, "mean", "binary", 3, 0)[2]
    array([  0,   0, 255,   0,   0], dtype=uint8)
    """
    src = _validate.image(src, dtypes=(np.uint8,), channels=(1,))
    maxval = _validate.real(maxval, "maxval")
    method = _validate.choice(method, ("mean", "gaussian"), "method")
    ttype = _validate.choice(type, ("binary", "binary_inv"), "type")
    # the C window sums are 32-bit: 255 * block_size**2 must stay below 2**32
    block_size = _validate.integer(block_size, "block_size", minimum=3, maximum=4095)
    if block_size % 2 == 0:
        raise ValueError(f"block_size must be odd, got {block_size}")
    c = _validate.real(c, "c")
    shape = src.shape
    img = src[:, :, 0] if src.ndim == 3 else src
    dst = np.empty(img.shape, np.uint8)
    if maxval < 0:
        dst.fill(0)
        return dst.reshape(shape)
    imaxval = min(max(_cv_round(maxval), 0), 255)
    inv = ttype == "binary_inv"
    idelta = math.floor(c) if inv else math.ceil(c)
    idelta = min(max(idelta, -1024), 1024)   # beyond ±256 the outcome no longer changes
    kern = _gaussian_taps(block_size) if method == "gaussian" else None
    _threshold.adaptive(img, dst, method == "gaussian", block_size, kern, idelta, imaxval,
                        int(inv), _threads.for_size(img.size))
    return dst.reshape(shape)
