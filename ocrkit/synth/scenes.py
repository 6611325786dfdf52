"""Scene-text images for training and testing the text detector (EAST)."""
import bisect
import math
import string

import numpy as np
from PIL import ImageFilter

from . import degrade
from ._args import check_rng, check_size, check_split
from .backgrounds import background_image
from . import render
from .fonts import faces, load_font, pick_face
from .render import (apply_homography, box_quads, contrasting_color, line_homography, render_line,
                     warp_alpha)
from .words import sample_text

__all__ = ["make_scene", "prewarm", "convex_overlap"]

# rasterisation sizes, about 20 % apart (see _place_line)
_RENDER_SIZES = (10, 12, 14, 17, 20, 24, 29, 35, 42, 50, 60)


def convex_overlap(p, q, margin=0.0):
    """True when convex polygons `p` and `q` (N×2, either winding) come closer than
    `margin` pixels along every edge normal of either (the separating-axis test,
    with a gap of at least `margin` required to separate)."""
    for poly in (p, q):
        edges = np.concatenate([poly[1:], poly[:1]]) - poly
        normals = np.stack([-edges[:, 1], edges[:, 0]], 1)
        normals /= np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)
        pp, qq = p @ normals.T, q @ normals.T
        if np.any((pp.max(0) + margin <= qq.min(0)) | (qq.max(0) + margin <= pp.min(0))):
            return False
    return True


class _Placed:
    """Hulls of the lines placed so far, with plain-float boxes for a cheap
    first rejection before the separating-axis test."""

    def __init__(self):
        self.items = []

    def hits(self, hull, margin):
        x0, y0 = (hull.min(0) - margin).tolist()
        x1, y1 = (hull.max(0) + margin).tolist()
        return any(not (x1 < b[0] or b[2] < x0 or y1 < b[1] or b[3] < y0)
                   and convex_overlap(hull, poly, margin) for b, poly in self.items)

    def add(self, hull):
        self.items.append((hull.min(0).tolist() + hull.max(0).tolist(), hull))


def _render_size(px):
    """The smallest rasterisation size at least 0.95 `px` (the largest one beyond)."""
    k = bisect.bisect_left(_RENDER_SIZES, px * 0.95)
    return _RENDER_SIZES[min(k, len(_RENDER_SIZES) - 1)]


def _place_line(rng, split, w, h, placed):
    """Render a random line and try a few poses for it; return (line, H, hull) for
    the first pose that lies inside the image without touching earlier lines, or
    None. Rendering costs more than posing, so each rendering gets several poses."""
    max_px = max(10.0, min(120.0, min(w, h) / 4.5))
    for _ in range(3):
        face = pick_face(rng, split)
        nw = 1 + int(rng.random() < 0.35) + int(rng.random() < 0.15)
        # codes such as "AB12 CDE" hold a space: each part is a word with its own quad
        texts = [t for _ in range(nw) for t in sample_text(rng, split, p_code=0.25, max_len=14).split()]
        # a line about 0.6 em per character wide must fit the frame
        chars = sum(len(t) + 1 for t in texts)
        px = min(math.exp(rng.uniform(math.log(10), math.log(max_px))), 0.95 * max(w, h) / (0.6 * chars))
        # text is rasterised at one of a few sizes (at most 60 px) and scaled to the
        # drawn size by the homography: few (face, size) pairs keep the glyph cache
        # hot, and FreeType's cost grows with the glyph area
        font = load_font(face.path, _render_size(px))
        scale = px / font.size
        stroke = 1 if font.size > 24 and rng.random() < 0.1 else 0
        line = render_line(font, texts, space=rng.uniform(0.8, 2.0), stroke=stroke)
        lw, lh = line.size
        if not line.words or lw * scale > 0.98 * max(w, h) or lh * scale > 0.9 * min(w, h):
            max_px = max(10.0, max_px * 0.7)
            continue
        for _ in range(6):
            if rng.random() < 0.6:
                angle = float(np.clip(rng.normal(0, 4), -45, 45))
            else:
                angle = rng.uniform(-45, 45)
            shear = rng.uniform(-0.3, 0.3) if rng.random() < 0.2 else 0.0
            persp = tuple(rng.uniform(-0.3, 0.3, 2)) if rng.random() < 0.4 else (0.0, 0.0)
            unit = line_homography(lw, lh, (0.0, 0.0), angle, scale=scale, shear=shear, persp=persp)
            hull = apply_homography(unit, [(0, 0), (lw, 0), (lw, lh), (0, lh)])
            # centre drawn where this pose fits inside the image (1 px margin)
            lo, hi = 1 - hull.min(0), np.array((w - 1, h - 1)) - hull.max(0)
            if np.any(lo > hi):
                continue
            centre = rng.uniform(lo, hi)
            hull = hull + centre
            if placed.hits(hull, 3.0):
                continue
            hmat = np.array([[1, 0, centre[0]], [0, 1, centre[1]], [0, 0, 1]]) @ unit
            return line, hmat, hull
    return None


def _local_color(canvas, hull):
    """Mean colour under the line, sampled at its centre and at points halfway to
    each corner (nine reads instead of a masked mean over the whole patch)."""
    c = hull.mean(0)
    pts = [c] + [c + (p - c) * f for p in hull for f in (0.5, 0.85)]
    w, h = canvas.size
    px = [canvas.getpixel((min(max(int(x), 0), w - 1), min(max(int(y), 0), h - 1))) for x, y in pts]
    return tuple(sum(v[k] for v in px) / len(px) for k in range(3))


def _draw_line(rng, canvas, line, hmat, hull):
    """Composite a line onto the Pillow canvas (BGR data in an "RGB" image: Pillow
    never looks at the channel order) in a contrasting colour, maybe soft,
    outlined or with a drop shadow."""
    w, h = canvas.size
    patch, x0, y0 = warp_alpha(line.alpha, hmat, (w, h), as_image=True)
    if patch is None:
        return
    pw, ph = patch.size
    box = (x0, y0, x0 + pw, y0 + ph)
    bg = _local_color(canvas, hull)
    color = contrasting_color(rng, bg, min_contrast=20.0 if rng.random() < 0.15 else 50.0)
    if rng.random() < 0.25:             # soft, out-of-focus text
        patch = patch.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.3)))
    effect = rng.random()
    if effect < 0.1:                    # outline in a second colour
        canvas.paste(contrasting_color(rng, color, 60.0), box, patch.filter(ImageFilter.MaxFilter(3)))
    elif effect < 0.2:                  # drop shadow down-right (Pillow clips at the edges)
        dx, dy = (int(v) for v in rng.integers(1, 4, 2))
        shade = _scaled(patch, rng.uniform(0.3, 0.7))
        canvas.paste((0, 0, 0), (x0 + dx, y0 + dy, x0 + dx + pw, y0 + dy + ph), shade)
    if rng.random() >= 0.8:
        patch = _scaled(patch, rng.uniform(0.75, 1.0))
    canvas.paste(color, box, patch)


def _scaled(mask, opacity):
    q = int(round(opacity * 256))
    return mask.point([(v * q) >> 8 for v in range(256)])


def prewarm(split="train"):
    """Fill the font and glyph caches with every glyph :func:`make_scene` can draw
    for `split` (tens of seconds), so that generation runs at its steady-state rate
    from the first image. Optional: the caches also fill as scenes are made."""
    chars = string.ascii_letters + string.digits + "$€£.:/-%"
    for face in faces(check_split(split)):
        for size in _RENDER_SIZES:
            font = load_font(face.path, size)
            for stroke in ((0, 1) if size > 24 else (0,)):
                render.prewarm(font, chars, stroke)


def make_scene(rng, size=(512, 512), split="train"):
    """A scene-text image with one quad per word.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of all randomness (same seed, same bytes).
    size : (int, int)
        Image (width, height), each 32 … 8192.
    split : {"train", "val"}
        Fonts and words come from this split only.

    Returns
    -------
    image : ndarray, uint8, (height, width, 3)
        BGR image: a procedural background with clutter, 1–8 lines of one to three
        words in random fonts, sizes, colours and contrasts, rotated up to ±45°,
        sheared and foreshortened, then blurred, noised, lit unevenly and JPEG'd at
        random.
    quads : list of ndarray, float32, (4, 2)
        One per word: corners clockwise from the word's own top-left, in pixel
        coordinates (OpenCV convention, pixel centres at integers), tight around
        the word's ink, inside the image.
    words : list of str
        The words, in the order of `quads`.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrkit.synth import make_scene
    >>> img, quads, words = make_scene(np.random.default_rng(0), size=(256, 192))
    >>> img.shape, img.dtype, len(quads) == len(words)
    ((192, 256, 3), dtype('uint8'), True)
    """
    check_rng(rng)
    w, h = check_size(size)
    split = check_split(split)
    canvas = background_image(rng, (w, h))
    placed, quads, words = _Placed(), [], []
    for _ in range(int(rng.integers(1, 9))):
        found = _place_line(rng, split, w, h, placed)
        if found is None:
            continue
        line, hmat, hull = found
        placed.add(hull)
        _draw_line(rng, canvas, line, hmat, hull)
        quads.extend(box_quads(line.boxes, hmat))
        words.extend(line.words)
    img = np.asarray(degrade.camera(rng, canvas)).copy()
    return img, quads, words
