"""Licence-plate-like images with their text and one quad per character."""
import numpy as np
from PIL import Image, ImageDraw

from . import degrade
from ._args import check_rng, check_size, check_split
from .backgrounds import draw_clutter, texture
from .fonts import font_size, load_font, pick_face
from .render import blend, box_quads, rect_homography, word_ink
from .words import plate_text

__all__ = ["make_plate"]

# (plate colour, text colour) in BGR: white, UK-rear yellow, black with white, blue
_SCHEMES = (((235, 238, 240), (20, 20, 20)), ((30, 200, 250), (20, 20, 20)),
            ((25, 25, 25), (235, 235, 235)), ((150, 60, 20), (240, 240, 240)))


def _layout(rng, split, text):
    """Draw the plate upright. Returns (plate BGR, char boxes n×4 in plate coords)."""
    face = pick_face(rng, split, categories=("sans", "mono"), bold=rng.random() < 0.7)
    font = load_font(face.path, font_size(rng, 48, 64))
    track = font.size * rng.uniform(0.0, 0.12)
    inks, pen = [], 0.0
    for ch in text:
        if ch == " ":
            pen += font.getlength(" ") * rng.uniform(0.8, 1.6)
            continue
        ink, ox, oy = word_ink(font, ch)
        if ink is not None:
            inks.append((ink, int(round(pen)) + ox, oy))
        pen += font.getlength(ch) + track
    ascent, descent = font.getmetrics()
    y_top = min(y for _, _, y in inks)
    y_bot = max(y + i.shape[0] for i, _, y in inks)
    cap = y_bot - y_top
    mx, my = int(cap * rng.uniform(0.3, 0.6)), int(cap * rng.uniform(0.2, 0.35))
    strip = int(cap * 0.55) if rng.random() < 0.3 else 0       # EU-style band on the left
    x_left = min(x for _, x, _ in inks)
    x_right = max(x + i.shape[1] for i, x, _ in inks)
    pw = x_right - x_left + 2 * mx + strip
    ph = cap + 2 * my
    (bg, fg) = _SCHEMES[int(rng.choice(4, p=(0.5, 0.25, 0.15, 0.1)))]
    plate = np.empty((ph, pw, 3), np.uint8)
    plate[...] = bg
    alpha = np.zeros((ph, pw), np.uint8)
    boxes = np.empty((len(inks), 4), np.float32)
    for k, (ink, x, y) in enumerate(inks):
        x, y = x - x_left + mx + strip, y - y_top + my
        h, w = ink.shape
        np.maximum(alpha[y:y + h, x:x + w], ink, out=alpha[y:y + h, x:x + w])
        boxes[k] = (x, y, x + w, y + h)
    blend(plate, alpha, 0, 0, fg)
    pil = Image.fromarray(plate)
    d = ImageDraw.Draw(pil)
    if strip:
        d.rectangle([0, 0, strip, ph], fill=(150, 50, 0))
    border = int(rng.integers(1, 5))
    d.rectangle([0, 0, pw - 1, ph - 1], outline=fg, width=border)
    return np.asarray(pil).copy(), boxes


def make_plate(rng, split="train", size=(320, 160), *, with_quad=False):
    """A licence-plate-like image with its text and character boxes.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of all randomness (same seed, same bytes).
    split : {"train", "val"}
        Fonts and plate strings come from this split only.
    size : (int, int)
        Image (width, height); the plate spans 45–90 % of the width.
    with_quad : bool
        Also return the plate's four corners.

    Returns
    -------
    image : ndarray, uint8, (height, width, 3)
        BGR: a plate (white, yellow, black or blue; bordered, sometimes with a
        blue band) on a car-body texture with clutter, rotated up to ±10°, in
        perspective, blurred, noised, unevenly lit and JPEG'd at random.
    text : str
        The plate text, e.g. "AB12 CDE" or "AB-123-CD".
    boxes : ndarray, float32, (n, 4, 2)
        One quad per non-space character of `text` (hyphens included), in order,
        clockwise from the top-left, OpenCV pixel coordinates.
    quad : ndarray, float32, (4, 2)
        Only with `with_quad`: the plate's corners.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrkit.synth import make_plate
    >>> img, text, boxes = make_plate(np.random.default_rng(0))
    >>> img.shape, len(boxes) == len(text.replace(" ", ""))
    ((160, 320, 3), True)
    """
    check_rng(rng)
    split = check_split(split)
    w, h = check_size(size)
    if not isinstance(with_quad, (bool, np.bool_)):
        raise TypeError(f"with_quad must be a bool, got {with_quad!r}")
    text = plate_text(rng, split)
    plate, boxes = _layout(rng, split, text)
    ph, pw = plate.shape[:2]

    body = rng.integers(0, 256, 3)
    back = texture(rng, (w, h), base=body, amplitude=rng.uniform(5, 30))
    pil = Image.fromarray(back)
    draw_clutter(rng, pil, int(rng.integers(0, 6)))
    back = np.asarray(pil).copy()

    span = w * rng.uniform(0.45, 0.9)
    scale = min(span / pw, 0.8 * h / ph)
    angle = np.radians(rng.uniform(-10, 10))
    c, s = np.cos(angle) * scale, np.sin(angle) * scale
    corners = np.array([(0, 0), (pw, 0), (pw, ph), (0, ph)], np.float64) - (pw / 2, ph / 2)
    corners = corners @ np.array([[c, -s], [s, c]])
    corners += rng.uniform(-0.08, 0.08, (4, 2)) * (pw * scale, ph * scale)
    lo, hi = corners.min(0), corners.max(0)
    span = ((hi - lo) / (0.96 * np.array((w, h)))).max()
    if span > 1:                                  # rotation and jitter must not leave the frame
        corners = (corners - (corners.min(0) + corners.max(0)) / 2) / span
        lo, hi = corners.min(0), corners.max(0)
    corners += rng.uniform(-lo, np.maximum(np.array((w, h)) - hi, -lo))
    hmat = rect_homography([(0, 0), (pw, 0), (pw, ph), (0, ph)], corners)
    img = degrade.warp_onto(back, plate, hmat)
    img = degrade.camera(rng, img, strength=0.8)
    quads = box_quads(boxes, hmat)
    if with_quad:
        return img, text, quads, (corners - 0.5).astype(np.float32)
    return img, text, quads
