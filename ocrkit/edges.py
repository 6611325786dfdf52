"""Edge detection: Canny, bit-exact with ``cv2.Canny``.

Both entry points follow OpenCV's arithmetic exactly: Sobel gradients to int16
with replicated borders, the L1 (or squared L2) magnitude compared against the
floored (squared) thresholds, the Q15 tangent test for the gradient direction,
OpenCV's non-maximum suppression tie rules, and hysteresis that keeps every weak
pixel 8-connected to a strong one.
"""
import math

import numpy as np

from . import _threads
from . import _validate as V
from ._ext import _canny as _c

__all__ = ["canny", "canny_from_gradients"]

_INT_MIN, _INT_MAX = -(2 ** 31), 2 ** 31 - 1


def _thresholds(threshold1, threshold2, l2_gradient, aperture_size=3):
    """OpenCV's integer thresholds (low, high) from the two user thresholds."""
    low = V.real(threshold1, "threshold1")
    high = V.real(threshold2, "threshold2")
    if aperture_size == 7:
        # OpenCV computes aperture-7 gradients with scale 1/16 (they would overflow
        # int16) and scales the thresholds alike.
        low, high = low / 16.0, high / 16.0
    if low > high:
        low, high = high, low
    if l2_gradient:
        low, high = min(32767.0, low), min(32767.0, high)
        if low > 0:
            low *= low
        if high > 0:
            high *= high

    def to_int(t):
        # floor, saturated to int: OpenCV 5.1 does so (a threshold of 1e12 means
        # no edge). OpenCV <= 5.0 cast out-of-range values to INT_MIN on x86,
        # which turned a huge threshold into "everything is an edge".
        return int(max(_INT_MIN, min(_INT_MAX, math.floor(t))))

    return to_int(low), to_int(high)


def canny(src, threshold1, threshold2, *, aperture_size=3, l2_gradient=False):
    """Canny edge map of a uint8 image (``cv2.Canny(src, t1, t2, apertureSize, L2gradient)``).

    Parameters
    ----------
    src : ndarray
        H×W uint8 image, or H×W×C (C = 3 or 4): per pixel the channel with the
        largest gradient magnitude decides, as in OpenCV.
    threshold1, threshold2 : float
        Hysteresis thresholds, in either order: the smaller one admits weak edge
        pixels, the larger one seeds edges.
    aperture_size : {3, 5, 7}
        Sobel aperture.
    l2_gradient : bool
        Use sqrt(dx² + dy²) (compared squared) instead of |dx| + |dy|.

    Returns
    -------
    edges : ndarray
        H×W uint8, 255 on edges and 0 elsewhere.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.zeros((8, 8), np.uint8)
    >>> img[:, 4:] = 200
    >>> ocrkit.canny(img, 100, 200)[:, 3:5].max(axis=0).tolist()
    [255, 0]
    """
    src = V.image(src, "src", dtypes=(np.uint8,), channels=(1, 3, 4))
    aperture_size = V.integer(aperture_size, "aperture_size")
    if aperture_size not in (3, 5, 7):
        raise ValueError(f"aperture_size must be one of {{3, 5, 7}}, got {aperture_size}")
    l2 = bool(l2_gradient)
    low, high = _thresholds(threshold1, threshold2, l2, aperture_size)
    dst = np.empty(src.shape[:2], np.uint8)
    _c.canny_u8(V.as_3d(src), dst, aperture_size, l2, low, high, _threads.for_size(src.size))
    return dst


def canny_from_gradients(dx, dy, threshold1, threshold2, *, l2_gradient=False):
    """Canny edge map from given derivatives (the ``cv2.Canny(dx, dy, t1, t2, L2gradient)`` overload).

    Parameters
    ----------
    dx, dy : ndarray
        int16 derivatives in x and y, both H×W or both H×W×3.
    threshold1, threshold2 : float
        Hysteresis thresholds, in either order.
    l2_gradient : bool
        Use sqrt(dx² + dy²) (compared squared) instead of |dx| + |dy|.

    Returns
    -------
    edges : ndarray
        H×W uint8, 255 on edges and 0 elsewhere.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.zeros((8, 8), np.uint8)
    >>> img[:, 4:] = 200
    >>> gx = ocrkit.sobel(img, 1, 0, border="replicate", ddepth=np.int16)
    >>> gy = ocrkit.sobel(img, 0, 1, border="replicate", ddepth=np.int16)
    >>> bool((ocrkit.canny_from_gradients(gx, gy, 100, 200) == ocrkit.canny(img, 100, 200)).all())
    True
    """
    dx = V.image(dx, "dx", dtypes=(np.int16,), channels=(1, 3))
    dy = V.image(dy, "dy", dtypes=(np.int16,), channels=(1, 3))
    if dx.shape != dy.shape:
        raise ValueError(f"dx and dy must have the same shape, got {dx.shape} and {dy.shape}")
    l2 = bool(l2_gradient)
    low, high = _thresholds(threshold1, threshold2, l2)
    dst = np.empty(dx.shape[:2], np.uint8)
    _c.canny_grad(V.as_3d(dx), V.as_3d(dy), dst, l2, low, high, _threads.for_size(dx.size))
    return dst
