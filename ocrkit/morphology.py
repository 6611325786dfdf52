"""Erosion, dilation and the morphology family; median and bilateral live in filters.

Results match ``cv2.getStructuringElement``, ``cv2.erode``, ``cv2.dilate`` and
``cv2.morphologyEx`` bit for bit (min and max are exact), including OpenCV's
default border (the border never wins), its iterations shortcut for
rectangular elements and its saturating differences for gradient/top-hat.
"""
import math
import numbers

import numpy as np

from . import _threads
from . import _validate as _v
from ._ext import _morphology

__all__ = ["get_structuring_element", "erode", "dilate", "morphology_ex"]

_SHAPES = ("rect", "cross", "ellipse")
_OPS = ("erode", "dilate", "open", "close", "gradient", "tophat", "blackhat", "hitmiss")
_DTYPES = (np.uint8, np.uint16, np.int16, np.float32, np.float64)
# morphologyDefaultBorderValue() cast to each dtype: (erode, dilate) values
# that never win, the type's largest and smallest finite values
# (read-only arrays, shared between calls)
def _default_borders():
    table = {}
    for t in _DTYPES:
        info = np.iinfo(t) if np.issubdtype(t, np.integer) else np.finfo(t)
        lo = info.min if np.issubdtype(t, np.integer) else -info.max
        for cn in (1, 3, 4):
            pair = (np.full(cn, info.max, t), np.full(cn, lo, t))
            for a in pair:
                a.flags.writeable = False
            table[np.dtype(t), cn] = pair
    return table


_DEFAULT_BORDER = _default_borders()
# OpenCV's morphology filters reject BORDER_WRAP
_BORDERS = ("constant", "replicate", "reflect", "reflect101")


def get_structuring_element(shape, ksize, anchor=None):
    """Structuring element for :func:`erode`, :func:`dilate` and :func:`morphology_ex`.

    Parameters
    ----------
    shape : {"rect", "cross", "ellipse"}
        Filled rectangle; cross through the anchor; ellipse inscribed in the box.
    ksize : int or (int, int)
        Element size as (width, height); each at least 1.
    anchor : (int, int), optional
        Anchor (x, y); only moves the centre of the "cross". None or -1
        coordinates mean the centre.

    Returns
    -------
    numpy.ndarray
        uint8 array of 0 and 1 with shape (height, width), as
        ``cv2.getStructuringElement``.

    Examples
    --------
    >>> import ocrkit
    >>> ocrkit.get_structuring_element("cross", (3, 3)).tolist()
    [[0, 1, 0], [1, 1, 1], [0, 1, 0]]
    """
    shape = _v.choice(shape, _SHAPES, "shape")
    w, h = _v.size_pair(ksize, "ksize", minimum=1)
    ax, ay = _v.point(anchor, "anchor", (w, h))
    if (w, h) == (1, 1):
        shape = "rect"
    elem = np.zeros((h, w), np.uint8)
    if shape == "rect":
        elem[:] = 1
    elif shape == "cross":
        elem[ay, :] = 1
        elem[:, ax] = 1
    else:
        r, c = h // 2, w // 2
        inv_r2 = 1.0 / (r * r) if r else 0.0
        for i in range(h):
            dy = i - r
            if abs(dy) <= r:
                # saturate_cast<int>(double) rounds half to even, as np.rint does
                dx = int(np.rint(c * math.sqrt((r * r - dy * dy) * inv_r2)))
                elem[i, max(c - dx, 0):min(c + dx + 1, w)] = 1
    return elem


def erode(src, kernel=None, *, anchor=None, iterations=1, border="constant", border_value=None):
    """Erode an image: each pixel becomes the minimum over the structuring element.

    Parameters
    ----------
    src : numpy.ndarray
        H×W or H×W×C image (C = 1, 3 or 4), dtype uint8, uint16, int16, float32
        or float64, any strides.
    kernel : array_like, optional
        2-D structuring element of 0 and 1 (or booleans) with at least one 1,
        e.g. from :func:`get_structuring_element`. None means a 3×3 rectangle;
        as in OpenCV its anchor is then always the centre.
    anchor : (int, int), optional
        Position (x, y) of the anchor inside the kernel; None or -1 coordinates
        mean the centre.
    iterations : int
        How many times to erode (at least 1). A fully set kernel is applied
        once, enlarged to the equivalent size, as OpenCV does.
    border : {"constant", "replicate", "reflect", "reflect101"}
        How pixels outside the image are formed ("wrap" is not supported by
        OpenCV's morphology either).
    border_value : float or sequence of float, optional
        Value outside the image for ``border="constant"``: one number for all
        channels or one per channel, cast to the image dtype as OpenCV does
        (rounded half to even and saturated for integer images). None means
        the border never wins (the dtype's maximum for erosion).

    Returns
    -------
    numpy.ndarray
        New array with the shape and dtype of `src`.

    Notes
    -----
    Equals ``cv2.erode(src, kernel, anchor=anchor, iterations=iterations,
    borderType=..., borderValue=...)``. A single ``border_value`` applies to
    every channel (``cv2`` would take a lone number as the first channel only).
    Float images holding NaN are outside the parity promise: which operand a
    min/max with NaN returns depends on evaluation order, in OpenCV too.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.zeros((5, 5), np.uint8); img[1:4, 1:4] = 255
    >>> ocrkit.erode(img)[2].tolist()
    [0, 0, 255, 0, 0]
    """
    return _erode_dilate(src, kernel, anchor, iterations, border, border_value, dilate=False)


def dilate(src, kernel=None, *, anchor=None, iterations=1, border="constant", border_value=None):
    """Dilate an image: each pixel becomes the maximum over the structuring element.

    Parameters and behaviour are those of :func:`erode` with the maximum in
    place of the minimum; a None ``border_value`` means the dtype's minimum
    (the border never wins).

    Parameters
    ----------
    src : numpy.ndarray
        H×W or H×W×C image (C = 1, 3 or 4), dtype uint8, uint16, int16, float32
        or float64.
    kernel : array_like, optional
        2-D 0/1 structuring element; None means a 3×3 rectangle (anchored at
        its centre whatever `anchor` says, as OpenCV).
    anchor : (int, int), optional
        Anchor (x, y) inside the kernel; None means the centre.
    iterations : int
        How many times to dilate (at least 1).
    border : {"constant", "replicate", "reflect", "reflect101"}
        Border mode.
    border_value : float or sequence of float, optional
        Constant border value(s); None means the border never wins.

    Returns
    -------
    numpy.ndarray
        New array with the shape and dtype of `src`.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.zeros((5, 5), np.uint8); img[2, 2] = 9
    >>> ocrkit.dilate(img, ocrkit.get_structuring_element("cross", 3))[1].tolist()
    [0, 0, 9, 0, 0]
    """
    return _erode_dilate(src, kernel, anchor, iterations, border, border_value, dilate=True)


def morphology_ex(src, op, kernel=None, *, anchor=None, iterations=1, border="constant",
                  border_value=None):
    """Compound morphology: opening, closing, gradient, top-hat, black-hat, hit-or-miss.

    Parameters
    ----------
    src : numpy.ndarray
        H×W or H×W×C image (C = 1, 3 or 4), dtype uint8, uint16, int16, float32
        or float64; "hitmiss" takes single-channel uint8 only.
    op : {"erode", "dilate", "open", "close", "gradient", "tophat", "blackhat", "hitmiss"}
        open = dilate(erode(src)), close = erode(dilate(src)),
        gradient = dilate(src) - erode(src), tophat = src - open,
        blackhat = close - src (differences saturate for integer dtypes);
        hitmiss keeps pixels whose neighbourhood matches the kernel's 1 (set)
        and -1 (unset) entries.
    kernel : array_like, optional
        2-D structuring element of 0 and 1 (for "hitmiss": -1, 0 and 1).
        None means a 3×3 rectangle.
    anchor : (int, int), optional
        Anchor (x, y) inside the kernel; None means the centre.
    iterations : int
        Iterations of each erosion/dilation inside the operation (at least 1).
    border : {"constant", "replicate", "reflect", "reflect101"}
        Border mode for every erosion/dilation.
    border_value : float or sequence of float, optional
        Constant border value(s); None means the border never wins.

    Returns
    -------
    numpy.ndarray
        New array with the shape and dtype of `src`.

    Notes
    -----
    Equals ``cv2.morphologyEx`` with the matching ``cv2.MORPH_*`` code. A
    "hitmiss" kernel without any non-zero entry returns a copy of `src`.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.zeros((5, 7), np.uint8); img[1:4, 1:4] = 200; img[2, 5] = 200
    >>> k = ocrkit.get_structuring_element("rect", 3)
    >>> ocrkit.morphology_ex(img, "open", k)[2].tolist()
    [0, 200, 200, 200, 0, 0, 0]
    """
    op = _v.choice(op, _OPS, "op")
    if op == "hitmiss":
        return _hitmiss(src, kernel, anchor, iterations, border, border_value)
    if kernel is None:
        kernel = np.ones((3, 3), np.uint8)
    src, kernel, (ax, ay), iterations, code, bvals = _prepare(
        src, kernel, anchor, iterations, border, border_value)

    def morph(img, dil, inplace=False):
        return _morph(img, kernel, ax, ay, iterations, code, bvals[dil], dil, inplace)

    if op == "erode":
        return morph(src, False)
    if op == "dilate":
        return morph(src, True)
    if op == "open":
        return morph(morph(src, False), True, inplace=True)
    if op == "close":
        return morph(morph(src, True), False, inplace=True)
    # the differences are written over the intermediate we own, never over src
    if op == "gradient":
        dil = morph(src, True)
        return _sub_sat(dil, morph(src, False), dil)
    if op == "tophat":
        opened = morph(morph(src, False), True, inplace=True)
        return _sub_sat(src, opened, opened)
    closed = morph(morph(src, True), False, inplace=True)       # blackhat
    return _sub_sat(closed, src, closed)


# ---------------------------------------------------------------------------


def _erode_dilate(src, kernel, anchor, iterations, border, border_value, dilate):
    if kernel is None:
        # cv::erode/dilate with an empty kernel check the anchor against 3×3,
        # then always use the centred 3×3 rectangle
        _v.point(anchor, "anchor", (3, 3))
        kernel, anchor = np.ones((3, 3), np.uint8), None
    src, kernel, (ax, ay), iterations, code, bvals = _prepare(
        src, kernel, anchor, iterations, border, border_value)
    return _morph(src, kernel, ax, ay, iterations, code, bvals[dilate], dilate)


def _prepare(src, kernel, anchor, iterations, border, border_value):
    src = _v.image(src, "src", dtypes=_DTYPES)
    kernel = _structuring_element(kernel, "kernel")
    if not np.count_nonzero(kernel):
        raise ValueError("kernel has no non-zero element (an empty structuring element)")
    kh, kw = kernel.shape
    anchor = _v.point(anchor, "anchor", (kw, kh))
    iterations = _v.integer(iterations, "iterations", minimum=1)
    code = _v.border(border, "border", allowed=_BORDERS)
    bvals = _border_values(border_value, src)
    return src, kernel, anchor, iterations, code, bvals


def _structuring_element(kernel, name, allowed=(0, 1)):
    """A 2-D kernel whose entries are all in `allowed`, as a contiguous int array."""
    if kernel is None:
        raise TypeError(f"{name} must be a 2-D array, got None")
    try:
        k = np.asarray(kernel)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a 2-D numeric array, got {type(kernel).__name__}") from None
    if k.ndim == 2 and k.size and (k.dtype == np.bool_ or (k.dtype == np.uint8 and k.max() <= 1)):
        return np.ascontiguousarray(k, dtype=np.uint8)      # already 0/1: the common case
    if k.dtype == np.bool_:
        k = k.astype(np.uint8)
    if not (np.issubdtype(k.dtype, np.integer) or np.issubdtype(k.dtype, np.floating)):
        raise TypeError(f"{name} must be a numeric array, got dtype {k.dtype}")
    if k.ndim != 2:
        raise ValueError(f"{name} must be 2-D, got ndim={k.ndim}")
    if k.size == 0:
        raise ValueError(f"{name} is empty (shape {k.shape})")
    valid = (k == 0) | (k == 1)
    if -1 in allowed:
        valid |= k == -1
    if not valid.all():
        what = "binary (0/1)" if tuple(allowed) == (0, 1) else "made of " + "/".join(map(str, allowed))
        raise ValueError(f"{name} must be {what}, got values {np.unique(k)[:8].tolist()}")
    return np.ascontiguousarray(k, dtype=np.int8 if -1 in allowed else np.uint8)


def _border_values(border_value, src):
    """Per-channel border values for (erode, dilate), cast to src.dtype like OpenCV."""
    dt = src.dtype
    cn = _v.channels_of(src)
    if border_value is None:
        return _DEFAULT_BORDER[dt, cn]
    if isinstance(border_value, numbers.Real) and not isinstance(border_value, bool):
        vals = [border_value] * cn
    else:
        try:
            if isinstance(border_value, (str, bytes)):
                raise TypeError
            vals = list(border_value)
        except TypeError:
            raise TypeError("border_value must be None, a number or one number per channel, "
                            f"got {border_value!r}") from None
        if len(vals) != cn:
            raise ValueError(f"border_value must have {cn} value{'s' if cn > 1 else ''} "
                             f"(one per channel), got {len(vals)}")
    vals = np.array([_v.real(v, "border_value", finite=False) for v in vals], np.float64)
    if np.isnan(vals).any():
        raise ValueError("border_value must not be NaN")
    if np.issubdtype(dt, np.integer):
        info = np.iinfo(dt)
        # saturate_cast: round half to even, then clamp
        out = np.clip(np.rint(vals), info.min, info.max).astype(dt)
    else:
        with np.errstate(over="ignore"):
            out = vals.astype(dt)
    return (out, out)


def _morph(src, kernel, ax, ay, iterations, code, bval, dilate, inplace=False):
    """Erode or dilate a validated contiguous image `iterations` times; with
    `inplace` the result overwrites `src` (an intermediate we own), which keeps
    the second pass of open/close in cache as OpenCV's in-place pass does."""
    kh, kw = kernel.shape
    if kh * kw == 1:
        return src if inplace else src.copy()
    if iterations > 1 and np.count_nonzero(kernel) == kernel.size:
        # OpenCV replaces n passes of a w×h rectangle by one pass of the
        # (w + (n-1)(w-1)) × (h + (n-1)(h-1)) rectangle, anchor scaled by n
        ax, ay = ax * iterations, ay * iterations
        kernel = np.ones((kh + (iterations - 1) * (kh - 1), kw + (iterations - 1) * (kw - 1)), np.uint8)
        iterations = 1
    img = _v.as_3d(src)
    nthreads = _threads.for_size(img.size)
    out = src if inplace else np.empty_like(src)
    _morphology.morph(img, _v.as_3d(out), kernel, ax, ay, dilate, code, bval, nthreads)
    if iterations > 1:
        spare = np.empty_like(src)
        for _ in range(iterations - 1):
            _morphology.morph(_v.as_3d(out), _v.as_3d(spare), kernel, ax, ay, dilate, code, bval, nthreads)
            out, spare = spare, out
    return out


def _sub_sat(a, b, out):
    """a - b saturated to the dtype's range (cv::subtract), written into `out`,
    which is `a` or `b` itself; all C-contiguous of one shape."""
    _morphology.sub_sat(a.reshape(-1), b.reshape(-1), out.reshape(-1))
    return out


def _hitmiss(src, kernel, anchor, iterations, border, border_value):
    src = _v.image(src, "src", dtypes=(np.uint8,), channels=(1,))
    if kernel is None:
        kernel = np.ones((3, 3), np.int8)
    kernel = _structuring_element(kernel, "kernel", allowed=(-1, 0, 1))
    kh, kw = kernel.shape
    ax, ay = _v.point(anchor, "anchor", (kw, kh))
    iterations = _v.integer(iterations, "iterations", minimum=1)
    code = _v.border(border, "border", allowed=_BORDERS)
    bval = _border_values(border_value, src)[0]
    if not kernel.any():
        return src.copy()
    hit = (kernel == 1).astype(np.uint8)
    miss = (kernel == -1).astype(np.uint8)
    full = np.full_like(src, 255)
    e1 = _morph(src, hit, ax, ay, iterations, code, bval, False) if hit.any() else full
    e2 = _morph(np.bitwise_not(src), miss, ax, ay, iterations, code, bval, False) if miss.any() else full
    return np.bitwise_and(e1, e2)
