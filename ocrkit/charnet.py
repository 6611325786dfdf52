"""Single-character recognition with ocrkit's own small CNN on TFLite.

The bundled model (``ocrkit/models/charnet_int8.tflite``, trained by
``models/train_charnet.py`` on rendered crops, card in ``models/CHARNET.md``)
reads the 36 classes 0-9 and A-Z. Crops may be gray or BGR, any size, dark ink
on a light ground or the opposite: :func:`normalize_crops` puts each one into the
model's frame (ink dark, ground white, tight box, aspect kept, 32×32) with ocrkit
kernels, then the whole batch runs through the interpreter at once.

>>> import ocrkit
>>> rec = ocrkit.CharRecognizer()                      # doctest: +SKIP
>>> labels, probs = rec.predict([crop1, crop2])        # doctest: +SKIP
>>> "".join(labels)                                    # doctest: +SKIP
'A7'
"""
import json
import os

import numpy as np

from . import runtime
from ._ext import _threshold
from .color import to_gray
from .geometry import resize
from .threshold import threshold

__all__ = ["CharRecognizer", "normalize_crops", "DEFAULT_MODEL"]

DEFAULT_MODEL = "charnet_int8.tflite"

# the glyph's longer side covers this share of the model input (the rest is margin);
# the training crops go through this same function, so it is part of the model
_FILL = 26.0 / 32.0


def _as_crop_list(crops, name="crops"):
    """crops: one H×W[×C] array, an N×H×W[×C] array, or a sequence of arrays."""
    if isinstance(crops, np.ndarray):
        # an array is one gray crop (2-D) or a batch (N×H×W or N×H×W×C); a single
        # colour crop goes in a list, so (H, W, 3) is never mistaken for a batch
        if crops.ndim == 2:
            return [crops]
        if crops.ndim in (3, 4):
            return list(crops)
        raise ValueError(f"{name} must be one H×W[×C] crop, an N×H×W[×C] array or a list "
                         f"of crops, got an array with ndim={crops.ndim}")
    if isinstance(crops, (str, bytes)) or not hasattr(crops, "__iter__"):
        raise TypeError(f"{name} must be a numpy array or a sequence of arrays, "
                        f"got {type(crops).__name__}")
    return list(crops)


def _gray(crop, i):
    if not isinstance(crop, np.ndarray):
        raise TypeError(f"crops[{i}] must be a numpy.ndarray, got {type(crop).__name__}")
    if crop.dtype != np.uint8:
        raise TypeError(f"crops[{i}] must have dtype uint8, got {crop.dtype}")
    if crop.ndim == 3 and crop.shape[2] == 1:
        crop = crop[:, :, 0]
    if crop.ndim not in (2, 3) or (crop.ndim == 3 and crop.shape[2] not in (3, 4)):
        raise ValueError(f"crops[{i}] must be H×W gray or H×W×3 BGR (or BGRA), "
                         f"got shape {crop.shape}")
    if crop.shape[0] == 0 or crop.shape[1] == 0:
        raise ValueError(f"crops[{i}] is empty (shape {crop.shape})")
    if crop.ndim == 3:
        crop = to_gray(crop[:, :, :3] if crop.shape[2] == 4 else crop)
    return crop


_RING_CACHE = {}


def _ring(h, w):
    """Flat indices of a crop's border pixels and the plane-fit matrix over them."""
    key = (h, w)
    if key not in _RING_CACHE:
        yy, xx = np.mgrid[0:h, 0:w]
        m = np.zeros((h, w), bool)
        m[0], m[-1], m[:, 0], m[:, -1] = True, True, True, True
        idx = np.flatnonzero(m)
        a = np.stack([np.ones(len(idx)), xx.ravel()[idx] / w - 0.5, yy.ravel()[idx] / h - 0.5], 1)
        grid = np.stack([np.ones(h * w), xx.ravel() / w - 0.5, yy.ravel() / h - 0.5], 1)
        _RING_CACHE[key] = (idx, a, grid.astype(np.float32))
    return _RING_CACHE[key]


def _flatten_light(g):
    """Remove a linear light ramp, fitted to the crop's border (mostly ground).

    Global Otsu splits an unevenly lit crop along the light gradient rather than
    between ink and ground; a plane through the border pixels, refitted once
    without the outliers (ink fragments, grid lines), takes the ramp out first.
    """
    h, w = g.shape
    if h < 8 or w < 8:
        return g
    idx, a, grid = _ring(h, w)
    v = g.ravel()[idx].astype(np.float64)
    coef = np.linalg.lstsq(a, v, rcond=None)[0]
    r = v - a @ coef
    keep = np.abs(r) <= 2.5 * np.median(np.abs(r)) + 2.0
    if keep.sum() >= 8:
        coef = np.linalg.lstsq(a[keep], v[keep], rcond=None)[0]
    if abs(coef[1]) + abs(coef[2]) < 8.0:         # under ~8 levels across: leave it
        return g
    ramp = (grid[:, 1:] @ coef[1:].astype(np.float32)).reshape(h, w)
    return np.clip(np.rint(g - ramp), 0, 255).astype(np.uint8)


def _normalize_one(g, size):
    """uint8 gray crop -> float32 size×size, ink 0, ground 1, glyph centred."""
    g = _flatten_light(g)
    h, w = g.shape
    t = threshold(g, 0, 255, "binary", method="otsu")[0] if min(h, w) > 1 else float(g.mean())
    ring = np.concatenate([g[0], g[-1], g[:, 0], g[:, -1]])
    # the ground is the class that holds most of the border (character crops have
    # their margin there); with a border split evenly, ink is the smaller class
    above = g > t
    frac_ring = float((ring > t).mean())
    light_ground = frac_ring > 0.5 if frac_ring != 0.5 else above.mean() > 0.5
    ink = ~above if light_ground else above
    n_ink = int(ink.sum())
    gf = g.astype(np.float32)
    if n_ink == 0 or n_ink == g.size:
        return np.ones((size, size), np.float32)
    ink_level = float(gf[ink].mean())
    ground_level = float(gf[~ink].mean())
    if abs(ground_level - ink_level) < 1e-3:
        return np.ones((size, size), np.float32)
    # contrast stretch: ink -> 0, ground -> 1 whatever the polarity
    f = np.clip((gf - np.float32(ink_level)) * np.float32(1.0 / (ground_level - ink_level)), 0, 1)

    # tight box: rows/columns holding at least two ink pixels (one lone noise pixel
    # does not stretch the box), falling back to one for tiny crops
    need = 2 if min(h, w) >= 12 else 1
    rows = np.flatnonzero(ink.sum(1) >= need)
    cols = np.flatnonzero(ink.sum(0) >= need)
    if len(rows) == 0 or len(cols) == 0:
        rows, cols = np.flatnonzero(ink.any(1)), np.flatnonzero(ink.any(0))
    return _place(f, (rows[0], rows[-1] + 1, cols[0], cols[-1] + 1), size)


_RESAMPLE = {}


def _resample_matrix(side, size):
    """size×side matrix R with resize(img, (size, size)) == R @ img @ R.T.

    Made by resizing an identity with ocrkit.resize (area when shrinking, linear
    when enlarging; both separable on float32), so the product gives that kernel's
    result, without its per-call set-up, which cost more than the pixels."""
    key = (side, size)
    if key not in _RESAMPLE:
        eye = np.eye(side, dtype=np.float32)
        interp = "area" if side > size else "linear"
        _RESAMPLE[key] = resize(eye, (side, size), interpolation=interp)
        if len(_RESAMPLE) > 512:                # crops of many sizes: keep it bounded
            _RESAMPLE.pop(next(iter(_RESAMPLE)))
    return _RESAMPLE[key]


def _place(f, box, size):
    """The tight box of `f` centred on a ground (1.0) canvas whose side is the box's
    longer side / _FILL, resized to size×size."""
    y0, y1, x0, x1 = box
    bh, bw = y1 - y0, x1 - x0
    side = int(np.ceil(max(bh, bw) / _FILL))
    oy, ox = (side - bh) // 2, (side - bw) // 2
    if side == size:
        canvas = np.ones((side, side), np.float32)
        canvas[oy:oy + bh, ox:ox + bw] = f[y0:y1, x0:x1]
        return canvas
    r = _resample_matrix(side, size)
    # the canvas is 1 + (box - 1) on the box's cells, and R's rows sum to 1
    return 1.0 + r[:, oy:oy + bh] @ (f[y0:y1, x0:x1] - np.float32(1)) @ r[:, ox:ox + bw].T


def _normalize_batch(g, size):
    """:func:`_normalize_one` over N crops of one shape (N×H×W uint8, H, W >= 12) at
    once: the same steps vectorised across the batch (the per-crop Python overhead
    was most of the cost); only the final placement and resize run per crop."""
    n, h, w = g.shape
    idx, a, grid = _ring(h, w)
    flat = g.reshape(n, h * w)
    # light ramp, fitted to the border as in _flatten_light (lstsq = pinv solution;
    # the refit on the inliers by the normal equations)
    v = flat[:, idx].astype(np.float64)
    coef = v @ np.linalg.pinv(a).T
    r = np.abs(v - coef @ a.T)
    keep = r <= 2.5 * np.median(r, axis=1, keepdims=True) + 2.0
    refit = keep.sum(1) >= 8
    if refit.any():
        k = keep[refit].astype(np.float64)
        m = np.einsum("nr,ri,rj->nij", k, a, a)
        b = (k * v[refit]) @ a
        coef[refit] = np.linalg.solve(m, b[:, :, None])[:, :, 0]
    ramped = np.abs(coef[:, 1]) + np.abs(coef[:, 2]) >= 8.0
    if ramped.any():
        c = coef[ramped, 1:].astype(np.float32)
        ramp = c @ grid[:, 1:].T
        flat = flat.copy()
        flat[ramped] = np.clip(np.rint(flat[ramped] - ramp), 0, 255).astype(np.uint8)
    # Otsu per crop from batched histograms, with ocrkit's own Otsu
    hist = np.bincount((flat + (np.arange(n) * 256)[:, None]).ravel(),
                       minlength=256 * n).reshape(n, 256)
    t = np.array([_threshold.otsu_from_hist(hist[i], h * w) for i in range(n)], np.float64)
    above = flat > t[:, None]
    frac_ring = above[:, idx].mean(1)
    light_ground = np.where(frac_ring != 0.5, frac_ring > 0.5, above.mean(1) > 0.5)
    ink = above != light_ground[:, None]
    n_ink = ink.sum(1)
    gf = flat.astype(np.float32)
    ink_sum = np.where(ink, gf, 0).sum(1, dtype=np.float64)
    all_sum = gf.sum(1, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        ink_level = ink_sum / n_ink
        ground_level = (all_sum - ink_sum) / (h * w - n_ink)
        blank = (n_ink == 0) | (n_ink == h * w) | (np.abs(ground_level - ink_level) < 1e-3)
        gain = np.where(blank, 0.0, 1.0 / (ground_level - ink_level)).astype(np.float32)
    f = np.clip((gf - ink_level.astype(np.float32)[:, None]) * gain[:, None], 0, 1).reshape(n, h, w)
    ink = ink.reshape(n, h, w)
    rows, cols = ink.sum(2) >= 2, ink.sum(1) >= 2
    out = np.ones((n, size, size), np.float32)
    for i in np.flatnonzero(~blank):
        ri, ci = rows[i], cols[i]
        if not ri.any() or not ci.any():
            ri, ci = ink[i].any(1), ink[i].any(0)
        y0, y1 = ri.argmax(), h - ri[::-1].argmax()
        x0, x1 = ci.argmax(), w - ci[::-1].argmax()
        out[i] = _place(f[i], (y0, y1, x0, x1), size)
    return out


def normalize_crops(crops, size=32):
    """Put character crops into the model's frame.

    Parameters
    ----------
    crops : ndarray or sequence of ndarray
        One H×W gray uint8 crop, an N×H×W[×C] array, or a list of crops (gray
        or BGR, any sizes). A single BGR crop goes in a list.
    size : int
        Side of the output crops.

    Returns
    -------
    ndarray, float32, (N, size, size)
        Ink 0, ground 1 (polarity decided by which Otsu class holds the crop's
        border), the ink's tight box centred with its aspect kept, its longer side
        filling 26/32 of the output.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrkit.charnet import normalize_crops
    >>> crop = np.full((40, 20), 200, np.uint8); crop[5:35, 8:12] = 30
    >>> x = normalize_crops([crop]); x.shape, float(x.min()), float(x.max())
    ((1, 32, 32), 0.0, 1.0)
    """
    if isinstance(crops, np.ndarray) and crops.ndim == 3 and crops.dtype == np.uint8 \
            and min(crops.shape[1:]) >= 12 and len(crops) > 1:
        # a batch of gray crops of one size: the vectorised path
        out = np.empty((len(crops), size, size), np.float32)
        for s in range(0, len(crops), 512):      # bounded temporaries
            out[s:s + 512] = _normalize_batch(np.ascontiguousarray(crops[s:s + 512]), size)
        return out
    items = _as_crop_list(crops)
    out = np.empty((len(items), size, size), np.float32)
    for i, c in enumerate(items):
        out[i] = _normalize_one(_gray(c, i), size)
    return out


def _load_meta(path):
    try:
        with open(path) as f:
            meta = json.load(f)
    except OSError as e:
        raise runtime.ModelFileError(f"model: cannot read its alphabet file {path!r}: "
                                     f"{e.strerror or e}") from None
    except json.JSONDecodeError as e:
        raise runtime.ModelFileError(f"model: alphabet file {path!r} is not valid JSON: {e}") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("alphabet"), str):
        raise runtime.ModelFileError(f"model: alphabet file {path!r} has no 'alphabet' string")
    return meta


class CharRecognizer:
    """Read single-character crops with a character CNN.

    Parameters
    ----------
    model : str, os.PathLike, bytes or None
        A charnet .tflite file (or its bytes); None loads the bundled 36-class
        int8 model. A file's alphabet is read from the .json beside it
        (``charnet_int8.tflite`` -> ``charnet_int8.json``).
    alphabet : str, optional
        The model's classes in output order; needed for model bytes or a file
        without its .json, and checked against the .json when both are there.
    num_threads : int, optional
        Interpreter threads (default ``ocrkit.get_num_threads()``).

    Attributes
    ----------
    alphabet : str
        The characters the model reads, in output order.

    Raises
    ------
    ModelFileError
        Unreadable or corrupt model, or unreadable alphabet file.
    ValueError
        Alphabet missing, or not matching the model's number of outputs or the
        model's .json.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> rec = ocrkit.CharRecognizer()
    >>> len(rec.alphabet)
    36
    >>> crop = np.full((40, 30), 255, np.uint8); crop[6:34, 13:17] = 0   # a bar: "1"
    >>> labels, probs = rec.predict([crop])
    >>> labels
    ['1']
    """

    def __init__(self, model=None, alphabet=None, num_threads=None):
        meta = None
        if model is None:
            model = runtime.model_path(DEFAULT_MODEL)
        if not isinstance(model, (bytes, bytearray, memoryview)):
            if not isinstance(model, (str, os.PathLike)):
                raise TypeError(f"model must be a path, bytes or None, got {type(model).__name__}")
            side = os.path.splitext(os.fspath(model))[0] + ".json"
            if os.path.exists(side):
                meta = _load_meta(side)
        if alphabet is not None:
            if not isinstance(alphabet, str) or not alphabet:
                raise TypeError(f"alphabet must be a non-empty str, got {alphabet!r}")
            if meta is not None and meta["alphabet"] != alphabet:
                raise ValueError(f"alphabet {alphabet!r} does not match the model's "
                                 f"{meta['alphabet']!r} (from its .json)")
        elif meta is not None:
            alphabet = meta["alphabet"]
        else:
            raise ValueError("alphabet: the model has no .json beside it; pass alphabet= "
                             "with its classes in output order")
        if len(set(alphabet)) != len(alphabet):
            raise ValueError(f"alphabet must not repeat characters, got {alphabet!r}")
        self._net = runtime.load_model(model, num_threads)
        shape = self._net.input_shape
        if len(shape) != 4 or shape[3] != 1 or shape[1] != shape[2]:
            raise runtime.ModelFileError(f"model: {self._net.source!r} does not take square "
                                         f"one-channel crops (input shape {shape})")
        self.input_size = int(shape[1])
        n_out = int(self._net.output_details[0]["shape"][-1])
        if n_out != len(alphabet):
            raise ValueError(f"alphabet has {len(alphabet)} characters but the model "
                             f"{self._net.source!r} has {n_out} outputs")
        self.alphabet = alphabet
        self.meta = meta or {"alphabet": alphabet}

    def __repr__(self):
        return (f"CharRecognizer({self._net.source!r}, {len(self.alphabet)} classes, "
                f"{self.input_size}x{self.input_size})")

    def predict_proba(self, crops, batch_size=256):
        """Class probabilities, float32 (N, len(alphabet))."""
        batch_size = int(batch_size)
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        x = normalize_crops(crops, self.input_size)
        out = np.empty((len(x), len(self.alphabet)), np.float32)
        for s in range(0, len(x), batch_size):
            out[s:s + batch_size] = self._net.run(x[s:s + batch_size, :, :, None])[0]
        return out

    def predict(self, crops, allowed=None, batch_size=256):
        """Read each crop.

        Parameters
        ----------
        crops : ndarray or sequence of ndarray
            One H×W gray uint8 crop, an N×H×W[×C] array, or a list of crops
            (gray or BGR, any sizes, either polarity). A single BGR crop goes
            in a list.
        allowed : str, optional
            Only these characters may be answered (e.g. "123456789" for sudoku
            cells); each must be in :attr:`alphabet`.
        batch_size : int
            Crops per interpreter call.

        Returns
        -------
        labels : list of str
            One character per crop.
        probabilities : ndarray, float32, (N,)
            The model's probability of that character (renormalised over
            `allowed` when given).
        """
        p = self.predict_proba(crops, batch_size)
        if allowed is not None:
            if not isinstance(allowed, str) or not allowed:
                raise TypeError(f"allowed must be a non-empty str, got {allowed!r}")
            bad = [c for c in allowed if c not in self.alphabet]
            if bad:
                raise ValueError(f"allowed: {''.join(bad)!r} not in the model's alphabet")
            idx = np.array([self.alphabet.index(c) for c in dict.fromkeys(allowed)])
            sub = p[:, idx]
            sub = sub / np.maximum(sub.sum(1, keepdims=True), np.float32(1e-12))
            best = sub.argmax(1)
            return [self.alphabet[idx[k]] for k in best], sub[np.arange(len(p)), best].astype(np.float32)
        best = p.argmax(1)
        return [self.alphabet[k] for k in best], p[np.arange(len(p)), best].astype(np.float32)
