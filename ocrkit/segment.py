"""Split a line of separated characters into character boxes, and read them.

:func:`segment_characters` binarises (Otsu, polarity from the image border),
labels the ink's connected components, drops specks and frame lines, merges the
pieces of broken glyphs (the dots of i and j, a colon's two dots, a stroke broken
by poor print) and returns the boxes left to right. :func:`read_characters` feeds
those boxes to :class:`ocrkit.CharRecognizer`.

>>> import ocrkit
>>> boxes = ocrkit.segment_characters(line_image)          # doctest: +SKIP
>>> result = ocrkit.read_characters(line_image)            # doctest: +SKIP
>>> result.text, result.confidences                        # doctest: +SKIP
('AB12', array([0.99, 0.98, 1.  , 0.97], dtype=float32))
"""
from typing import NamedTuple

import numpy as np

from . import _validate
from .color import to_gray
from .labeling import connected_components
from .threshold import threshold

__all__ = ["segment_characters", "read_characters", "CharReading"]


class CharReading(NamedTuple):
    """What :func:`read_characters` read.

    text : str
        One character per box, left to right.
    confidences : ndarray, float32, (len(text),)
        The recogniser's probability of each character.
    boxes : ndarray, int32, (len(text), 4)
        The characters' boxes as (x, y, width, height), in image pixels.
    """
    text: str
    confidences: np.ndarray
    boxes: np.ndarray


def _gray_image(image, name="image"):
    img = _validate.image(image, name, dtypes=(np.uint8,), channels=(1, 3, 4))
    if img.ndim == 3:
        img = img[:, :, 0] if img.shape[2] == 1 else to_gray(img[:, :, :3])
    return np.ascontiguousarray(img)


def _ink_mask(g, dark_text):
    """Otsu split; the ink is the class that does not hold most of the border."""
    t = threshold(g, 0, 255, "binary", method="otsu")[0]
    above = g > t
    if dark_text is None:
        # three votes: the outermost ring, a ring a tenth of the height inside it
        # (a plate's frame takes the outer ring), and the whole image (text is the
        # smaller class)
        h, w = above.shape
        d = min(h, w) // 10
        votes = [float(above.mean()) > 0.5]
        for k in (0, d):
            if h - 1 - k <= k or w - 1 - k <= k:
                continue
            ring = np.concatenate([above[k, k:w - k], above[h - 1 - k, k:w - k],
                                   above[k:h - k, k], above[k:h - k, w - 1 - k]])
            votes.append(float(ring.mean()) > 0.5)
        dark_text = sum(votes) * 2 > len(votes) if len(votes) != 2 else votes[1]
    return ~above if dark_text else above


def _segment(g, dark_text, min_speck):
    """(ink mask, label image, groups: list of (box, [labels])) for a gray line."""
    ink = _ink_mask(g, dark_text)
    h, w = g.shape
    n, labels, stats, _ = connected_components(ink.view(np.uint8), 8)
    st = stats[1:].astype(np.int64)
    x, y, bw, bh, area = st.T
    keep = area >= min_speck                     # specks of a few pixels: noise
    # frame lines: a component running along most of the image's width or height
    # while thin the other way (plate borders, table rules, box edges)
    # (a vertical one only when it is at a side and much thinner than any "1")
    frame = (bw >= 0.9 * w) & (bh <= 0.25 * h)
    frame |= (bh >= 0.9 * h) & (bw <= max(2, 0.06 * h)) & ((x == 0) | (x + bw == w))
    frame |= (bw >= 0.9 * w) & (bh >= 0.9 * h) & (area < 0.3 * bw * bh)  # an enclosing box
    keep &= ~frame
    idx = np.flatnonzero(keep)
    if len(idx) == 0:
        return ink, labels, []
    # the line's character height: the median of the tall components
    tall = bh[idx] >= 0.5 * bh[idx].max()
    line_h = float(np.median(bh[idx][tall]))

    # pieces too small even for the dot of an i are dust, and must not be merged
    # into the glyph above or below them
    idx = idx[np.maximum(bw[idx], bh[idx]) >= 0.12 * line_h]

    # merge pieces that share a column span (i/j dots, colon, broken strokes):
    # horizontal overlap of at least half the narrower piece, vertical gap small
    order = idx[np.argsort(x[idx] + bw[idx] / 2.0)]
    groups = []                                   # [x0, y0, x1, y1, [labels]]
    for k in order:
        x0, y0, x1, y1 = x[k], y[k], x[k] + bw[k], y[k] + bh[k]
        merged = False
        for gi in range(len(groups) - 1, max(-1, len(groups) - 4), -1):
            g0, h0, g1, h1, lab = groups[gi]
            ov = min(x1, g1) - max(x0, g0)
            gap = max(y0 - h1, h0 - y1)
            if ov >= 0.5 * min(x1 - x0, g1 - g0) and gap <= 0.5 * line_h:
                groups[gi] = [min(g0, x0), min(h0, y0), max(g1, x1), max(h1, y1), lab + [k + 1]]
                merged = True
                break
        if not merged:
            groups.append([x0, y0, x1, y1, [k + 1]])
    # what is still small after merging is a speck, not a character (a lone dot
    # of the size of an i's dot, dust, a scratch)
    out = []
    for x0, y0, x1, y1, lab in groups:
        if max(x1 - x0, y1 - y0) < 0.3 * line_h:
            continue
        out.append(((int(x0), int(y0), int(x1 - x0), int(y1 - y0)), lab))
    return ink, labels, out


def segment_characters(image, *, dark_text=None, min_speck=None):
    """Boxes of the characters of one line of separated characters, left to right.

    Parameters
    ----------
    image : ndarray
        H×W gray or H×W×3 BGR uint8 image of one line of text (a plate, a cell
        row, a code).
    dark_text : bool or None
        Text darker than the ground; None decides from the image border (the
        ground holds most of it).
    min_speck : int or None
        Components with fewer pixels are noise; default ``max(3, H*H/2000)``.

    Returns
    -------
    ndarray, int32, (N, 4)
        One (x, y, width, height) box per character in reading order. Specks,
        frame lines along the image edges and pieces smaller than 0.3 of the
        line's character height are dropped; pieces one above the other (i and j
        dots, colons, broken strokes) are one character.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.full((30, 60), 255, np.uint8)
    >>> img[5:25, 10:14] = 0; img[5:25, 30:40] = 0; img[5:25, 45:49] = 0
    >>> img[2, 2] = 0                                     # a speck
    >>> ocrkit.segment_characters(img).tolist()
    [[10, 5, 4, 20], [30, 5, 10, 20], [45, 5, 4, 20]]
    """
    g = _gray_image(image)
    if dark_text is not None and not isinstance(dark_text, (bool, np.bool_)):
        raise TypeError(f"dark_text must be True, False or None, got {dark_text!r}")
    if min_speck is None:
        min_speck = max(3, g.shape[0] * g.shape[0] // 2000)
    min_speck = _validate.integer(min_speck, "min_speck", minimum=1)
    _, _, groups = _segment(g, dark_text, min_speck)
    if not groups:
        return np.zeros((0, 4), np.int32)
    return np.array([b for b, _ in groups], np.int32)


def read_characters(image, recognizer=None, *, allowed=None, dark_text=None, min_speck=None):
    """Segment a line of separated characters and read each one.

    Parameters
    ----------
    image : ndarray
        H×W gray or H×W×3 BGR uint8 image of one line of characters.
    recognizer : CharRecognizer, optional
        Default: ``CharRecognizer()`` (the bundled 0-9A-Z model).
    allowed : str, optional
        Restrict the answers to these characters (see ``CharRecognizer.predict``).
    dark_text, min_speck
        As in :func:`segment_characters`.

    Returns
    -------
    CharReading
        ``text``, per-character ``confidences`` and ``boxes``.

    Examples
    --------
    >>> import ocrkit
    >>> r = ocrkit.read_characters(line_image)             # doctest: +SKIP
    >>> r.text, float(r.confidences.min())                 # doctest: +SKIP
    ('7KQ2', 0.93)
    """
    g = _gray_image(image)
    if min_speck is None:
        min_speck = max(3, g.shape[0] * g.shape[0] // 2000)
    min_speck = _validate.integer(min_speck, "min_speck", minimum=1)
    ink, labels, groups = _segment(g, dark_text, min_speck)
    if not groups:
        return CharReading("", np.zeros(0, np.float32), np.zeros((0, 4), np.int32))
    if recognizer is None:
        from .charnet import CharRecognizer
        recognizer = CharRecognizer()
    ground = np.uint8(np.median(g[~ink])) if (~ink).any() else np.uint8(255)
    h, w = g.shape
    crops = []
    for (x, y, bw, bh), lab in groups:
        # a margin of ground around the glyph, with other characters' ink in it
        # painted over, so the recogniser sees one character on a clean border
        m = max(2, int(round(0.15 * max(bw, bh))))
        x0, y0, x1, y1 = max(0, x - m), max(0, y - m), min(w, x + bw + m), min(h, y + bh + m)
        crop = np.full((bh + 2 * m, bw + 2 * m), ground, np.uint8)
        part = g[y0:y1, x0:x1].copy()
        lab_part = labels[y0:y1, x0:x1]
        other = (lab_part != 0) & ~np.isin(lab_part, lab)
        part[other] = ground
        crop[y0 - (y - m):y1 - (y - m), x0 - (x - m):x1 - (x - m)] = part
        crops.append(crop)
    chars, probs = recognizer.predict(crops, allowed=allowed)
    boxes = np.array([b for b, _ in groups], np.int32)
    return CharReading("".join(chars), probs.astype(np.float32), boxes)
