"""Find and read licence plates: candidates, four-point warp, characters, CNN.

>>> import numpy as np
>>> from ocrkit.synth import make_plate
>>> img, text, _ = make_plate(np.random.default_rng(3), "val")
>>> read_plates(img)[0].text == text
True
"""
from dataclasses import dataclass

import numpy as np

from .. import (arc_length, approx_poly_dp, box_points, canny, connected_components, contour_area,
                dilate, erode, find_contours, gaussian_blur, get_structuring_element,
                min_area_rect, morphology_ex, resize, sobel, threshold)
from ._quad import order_quad, quad_size, warp_quad
from ._image import gray as _gray

__all__ = ["PlateResult", "PLATE_FORMATS", "read_plates", "read_plate_crop", "plate_candidates",
           "parse_plate_format"]

PLATE_H = 64            # warped plate height: characters come out about 30-45 px tall
_WORK = 800             # longest side the search runs at (larger images are shrunk)

#: Plate formats read by default: ``L`` a letter A-Z, ``D`` a digit, ``A`` either,
#: and the space or hyphen the plate shows between groups. Pass your own to
#: :func:`read_plates` (``formats=``) or ``ocrkit plate --format``.
PLATE_FORMATS = (
    "LLDD LLL",         # Great Britain (since 2001): AB12 CDE
    "LL-DDD-LL",        # France (SIV), Italy: AB-123-CD
    "LLL DDDD",         # many US states, older GB-style: ABC 1234
    "DLLLDDD",          # California: 7ABC123
    "DD-LLL-D",         # Netherlands (one of its side codes): 12-ABC-3
    "LLLDDD",           # compact: ABC123
)
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"
_SLOT = {"L": _LETTERS, "D": _DIGITS, "A": _LETTERS + _DIGITS}
# a separator the image shows where the format has none (or the other way
# round, or a space for a hyphen) costs this factor of probability
_SEP_MISS = np.log(0.05)
# a format's reading may be this much less likely than the free one (each
# character's top class): a few O/0, I/1 or B/8 turns, not letters made of digits
_FORMAT_SLACK = np.log(1e-4)
# plausibility of a row of characters as a plate
_MIN_CHARS, _MAX_CHARS = 4, 10
_MIN_CHAR_CONFIDENCE = 0.3
_SHORT_CHAR = 0.82          # an x-height letter, in the row's capital height
_MAX_USUAL_GAP = 0.5        # plate characters stand close: the usual gap, in character heights


def parse_plate_format(fmt):
    """Character classes and separators of a plate format.

    ``L`` is a letter A-Z, ``D`` a digit 0-9, ``A`` either; a space or a hyphen
    stands between two groups as on the plate.

    Returns
    -------
    (slots, seps)
        ``slots``: one string of allowed characters per character of the plate;
        ``seps``: the separator after each but the last character ("", " " or "-").

    >>> slots, seps = parse_plate_format("LL-DDD-LL")
    >>> len(slots), seps
    (7, ['', '-', '', '', '-', ''])
    """
    if not isinstance(fmt, str):
        raise TypeError(f"formats: each format must be a str, got {fmt!r}")
    slots, seps = [], []
    for ch in fmt:
        if ch in " -":
            if not slots or seps[-1:] == [None] or (seps and seps[-1]):
                raise ValueError(f"formats: {fmt!r} has a separator at its start or two in a row")
            if len(seps) == len(slots) - 1:
                seps.append(ch)
            continue
        if ch.upper() not in _SLOT:
            raise ValueError(f"formats: {fmt!r} may hold only L (letter), D (digit), A (either), "
                             f"space and hyphen, got {ch!r}")
        if len(seps) < len(slots):
            seps.append("")
        slots.append(_SLOT[ch.upper()])
    if not slots or len(seps) != len(slots) - 1:
        raise ValueError(f"formats: {fmt!r} has no characters or ends with a separator")
    return slots, seps


def _parse_formats(formats):
    if formats is None:
        return None
    if isinstance(formats, str):
        formats = [formats]
    out = [parse_plate_format(f) for f in formats]
    if not out:
        raise ValueError("formats: give at least one format, or None to read any characters")
    return out


@dataclass
class PlateResult:
    """One plate read by :func:`read_plates`.

    text : str
        Characters with spaces and hyphens where the plate has them ("AB12 CDE").
    quad : (4, 2) float32
        The plate region's corners in the input image, clockwise from top-left.
    box : (x, y, w, h)
        The quad's upright bounding box.
    confidence : float
        The least of the character probabilities (0 … 1).
    char_confidences : list of float
        One per character of `text` that is not a space or hyphen.
    """
    text: str
    quad: np.ndarray
    box: tuple
    confidence: float
    char_confidences: list

    def to_dict(self):
        return {"text": self.text, "confidence": round(float(self.confidence), 4),
                "box": [int(v) for v in self.box],
                "quad": np.round(self.quad, 1).tolist(),
                "char_confidences": [round(float(c), 4) for c in self.char_confidences]}




# ---------------------------------------------------------------- characters

def _components(binary):
    n, _, stats, _ = connected_components(binary, 8)
    return stats[1:]


def _row(stats, h_img, w_img, binary=None):
    """Character boxes (x, y, w, h) of the one text row among `stats`, left to right,
    and the hyphens between them; ([], []) if there is no row of at least 3."""
    cand = []
    for x, y, w, h, area in stats.tolist():
        # up to 3.5 heights wide: two or three letters that touch, split below
        if h < 0.3 * h_img or h > 0.95 * h_img or w > 3.5 * h or area < 0.1 * w * h:
            continue
        if x == 0 or x + w == w_img:
            continue                                  # cut by the crop edge: frame or band
        cand.append((x, y, w, h))
    if len(cand) < 3:
        return [], []
    # the row: the largest set whose tops or bottoms line up with one member's and
    # whose heights are close to it (Q's tail and J's descender change one end only)
    best = []
    for _, ym, _, hm in cand:
        sel = [c for c in cand
               if 0.75 * hm <= c[3] <= 1.35 * hm
               and (abs(c[1] - ym) <= 0.12 * hm or abs(c[1] + c[3] - ym - hm) <= 0.12 * hm)]
        if len(sel) > len(best):
            best = sel
    if len(best) < 3:
        return [], []
    best.sort()
    best = _merge_overlaps(best)
    if binary is not None:
        best = _split_wide(best, binary)
    # what no thin join split is no character (a bar, a smudge)
    best = [c for c in best if c[2] <= 1.5 * c[3]]
    if len(best) < 3:
        return [], []
    hm = float(np.median([c[3] for c in best]))
    # a plate's characters are capitals and digits, one height; two or more
    # boxes well short of the row's capitals (its upper quartile of heights: a
    # word may hold more small letters than capitals) and standing on its
    # baseline are the x-height letters of a word (a, e of "Caleb 784"; r, u, n
    # of "truing 793": 0.74-0.79). One short box is allowed: a glyph the
    # binarisation broke
    cap = float(np.percentile([c[3] for c in best], 75))
    base = float(np.median([c[1] + c[3] for c in best]))
    if sum(c[3] < _SHORT_CHAR * cap and abs(c[1] + c[3] - base) <= 0.1 * cap for c in best) >= 2:
        return [], []
    hyphens = []
    for x, y, w, h, area in stats.tolist():
        if not (h < 0.35 * hm and 0.2 * hm <= w <= 1.2 * hm and w > 1.1 * h and area > 0.5 * w * h):
            continue
        if any(min(x + w, c[0] + c[2]) - max(x, c[0]) >= 0.9 * w
               and c[1] <= y and y + h <= c[1] + c[3] for c in best):
            continue                                  # inside a character: a slashed or dotted 0
        cx, cy = x + w / 2, y + h / 2
        for a, b in zip(best[:-1], best[1:]):
            if a[0] + a[2] / 2 < cx < b[0] + b[2] / 2:
                # on the centre line of its two neighbours (a slanted row moves it)
                mid = (a[1] + a[3] / 2 + b[1] + b[3] / 2) / 2
                if abs(cy - mid) < 0.2 * hm:
                    hyphens.append((x, y, w, h))
                break
    if _intruders(stats, best, hyphens, hm, w_img):
        return [], []
    return best, hyphens


def _intruders(stats, chars, hyphens, hm, w_img):
    """Whether marks of letter size stand between the row's characters, just
    beyond its ends or cut by the crop's sides, that are none of them: the
    small letters of a word whose capitals and digits made up the row, a line
    of text going on (a caption such as "truing 793" or "WHENS 827" is no plate;
    a plate's border and band are taller than its letters)."""
    x0, x1 = chars[0][0] - hm, chars[-1][0] + chars[-1][2] + hm
    top = min(c[1] for c in chars)
    bottom = max(c[1] + c[3] for c in chars)
    for x, y, w, h, area in stats.tolist():
        cx = x + w / 2
        # letter-like: within the row's band, solid enough (a slanted border
        # line is not) and wider than a thin bar (a plate's border is not)
        if not (top - 0.25 * hm <= y and y + h <= bottom + 0.25 * hm and w >= 0.15 * hm
                and 0.4 * hm <= h <= 1.3 * hm and area >= 0.1 * w * h):
            continue
        if x == 0 or x + w == w_img:
            # a letter cut by the crop: full height, level with the row
            if h >= 0.7 * hm and min(abs(y - top), abs(y + h - bottom)) <= 0.25 * hm:
                return True
            continue
        if not x0 < cx < x1:
            continue
        if (x, y, w, h) in hyphens:
            continue
        inside = max(max(0, min(x + w, c[0] + c[2]) - max(x, c[0]))
                     * max(0, min(y + h, c[1] + c[3]) - max(y, c[1])) for c in chars)
        if inside < 0.5 * w * h:
            return True
    return False


def _merge_overlaps(boxes):
    """Join pieces of one broken character: boxes one above the other (sharing
    most of their width, little of their height). Italic neighbours overlap in
    x too, but side by side, and stay apart."""
    out = [list(boxes[0])]
    for x, y, w, h in boxes[1:]:
        px, py, pw, ph = out[-1]
        x_overlap = min(px + pw, x + w) - max(px, x)
        y_overlap = min(py + ph, y + h) - max(py, y)
        if x_overlap > 0.6 * min(pw, w) and y_overlap < 0.3 * min(ph, h):
            x0, y0 = min(px, x), min(py, y)
            out[-1] = [x0, y0, max(px + pw, x + w) - x0, max(py + ph, y + h) - y0]
        else:
            out.append([x, y, w, h])
    return [tuple(b) for b in out]


def _split_wide(boxes, binary):
    """Cut boxes much wider than the row's usual character (italic letters that
    touch, "IV") at the emptiest columns of their ink."""
    widths = sorted(b[2] for b in boxes)
    usual = widths[len(widths) // 2]
    out = []
    for x, y, w, h in boxes:
        parts = int(round(w / usual))
        if w < 1.7 * usual or parts < 2:
            out.append((x, y, w, h))
            continue
        ink = (binary[y:y + h, x:x + w] > 0).sum(0).astype(np.float64)
        cuts = []
        for k in range(1, parts):
            c = int(round(k * w / parts))
            lo, hi = max(1, c - usual // 3), min(w - 1, c + usual // 3 + 1)
            at = lo + int(np.argmin(ink[lo:hi]))
            if ink[at] <= 0.12 * h:                   # a thin join, not a W's or M's middle
                cuts.append(at)
        edges = [0] + cuts + [w]
        out += [(x + a, y, b - a, h) for a, b in zip(edges[:-1], edges[1:]) if b - a > 1]
    return out


def _flatten(gray, dark_text):
    """The plate relative to its ground: a closing (opening for light text) wider
    than a stroke estimates the ground, so uneven light and shadows drop out
    before one Otsu threshold."""
    k = np.ones((PLATE_H // 3 | 1, PLATE_H // 3 | 1), np.uint8)
    g = gray.astype(np.float32)
    if dark_text:
        ground = morphology_ex(gray, "close", k, border="replicate").astype(np.float32)
        return np.clip(g * 255 / np.maximum(ground, 1), 0, 255).astype(np.uint8)
    ground = morphology_ex(gray, "open", k, border="replicate").astype(np.float32)
    return np.clip(255 - (255 - g) * 255 / np.maximum(255 - ground, 1), 0, 255).astype(np.uint8)


def _segment(gray):
    """(character boxes, hyphen boxes, dark text?) of a plate crop, trying
    dark-on-light and light-on-dark; ([], [], True) when neither gives a row."""
    h_img, w_img = gray.shape
    best = ([], [], True)
    for dark in (True, False):                     # dark text first: most plates
        flat = gaussian_blur(_flatten(gray, dark), (3, 3), 0)
        _, binary = threshold(flat, 0, 255, "binary_inv" if dark else "binary", method="otsu")
        chars, hyphens = _row(_components(binary), h_img, w_img, binary)
        if len(chars) > len(best[0]):
            best = (chars, hyphens, dark)
    return best


def _char_crop(gray, box, ground, pad=1.25):
    """The character's box padded to a square (the recogniser's framing), with
    what lies outside the box painted `ground`: neighbours and hyphens beside it,
    the plate's border or band above and below it (a gray band would otherwise
    join the recogniser's tight box, which also takes strokes fainter than Otsu's
    ink)."""
    x, y, w, h = box
    side = int(max(w, h) * pad) + 2
    cx, cy = x + w / 2, y + h / 2
    x0, y0 = int(round(cx - side / 2)), int(round(cy - side / 2))
    p = np.pad(gray, side, mode="edge")
    crop = p[y0 + side:y0 + 2 * side, x0 + side:x0 + 2 * side].copy()
    lo, hi = max(0, x - 1 - x0), min(side, x + w + 1 - x0)
    crop[:, :lo] = ground
    crop[:, hi:] = ground
    top, bottom = max(0, y - 1 - y0), min(side, y + h + 1 - y0)
    crop[:top] = ground
    crop[bottom:] = ground
    return crop


def read_plate_crop(crop, recognizer=None, formats=None):
    """Read an upright plate crop (gray or BGR).

    Returns (text, confidence, char_confidences); ("", 0.0, []) when no row of
    characters is found, or when ``formats`` (see :data:`PLATE_FORMATS`) are
    given and the row fits none of them. Spaces go where a gap is much wider
    than the usual gap between characters; hyphens are short dashes on the
    centre line.
    """
    r = _read_crop(crop, recognizer, _parse_formats(formats))
    if r is None:
        return "", 0.0, []
    return r[0], min(r[1]), list(r[1])


def _read_crop(crop, recognizer, formats):
    """(text, char probabilities, usual gap / character height, least top
    probability) of a plate crop, or None when there is no row of characters or
    it fits none of ``formats`` (parsed; None: any characters)."""
    gray = _gray(crop)
    if gray.shape[0] != PLATE_H:
        w = max(8, int(round(gray.shape[1] * PLATE_H / gray.shape[0])))
        gray = resize(gray, (w, PLATE_H), interpolation="area" if gray.shape[0] > PLATE_H else "linear")
    chars, hyphens, dark = _segment(gray)
    if not chars:
        return None
    # the plate's ground: the brighter (dark text) or darker side of its middle band
    band = gray[min(c[1] for c in chars):max(c[1] + c[3] for c in chars)]
    ground = int(np.percentile(band, 80 if dark else 20))
    rec = recognizer if recognizer is not None else _default_recognizer()
    p = rec.predict_proba([_char_crop(gray, b, ground) for b in chars])
    hm = float(np.median([c[3] for c in chars]))
    # gaps between boxes widened to most of the usual width: a narrow 1 or I
    # stands in a full-width cell, and its side bearings are no space
    wide = 0.8 * float(np.median([c[2] for c in chars]))
    left = [c[0] + c[2] / 2 - max(c[2], wide) / 2 for c in chars]
    right = [c[0] + c[2] / 2 + max(c[2], wide) / 2 for c in chars]
    gaps = [left[i + 1] - right[i] for i in range(len(chars) - 1)]
    seps = [""] * len(gaps)
    # a hyphen belongs to the gap whose middle is nearest its centre (italic
    # boxes overlap the dash, so containment is not a test)
    mids = [(chars[i][0] + chars[i][2] + chars[i + 1][0]) / 2 for i in range(len(gaps))]
    for hx, _, hw, _ in hyphens:
        if mids:
            seps[int(np.argmin([abs(hx + hw / 2 - m) for m in mids]))] = "-"
    # a space: a gap wider than the usual one by a fifth of the character height
    # (on generated val plates, word spaces exceed the usual gap by 0.21 h and
    # more, gaps between letters by at most 0.24 h, rarely above 0.2 h)
    plain = [g for g, sep in zip(gaps, seps) if not sep]
    usual = float(np.median(plain)) if plain else 0.0
    for i, gap in enumerate(gaps):
        if not seps[i] and gap - usual > 0.2 * hm:
            seps[i] = " "
    if formats is None:
        labels, probs = _decode(p, rec.alphabet, seps)
    else:
        # the whole row, else without its first or last mark: a plate's band,
        # a bolt or a piece of its border can pass for an I or a 1 at an end
        for keep in ((slice(None),), (slice(1, None), slice(None, -1))):
            fits = [f for f in (_fit_formats(p[k], rec.alphabet, seps[k], formats) for k in keep)
                    if f is not None]
            if fits:
                break
        else:
            return None
        p, (_, labels, probs, seps) = max(fits, key=lambda f: f[1][0])
    # how sure the recogniser is of each character before any format is imposed
    sure = float(p.max(1).min())
    text = labels[0] + "".join(sep + ch for sep, ch in zip(seps, labels[1:]))
    return text, probs, usual / hm, sure


def _fit_formats(p, alphabet, seps, formats):
    """(p, format reading) when the row's best format reading is within
    :data:`_FORMAT_SLACK` of its free one, else None."""
    if len(p) < 1:
        return None
    fit = _decode_formats(p, alphabet, seps, formats)
    # a format may turn an O the CNN took for a 0, not a row of digits into letters
    if fit is None or fit[0] < float(np.log(np.maximum(p.max(1), 1e-9)).sum()) + _FORMAT_SLACK:
        return None
    return p, fit


def _decode_formats(p, alphabet, seps, formats):
    """(log score, labels, probabilities, separators) under the format that
    explains the row best: per character the likeliest of the classes its slot
    allows (as ``CharRecognizer.predict(allowed=...)`` picks), times the cost of
    each separator the image disagrees on; None when no format has as many
    characters as the row."""
    logp = np.log(np.maximum(p, 1e-9))
    best = None
    for slots, fseps in formats:
        if len(slots) != len(p):
            continue
        idx = [max((alphabet.index(c) for c in slot if c in alphabet), key=lambda k: p[i, k])
               for i, slot in enumerate(slots)]
        score = float(sum(logp[i, k] for i, k in enumerate(idx)))
        score += _SEP_MISS * sum(a != b for a, b in zip(seps, fseps))
        if best is None or score > best[0]:
            best = (score, [alphabet[k] for k in idx], [float(p[i, k]) for i, k in enumerate(idx)],
                    list(fseps))
    return best


# Switching between letters and digits inside a group costs this factor: a
# character changes kind only when the recogniser is less than ~50x surer of the
# kind its neighbours break (O/0, I/1, Z/2, B/8, S/5 on plates).
_SWITCH = np.log(0.02)


def _decode(p, alphabet, seps):
    """Best labels for the (N, classes) probabilities `p` under the plate syntax:
    runs of letters and of digits, switching kind freely at a space or hyphen and
    at a cost inside a group (Viterbi over the two kinds)."""
    digit = np.array([c.isdigit() for c in alphabet])
    kinds = []
    for mask in (~digit, digit):                     # 0: letter, 1: digit
        idx = np.nonzero(mask)[0]
        best = idx[p[:, idx].argmax(1)]
        kinds.append((best, p[np.arange(len(p)), best]))
    logp = np.log(np.maximum(np.stack([kinds[0][1], kinds[1][1]], 1), 1e-9))
    n = len(p)
    score = logp[0].copy()
    back = np.zeros((n, 2), np.int64)
    for i in range(1, n):
        cost = 0.0 if seps[i - 1] else _SWITCH
        new = np.empty(2)
        for k in (0, 1):
            stay, switch = score[k], score[1 - k] + cost
            back[i, k] = k if stay >= switch else 1 - k
            new[k] = max(stay, switch) + logp[i, k]
        score = new
    k = int(score.argmax())
    path = [k]
    for i in range(n - 1, 0, -1):
        k = int(back[i, k])
        path.append(k)
    path.reverse()
    labels = [alphabet[kinds[k][0][i]] for i, k in enumerate(path)]
    probs = [float(kinds[k][1][i]) for i, k in enumerate(path)]
    return labels, probs


_RECOGNIZER = []


def _default_recognizer():
    # loading the TFLite model costs more than reading a plate: load it once
    if not _RECOGNIZER:
        from ..charnet import CharRecognizer
        _RECOGNIZER.append(CharRecognizer())
    return _RECOGNIZER[0]


# ---------------------------------------------------------------- candidates

def plate_candidates(gray):
    """Plate-like quads (float32 (4, 2), clockwise from top-left) in a gray image.

    Two routes, as in the classic course project and its usual extension:

    * characters: a black-hat (dark text) and a top-hat (light text) bring out
      strokes smaller than the kernel; their horizontal gradient, closed with
      a wide kernel and thresholded (Otsu), merges a row of characters into one
      blob; blobs 1.5–12 times wider than tall, as rotated rectangles, grown to
      take in the plate's margins;
    * plate outline: the light (or dark) rectangle itself, from Otsu's
      threshold both ways, simplified to four corners (perspective kept) or
      fitted with a rotated rectangle.
    """
    h, w = gray.shape
    area = float(h * w)
    out = []
    # characters route: kernels scale with the image (plates span a good part of it)
    unit = max(3, int(round(min(w, h * 2) / 60)))
    rect = get_structuring_element("rect", (3 * unit | 1, unit | 1))
    for op in ("blackhat", "tophat"):
        hat = morphology_ex(gray, op, rect, border="replicate")
        grad = np.abs(sobel(hat, 1, 0, 3, ddepth=np.float32))
        peak = float(grad.max())
        if peak <= 0:
            continue
        grad = (grad * (255.0 / peak)).astype(np.uint8)
        grad = gaussian_blur(grad, (5, 5), 0)
        # two closings: one joins the letters of a word, the wider one bridges
        # the space between a plate's groups as well
        for span in (3, 7):
            closed = morphology_ex(grad, "close", get_structuring_element(
                "rect", (span * unit | 1, unit | 1)), border="replicate")
            _, binary = threshold(closed, 0, 255, "binary", method="otsu")
            binary = dilate(erode(binary, None, iterations=2), None, iterations=2)
            out += [_grow(q, 1.12, 1.45) for q in _quads(binary, area, (1.5, 12.0), 0.003, False)]
    # plate-outline route: the plate as a light or dark region, and as the
    # closed outline its border and edge draw
    blur = gaussian_blur(gray, (5, 5), 0)
    for kind in ("binary", "binary_inv"):
        _, binary = threshold(blur, 0, 255, kind, method="otsu")
        out += _quads(binary, area, (1.3, 8.0), 0.01, True)
    edges = dilate(canny(blur, 50, 150), None)
    out += _quads(edges, area, (1.3, 8.0), 0.01, True, mode="list")
    return _dedupe(out)


def _dedupe(quads):
    """Drop quads whose corners all lie within 3 % of the size of one kept earlier."""
    kept = []
    for q in quads:
        tol = 0.03 * max(quad_size(q))
        if all(np.abs(q - k).max() > tol for k in kept):
            kept.append(q)
    return kept


def _quads(binary, area, aspect, min_frac, corners, mode="external"):
    """Quads of the contours of `binary` with a plausible size and aspect."""
    cnts, _ = find_contours(binary, mode, "simple")
    out = []
    for c in cnts:
        if len(c) < 4:
            continue
        a = contour_area(c)
        if a < min_frac * area or a > 0.95 * area:
            continue
        (cx, cy), (rw, rh), ang = min_area_rect(c)
        if rw < rh:
            rw, rh = rh, rw
        if rh < 8 or not aspect[0] <= rw / rh <= aspect[1]:
            continue
        if a < 0.5 * rw * rh:
            continue                                  # not a filled rectangle
        quad = None
        if corners:
            approx = approx_poly_dp(c, 0.03 * arc_length(c, True), True).reshape(-1, 2)
            if len(approx) == 4:
                quad = order_quad(approx.astype(np.float32))
        if quad is None:
            quad = order_quad(box_points(((cx, cy), (rw, rh) if abs(ang) < 45 else (rh, rw), ang)))
        out.append(quad)
    return out


def _grow(quad, fx, fy):
    """Scale an ordered quad about its centre, `fx` along its top edge, `fy` across."""
    q = np.asarray(quad, np.float64)
    c = q.mean(0)
    ux = (q[1] - q[0] + q[2] - q[3]) / 2
    uy = (q[3] - q[0] + q[2] - q[1]) / 2
    return np.array([c - ux * fx / 2 - uy * fy / 2, c + ux * fx / 2 - uy * fy / 2,
                     c + ux * fx / 2 + uy * fy / 2, c - ux * fx / 2 + uy * fy / 2], np.float32)


def _iou_boxes(a, b):
    ax0, ay0, aw, ah = a
    bx0, by0, bw, bh = b
    iw = max(0.0, min(ax0 + aw, bx0 + bw) - max(ax0, bx0))
    ih = max(0.0, min(ay0 + ah, by0 + bh) - max(ay0, by0))
    inter = iw * ih
    return inter / max(aw * ah + bw * bh - inter, 1e-9)


def read_plates(img, recognizer=None, max_plates=3, formats=PLATE_FORMATS):
    """Find and read the licence plates in an image.

    Parameters
    ----------
    img : ndarray
        uint8 gray or BGR image.
    recognizer : ocrkit.charnet.CharRecognizer, optional
        The character reader; the bundled CNN by default.
    max_plates : int
        At most this many plates (non-overlapping), best first.
    formats : sequence of str, str or None
        The plate formats to expect (syntax in :func:`parse_plate_format`;
        default :data:`PLATE_FORMATS`). Each character is read as the class its
        place in the format allows (a letter where the format has ``L``: the
        CNN's O/0, I/1, B/8 doubts are settled by position), and a row that
        fits none of them is no plate. None: any row of letters and digits.

    Returns
    -------
    list of PlateResult
        Best first; empty when no candidate holds a plausible plate.

    Notes
    -----
    Every candidate (1.3–12 times wider than tall) is straightened with a
    four-point warp to a fixed height and read. It counts as a plate when its
    row has 4–10 characters, set close together (the usual gap under half a
    character's height: a sudoku row or a line of spaced digits is not a
    plate), nothing of letter size between the characters but hyphens (a
    caption's small letters), every character read with a probability of at
    least 0.3 (under the format: all but one, the one its place turned), and it
    fits ``formats`` (once more without a mark at either end: a band, bolt or
    border piece read as an I). A candidate whose crop holds no such row is
    read once more 1.4 times wider (its last group may lie beyond a hyphen).
    Its score is the sum over its characters of their probability minus 1/2
    (without formats: the mean probability, times n/7 below 7 characters), so a
    crop cut short loses to the whole plate; where candidates overlap, the best
    one wins.

    >>> import numpy as np
    >>> from ocrkit.synth import make_plate
    >>> img, text, _ = make_plate(np.random.default_rng(7), "val")
    >>> text, [p.text for p in read_plates(img)]
    ('ZMF 8186', ['ZMF 8186'])
    >>> read_plates(img, formats=["LL-DDD-LL"])        # not a format of this plate
    []
    """
    gray = _gray(img)
    if not isinstance(max_plates, (int, np.integer)) or isinstance(max_plates, bool) \
            or max_plates < 1:
        raise ValueError(f"max_plates must be a positive int, got {max_plates!r}")
    parsed = _parse_formats(formats)
    scale = min(1.0, _WORK / max(gray.shape))
    small = gray if scale == 1.0 else resize(
        gray, (max(1, int(round(gray.shape[1] * scale))), max(1, int(round(gray.shape[0] * scale)))),
        interpolation="area")
    rec = recognizer if recognizer is not None else _default_recognizer()
    found = []
    for quad in plate_candidates(small):
        quad = quad / scale if scale != 1.0 else quad
        w, h = quad_size(quad)
        if h < 6:
            continue
        width = int(min(max(round(w * PLATE_H / h), PLATE_H), 16 * PLATE_H))
        crop = warp_quad(gray, quad, (width, PLATE_H))
        r = _read_crop(crop, rec, parsed)
        if r is None:
            # a candidate that stops short of the plate's end (its last group
            # beyond a hyphen, a clutter line through it): once more, wider
            quad = _grow(quad, 1.4, 1.1)
            w, h = quad_size(quad)
            width = int(min(max(round(w * PLATE_H / h), PLATE_H), 16 * PLATE_H))
            r = _read_crop(warp_quad(gray, quad, (width, PLATE_H)), rec, parsed)
            if r is None:
                continue
        text, probs, gap, sure = r
        # at most one character below the floor once a format is imposed: the
        # O its place made of the CNN's 0, not a word forced into letters
        if not (_MIN_CHARS <= len(probs) <= _MAX_CHARS and gap <= _MAX_USUAL_GAP
                and sure >= _MIN_CHAR_CONFIDENCE
                and sorted(probs)[1] >= _MIN_CHAR_CONFIDENCE):
            continue
        if parsed is None:
            # any length goes: a crop cut short must lose to the whole plate
            score = float(np.mean(probs)) * min(1.0, len(probs) / 7)
        else:
            # each character counts for how much more likely than not it is: a
            # sure first character keeps a whole plate ahead of a crop without
            # it, a doubtful mark of the border past its end does not
            score = float(np.sum(np.asarray(probs) - 0.5))
        x0, y0 = quad.min(0)
        x1, y1 = quad.max(0)
        box = (int(np.floor(x0)), int(np.floor(y0)), int(np.ceil(x1 - x0)), int(np.ceil(y1 - y0)))
        found.append((score, PlateResult(text, quad.astype(np.float32), box, min(probs), probs)))
    found.sort(key=lambda t: -t[0])
    kept = []
    for score, r in found:
        if all(_iou_boxes(r.box, k.box) < 0.2 for k in kept):
            kept.append(r)
        if len(kept) >= max_plates:
            break
    return kept
