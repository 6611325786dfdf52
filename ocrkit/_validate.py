"""Argument checking shared by every public kernel module.

The Cython and C layers trust their inputs; everything a user can get wrong is
caught here with a ValueError/TypeError that names the argument.
"""
import math
import numbers

import numpy as np

BORDERS = {
    "constant": 0,
    "replicate": 1,
    "reflect": 2,
    "wrap": 3,
    "reflect101": 4,
}
# OpenCV spellings people bring along
_BORDER_ALIASES = {"default": "reflect101", "reflect_101": "reflect101", "isolated": "reflect101"}

DTYPE_NAMES = {np.dtype(np.uint8): "uint8", np.dtype(np.uint16): "uint16",
               np.dtype(np.int16): "int16", np.dtype(np.float32): "float32",
               np.dtype(np.float64): "float64"}


def _fmt_set(values):
    return "{" + ", ".join(repr(v) for v in values) + "}"


def image(src, name="src", dtypes=(np.uint8, np.float32), channels=(1, 3, 4)):
    """Check an image argument and return it as a C-contiguous ndarray.

    Accepts H×W or H×W×C arrays with C in `channels` and a dtype in `dtypes`;
    any strides (a non-contiguous view is copied). Never modifies `src`.
    """
    if not isinstance(src, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray, got {type(src).__name__}")
    if src.ndim not in (2, 3):
        raise ValueError(f"{name} must be a 2-D (H×W) or 3-D (H×W×C) array, got ndim={src.ndim}")
    if src.ndim == 3 and src.shape[2] not in channels:
        raise ValueError(f"{name} must have {' or '.join(map(str, channels))} channels, "
                         f"got {src.shape[2]}")
    if src.ndim == 2 and 1 not in channels:
        raise ValueError(f"{name} must have {' or '.join(map(str, channels))} channels, got a 2-D array")
    if src.shape[0] == 0 or src.shape[1] == 0:
        raise ValueError(f"{name} is empty (shape {src.shape})")
    allowed = [np.dtype(d) for d in dtypes]
    if src.dtype not in allowed:
        raise TypeError(f"{name} must have dtype {' or '.join(DTYPE_NAMES.get(d, str(d)) for d in allowed)}, "
                        f"got {src.dtype}")
    return np.ascontiguousarray(src)


def uint8_image(img, name="img"):
    """Check a uint8 image of the higher layers (models, engines, jobs): H×W or
    H×W×C with C in 1, 3, 4, not empty, any strides. H×W×1 comes back as H×W;
    nothing is copied."""
    if not isinstance(img, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray, got {type(img).__name__}")
    if img.dtype != np.uint8:
        raise TypeError(f"{name} must have dtype uint8, got {img.dtype}")
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[:, :, 0]
    if not (img.ndim == 2 or (img.ndim == 3 and img.shape[2] in (3, 4))):
        raise ValueError(f"{name} must be H×W gray or H×W×3/4 BGR(A), got shape {img.shape}")
    if img.size == 0:
        raise ValueError(f"{name} is empty (shape {img.shape})")
    return img


def channels_of(src):
    return 1 if src.ndim == 2 else src.shape[2]


def border(value, name="border", allowed=tuple(BORDERS)):
    """Border name → OpenCV border code."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string in {_fmt_set(allowed)}, got {type(value).__name__}")
    key = _BORDER_ALIASES.get(value.lower(), value.lower())
    if key not in allowed:
        raise ValueError(f"{name} must be one of {_fmt_set(allowed)}, got {value!r}")
    return BORDERS[key]


def choice(value, allowed, name):
    if not isinstance(value, str) or value.lower() not in allowed:
        raise ValueError(f"{name} must be one of {_fmt_set(allowed)}, got {value!r}")
    return value.lower()


def integer(value, name, minimum=None, maximum=None):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise TypeError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def real(value, name, finite=True):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if finite and not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def size_pair(value, name, odd=False, minimum=1, allow_zero=False):
    """A (width, height) pair like OpenCV's Size; a single int means square."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        pair = (int(value), int(value))
    else:
        try:
            pair = tuple(value)
        except TypeError:
            raise TypeError(f"{name} must be an int or a (width, height) pair, got {value!r}") from None
        if len(pair) != 2:
            raise ValueError(f"{name} must be a (width, height) pair, got {value!r}")
        pair = tuple(integer(v, name) for v in pair)
    for v in pair:
        if allow_zero and v == 0:
            continue
        if v < minimum:
            raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
        if odd and v % 2 == 0:
            raise ValueError(f"{name} must be odd, got {value!r}")
    return pair


def point(value, name, size):
    """An anchor (x, y) inside a kernel of `size` (w, h); None or (-1, -1) means the centre."""
    w, h = size
    if value is None:
        return (w // 2, h // 2)
    try:
        x, y = (integer(v, name) for v in value)
    except TypeError:
        raise TypeError(f"{name} must be None or an (x, y) pair, got {value!r}") from None
    if x == -1:
        x = w // 2
    if y == -1:
        y = h // 2
    if not (0 <= x < w and 0 <= y < h):
        raise ValueError(f"{name} {value!r} lies outside the {w}×{h} kernel")
    return (x, y)


_DDEPTHS = {"uint8": np.uint8, "int16": np.int16, "uint16": np.uint16,
            "float32": np.float32, "float64": np.float64}


def ddepth(value, src_dtype, allowed, name="ddepth"):
    """Output dtype: None/-1 → the source's own; otherwise a dtype in `allowed`."""
    if value is None or (isinstance(value, numbers.Integral) and not isinstance(value, bool) and value == -1):
        dt = np.dtype(src_dtype)
    else:
        try:
            dt = np.dtype(_DDEPTHS.get(value, value) if isinstance(value, str) else value)
        except TypeError:
            raise TypeError(f"{name} must be a numpy dtype or None, got {value!r}") from None
    allowed = [np.dtype(a) for a in allowed]
    if dt not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(DTYPE_NAMES.get(a, str(a)) for a in allowed)} "
                         f"for a {np.dtype(src_dtype)} source, got {dt}")
    return dt


def output(dst, shape, dtype, name="dst"):
    """Allocate the result, or check a caller-supplied `dst` and return it."""
    if dst is None:
        return np.empty(shape, dtype=dtype)
    if not isinstance(dst, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray, got {type(dst).__name__}")
    if dst.shape != tuple(shape) or dst.dtype != np.dtype(dtype):
        raise ValueError(f"{name} must have shape {tuple(shape)} and dtype {np.dtype(dtype)}, "
                         f"got {dst.shape} {dst.dtype}")
    if not dst.flags.c_contiguous or not dst.flags.writeable:
        raise ValueError(f"{name} must be a writeable C-contiguous array")
    return dst


def kernel_array(kernel, name="kernel", max_size=None):
    """A 2-D float kernel (a 1-D kernel is taken as one row)."""
    try:
        k = np.asarray(kernel, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a numeric array, got {type(kernel).__name__}") from None
    if k.ndim == 1:
        k = k[None, :]
    if k.ndim != 2:
        raise ValueError(f"{name} must be 2-D, got ndim={k.ndim}")
    if k.size == 0:
        raise ValueError(f"{name} is empty")
    if not np.all(np.isfinite(k)):
        raise ValueError(f"{name} contains NaN or infinity")
    if max_size is not None and max(k.shape) > max_size:
        raise ValueError(f"{name} is too large ({k.shape[1]}×{k.shape[0]}); at most {max_size} per side")
    return k


def as_3d(arr):
    """View an H×W image as H×W×1 (no copy)."""
    return arr[:, :, None] if arr.ndim == 2 else arr


def real_array(value, name, columns=None, dtype=np.float64):
    """A finite numeric array: 1-D when `columns` is None, else N×`columns` (an empty
    sequence gives N = 0). Returns a new C-contiguous array of `dtype`."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a numeric array, got {type(value).__name__}")
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a numeric array, got {type(value).__name__}") from None
    if columns is None:
        if arr.ndim != 1:
            raise ValueError(f"{name} must be 1-D, got shape {arr.shape}")
    else:
        if arr.size == 0 and arr.ndim <= 2:
            arr = arr.reshape(0, columns)
        if arr.ndim != 2 or arr.shape[1] != columns:
            raise ValueError(f"{name} must have shape (N, {columns}), got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinity")
    return np.ascontiguousarray(arr, dtype=dtype)


def points(value, name="points", min_count=1):
    """A point set (N×2 or N×1×2, int32 or float32; lists accepted) as a C-contiguous
    N×2 array. Lists of integers become int32, lists of reals float32; an ndarray
    must already be int32 or float32 (as OpenCV requires)."""
    if isinstance(value, np.ndarray):
        arr = value
        if arr.dtype not in (np.dtype(np.int32), np.dtype(np.float32)):
            raise TypeError(f"{name} must have dtype int32 or float32, got {arr.dtype}")
    else:
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be an array of (x, y) points, got {type(value).__name__}") from None
        if arr.dtype.kind in "iu" and arr.size:
            if arr.min() < -2**31 or arr.max() >= 2**31:
                raise ValueError(f"{name} has coordinates outside the int32 range")
            arr = arr.astype(np.int32)
        elif arr.dtype.kind == "f" or (arr.dtype.kind in "iu" and not arr.size):
            arr = arr.astype(np.float32 if arr.dtype.kind == "f" else np.int32)
        else:
            raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype}")
    if arr.ndim == 3 and arr.shape[1:] == (1, 2):
        arr = arr.reshape(arr.shape[0], 2)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{name} must be N×2 or N×1×2 (x, y) points, got shape {arr.shape}")
    if arr.shape[0] < min_count:
        raise ValueError(f"{name} must hold at least {min_count} point{'s' if min_count > 1 else ''}, "
                         f"got {arr.shape[0]}")
    if arr.dtype == np.float32 and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinity")
    return np.ascontiguousarray(arr)
