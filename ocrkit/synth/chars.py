"""Single-character crops for the character CNN, plus plates and sudoku grids.

Each crop is drawn at twice its final scale (so stroke weight can change by half a
pixel), mapped into the crop by one affine transform (scale, aspect, rotation,
shear, off-centre shift), then the photometric distortions run on the whole batch
at once in NumPy.
"""
import functools
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .. import _validate
from ._args import check_rng, check_split
from .fonts import font_size_near, load_font, pick_face

__all__ = ["DEFAULT_ALPHABET", "make_char_crops", "make_plate", "make_sudoku"]

DEFAULT_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NEIGHBOURS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _check_alphabet(alphabet):
    if not isinstance(alphabet, str):
        raise TypeError(f"alphabet must be a str, got {type(alphabet).__name__}")
    if not alphabet:
        raise ValueError("alphabet must not be empty")
    if len(set(alphabet)) != len(alphabet):
        raise ValueError(f"alphabet must not repeat characters, got {alphabet!r}")
    if any(c.isspace() for c in alphabet):
        raise ValueError(f"alphabet must not contain whitespace, got {alphabet!r}")
    return alphabet


def _draw_params(rng, n, size):
    """Per-crop random parameters, drawn for the whole batch at once (one call per
    parameter instead of one per crop: the Python overhead dominated)."""
    p = {
        "em": size * rng.uniform(0.55, 1.0, n),              # font size in crop pixels
        "jitter": rng.uniform(0.95, 1.05, n),
        "stroke": rng.choice(3, n, p=(0.6, 0.28, 0.12)),
        "aspect": np.exp(rng.uniform(-0.25, 0.25, n)),
        "angle": np.radians(rng.uniform(-12, 12, n)),
        "shear": rng.uniform(-0.25, 0.25, n) * (rng.random(n) < 0.4),
        "off": rng.uniform(-0.12, 0.12, (n, 2)) * size,
        "right": np.where(rng.random(n) < 0.2, rng.integers(0, len(_NEIGHBOURS), n), -1),
        "left": np.where(rng.random(n) < 0.2, rng.integers(0, len(_NEIGHBOURS), n), -1),
        "frag": rng.uniform(0.03, 0.15, (n, 2)) * size,
        "thin": rng.random(n) < 0.2,
        "grid": np.where(rng.random(n) < 0.2, rng.integers(1, 3, n), 0),
    }
    return [dict(zip(p, vals)) for vals in zip(*p.values())]


@functools.lru_cache(maxsize=None)
def _has_glyph(path, char):
    font = load_font(path, 24)
    return bytes(font.getmask(char)) != bytes(font.getmask("\U0010fffd"))


def _glyph_alpha(rng, split, char, size, q, wide=False):
    """One crop's coverage (size×size uint8): the character, maybe with fragments
    of neighbours and grid lines at the edges. `q` holds its drawn parameters."""
    face = pick_face(rng, split, wide=wide)
    tries = 1
    while not _has_glyph(face.path, char):
        # a face without this character (OSP-DIN has no # $ & * @ _) would draw
        # its .notdef box under the label: draw another (no extra draw otherwise,
        # so crops of characters every face has keep their bytes)
        if tries == 200:
            raise ValueError(f"no font of the {split!r} split draws {char!r}")
        face = pick_face(rng, split, wide=wide)
        tries += 1
    em = q["em"]
    font = load_font(face.path, font_size_near(2 * em * q["jitter"]))
    k = em / font.size                                   # ~0.5: drawn at twice the scale
    stroke = int(q["stroke"]) if font.size >= 28 else 0
    angle, shear, off = q["angle"], q["shear"], q["off"]

    bb = font.getbbox(char, stroke_width=stroke)
    gx, gy = (bb[0] + bb[2]) / 2.0, (bb[1] + bb[3]) / 2.0   # ink centre from the pen
    sx = k * q["aspect"]
    gap = font.size * 0.08
    items = [(char, 0.0, bb)]
    # neighbours are placed so only a fragment (3–15 % of the crop) shows at the
    # edge: a fully visible second character would make the label ambiguous
    if q["right"] >= 0:
        nb = _NEIGHBOURS[q["right"]]
        nbb = font.getbbox(nb, stroke_width=stroke)
        ink_left = gx + (size / 2 - off[0] - q["frag"][0]) / sx
        pen = max(ink_left, bb[2] + gap) - nbb[0]
        items.append((nb, pen, nbb))
    if q["left"] >= 0:
        nb = _NEIGHBOURS[q["left"]]
        nbb = font.getbbox(nb, stroke_width=stroke)
        ink_right = gx - (size / 2 + off[0] - q["frag"][1]) / sx
        pen = min(ink_right, bb[0] - gap) - nbb[2]
        items.append((nb, pen, nbb))
    x_min = min(pen + b[0] for _, pen, b in items)
    x_max = max(pen + b[2] for _, pen, b in items)
    ascent, descent = font.getmetrics()
    m = stroke + 2
    ox = m - x_min
    canvas = Image.new("L", (int(math.ceil(x_max - x_min)) + 2 * m, max(ascent + descent, bb[3]) + 2 * m))
    draw = ImageDraw.Draw(canvas)
    for text, pen, _ in items:
        draw.text((ox + pen, m), text, font=font, fill=255, stroke_width=stroke)
    if stroke == 0 and font.size >= 40 and q["thin"]:
        canvas = canvas.filter(ImageFilter.MinFilter(3))   # thinner by half a final pixel
    gx, gy = gx + ox, gy + m

    # crop = T(centre + off) · R(angle) · Shear · Scale(sx, k) · T(-glyph centre);
    # Pillow wants the inverse linear part, written out for the 2×2 case
    c, s = math.cos(angle), math.sin(angle)
    a00, a01 = c * sx, (c * -shear + s) * k
    a10, a11 = -s * sx, (s * shear + c) * k
    det = a00 * a11 - a01 * a10
    i00, i01, i10, i11 = a11 / det, -a01 / det, -a10 / det, a00 / det
    cx, cy = size / 2.0 + off[0], size / 2.0 + off[1]
    t0 = gx - (i00 * cx + i01 * cy)
    t1 = gy - (i10 * cx + i11 * cy)
    crop = canvas.transform((size, size), Image.Transform.AFFINE,
                            (i00, i01, t0, i10, i11, t1),
                            Image.Resampling.BILINEAR)
    if q["grid"]:                                        # cell or box borders at the edges
        d = ImageDraw.Draw(crop)
        for _ in range(int(q["grid"])):
            pos = rng.uniform(0, 0.12) * size
            tilt = rng.uniform(-1.5, 1.5)
            width_px = int(rng.integers(1, 4))
            ink = int(rng.integers(120, 256))
            side = int(rng.integers(4))
            far = size - 1 - pos
            line = {0: [(pos, 0), (pos + tilt, size)], 1: [(far, 0), (far + tilt, size)],
                    2: [(0, pos), (size, pos + tilt)], 3: [(0, far), (size, far + tilt)]}[side]
            d.line(line, fill=ink, width=width_px)
    return np.asarray(crop)


def _blur_batch(x, w):
    """Separable 3-tap blur [w, 1-2w, w] per sample (w: n×1×1), edges replicated."""
    for axis in (1, 2):
        lo = np.concatenate([x.take([0], axis), x.take(range(x.shape[axis] - 1), axis)], axis)
        hi = np.concatenate([x.take(range(1, x.shape[axis]), axis), x.take([-1], axis)], axis)
        x = x * (1 - 2 * w) + (lo + hi) * w
    return x


def make_char_crops(rng, n, alphabet=DEFAULT_ALPHABET, size=32, split="train", wide=False):
    """Gray single-character crops with the distortions real crops have.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of all randomness (same seed, same bytes).
    n : int
        Number of crops (0 allowed).
    alphabet : str
        The classes, one character each (no repeats, no whitespace).
    size : int
        Crop side in pixels, 8 … 256.
    split : {"train", "val"}
        Fonts come from this split only (held-out families for "val").
    wide : bool
        Draw training crops from the wide font set as well
        (:data:`ocrkit.synth.fonts.WIDE_APT_PACKAGES`, about 70 designs instead
        of 10); the held-out split is the same either way.

    Returns
    -------
    crops : ndarray, uint8, (n, size, size)
        Scale and aspect, stroke weight, rotation (±12°), shear, off-centre
        placement, fragments of neighbouring characters and grid lines at the
        edges, blur, noise, uneven light, dark-on-light or light-on-dark.
    labels : ndarray, int64, (n,)
        Index into `alphabet` of each crop's character. Classes are balanced:
        counts differ by at most one.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrkit.synth import make_char_crops
    >>> crops, labels = make_char_crops(np.random.default_rng(0), 72)
    >>> crops.shape, crops.dtype, np.bincount(labels).tolist() == [2] * 36
    ((72, 32, 32), dtype('uint8'), True)
    """
    check_rng(rng)
    n = _validate.integer(n, "n", minimum=0)
    alphabet = _check_alphabet(alphabet)
    size = _validate.integer(size, "size", minimum=8, maximum=256)
    split = check_split(split)
    labels = rng.permutation(np.arange(n) % len(alphabet)).astype(np.int64)
    if n == 0:
        return np.zeros((0, size, size), np.uint8), labels
    alpha = np.empty((n, size, size), np.uint8)
    for i, q in enumerate(_draw_params(rng, n, size)):
        alpha[i] = _glyph_alpha(rng, split, alphabet[labels[i]], size, q, wide)

    a = alpha.astype(np.float32) * np.float32(1 / 255)
    a = _blur_batch(a, rng.uniform(0.0, 0.3, (n, 1, 1)).astype(np.float32) * (rng.random((n, 1, 1)) < 0.6))
    light = rng.random((n, 1, 1)) < 0.3                  # light ink on a dark ground
    paper = np.where(light, rng.uniform(0, 110, (n, 1, 1)), rng.uniform(140, 255, (n, 1, 1)))
    contrast = rng.uniform(60, 200, (n, 1, 1))
    ink = np.clip(np.where(light, paper + contrast, paper - contrast), 0, 255)
    img = paper.astype(np.float32) + (ink - paper).astype(np.float32) * a
    # uneven light: a random linear gain ramp across each crop
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size - 0.5
    gx, gy = (rng.uniform(-0.6, 0.6, (2, n, 1, 1)) * (rng.random((2, n, 1, 1)) < 0.4)).astype(np.float32)
    img *= 1 + gx * xx + gy * yy
    img += rng.standard_normal((n, size, size), dtype=np.float32) * \
        rng.uniform(0, 10, (n, 1, 1)).astype(np.float32)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8), labels


from .plates import make_plate  # noqa: E402  (re-exported: plates and grids feed the char jobs)
from .sudoku import make_sudoku  # noqa: E402
