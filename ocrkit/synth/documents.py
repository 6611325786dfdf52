"""Document pages: dense dark text on light paper, scanned or photographed."""
import math

import numpy as np

from .. import _validate
from . import degrade
from ._args import check_rng, check_size, check_split
from .backgrounds import make_background, paper, texture
from .fonts import font_size, load_font, pick_face
from .render import blend, box_quads, rect_homography, render_line
from .words import sample_text

__all__ = ["LOOKS", "make_document"]

LOOKS = ("scan", "photo")


def _tokens(rng, split):
    """One sampled text as whitespace-free tokens (codes like "AB12 CDE" are two
    words on the page), sometimes followed by a comma or full stop."""
    parts = sample_text(rng, split, p_code=0.08, max_len=12).split()
    r = rng.random()
    if r < 0.07:
        parts[-1] += ","
    elif r < 0.11:
        parts[-1] += "."
    return parts


def _layout(rng, split, w, h):
    """Lay the page out upright. Returns (alpha h×w uint8, word boxes n×4 in page
    coordinates, words, text with line breaks)."""
    face = pick_face(rng, split, categories=("serif", "sans", "mono"))
    body = load_font(face.path, font_size(rng, max(9.0, h / 95), max(10.0, h / 42)))
    head = load_font(face.path, font_size(rng, body.size * 1.3, body.size * 2.0))
    alpha = np.zeros((h, w), np.uint8)
    boxes, words, lines = [], [], []
    left = int(w * rng.uniform(0.05, 0.12))
    right = w - int(w * rng.uniform(0.05, 0.12))
    y = int(h * rng.uniform(0.04, 0.09))
    bottom = h - int(h * rng.uniform(0.04, 0.09))
    justify = rng.random() < 0.5
    spacing = rng.uniform(1.05, 1.5)

    def put(font, tokens, x, y, width=None):
        space = 1.0
        if width is not None and len(tokens) > 1:
            natural = sum(font.getlength(t) for t in tokens)
            space = max(0.8, (width - natural) / (len(tokens) - 1) / font.getlength(" "))
        line = render_line(font, tokens, space=space, pad=0)
        lh, lw = line.alpha.shape
        lw, lh = min(lw, w - x), min(lh, h - y)
        if lw <= 0 or lh <= 0 or not line.words:
            return
        np.maximum(alpha[y:y + lh, x:x + lw], line.alpha[:lh, :lw], out=alpha[y:y + lh, x:x + lw])
        for box, word in zip(line.boxes, line.words):
            if box[2] <= lw and box[3] <= lh:           # a word cut by the page edge is not kept
                boxes.append(box + (x, y, x, y))
                words.append(word)
        lines.append(" ".join(word for box, word in zip(line.boxes, line.words)
                              if box[2] <= lw and box[3] <= lh))

    if rng.random() < 0.6:                                     # a heading
        ascent, descent = head.getmetrics()
        if y + ascent + descent < bottom:
            put(head, [t for _ in range(int(rng.integers(1, 5))) for t in _tokens(rng, split)], left, y)
            y += int((ascent + descent) * 1.6)
            lines.append("")
    ascent, descent = body.getmetrics()
    step = int(math.ceil((ascent + descent) * spacing))
    space_w = body.getlength(" ")
    while y + ascent + descent < bottom:
        n_lines = int(rng.integers(2, 12))
        indent = int(body.size * 2) if rng.random() < 0.4 else 0
        for k in range(n_lines):
            if y + ascent + descent >= bottom:
                break
            x0 = left + (indent if k == 0 else 0)
            avail = right - x0
            last = k == n_lines - 1
            limit = avail * (rng.uniform(0.2, 0.9) if last else 1.0)
            tokens, used = [], 0.0
            pending = []
            while True:
                if not pending:
                    pending = _tokens(rng, split)
                t = pending.pop(0)
                tl = body.getlength(t)
                if tokens and used + space_w + tl > limit:
                    break
                if not tokens and tl > avail:
                    continue
                tokens.append(t)
                used += (space_w if len(tokens) > 1 else 0) + tl
            put(body, tokens, x0, y, width=avail if justify and not last else None)
            y += step
        y += int(step * rng.uniform(0.3, 1.0))
        lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    boxes = np.array(boxes, np.float32).reshape(-1, 4)
    return alpha, boxes, words, "\n".join(lines)


def _rotation_fit(w, h, skew_deg, fill):
    """Page corners rotated by skew about the centre and scaled to fill `fill` of
    the frame."""
    a = math.radians(skew_deg)
    c, s = abs(math.cos(a)), abs(math.sin(a))
    scale = fill * min(w / (w * c + h * s), h / (w * s + h * c))
    ca, sa = math.cos(a) * scale, math.sin(a) * scale
    pts = np.array([(0, 0), (w, 0), (w, h), (0, h)], np.float64) - (w / 2, h / 2)
    rot = pts @ np.array([[ca, -sa], [sa, ca]])       # counter-clockwise on screen (y down)
    return rot + (w / 2, h / 2)


def make_document(rng, size=(768, 1024), split="train", skew_deg=0, *, look=None, with_page=False):
    """A page of dense dark text on light paper, scanned or photographed.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of all randomness (same seed, same bytes).
    size : (int, int)
        Image (width, height), each 32 … 8192.
    split : {"train", "val"}
        Fonts and words come from this split only.
    skew_deg : float
        In-plane rotation of the page, degrees counter-clockwise (OpenCV's sign),
        within ±90. The page is scaled to stay inside the frame.
    look : {None, "scan", "photo"}
        "scan": the page fills a flat-bed frame, mild blur, noise, tone curve;
        "photo": the page lies on a desk under perspective, uneven light and
        shadows; None picks one at random.
    with_page : bool
        Also return the page's four corners.

    Returns
    -------
    image : ndarray, uint8, (height, width, 3)
        BGR image.
    quads : list of ndarray, float32, (4, 2)
        One per word, clockwise from the word's top-left, OpenCV pixel coordinates.
    words : list of str
        The words in reading order (tokens may end in "," or ".").
    text : str
        The page text: words joined by spaces, lines by "\\n", an empty line
        between paragraphs (and after a heading).
    page : ndarray, float32, (4, 2)
        Only with `with_page`: the paper's corners, clockwise from top-left.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrkit.synth import make_document
    >>> img, quads, words, text = make_document(np.random.default_rng(0), size=(300, 400))
    >>> img.shape, len(quads) == len(words), text.split() == words
    ((400, 300, 3), True, True)
    """
    check_rng(rng)
    w, h = check_size(size)
    split = check_split(split)
    skew = _validate.real(skew_deg, "skew_deg")
    if abs(skew) > 90:
        raise ValueError(f"skew_deg must be within ±90 degrees, got {skew_deg!r}")
    if look is not None:
        look = _validate.choice(look, LOOKS, "look")
    else:
        look = LOOKS[int(rng.integers(2))]
    if not isinstance(with_page, (bool, np.bool_)):
        raise TypeError(f"with_page must be a bool, got {with_page!r}")

    alpha, boxes, words, text = _layout(rng, split, w, h)
    page = paper(rng, (w, h))
    ink = tuple(int(v) for v in rng.integers(0, 70, 3)) if rng.random() < 0.3 else (25, 25, 25)
    blend(page, alpha, 0, 0, ink, opacity=rng.uniform(0.8, 1.0))

    if look == "scan":
        corners = _rotation_fit(w, h, skew, 1.0)
        back = np.empty((h, w, 3), np.uint8)
        back[...] = np.uint8(rng.uniform(200, 255))
    else:
        corners = _rotation_fit(w, h, skew, rng.uniform(0.7, 0.92))
        corners += rng.uniform(-0.04, 0.04, (4, 2)) * (w, h)            # perspective
        lo, hi = corners.min(0), corners.max(0)
        corners += rng.uniform(-lo, np.array((w, h)) - hi)             # anywhere in frame
        back = make_background(rng, (w, h), clutter=int(rng.integers(0, 4))) if rng.random() < 0.5 \
            else texture(rng, (w, h))
    hmat = rect_homography([(0, 0), (w, 0), (w, h), (0, h)], corners)
    img = degrade.warp_onto(back, page, hmat)

    if look == "scan":
        img = degrade.adjust_contrast(rng, img, rng.uniform(1.0, 1.5), rng.uniform(-10, 20),
                                      rng.uniform(0.8, 1.2))
        img = degrade.defocus(rng, img, rng.uniform(1.0, 1.6))
        img = degrade.add_noise(rng, img, rng.uniform(0.5, 5.0))
        if rng.random() < 0.4:
            img = degrade.jpeg(rng, img, rng.uniform(40, 95))
    else:
        img = degrade.camera(rng, img, strength=1.0)
        if rng.random() < 0.5:
            img = degrade.uneven_light(rng, img, rng.uniform(0.2, 0.5))
    quads = list(box_quads(boxes, hmat))
    if with_page:
        return img, quads, words, text, (corners - 0.5).astype(np.float32)
    return img, quads, words, text
