"""Text rendering with exact ground truth.

A line of words is drawn upright into an alpha mask, each word's ink box is
measured from its own pixels, and the mask is warped onto the canvas by a 3×3
homography ``H``. The word quads are the same boxes mapped by the same ``H``,
so they match the pixels exactly.

Coordinates: ``H`` works in continuous coordinates where pixel (row i, col j)
covers [j, j+1)×[i, i+1) (Pillow's convention). Returned quads use OpenCV's
convention (pixel centres at integers), i.e. 0.5 less, so they can be fed to
``ocrkit.get_perspective_transform``/``warp_perspective`` directly.
"""
import functools
import math

import numpy as np
from PIL import Image, ImageDraw

__all__ = ["Line", "word_ink", "prewarm", "render_line", "line_homography", "rect_homography", "apply_homography",
           "box_quads", "warp_alpha", "blend", "luma", "contrasting_color"]

_PAD = 2


class Line:
    """An upright rendered line: ``alpha`` (h×w uint8), word ``boxes`` (n×4 float32,
    x0, y0, x1, y1 ink extents in mask coordinates) and the ``words``."""
    __slots__ = ("alpha", "boxes", "words")

    def __init__(self, alpha, boxes, words):
        self.alpha, self.boxes, self.words = alpha, boxes, words

    @property
    def size(self):
        return self.alpha.shape[1], self.alpha.shape[0]


def _draw_ink(font, text, stroke):
    """Rasterise `text` with FreeType; return its tight ink alpha and offset from
    the pen position (anchor "la": left, ascender). The canvas is sized from the
    advance and metrics with a margin for overhangs, so the text is laid out once."""
    ascent, descent = font.getmetrics()
    m = font.size // 2 + stroke + _PAD
    w = int(font.getlength(text)) + 2 * m
    h = ascent + descent + 2 * m
    im = Image.new("L", (w, h))
    ImageDraw.Draw(im).text((m, m), text, font=font, fill=255, stroke_width=stroke)
    box = im.getbbox()                      # tight box of the non-zero pixels
    if box is None:
        return None, 0, 0
    return np.asarray(im.crop(box)), box[0] - m, box[1] - m


# 131072 entries hold every (face, raster size, character, stroke) the scene
# generator uses: about 60 MB
@functools.lru_cache(maxsize=131072)
def _glyph(font, char, stroke):
    # FreeType costs ~40 µs a glyph and Pillow keeps no glyph cache, while a cached
    # bitmap is placed in a few µs; fonts come from the load_font cache, so the font
    # object itself is a stable key
    ink, ox, oy = _draw_ink(font, char, stroke)
    return ink, ox, oy, font.getlength(char)


def prewarm(font, chars, stroke=0):
    """Rasterise `chars` into the glyph cache now (cold glyphs cost ~40 µs each)."""
    for ch in chars:
        _glyph(font, ch, stroke)


def word_ink(font, text, stroke=0):
    """Tight ink alpha of `text` and its offset (x, y) from the pen position (anchor
    "la": left, ascender): cached glyph bitmaps placed at rounded pen positions and
    merged with max, as Pillow's basic layout does (kerning is not applied).
    Returns (None, 0, 0) when nothing is drawn."""
    parts, pen = [], 0.0
    for ch in text:
        ink, ox, oy, adv = _glyph(font, ch, stroke)
        if ink is not None:
            parts.append((ink, int(math.floor(pen + 0.5)) + ox, oy))
        pen += adv
    if not parts:
        return None, 0, 0
    if len(parts) == 1:
        return parts[0]
    x0 = min(x for _, x, _ in parts)
    y0 = min(y for _, _, y in parts)
    x1 = max(x + i.shape[1] for i, x, _ in parts)
    y1 = max(y + i.shape[0] for i, _, y in parts)
    out = np.zeros((y1 - y0, x1 - x0), np.uint8)
    for ink, x, y in parts:
        h, w = ink.shape
        view = out[y - y0:y - y0 + h, x - x0:x - x0 + w]
        np.maximum(view, ink, out=view)
    return out, x0, y0


def render_line(font, words, *, space=1.0, stroke=0, pad=2):
    """Lay `words` out left to right with `space` × the font's space width between
    them. Words that draw no ink are dropped. Returns a :class:`Line`."""
    ascent, descent = font.getmetrics()
    gap = font.getlength(" ") * space + stroke
    inks, pen = [], 0.0
    for text in words:
        ink, ox, oy = word_ink(font, text, stroke)
        if ink is not None:
            inks.append((text, ink, int(round(pen)) + ox, oy))
        pen += sum(_glyph(font, ch, stroke)[3] for ch in text) + 2 * stroke + gap
    if not inks:
        return Line(np.zeros((1, 1), np.uint8), np.zeros((0, 4), np.float32), [])
    xmin = min(x for _, _, x, _ in inks)
    ymin = min(min(y for _, _, _, y in inks), 0)
    xmax = max(x + i.shape[1] for _, i, x, _ in inks)
    ymax = max(max(y + i.shape[0] for _, i, _, y in inks), ascent + descent)
    alpha = np.zeros((ymax - ymin + 2 * pad, xmax - xmin + 2 * pad), np.uint8)
    boxes = np.empty((len(inks), 4), np.float32)
    for k, (_, ink, x, y) in enumerate(inks):
        x, y = x - xmin + pad, y - ymin + pad
        h, w = ink.shape
        np.maximum(alpha[y:y + h, x:x + w], ink, out=alpha[y:y + h, x:x + w])
        boxes[k] = (x, y, x + w, y + h)
    return Line(alpha, boxes, [t for t, _, _, _ in inks])


def line_homography(w, h, center, angle_deg=0.0, *, scale=1.0, shear=0.0, persp=(0.0, 0.0)):
    """H mapping a w×h upright mask onto the canvas: centred at `center` (x, y),
    rotated by `angle_deg` counter-clockwise (as seen on screen, like OpenCV),
    scaled, sheared along x (italic slant, tan of the angle) and foreshortened by
    `persp` = (px, py): the mask's right edge (left for negative px) appears
    (1 + px) times as tall as the other side (likewise py for the bottom edge)."""
    t0 = np.array([[1, 0, -w / 2.0], [0, 1, -h / 2.0], [0, 0, 1]])
    px, py = persp
    # centred (u, v) maps to (u, v) / (1 + gx u + gy v); the edge heights then differ
    # by (1 - gx w/2) / (1 + gx w/2) = 1 + px, solved for gx
    gx = -2.0 * px / (max(w, 1) * (2.0 + px))
    gy = -2.0 * py / (max(h, 1) * (2.0 + py))
    p = np.array([[1, 0, 0], [0, 1, 0], [gx, gy, 1]])
    sh = np.array([[1, -shear, 0], [0, 1, 0], [0, 0, 1]])
    a = math.radians(angle_deg)
    c, s = math.cos(a) * scale, math.sin(a) * scale
    rot = np.array([[c, s, 0], [-s, c, 0], [0, 0, 1]])
    t1 = np.array([[1, 0, center[0]], [0, 1, center[1]], [0, 0, 1]])
    return t1 @ rot @ sh @ p @ t0


def rect_homography(src_quad, dst_quad):
    """H with H·src_quad[i] = dst_quad[i] for four point pairs (DLT, exact)."""
    src = np.asarray(src_quad, np.float64)
    dst = np.asarray(dst_quad, np.float64)
    a = np.zeros((8, 8))
    b = np.zeros(8)
    for i in range(4):
        x, y = src[i]
        u, v = dst[i]
        a[2 * i] = (x, y, 1, 0, 0, 0, -u * x, -u * y)
        a[2 * i + 1] = (0, 0, 0, x, y, 1, -v * x, -v * y)
        b[2 * i], b[2 * i + 1] = u, v
    return np.append(np.linalg.solve(a, b), 1.0).reshape(3, 3)


def apply_homography(h, pts):
    """Map N×2 points (continuous coordinates) through H."""
    pts = np.asarray(pts, np.float64).reshape(-1, 2)
    q = pts @ h[:, :2].T + h[:, 2]
    return q[:, :2] / q[:, 2:3]


def box_quads(boxes, h):
    """n×4 boxes (x0, y0, x1, y1) → n×4×2 float32 quads through H, clockwise from
    the word's own top-left, in OpenCV pixel-centre coordinates."""
    boxes = np.asarray(boxes, np.float64).reshape(-1, 4)
    corners = np.stack([boxes[:, [0, 1]], boxes[:, [2, 1]], boxes[:, [2, 3]], boxes[:, [0, 3]]], 1)
    q = apply_homography(h, corners.reshape(-1, 2)) - 0.5
    return q.reshape(-1, 4, 2).astype(np.float32)


def warp_alpha(alpha, h, canvas_size, as_image=False):
    """Warp an alpha mask by H into the canvas. Returns (patch, x0, y0) where the
    patch covers the part of the canvas the mask lands on (None when off-canvas);
    the patch is a uint8 array, or a Pillow "L" image with `as_image`."""
    mh, mw = alpha.shape
    cw, ch = canvas_size
    corners = apply_homography(h, [(0, 0), (mw, 0), (mw, mh), (0, mh)])
    x0 = max(int(math.floor(corners[:, 0].min())) - 1, 0)
    y0 = max(int(math.floor(corners[:, 1].min())) - 1, 0)
    x1 = min(int(math.ceil(corners[:, 0].max())) + 1, cw)
    y1 = min(int(math.ceil(corners[:, 1].max())) + 1, ch)
    if x1 <= x0 or y1 <= y0:
        return None, 0, 0
    # Pillow wants the output→input map, here for the patch's own origin
    inv = np.linalg.inv(np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]]) @ h)
    inv = inv / inv[2, 2]
    patch = Image.fromarray(alpha).transform((x1 - x0, y1 - y0), Image.Transform.PERSPECTIVE,
                                             tuple(inv.ravel()[:8]), Image.Resampling.BILINEAR)
    return (patch if as_image else np.asarray(patch)), x0, y0


def blend(canvas, patch, x0, y0, color, opacity=1.0):
    """canvas[y0:, x0:] = mix(canvas, color, patch × opacity), in place, rounded."""
    ph, pw = patch.shape
    region = canvas[y0:y0 + ph, x0:x0 + pw]
    a = patch.astype(np.uint16)
    if opacity < 1.0:
        a = (a * int(round(opacity * 256))) >> 8
    a = a[:, :, None] if region.ndim == 3 else a
    col = np.asarray(color, np.uint16)
    # 8-bit alpha in 16-bit arithmetic; +127 makes the /255 round to nearest
    region[...] = ((region * (255 - a) + col * a + 127) // 255).astype(np.uint8)


def luma(color):
    """Luma of a BGR (or gray) colour, BT.601 like cvtColor."""
    c = np.atleast_1d(np.asarray(color, np.float64))
    return float(c[0]) if c.size == 1 else float(0.114 * c[0] + 0.587 * c[1] + 0.299 * c[2])


def contrasting_color(rng, background, min_contrast=40.0, max_contrast=220.0, saturation=None):
    """A BGR colour whose luma differs from `background`'s by a random amount in
    [min_contrast, max_contrast] (less only where 0..255 leaves no room)."""
    bg = luma(background)
    delta = rng.uniform(min_contrast, max_contrast)
    room_dark, room_light = bg, 255.0 - bg
    if room_dark >= min_contrast and room_light >= min_contrast:
        darker = rng.random() < 0.5
    else:
        darker = room_dark > room_light
    target = bg - delta if darker else bg + delta
    target = min(max(target, 0.0), 255.0)
    hue = rng.uniform(0, 255, 3)
    sat = rng.uniform(0, 1) ** 2 if saturation is None else saturation
    col = target + sat * (hue - luma(hue))
    return tuple(int(v) for v in np.clip(np.round(col), 0, 255))
