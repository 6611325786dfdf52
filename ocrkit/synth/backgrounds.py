"""Procedural backgrounds: gradients, textures, paper, and clutter that is not text.

Everything is drawn at low resolution and upsampled by Pillow (smooth fields cost
one resize), or drawn with ImageDraw (shapes), so a 512×512 background costs a few
milliseconds. Images are BGR uint8 H×W×3 NumPy arrays.
"""
import numpy as np
from PIL import Image, ImageDraw

from ._args import check_rng, check_size

__all__ = ["smooth_field", "gradient", "texture", "paper", "draw_clutter", "make_background",
           "background_image"]


def _smooth_image(rng, size, cells, channels=3, lo=0, hi=256):
    w, h = size
    gw = max(2, int(cells))
    gh = max(2, int(round(cells * h / max(w, 1))))
    shape = (gh, gw) if channels == 1 else (gh, gw, channels)
    small = rng.integers(lo, hi, shape, dtype=np.uint8)
    mode = Image.Resampling.BILINEAR if max(gw, gh) <= 3 else Image.Resampling.BICUBIC
    return Image.fromarray(small).resize((w, h), mode)


def smooth_field(rng, size, cells, channels=3, lo=0, hi=256):
    """Random values on a coarse grid (about `cells` across), upsampled to `size`
    (w, h): blotches, stains and colour gradients. Grids of up to 3 cells use
    bilinear (a plain gradient, and cheaper), finer ones bicubic. Read-only array."""
    return np.asarray(_smooth_image(rng, size, cells, channels, lo, hi))


# The *_image functions return Pillow images: the scene generator draws on them
# directly, saving the array round trips; the public functions return arrays.

def gradient(rng, size):
    """A two-to-four-colour linear or bilinear gradient."""
    return np.asarray(_smooth_image(rng, size, 2)).copy()


def texture(rng, size, base=None, amplitude=None):
    """A base colour modulated by blotches at two scales (concrete, card, fabric).
    Both scales are mixed on a small grid first, so only one full-size resize runs."""
    return np.asarray(_texture_image(rng, size, base, amplitude)).copy()


def _texture_image(rng, size, base=None, amplitude=None):
    w, h = size
    base = rng.integers(0, 256, 3) if base is None else np.asarray(base)
    amp = int(rng.uniform(10, 60) if amplitude is None else amplitude)
    gw = int(rng.integers(24, 100))
    gh = max(2, int(round(gw * h / max(w, 1))))
    coarse = smooth_field(rng, (gw, gh), rng.integers(2, 8), channels=1).astype(np.int16) - 128
    fine = rng.integers(-128, 128, (gh, gw), dtype=np.int16)
    mod = (coarse * amp + fine * (amp // 2)) >> 7
    small = np.clip(base.astype(np.int16) + mod[:, :, None], 0, 255).astype(np.uint8)
    return Image.fromarray(small).resize((w, h), Image.Resampling.BICUBIC)


def paper(rng, size, tone=None):
    """Light paper: off-white tint, faint blotches, fibres."""
    return np.asarray(_paper_image(rng, size, tone)).copy()


def _paper_image(rng, size, tone=None):
    tone = rng.uniform(200, 250) if tone is None else float(tone)
    tint = np.array([tone - rng.uniform(0, 25), tone - rng.uniform(0, 8), tone])  # warm: B lower
    pil = _texture_image(rng, size, base=np.clip(tint, 0, 255).astype(np.int16), amplitude=rng.uniform(3, 14))
    if rng.random() < 0.5:
        d = ImageDraw.Draw(pil)
        w, h = size
        for _ in range(int(rng.integers(5, 40))):
            x, y = rng.uniform(0, w), rng.uniform(0, h)
            ang = rng.uniform(0, 2 * np.pi)
            ln = rng.uniform(3, 15)
            c = int(tone - rng.uniform(10, 40))
            d.line([(x, y), (x + ln * np.cos(ang), y + ln * np.sin(ang))], fill=(c, c, c), width=1)
    return pil


def _color(rng):
    return tuple(int(v) for v in rng.integers(0, 256, 3))


def draw_clutter(rng, pil, n):
    """Draw `n` non-text shapes on a PIL RGB image in place: boxes, ellipses,
    polygons, long lines, arcs, grids and stripes (the things a detector must learn
    to ignore)."""
    w, h = pil.size
    d = ImageDraw.Draw(pil)
    for _ in range(n):
        kind = int(rng.integers(7))
        x0, y0 = rng.uniform(-0.1 * w, w), rng.uniform(-0.1 * h, h)
        sw, sh = rng.uniform(0.03, 0.5) * w, rng.uniform(0.03, 0.5) * h
        box = [x0, y0, x0 + sw, y0 + sh]
        width = int(rng.integers(1, 6))
        filled = rng.random() < 0.5
        col = _color(rng)
        if kind == 0:
            d.rectangle(box, fill=col if filled else None, outline=_color(rng), width=width)
        elif kind == 1:
            d.ellipse(box, fill=col if filled else None, outline=_color(rng), width=width)
        elif kind == 2:
            k = int(rng.integers(3, 7))
            pts = [(x0 + rng.uniform(0, sw), y0 + rng.uniform(0, sh)) for _ in range(k)]
            d.polygon(pts, fill=col if filled else None, outline=_color(rng))
        elif kind == 3:
            d.line([(rng.uniform(0, w), rng.uniform(0, h)), (rng.uniform(0, w), rng.uniform(0, h))],
                   fill=col, width=width)
        elif kind == 4:
            d.arc(box, rng.uniform(0, 360), rng.uniform(0, 360), fill=col, width=width)
        elif kind == 5:                                  # grid / fence
            step = rng.uniform(6, 40)
            for gx in np.arange(box[0], box[2], step):
                d.line([(gx, box[1]), (gx, box[3])], fill=col, width=1)
            if rng.random() < 0.5:
                for gy in np.arange(box[1], box[3], step):
                    d.line([(box[0], gy), (box[2], gy)], fill=col, width=1)
        else:                                            # parallel stripes
            step = rng.uniform(4, 30)
            col2 = _color(rng)
            for k, gy in enumerate(np.arange(box[1], box[3], step)):
                d.rectangle([box[0], gy, box[2], gy + step / 2], fill=col if k % 2 else col2)


def make_background(rng, size=(512, 512), clutter=None):
    """A random background: gradient, texture or paper, with `clutter` shapes
    (random count when None). Returns BGR uint8 (h, w, 3)."""
    check_rng(rng)
    w, h = check_size(size, minimum=8)
    return np.asarray(background_image(rng, (w, h), clutter)).copy()


def background_image(rng, size, clutter=None):
    """:func:`make_background` as a Pillow "RGB" image holding BGR data (no checks)."""
    kind = rng.random()
    if kind < 0.3:
        pil = _smooth_image(rng, size, 2)
    elif kind < 0.75:
        pil = _texture_image(rng, size)
    else:
        pil = _paper_image(rng, size, tone=rng.uniform(120, 250))
    n = int(rng.integers(0, 12)) if clutter is None else int(clutter)
    if n:
        draw_clutter(rng, pil, n)
    return pil
