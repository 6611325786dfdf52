"""Filtering: convolution, box, Gaussian, derivatives, sharpening; median and bilateral.

Semantics, defaults and rounding follow OpenCV (``cv2.filter2D``,
``cv2.sepFilter2D``, ``cv2.boxFilter``, ``cv2.blur``, ``cv2.GaussianBlur``,
``cv2.Sobel``, ``cv2.Scharr``, ``cv2.Laplacian``). uint8 Gaussian and box
results are bit-exact with OpenCV; the others match it exactly whenever the
arithmetic is exact (integer kernels) and within 1 LSB otherwise.

Borders: ``{"constant", "replicate", "reflect", "reflect101", "wrap"}``;
``"reflect101"`` is OpenCV's BORDER_DEFAULT, ``"constant"`` pads with zeros.
``"wrap"`` is accepted everywhere here (OpenCV accepts it for uint8
GaussianBlur only).
"""
import numpy as np

from . import _threads
from . import _validate as V
from ._ext import _convolve as _c
from ._nonlinear import bilateral_filter, median_blur  # noqa: F401  (non-linear smoothing)

__all__ = [
    "filter2d",
    "sep_filter2d",
    "box_filter",
    "blur",
    "gaussian_blur",
    "get_gaussian_kernel",
    "sobel",
    "scharr",
    "laplacian",
    "unsharp_mask",
    "median_blur",
    "bilateral_filter",
]

_U8 = np.dtype(np.uint8)
_F32 = np.dtype(np.float32)
_OUT_FOR = {_U8: (np.uint8, np.int16, np.uint16, np.float32), _F32: (np.float32,)}
_I16_LIMIT = 32767 // 255   # sum|k| up to this keeps uint8 * kernel exact in int16


def _prepare(src, ddepth, dst, name="src"):
    """Checked source (C-contiguous) and the output array (fresh or the caller's dst)."""
    src = V.image(src, name)
    out_dtype = V.ddepth(ddepth, src.dtype, _OUT_FOR[src.dtype])
    out = V.output(dst, src.shape, out_dtype)
    return src, out


def _run_sep(src, out, kx, ky, ax, ay, delta, border):
    """Separable filter with float kernels: the exact int16 path when the sums are
    integers that fit, else float arithmetic as OpenCV's float engine."""
    s3, o3 = V.as_3d(src), V.as_3d(out)
    nt = _threads.for_size(src.size)
    kx = np.asarray(kx, np.float64).ravel()
    ky = np.asarray(ky, np.float64).ravel()
    if (src.dtype == _U8 and _is_int(kx) and _is_int(ky)
            and np.abs(kx).sum() * np.abs(ky).sum() <= _I16_LIMIT and float(delta).is_integer()):
        _c.sep_filter_i16(s3, o3, kx.astype(np.int16), ax, ky.astype(np.int16), ay,
                          float(delta), border, nt)
    else:
        _c.sep_filter_f32(s3, o3, kx.astype(np.float32), ax, ky.astype(np.float32), ay,
                          float(delta), border, nt)
    return out


def _is_int(k):
    return bool(np.all(k == np.round(k)))


def filter2d(src, kernel, *, anchor=None, delta=0.0, border="reflect101", ddepth=None, dst=None):
    """Convolve an image with a 2-D kernel (correlation, as ``cv2.filter2D``).

    Parameters
    ----------
    src : ndarray
        H×W or H×W×C image (C in {1, 3, 4}), uint8 or float32, any strides.
    kernel : array_like
        2-D kernel, rows = height (a 1-D kernel is one row). Not flipped.
    anchor : (x, y) or None
        Kernel point that lands on the output pixel; None or (-1, -1) = centre.
    delta : float
        Added to every result before rounding.
    border : {"constant", "replicate", "reflect", "reflect101", "wrap"}
        How pixels outside the image are made ("constant" is zero).
    ddepth : {None, np.uint8, np.int16, np.uint16, np.float32}
        Output dtype; None keeps the source's. A float32 source gives float32.
    dst : ndarray, optional
        Output array of the right shape and dtype to write into.

    Returns
    -------
    ndarray
        Filtered image, same shape as `src`; integer outputs are rounded to
        nearest (ties to even) and saturated.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.arange(25, dtype=np.uint8).reshape(5, 5)
    >>> sharpen = [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]
    >>> ocrkit.filter2d(img, sharpen)[2, 2]
    12
    """
    k = V.kernel_array(kernel)
    src, out = _prepare(src, ddepth, dst)
    kh, kw = k.shape
    ax, ay = V.point(anchor, "anchor", (kw, kh))
    delta = V.real(delta, "delta")
    b = V.border(border)
    s3, o3 = V.as_3d(src), V.as_3d(out)
    nt = _threads.for_size(src.size)
    if src.dtype == _U8 and _is_int(k) and np.abs(k).sum() <= _I16_LIMIT and delta.is_integer():
        _c.filter2d_i16(s3, o3, np.ascontiguousarray(k, np.int16), ax, ay, delta, b, nt)
    else:
        _c.filter2d_f32(s3, o3, np.ascontiguousarray(k, np.float32), ax, ay, delta, b, nt)
    return out


def _kernel_1d(k, name):
    k = V.kernel_array(k, name)
    if k.shape[0] != 1 and k.shape[1] != 1:
        raise ValueError(f"{name} must be 1-D (a row or a column), got shape {k.shape}")
    return k.ravel()


def _kernel_flags(k, anchor):
    """OpenCV's getKernelType: (smooth, symmetric) for a 1-D kernel."""
    symmetric = anchor * 2 + 1 == k.size and bool(np.all(k == k[::-1]))
    s = float(k.sum())
    smooth = bool(np.all(k >= 0)) and abs(s - 1) <= np.finfo(np.float32).eps * (abs(s) + 1)
    return smooth, symmetric


def sep_filter2d(src, kernel_x, kernel_y, *, anchor=None, delta=0.0, border="reflect101",
                 ddepth=None, dst=None):
    """Separable filter: each row with `kernel_x`, then each column with `kernel_y`
    (``cv2.sepFilter2D``).

    Parameters
    ----------
    src : ndarray
        H×W or H×W×C image, uint8 or float32.
    kernel_x, kernel_y : array_like
        1-D kernels (any odd or even length).
    anchor : (x, y) or None
        Anchor within (kernel_x, kernel_y); None = centres.
    delta : float
        Added to every result.
    border : {"constant", "replicate", "reflect", "reflect101", "wrap"}
    ddepth : {None, np.uint8, np.int16, np.uint16, np.float32}
    dst : ndarray, optional

    Notes
    -----
    For uint8 → uint8 with smoothing kernels (non-negative, summing to 1,
    symmetric about a centred anchor) OpenCV rounds each kernel to 8 fractional
    bits and works in fixed point; ocrkit does the same, so results are
    bit-exact.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.zeros((5, 5), np.uint8); img[2, 2] = 255
    >>> ocrkit.sep_filter2d(img, [0.25, 0.5, 0.25], [0.25, 0.5, 0.25])[2, 1:4]
    array([32, 64, 32], dtype=uint8)
    """
    kx = _kernel_1d(kernel_x, "kernel_x")
    ky = _kernel_1d(kernel_y, "kernel_y")
    src, out = _prepare(src, ddepth, dst)
    ax, ay = V.point(anchor, "anchor", (kx.size, ky.size))
    delta = V.real(delta, "delta")
    b = V.border(border)
    if src.dtype == _U8 and out.dtype == _U8:
        sx, symx = _kernel_flags(kx, ax)
        sy, symy = _kernel_flags(ky, ay)
        if sx and symx and sy and symy:
            qx = np.rint(kx * 256).astype(np.int64)   # convertTo: round half to even
            qy = np.rint(ky * 256).astype(np.int64)
            # only taps that still sum to 1 in Q8: OpenCV 5 filters other
            # smoothing kernels in float, and Q8 taps summing to 257/256 would
            # scale the image by that much (2+ LSB off at white)
            if qx.sum() == 256 and qy.sum() == 256:
                qx, ax = _trim_zero_taps(qx, ax)
                qy, ay = _trim_zero_taps(qy, ay)
                _c.sep_filter_q8(V.as_3d(src), V.as_3d(out), qx.astype(np.uint16), ax,
                                 qy.astype(np.uint16), ay, int(np.rint(delta * 65536)), b,
                                 _threads.for_size(src.size))
                return out
    return _run_sep(src, out, kx, ky, ax, ay, delta, b)


def box_filter(src, ksize, *, normalize=True, anchor=None, border="reflect101", ddepth=None,
               dst=None):
    """Sum (or mean, when `normalize`) over a ksize window (``cv2.boxFilter``).

    Parameters
    ----------
    src : ndarray
        H×W or H×W×C image, uint8 or float32.
    ksize : int or (width, height)
        Window size, each side >= 1 (even sizes allowed).
    normalize : bool
        Divide by the window area (a mean filter); otherwise plain sums,
        saturated to the output type.
    anchor : (x, y) or None
    border : {"constant", "replicate", "reflect", "reflect101", "wrap"}
    ddepth : {None, np.uint8, np.int16, np.uint16, np.float32}
    dst : ndarray, optional

    Notes
    -----
    uint8 means are bit-exact with OpenCV: for areas up to 256 it divides in
    fixed point, ``(s + d) * m >> 23`` with ``m ≈ 2^23 / area``.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> ocrkit.box_filter(np.full((4, 4), 9, np.uint8), 3)[0, 0]
    9
    """
    kw, kh = V.size_pair(ksize, "ksize")
    src, out = _prepare(src, ddepth, dst)
    ax, ay = V.point(anchor, "anchor", (kw, kh))
    b = V.border(border)
    if src.dtype == _U8 and kw * 255 < 2 ** 31 // max(kh, 1):
        _c.box_u8(V.as_3d(src), V.as_3d(out), kw, kh, ax, ay, bool(normalize), b,
                  _threads.for_size(src.size))
        return out
    scale = 1.0 / (kw * kh) if normalize else 1.0
    _c.sep_filter_f32(V.as_3d(src), V.as_3d(out), np.ones(kw, np.float32), ax,
                      np.full(kh, scale, np.float32), ay, 0.0, b, _threads.get_num_threads())
    return out


def blur(src, ksize, *, anchor=None, border="reflect101", dst=None):
    """Mean filter over a ksize window: ``box_filter(src, ksize, normalize=True)``
    (``cv2.blur``).

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> ocrkit.blur(np.full((3, 3), 7, np.uint8), (3, 3))[1, 1]
    7
    """
    return box_filter(src, ksize, normalize=True, anchor=anchor, border=border, dst=dst)


# --- Gaussian ---------------------------------------------------------------

# OpenCV's fixed tables for sigma <= 0 and small sizes (getGaussianKernelBitExact)
_SMALL_GAUSS = {
    1: [1.0],
    3: [0.25, 0.5, 0.25],
    5: [0.0625, 0.25, 0.375, 0.25, 0.0625],
    7: [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125],
    9: [4 / 256, 13 / 256, 30 / 256, 51 / 256, 60 / 256, 51 / 256, 30 / 256, 13 / 256, 4 / 256],
}


def _gauss_taps(n, sigma):
    """Normalised Gaussian taps in double, computed as OpenCV does."""
    if sigma <= 0 and n in _SMALL_GAUSS:
        return np.array(_SMALL_GAUSS[n], np.float64)
    if sigma <= 0:
        sigma = n * 0.15 + 0.35        # ((n-1)*0.5 - 1)*0.3 + 0.8
    scale2x = -0.125 / (sigma * sigma)
    half = (n - 1) // 2
    x = np.arange(1 - n, 1 - n + 2 * half, 2, dtype=np.float64)
    values = np.exp(x * x * scale2x)
    total = values.sum() * 2 + 1.0 + (1.0 if n % 2 == 0 else 0.0)
    k = np.empty(n, np.float64)
    k[:half] = values / total
    k[n - half:] = k[:half][::-1]
    k[half:n - half] = 1.0 / total
    return k


def _trim_zero_taps(q, anchor):
    """Drop outer taps that quantised to 0 (sigma=3 loses 2 of its 19): they
    add nothing, and every tap costs a pass over the row."""
    nz = np.flatnonzero(q)
    if nz.size == 0:
        return q, anchor
    lo, hi = int(nz[0]), int(nz[-1]) + 1
    if not lo <= anchor < hi:
        return q, anchor
    return q[lo:hi], anchor - lo


def _gauss_q8(k):
    """Quantise taps to 8 fractional bits by error diffusion from the outside in;
    the centre tap takes the rest so the taps sum to exactly 256."""
    n = k.size
    q = np.empty(n, np.int64)
    err, total = 0.0, 0
    for i in range(n // 2):
        v = k[i] * 256.0 + err
        r = int(np.rint(v))
        err = v - r
        q[i] = q[n - 1 - i] = r
        total += r
    q[n // 2] = 256 - 2 * total
    return q


def get_gaussian_kernel(ksize, sigma, dtype=np.float64):
    """Gaussian filter taps, as ``cv2.getGaussianKernel`` (shape ksize×1).

    Parameters
    ----------
    ksize : int
        Positive number of taps.
    sigma : float
        Standard deviation; <= 0 means ``0.3*((ksize-1)*0.5 - 1) + 0.8``
        (and OpenCV's fixed binomial tables for ksize 3, 5, 7, 9).
    dtype : {np.float64, np.float32}

    Examples
    --------
    >>> import ocrkit
    >>> ocrkit.get_gaussian_kernel(3, 0).ravel()
    array([0.25, 0.5 , 0.25])
    """
    n = V.integer(ksize, "ksize", minimum=1)
    sigma = V.real(sigma, "sigma")
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise ValueError(f"dtype must be float32 or float64, got {dt}")
    return _gauss_taps(n, sigma).astype(dt).reshape(n, 1)


def gaussian_blur(src, ksize, sigma_x, sigma_y=0.0, *, border="reflect101", dst=None):
    """Gaussian smoothing (``cv2.GaussianBlur``).

    Parameters
    ----------
    src : ndarray
        H×W or H×W×C image, uint8 or float32.
    ksize : int or (width, height)
        Odd positive sizes, or 0 to derive a side from its sigma
        (uint8: ``round(6*sigma + 1) | 1``; float32: ``round(8*sigma + 1) | 1``).
    sigma_x : float
        Horizontal standard deviation; <= 0 derives it from the size.
    sigma_y : float
        Vertical standard deviation; 0 means equal to `sigma_x`.
    border : {"constant", "replicate", "reflect", "reflect101", "wrap"}
    dst : ndarray, optional

    Notes
    -----
    uint8 is bit-exact with OpenCV: taps quantised to 8 fractional bits by
    error diffusion, a 16-bit horizontal pass and a 32-bit vertical pass with
    one rounding at the end.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.zeros((5, 5), np.uint8); img[2, 2] = 255
    >>> ocrkit.gaussian_blur(img, (3, 3), 0)[1:4, 2]
    array([32, 64, 32], dtype=uint8)
    """
    kw, kh = V.size_pair(ksize, "ksize", odd=True, allow_zero=True)
    sx = V.real(sigma_x, "sigma_x")
    sy = V.real(sigma_y, "sigma_y")
    src, out = _prepare(src, None, dst)
    b = V.border(border)
    if sy <= 0:
        sy = sx
    per_side = 3 if src.dtype == _U8 else 4
    if kw <= 0:
        if sx <= 0:
            raise ValueError("ksize width is 0 and sigma_x <= 0: give a kernel size or a sigma")
        kw = int(np.rint(sx * per_side * 2 + 1)) | 1
    if kh <= 0:
        if sy <= 0:
            raise ValueError("ksize height is 0 and sigma_y <= 0: give a kernel size or a sigma")
        kh = int(np.rint(sy * per_side * 2 + 1)) | 1
    if b != V.BORDERS["constant"]:
        # a single row or column: OpenCV does not smooth across it
        if src.shape[0] == 1:
            kh = 1
        if src.shape[1] == 1:
            kw = 1
    if kw == 1 and kh == 1:
        out[...] = src
        return out
    tx = _gauss_taps(kw, max(sx, 0.0))
    ty = tx if (kh == kw and abs(sx - sy) < 2.2e-16) else _gauss_taps(kh, max(sy, 0.0))
    nt = _threads.for_size(src.size)
    if src.dtype == _U8:
        qx, ax = _trim_zero_taps(_gauss_q8(tx), kw // 2)
        qy, ay = _trim_zero_taps(_gauss_q8(ty), kh // 2)
        _c.sep_filter_q8(V.as_3d(src), V.as_3d(out), qx.astype(np.uint16), ax,
                         qy.astype(np.uint16), ay, 0, b, nt)
    else:
        _c.sep_filter_f32(V.as_3d(src), V.as_3d(out), tx.astype(np.float32), kw // 2,
                          ty.astype(np.float32), kh // 2, 0.0, b, nt)
    return out


# --- derivatives ------------------------------------------------------------

def _sobel_taps(ksize, order):
    """OpenCV's getSobelKernels taps (unnormalised integers) for one axis."""
    if ksize == 1:
        return np.array([1.0])
    if ksize == 3:
        return np.array([[1, 2, 1], [-1, 0, 1], [1, -2, 1]][order], np.float64)
    k = np.zeros(ksize + 1, np.int64)
    k[0] = 1
    for _ in range(ksize - order - 1):          # smoothing: convolve with [1, 1]
        k[1:] = k[1:] + k[:-1]
    for _ in range(order):                      # differencing: convolve with [-1, 1]
        k = np.concatenate(([-k[0]], k[:-1] - k[1:]))
    return k[:ksize].astype(np.float64)


def _deriv_kernels(dx, dy, ksize):
    if ksize == -1:   # Scharr
        taps = {0: np.array([3.0, 10.0, 3.0]), 1: np.array([-1.0, 0.0, 1.0])}
        return taps[dx], taps[dy]
    kx_size = 3 if (ksize == 1 and dx > 0) else ksize
    ky_size = 3 if (ksize == 1 and dy > 0) else ksize
    return _sobel_taps(kx_size, dx), _sobel_taps(ky_size, dy)


def _derivative(src, dx, dy, ksize, scale, delta, border, ddepth, dst):
    scale = V.real(scale, "scale")
    delta = V.real(delta, "delta")
    src, out = _prepare(src, ddepth, dst)
    b = V.border(border)
    kx, ky = _deriv_kernels(dx, dy, ksize)
    if scale != 1:
        # OpenCV scales the smoothing part, which is the cheaper one to get wrong
        if dx == 0:
            kx = kx * scale
        else:
            ky = ky * scale
    return _run_sep(src, out, kx, ky, kx.size // 2, ky.size // 2, delta, b)


def sobel(src, dx, dy, ksize=3, *, scale=1.0, delta=0.0, border="reflect101", ddepth=None,
          dst=None):
    """Image derivative of order (dx, dy) with Sobel's smoothing (``cv2.Sobel``).

    Parameters
    ----------
    src : ndarray
        H×W or H×W×C image, uint8 or float32.
    dx, dy : int
        Derivative orders, >= 0, not both 0, each < ksize (ksize 1 allows up to 2).
    ksize : {-1, 1, 3, 5, ..., 31}
        Kernel size; 1 means a 3-tap difference without smoothing, -1 Scharr.
    scale, delta : float
        Result = scale * derivative + delta.
    border : {"constant", "replicate", "reflect", "reflect101", "wrap"}
    ddepth : {None, np.uint8, np.int16, np.uint16, np.float32}
        Use np.int16 or np.float32 for uint8 input, or negative slopes saturate to 0.
    dst : ndarray, optional

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.tile(np.arange(5, dtype=np.uint8) * 10, (3, 1))
    >>> ocrkit.sobel(img, 1, 0, ddepth=np.int16)[1, 2]
    80
    """
    dx = V.integer(dx, "dx", minimum=0)
    dy = V.integer(dy, "dy", minimum=0)
    ksize = V.integer(ksize, "ksize")
    if dx + dy == 0:
        raise ValueError("dx and dy must not both be 0")
    if ksize == -1:
        if dx + dy != 1:
            raise ValueError("ksize=-1 (Scharr) needs dx + dy == 1")
    else:
        if ksize < 1 or ksize % 2 == 0 or ksize > 31:
            raise ValueError(f"ksize must be -1 or odd in 1..31, got {ksize}")
        limit = 3 if ksize == 1 else ksize
        if dx >= limit or dy >= limit:
            raise ValueError(f"derivative orders (dx={dx}, dy={dy}) must be < {limit} for ksize={ksize}")
    return _derivative(src, dx, dy, ksize, scale, delta, border, ddepth, dst)


def scharr(src, dx, dy, *, scale=1.0, delta=0.0, border="reflect101", ddepth=None, dst=None):
    """First derivative with the 3×3 Scharr kernel (``cv2.Scharr``); dx + dy must be 1.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.tile(np.arange(5, dtype=np.uint8) * 10, (3, 1))
    >>> ocrkit.scharr(img, 1, 0, ddepth=np.int16)[1, 2]
    320
    """
    dx = V.integer(dx, "dx", minimum=0)
    dy = V.integer(dy, "dy", minimum=0)
    if dx + dy != 1:
        raise ValueError(f"scharr needs dx + dy == 1, got dx={dx}, dy={dy}")
    return _derivative(src, dx, dy, -1, scale, delta, border, ddepth, dst)


def laplacian(src, ksize=1, *, scale=1.0, delta=0.0, border="reflect101", ddepth=None, dst=None):
    """Laplacian d²/dx² + d²/dy² (``cv2.Laplacian``).

    Parameters
    ----------
    src : ndarray
        H×W or H×W×C image, uint8 or float32.
    ksize : {1, 3, 5, ..., 31}
        1 uses the 3×3 kernel [[0,1,0],[1,-4,1],[0,1,0]]; 3 uses
        [[2,0,2],[0,-8,0],[2,0,2]]; larger sizes sum two Sobel second derivatives.
    scale, delta : float
    border : {"constant", "replicate", "reflect", "reflect101", "wrap"}
    ddepth : {None, np.uint8, np.int16, np.uint16, np.float32}
    dst : ndarray, optional

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.zeros((3, 3), np.uint8); img[1, 1] = 10
    >>> ocrkit.laplacian(img, ddepth=np.int16)[1, 1]
    -40
    """
    ksize = V.integer(ksize, "ksize")
    if ksize < 1 or ksize % 2 == 0 or ksize > 31:
        raise ValueError(f"ksize must be odd in 1..31, got {ksize}")
    scale = V.real(scale, "scale")
    delta = V.real(delta, "delta")
    if ksize in (1, 3):
        k = (np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], np.float64) if ksize == 1
             else np.array([[2, 0, 2], [0, -8, 0], [2, 0, 2]], np.float64))
        if scale != 1:
            k = (k * scale).astype(np.float32).astype(np.float64)   # OpenCV scales a float kernel
        return filter2d(src, k, delta=delta, border=border, ddepth=ddepth, dst=dst)
    src, out = _prepare(src, ddepth, dst)
    b = V.border(border)
    kd, ks = _sobel_taps(ksize, 2), _sobel_taps(ksize, 0)
    work = np.empty(src.shape, np.float32)
    d2x = _run_sep(src, work, kd, ks, ksize // 2, ksize // 2, 0.0, b)
    d2y = _run_sep(src, np.empty_like(work), ks, kd, ksize // 2, ksize // 2, 0.0, b)
    total = d2x + d2y
    return _convert(total, out, scale, delta)


def _convert(values, out, scale=1.0, delta=0.0):
    """Float values → out's dtype as OpenCV's convertTo (round half to even, saturate)."""
    v = values.astype(np.float32)
    if scale != 1 or delta != 0:
        v = v * np.float32(scale) + np.float32(delta)
    if out.dtype == _F32:
        out[...] = v
    else:
        info = np.iinfo(out.dtype)
        out[...] = np.clip(np.rint(v), info.min, info.max)
    return out


def unsharp_mask(src, sigma, amount, threshold=0):
    """Sharpen by adding back the detail a Gaussian blur removes:
    ``src + amount * (src - gaussian_blur(src, 0, sigma))``.

    Parameters
    ----------
    src : ndarray
        H×W or H×W×C image, uint8 or float32.
    sigma : float
        Blur standard deviation (> 0); the kernel size follows from it.
    amount : float
        Strength; 1.0 doubles the local contrast of fine detail.
    threshold : float
        Pixels whose detail ``|src - blurred|`` is below this are left as they
        were (keeps flat areas and noise from being sharpened).

    Returns
    -------
    ndarray
        Same dtype as `src`; uint8 results rounded to nearest and saturated.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.full((5, 5), 100, np.uint8); img[2, 2] = 150
    >>> int(ocrkit.unsharp_mask(img, 1.0, 1.0)[2, 2]) > 150
    True
    """
    sigma = V.real(sigma, "sigma")
    if sigma <= 0:
        raise ValueError(f"sigma must be > 0, got {sigma}")
    amount = V.real(amount, "amount")
    threshold = V.real(threshold, "threshold")
    if threshold < 0:
        raise ValueError(f"threshold must be >= 0, got {threshold}")
    src = V.image(src, "src")
    blurred = gaussian_blur(src, 0, sigma)
    if src.dtype == _U8:
        out = np.empty_like(src)
        _c.unsharp_u8(src.reshape(-1), blurred.reshape(-1), out.reshape(-1), amount, threshold,
                      _threads.for_size(src.size))
        return out
    s = src.astype(np.float32)
    detail = s - blurred.astype(np.float32)
    sharp = s + np.float32(amount) * detail
    if threshold > 0:
        sharp = np.where(np.abs(detail) < threshold, s, sharp)
    return _convert(sharp, np.empty_like(src))
