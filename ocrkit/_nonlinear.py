"""Non-linear smoothing: median and bilateral filters (cv2.medianBlur, cv2.bilateralFilter).

The public names are re-exported by :mod:`ocrkit.filters`; this module holds their
argument checking and chooses the C kernel (``ocrkit._ext._median``,
``ocrkit._ext._bilateral``).
"""
import numpy as np

from . import _threads, _validate
from ._ext import _bilateral, _median

__all__ = ["median_blur", "bilateral_filter"]

_BILATERAL_BORDERS = ("constant", "replicate", "reflect", "reflect101")
# OpenCV 5 returns the source unchanged for sigmas at or below 1e-6 (OpenCV 4 used 1 instead)
_SIGMA_EPS = 1e-6


def median_blur(src, ksize):
    """Median filter over a ``ksize`` × ``ksize`` window, like ``cv2.medianBlur``.

    Parameters
    ----------
    src : numpy.ndarray
        H×W or H×W×C image, C in {1, 3, 4}; dtype uint8 for any ``ksize``,
        uint16 or float32 for ``ksize`` in {3, 5} (the sizes OpenCV allows). Any strides.
    ksize : int
        Odd window size >= 3, or 1 (a copy).

    Returns
    -------
    numpy.ndarray
        New array of ``src``'s shape and dtype.

    Raises
    ------
    TypeError
        ``src`` is not an array of an allowed dtype, or ``ksize`` is not an integer.
    ValueError
        ``ksize`` is even or < 1, or > 5 for a non-uint8 image; bad shape or empty image.

    Notes
    -----
    Borders replicate the edge pixels, as OpenCV does for every ``ksize``, so the
    result is bit-exact with OpenCV. ksize 3 and 5 use branch-free sorting networks
    over whole rows; larger windows use the Perreault–Hébert constant-time
    histogram method (cost per pixel independent of ``ksize``).

    Examples
    --------
    >>> import numpy as np
    >>> from ocrkit._nonlinear import median_blur
    >>> img = np.zeros((5, 5), np.uint8); img[2, 2] = 255   # salt noise
    >>> int(median_blur(img, 3)[2, 2])
    0
    """
    src = _validate.image(src, "src", dtypes=(np.uint8, np.uint16, np.float32))
    ksize = _validate.integer(ksize, "ksize", minimum=1)
    if ksize % 2 == 0:
        raise ValueError(f"ksize must be odd, got {ksize}")
    if ksize > 5 and src.dtype != np.uint8:
        raise ValueError(f"ksize > 5 needs a uint8 image (OpenCV's rule); got ksize={ksize} "
                         f"for a {src.dtype} image")
    if ksize == 1:
        return src.copy()
    src3 = _validate.as_3d(src)
    dst = np.empty_like(src3)
    nthreads = _threads.for_size(src3.size)
    if ksize <= 5:
        kernel = {np.dtype(np.uint8): _median.median_net_u8,
                  np.dtype(np.uint16): _median.median_net_u16,
                  np.dtype(np.float32): _median.median_net_f32}[src.dtype]
    else:
        kernel = _median.median_hist_u8
    kernel(src3, dst, ksize, nthreads)
    return dst.reshape(src.shape)


def _bilateral_radius(d, sigma_space):
    # OpenCV: d <= 0 → cvRound(sigma_space * 1.5); at least 1
    radius = int(np.rint(sigma_space * 1.5)) if d <= 0 else d // 2
    return max(radius, 1)


def bilateral_filter(src, d, sigma_color, sigma_space, *, border="reflect101"):
    """Edge-preserving bilateral filter, like ``cv2.bilateralFilter``.

    Each output pixel is the average of its neighbours inside a disc, weighted by
    ``exp(-r²/(2·sigma_space²))`` for the distance r and
    ``exp(-c²/(2·sigma_color²))`` for the colour difference c (the sum of absolute
    channel differences).

    Parameters
    ----------
    src : numpy.ndarray
        H×W or H×W×3 image (gray or BGR), dtype uint8 or float32. Any strides.
    d : int
        Diameter of the neighbourhood; ``d <= 0`` derives the radius from
        ``sigma_space`` (``round(1.5 * sigma_space)``), as OpenCV does.
    sigma_color : float
        Colour sigma (in pixel value units). As in OpenCV 5, a sigma <= 1e-6
        returns a copy of ``src`` (OpenCV 4 replaced it by 1).
    sigma_space : float
        Spatial sigma in pixels (same rule for values <= 1e-6).
    border : {"constant", "replicate", "reflect", "reflect101"}, optional
        How pixels outside the image are made up; "reflect101" (OpenCV's default)
        by default. "wrap" is not supported, as in OpenCV.

    Returns
    -------
    numpy.ndarray
        New array of ``src``'s shape and dtype.

    Raises
    ------
    TypeError
        ``src`` has a dtype other than uint8/float32, or an argument has the wrong type.
    ValueError
        ``src`` has 4 channels, a bad shape or is empty; a sigma is not finite; an
        unknown border.

    Notes
    -----
    Follows OpenCV's ``bilateral_filter.dispatch.cpp``: the radius rule, spatial
    weights only inside the circle of that radius, a float colour-weight table,
    float accumulation and ``cvRound(sum / wsum)`` for uint8. uint8 results match
    OpenCV's own code bit for bit except for rare 1-LSB rounding ties (OpenCV's AVX2
    build fuses multiply-adds). On x86, OpenCV sends 8-bit gray images with radius
    <= 2 and non-"reflect" borders to an Intel IPP routine that truncates instead of
    rounding; there about half the pixels differ from it by 1. float32 uses OpenCV's
    4096-bin interpolated table over the image's value range and matches to about
    1e-5 relative.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrkit._nonlinear import bilateral_filter
    >>> img = np.full((8, 8, 3), 100, np.uint8); img[:, 4:] = 200   # a sharp edge
    >>> out = bilateral_filter(img, 5, 20.0, 3.0)
    >>> int(out[0, 3, 0]), int(out[0, 4, 0])   # the edge survives
    (100, 200)
    """
    src = _validate.image(src, "src", dtypes=(np.uint8, np.float32), channels=(1, 3))
    d = _validate.integer(d, "d")
    sigma_color = _validate.real(sigma_color, "sigma_color")
    sigma_space = _validate.real(sigma_space, "sigma_space")
    code = _validate.border(border, "border", allowed=_BILATERAL_BORDERS)
    if sigma_color <= _SIGMA_EPS or sigma_space <= _SIGMA_EPS:
        return src.copy()
    radius = _bilateral_radius(d, sigma_space)
    src3 = _validate.as_3d(src)
    dst = np.empty_like(src3)
    nthreads = _threads.for_size(src3.size)
    if src.dtype == np.uint8:
        # the 8-bit path keeps the coefficients as float (OpenCV rounds them too)
        _bilateral.bilateral_u8(src3, dst, radius,
                                float(np.float32(-0.5 / (sigma_color * sigma_color))),
                                float(np.float32(-0.5 / (sigma_space * sigma_space))),
                                code, nthreads)
    else:
        finite = src3[np.isfinite(src3)]
        if finite.size == 0:
            return src.copy()
        lo, hi = float(finite.min()), float(finite.max())
        if code == _validate.BORDERS["constant"]:
            # OpenCV 5 takes the range of the bordered copy, zeros included
            lo, hi = min(lo, 0.0), max(hi, 0.0)
        if abs(lo - hi) < float(np.finfo(np.float32).eps):
            return src.copy()   # a flat image: OpenCV returns it unchanged
        _bilateral.bilateral_f32(src3, dst, radius, -0.5 / (sigma_color * sigma_color),
                                 -0.5 / (sigma_space * sigma_space), lo, hi, code, nthreads)
    return dst.reshape(src.shape)
