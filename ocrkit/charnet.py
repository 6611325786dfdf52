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

from . import _validate, runtime
from ._ext import _threshold
from .color import to_gray
from .geometry import resize

__all__ = ["CharRecognizer", "normalize_crops", "DEFAULT_MODEL"]

DEFAULT_MODEL = "charnet_int8.tflite"

# bumped whenever normalize_crops changes its output: training caches of normalised
# crops are keyed by it (1: no edge-clutter removal; 2: clutter removed, mask
# taken on a [1 2 1]-smoothed copy; 3: one ink pixel makes a row or column count;
# 4: faint strokes below the Otsu level count toward the tight box; 5: an edge run
# is clutter only if it runs off the crop or crosses it)
NORM_VERSION = 5

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
    crop = _validate.uint8_image(crop, f"crops[{i}]")
    return crop if crop.ndim == 2 else to_gray(crop[:, :, :3])


_RING_CACHE = {}
_RESAMPLE = {}
# a pixel darker than this (ink 0, ground 1), where the smoothed copy is darker
# than _BOX_SOFT, counts toward the tight box: chosen on a chunk of training-font
# crops (errors of the NORM_VERSION 3 model: 583 with the Otsu mask alone, 521)
_BOX_LEVEL, _BOX_SOFT = 0.6, 0.8
_MIN_SIDE = 16          # smaller crops are enlarged to this first: their 1-px strokes
                        # would fade under the [1 2 1] smoothing of the ink mask


def _ring(h, w):
    """Flat indices of a crop's border pixels, the plane-fit design matrix over them,
    the whole crop's (1, x, y) grid, and the fit's pseudo-inverse."""
    key = (h, w)
    if key not in _RING_CACHE:
        yy, xx = np.mgrid[0:h, 0:w]
        m = np.zeros((h, w), bool)
        m[0], m[-1], m[:, 0], m[:, -1] = True, True, True, True
        idx = np.flatnonzero(m)
        a = np.stack([np.ones(len(idx)), xx.ravel()[idx] / w - 0.5, yy.ravel()[idx] / h - 0.5], 1)
        grid = np.stack([np.ones(h * w), xx.ravel() / w - 0.5, yy.ravel() / h - 0.5], 1)
        _RING_CACHE[key] = (idx, a, grid.astype(np.float32), np.linalg.pinv(a).T)
        if len(_RING_CACHE) > 512:                  # crops of many sizes: keep it bounded
            _RING_CACHE.pop(next(iter(_RING_CACHE)))
    return _RING_CACHE[key]


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
        if len(_RESAMPLE) > 512:
            _RESAMPLE.pop(next(iter(_RESAMPLE)))
    return _RESAMPLE[key]


def _flatten_light(flat, h, w):
    """Remove a linear light ramp from N flattened crops (N×HW uint8).

    Global Otsu splits an unevenly lit crop along the light gradient rather than
    between ink and ground; a plane through the border pixels (mostly ground),
    refitted once without the outliers (ink fragments, grid lines), takes the ramp
    out first."""
    idx, a, grid, pinv_t = _ring(h, w)
    v = flat[:, idx].astype(np.float64)
    coef = v @ pinv_t
    r = np.abs(v - coef @ a.T)
    keep = r <= 2.5 * np.median(r, axis=1, keepdims=True) + 2.0
    refit = keep.sum(1) >= 8
    if refit.any():                                 # least squares on the inliers
        k = keep[refit].astype(np.float64)
        m = np.einsum("nr,ri,rj->nij", k, a, a)
        b = (k * v[refit]) @ a
        coef[refit] = np.linalg.solve(m, b[:, :, None])[:, :, 0]
    ramped = np.abs(coef[:, 1]) + np.abs(coef[:, 2]) >= 8.0   # >= ~8 levels across
    if not ramped.any():
        return flat
    c = coef[ramped, 1:].astype(np.float32)
    sub = flat[ramped].astype(np.float32)
    sub -= c[:, :1] * grid[:, 1]
    sub -= c[:, 1:] * grid[:, 2]
    np.rint(sub, out=sub)
    np.clip(sub, 0, 255, out=sub)
    flat = flat.copy()
    flat[ramped] = sub
    return flat


def _blur121(g):
    """[1 2 1]/4 along both axes, edges replicated (N×H×W uint8 -> uint8): the ink
    mask is taken on this, so single noise pixels do not become ink."""
    x = g.astype(np.uint16)
    x = np.concatenate([x[:, :1], x, x[:, -1:]], 1)
    x = x[:, :-2] + 2 * x[:, 1:-1] + x[:, 2:]
    x = np.concatenate([x[:, :, :1], x, x[:, :, -1:]], 2)
    x = x[:, :, :-2] + 2 * x[:, :, 1:-1] + x[:, :, 2:]
    return ((x + 8) >> 4).astype(np.uint8)


def _span(counts, need, crosses=None):
    """(start, stop) of the ink along one axis, without edge clutter.

    `counts` holds the ink pixels of each row (or column), a list of ints; those
    with at least `need` have ink. Runs of them closer than two pixels are one
    run. A run lying wholly in the outer quarter on either side and at most 0.3 of
    the length is clutter (dropped when something else is left) only if it also
    runs off the crop (a neighbour's fragment) or `crosses(start, stop)` says it
    spans the crop the other way (a grid or box line): a stroke of an off-centre
    glyph that only a faint hairline joins to the rest (the right stem of a
    thin-serif M, U or O) lies there too, and is kept. Plain Python: the profiles
    are short, and NumPy's per-call cost was most of the time."""
    n = len(counts)
    runs = []                                       # [start, stop, ink]
    for i, c in enumerate(counts):
        if c >= need:
            if runs and i - runs[-1][1] < 2:        # bridge gaps of one pixel
                runs[-1][1] = i + 1
                runs[-1][2] += c
            else:
                runs.append([i, i + 1, c])
    if not runs:
        return 0, n
    kept = [r for r in runs if not (
        r[1] - r[0] <= 0.3 * n and (r[1] <= 0.25 * n or r[0] >= 0.75 * n)
        and (r[0] == 0 or r[1] == n or (crosses is not None and crosses(r[0], r[1]))))]
    if not kept:
        # only clutter-like runs: keep the one with the most ink
        best = max(runs, key=lambda r: r[2])
        return best[0], best[1]
    return kept[0][0], kept[-1][1]


_LINE = 0.8     # ink over this share of the crop's other side, in a run's rows or
                # columns, makes an edge run a line rather than a stroke: a glyph's
                # cap height is at most 0.7 of the crop in the synthetic crops


def _tight_boxes(ink, need=1):
    """(y0, y1, x0, x1) arrays of N ink masks: the rows, then the columns within
    those rows, then the rows within those columns (each pass drops the clutter
    the previous one could not see past). Profiles come from cumulative sums, for
    the whole batch at once; only the run logic of :func:`_span` is per crop."""
    n, h, w = ink.shape
    ar = np.arange(n)
    cy = np.zeros((n, h + 1, w), np.int32)
    np.cumsum(ink, axis=1, out=cy[:, 1:])
    cx = np.zeros((n, h, w + 1), np.int32)
    np.cumsum(ink, axis=2, out=cx[:, :, 1:])

    def row_line(i):        # do rows a..b hold ink in most columns of the crop?
        return lambda a, b: np.count_nonzero(cy[i, b] - cy[i, a]) >= _LINE * w

    def col_line(i):
        return lambda a, b: np.count_nonzero(cx[i, :, b] - cx[i, :, a]) >= _LINE * h

    y = np.array([_span(r, need, row_line(i)) for i, r in enumerate(ink.sum(2).tolist())],
                 np.int64).reshape(n, 2)
    cols = cy[ar, y[:, 1]] - cy[ar, y[:, 0]]
    x = np.array([_span(c, need, col_line(i)) for i, c in enumerate(cols.tolist())],
                 np.int64).reshape(n, 2)
    rows = cx[ar, :, x[:, 1]] - cx[ar, :, x[:, 0]]
    y = np.array([_span(r, need, row_line(i)) for i, r in enumerate(rows.tolist())],
                 np.int64).reshape(n, 2)
    return y[:, 0], y[:, 1], x[:, 0], x[:, 1]


def _normalize_batch(g, size):
    """N crops of one shape (N×H×W uint8, H, W >= 12) into the model's frame."""
    n, h, w = g.shape
    flat = _flatten_light(g.reshape(n, h * w), h, w)
    soft = _blur121(flat.reshape(n, h, w)).reshape(n, h * w)
    # Otsu per crop, on batched histograms, with ocrkit's own Otsu
    hist = np.bincount((soft + (np.arange(n) * 256)[:, None]).ravel(),
                       minlength=256 * n).reshape(n, 256)
    t = np.array([_threshold.otsu_from_hist(hist[i], h * w) for i in range(n)], np.float64)
    above = soft > t[:, None]
    # the ground is the class that holds most of the border (character crops have
    # their margin there); with the border split evenly, ink is the smaller class
    idx = _ring(h, w)[0]
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
        blank = (n_ink == 0) | (n_ink == h * w) | ~(np.abs(ground_level - ink_level) >= 1e-3)
        gain = np.where(blank, 0.0, 1.0 / (ground_level - ink_level)).astype(np.float32)
    # contrast stretch: ink -> 0, ground -> 1 whatever the polarity
    f = np.clip((gf - np.nan_to_num(ink_level).astype(np.float32)[:, None]) * gain[:, None],
                0, 1).reshape(n, h, w)
    ink = ink.reshape(n, h, w)
    # the box also takes pixels Otsu left on the ground side but clearly darker
    # than it: a faint hairline foot or bar (the L, T, E of a thin serif face read
    # as I when their box lost it); the smoothed copy must agree, so a lone noise
    # pixel does not stretch the box
    soft_f = (soft.reshape(n, h, w).astype(np.float32)
              - np.nan_to_num(ink_level).astype(np.float32)[:, None, None]) * gain[:, None, None]
    ink |= (f < _BOX_LEVEL) & (soft_f < _BOX_SOFT)
    y0, y1, x0, x1 = _tight_boxes(ink)
    # placement and resize as one product per crop, out = 1 + Ry (f - 1) Rx^T, with
    # Ry, Rx gathered from the resample matrices of each crop's canvas side
    side = np.ceil(np.maximum(y1 - y0, x1 - x0) / _FILL).astype(np.int64)
    sides, which = np.unique(side, return_inverse=True)
    table = np.zeros((len(sides), size, max(int(sides[-1]), size)), np.float32)
    for k, sd in enumerate(sides):
        table[k, :, :sd] = np.eye(size, dtype=np.float32) if sd == size \
            else _resample_matrix(int(sd), size)
    ry = _gather(table, which, y0, y1, (side - (y1 - y0)) // 2, h)
    rx = _gather(table, which, x0, x1, (side - (x1 - x0)) // 2, w)
    out = 1.0 + ry @ (f - np.float32(1)) @ rx.transpose(0, 2, 1)
    out[blank] = 1.0
    return out


def _gather(table, which, lo, hi, off, length):
    """N×size×length matrices: column p is the resample matrix's column p - lo + off
    of each crop's canvas side where lo <= p < hi, zero elsewhere."""
    p = np.arange(length)
    col = p[None, :] - lo[:, None] + off[:, None]
    inside = (p[None, :] >= lo[:, None]) & (p[None, :] < hi[:, None])
    col = np.where(inside, col, 0)
    m = table[which[:, None], :, col]                # N×length×size
    m[~inside] = 0
    return m.transpose(0, 2, 1)


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
        Ink 0, ground 1. Per crop: a linear light ramp fitted to the border is
        removed; Otsu (on a lightly smoothed copy) splits ink from ground, the
        ground being the class that holds most of the border; the contrast is
        stretched between the two classes' means; the ink's tight box, without
        clutter at the edges (neighbours' fragments, grid lines), is centred with
        its aspect kept, its longer side filling 26/32 of the output.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrkit.charnet import normalize_crops
    >>> crop = np.full((40, 20), 200, np.uint8); crop[5:35, 8:12] = 30
    >>> x = normalize_crops([crop]); x.shape, float(x.min()), float(x.max())
    ((1, 32, 32), 0.0, 1.0)
    """
    items = _as_crop_list(crops)
    out = np.empty((len(items), size, size), np.float32)
    groups = {}
    grays = []
    for i, c in enumerate(items):
        g = _gray(c, i)
        if min(g.shape) < _MIN_SIDE:                # tiny crops: enlarged first
            k = _MIN_SIDE / min(g.shape)
            g = resize(np.ascontiguousarray(g), (max(_MIN_SIDE, round(g.shape[1] * k)),
                                                 max(_MIN_SIDE, round(g.shape[0] * k))))
        grays.append(g)
        groups.setdefault(g.shape, []).append(i)
    # crops of one shape go through the vectorised steps together
    for idx in groups.values():
        for s in range(0, len(idx), 512):            # bounded temporaries
            part = idx[s:s + 512]
            out[part] = _normalize_batch(np.stack([grays[i] for i in part]), size)
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
    >>> crop = np.full((40, 30), 255, np.uint8)
    >>> crop[6:34, 8:12] = 0; crop[30:34, 8:22] = 0       # a stem and a foot
    >>> labels, probs = rec.predict([crop])
    >>> labels
    ['L']
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
