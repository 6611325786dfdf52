"""Read the text of a page or a scene.

Pages (dark text on light paper, scanned or photographed, at any angle): the
page outline is found and warped flat (:mod:`ocrkit.pipelines.scan`), the skew is
measured from the text and undone (plus 90/180/270° turns from Tesseract's
orientation detection), the text is scaled to the size Tesseract reads best,
and Tesseract reads the page.

Scenes (signs, labels, text anywhere in a photo): EAST finds the text regions
(when :mod:`ocrkit.east` and its model are installed), each region is cut out
upright with a four-point warp and read as one line (Tesseract ``--psm 7``, or
the character CNN with ``engine="charnet"``). Without EAST, Tesseract's sparse
text mode (``--psm 11``) reads the whole image.

>>> from ocrkit.io import imread                    # doctest: +SKIP
>>> from ocrkit.pipelines.ocr import ocr            # doctest: +SKIP
>>> result = ocr(imread("page.jpg"))                # doctest: +SKIP
>>> print(result.text)                              # doctest: +SKIP
"""
from dataclasses import dataclass, field

import numpy as np

from .. import geometry, labeling
from ..preprocess import _check_image, deskew, fix_orientation, gray, text_mask
from ._quad import order_quad, quad_size, warp_quad

__all__ = ["OcrResult", "Region", "ENGINES", "KINDS", "ocr", "read_page", "read_scene",
           "looks_like_page"]

ENGINES = ("auto", "tesseract", "charnet")
KINDS = ("auto", "page", "scene")

# Tesseract reads best with lower-case letters about this many pixels tall
_TARGET_XHEIGHT = 22.0
_XHEIGHT_RANGE = (16.0, 40.0)
# scene regions: words Tesseract reads with less confidence are dropped
_MIN_REGION_CONFIDENCE = 30.0
# a page read with at least this mean word confidence is taken as upright
_CONFIDENT = 70.0


@dataclass
class Region:
    """One piece of text found: its text, confidence (0 … 100), and where it is in
    the input image (``polygon``: 4×2 corners clockwise from top-left; ``box``:
    x, y, w, h)."""
    text: str
    confidence: float
    polygon: np.ndarray
    box: tuple

    def to_dict(self):
        return {"text": self.text, "confidence": round(float(self.confidence), 1),
                "polygon": np.round(np.asarray(self.polygon, np.float64), 1).tolist(),
                "box": [int(v) for v in self.box]}


@dataclass
class OcrResult:
    """What :func:`ocr` read: ``kind`` ("page" or "scene"), ``engine``, ``text``
    (lines joined by newlines), ``regions`` (words for pages, text regions for
    scenes, in input-image coordinates), ``angle`` (degrees counter-clockwise the
    page was turned and the pipeline undid; pages only — Tesseract reads a page
    left turned by 90° on its own, which does not show here) and ``page`` (its corners, when found)."""
    kind: str
    engine: str
    text: str
    regions: list = field(default_factory=list)
    angle: float = 0.0
    page: object = None
    words: list = field(default_factory=list)

    def to_dict(self):
        return {"kind": self.kind, "engine": self.engine, "text": self.text,
                "angle": round(float(self.angle), 2),
                "page": None if self.page is None else np.round(self.page, 1).tolist(),
                "regions": [r.to_dict() for r in self.regions]}


def _check_choice(value, choices, name):
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def looks_like_page(img):
    """True when ``img`` looks like a page of text (mostly light, with many small
    dark marks in rows) rather than a scene.

    >>> import numpy as np
    >>> looks_like_page(np.zeros((50, 50), np.uint8))
    False
    """
    g = gray(_check_image(img))
    from .scan import find_page
    if find_page(img) is not None:
        return True
    if np.median(g) < 130:
        return False
    mask = text_mask(g)
    frac = float(mask.mean())
    if not 0.01 <= frac <= 0.35:
        return False
    n, _, stats, _ = labeling.connected_components(mask.astype(np.uint8) * 255, 8)
    small = (stats[1:, 3] >= 4) & (stats[1:, 3] <= g.shape[0] / 5)
    return int(small.sum()) >= 20


def _xheight(g):
    """Median height of the glyph-sized dark blobs of a light page (None if few)."""
    mask = text_mask(g).astype(np.uint8) * 255
    n, _, stats, _ = labeling.connected_components(mask, 8)
    h = stats[1:, 3]
    w = stats[1:, 2]
    keep = (h >= 3) & (h <= g.shape[0] / 10) & (w <= g.shape[1] / 10)
    if keep.sum() < 20:
        return None
    return float(np.median(h[keep]))


def _flatten(g, xheight):
    """Divide out the paper: the page's own light level (a grey max filter wider
    than any stroke, then smoothed) scaled to white, so shadows, tinted paper and
    a background around the page no longer fool Tesseract's global threshold,
    while the text keeps its anti-aliased edges (a hard local threshold loses them)."""
    from ..filters import blur
    from ..morphology import dilate, get_structuring_element
    k = int(max(7, 2.5 * (xheight or 10))) | 1
    small = 4 if min(g.shape) > 400 else 1
    # the background varies slowly: estimate it on a quarter-size copy
    gs = geometry.resize(g, (max(2, g.shape[1] // small), max(2, g.shape[0] // small)),
                         interpolation="area") if small > 1 else g
    ks = max(3, (k // small) | 1)
    bg = dilate(gs, get_structuring_element("rect", (ks, ks)))
    bg = blur(bg, (ks * 2 + 1, ks * 2 + 1), border="replicate")
    if small > 1:
        bg = geometry.resize(bg, (g.shape[1], g.shape[0]), interpolation="linear")
    out = g.astype(np.float32) * 255.0 / np.maximum(bg.astype(np.float32), 1.0)
    return np.clip(out, 0, 255).astype(np.uint8)


def _mean_confidence(words):
    """Tesseract's word confidences averaged over characters (0 when nothing read)."""
    n = sum(len(w.text) for w in words)
    return sum(w.confidence * len(w.text) for w in words) / n if n else 0.0


def _to_input(points, m_inv):
    """Points of the processed page mapped back into input-image pixels."""
    p = np.asarray(points, np.float64).reshape(-1, 2)
    ph = np.hstack([p, np.ones((len(p), 1))]) @ m_inv.T
    return (ph[:, :2] / ph[:, 2:3]).astype(np.float32)


def read_page(img, lang="eng", psm=None, find=True, orientation=True, scale=True,
              flatten=True):
    """Read a page: find and flatten it, deskew it, scale it, run Tesseract.

    Parameters
    ----------
    img : ndarray
        uint8 BGR or gray image of a page (scanned, or photographed on a desk).
    lang : str
        Tesseract language code(s).
    psm : int or None
        Tesseract page segmentation mode (None: automatic, 3).
    find : bool
        Look for the page outline and warp it flat first (photos of a page).
    orientation : bool
        Fix turns of 90/180/270° with Tesseract's orientation detection (asked
        only when the page reads with low confidence; its turn is kept only when
        the turned page reads better).
    scale : bool
        Resize so lower-case letters are about 22 px tall (Tesseract's sweet spot)
        when they are under 16 or over 40 px.
    flatten : bool
        Divide out the paper's light level (shadows, tinted paper, background).

    Returns
    -------
    OcrResult
        ``kind="page"``; ``regions`` are the words, boxes in input pixels.
    """
    from .. import tesseract
    img = _check_image(img)
    h0, w0 = img.shape[:2]
    work = img
    quad = None
    # the transform from input pixels to the processed page, composed as we go
    m = np.eye(3)
    if find:
        from .scan import find_page
        quad = find_page(img)
        if quad is not None:
            w, h = quad_size(quad)
            w, h = max(2, round(w)), max(2, round(h))
            dst = np.array([(0, 0), (w - 1, 0), (w - 1, h - 1), (0, h - 1)], np.float32)
            m = geometry.get_perspective_transform(quad, dst).astype(np.float64)
            work = warp_quad(img, quad, (w, h))
    hb, wb = work.shape[:2]
    work, skew = deskew(work)
    # deskew rotates about the centre and grows the canvas: the same as an affine map
    ha, wa = work.shape[:2]
    r = geometry.get_rotation_matrix_2d(((wb - 1) / 2, (hb - 1) / 2), -skew, 1.0)
    r = np.vstack([np.asarray(r, np.float64), [0, 0, 1]])
    r[0, 2] += (wa - wb) / 2
    r[1, 2] += (ha - hb) / 2
    m = r @ m
    g = gray(work)
    if scale:
        xh = _xheight(g)
        if xh is not None:
            # text already in Tesseract's comfortable range is left as it is: a
            # bigger page only costs time
            f = 1.0 if _XHEIGHT_RANGE[0] <= xh <= _XHEIGHT_RANGE[1] else \
                float(np.clip(_TARGET_XHEIGHT / xh, 0.5, 4.0))
            if abs(f - 1.0) > 0.15:
                g = geometry.resize(g, (max(2, round(g.shape[1] * f)), max(2, round(g.shape[0] * f))),
                                    interpolation="cubic" if f > 1 else "area")
                m = np.diag([g.shape[1] / wa, g.shape[0] / ha, 1.0]) @ m
    if flatten:
        g = _flatten(g, _TARGET_XHEIGHT if scale else _xheight(g))
    words = tesseract.image_to_data(g, lang=lang, psm=psm)
    # orientation detection costs twice a page read, and upright pages read with
    # high confidence: ask it only when the read went badly, and keep its turn
    # only when the turned page then reads better
    if orientation and _mean_confidence(words) < _CONFIDENT:
        hs, ws = g.shape
        g2, turn = fix_orientation(g, fill=255)
        if turn:
            words2 = tesseract.image_to_data(g2, lang=lang, psm=psm)
            if _mean_confidence(words2) > _mean_confidence(words):
                words = words2
                # a turn by a multiple of 90° about the centre, canvas swapped
                r = geometry.get_rotation_matrix_2d(((ws - 1) / 2, (hs - 1) / 2), -turn, 1.0)
                r = np.vstack([np.asarray(r, np.float64), [0, 0, 1]])
                r[0, 2] += (g2.shape[1] - ws) / 2
                r[1, 2] += (g2.shape[0] - hs) / 2
                m = r @ m
    m_inv = np.linalg.inv(m)
    # the page's overall turn in the input: where its x axis points there
    c = np.array([g.shape[1] / 2, g.shape[0] / 2])
    a, b = _to_input([c, c + (100.0, 0.0)], m_inv)
    angle = float(np.degrees(np.arctan2(-(b[1] - a[1]), b[0] - a[0])))
    regions = []
    lines, key = [], None
    for wd in words:
        x, y, w, h = wd.box
        poly = _to_input([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], m_inv)
        bx, by = poly.min(0)
        ex, ey = poly.max(0)
        box = (int(np.floor(max(0, bx))), int(np.floor(max(0, by))),
               int(np.ceil(min(w0, ex) - max(0, bx))), int(np.ceil(min(h0, ey) - max(0, by))))
        regions.append(Region(wd.text, wd.confidence, poly, box))
        k = (wd.page, wd.block, wd.par, wd.line)
        if k != key:
            if lines and key is not None and k[:3] != key[:3]:
                lines.append("")                     # a new paragraph
            lines.append(wd.text)
            key = k
        else:
            lines[-1] += " " + wd.text
    return OcrResult(kind="page", engine="tesseract", text="\n".join(lines), regions=regions,
                     angle=angle, page=quad, words=words)


def _crop_region(img, poly, pad=0.15):
    """The region's quad grown by ``pad`` of its height, warped upright."""
    q = order_quad(poly)
    w, h = quad_size(q)
    if w < h * 0.8:                                  # a vertical quad: read it turned
        q = np.roll(q, -1, axis=0)
        w, h = h, w
    ux = (q[1] - q[0]) / max(np.hypot(*(q[1] - q[0])), 1e-6)
    uy = (q[3] - q[0]) / max(np.hypot(*(q[3] - q[0])), 1e-6)
    d = pad * h
    grow = np.array([-ux - uy, ux - uy, ux + uy, -ux + uy]) * d
    q = (q + grow).astype(np.float32)
    f = max(1.0, 32.0 / max(h, 1.0))                  # at least 32 px tall for the reader
    size = (max(4, round((w + 2 * d) * f)), max(4, round((h + 2 * d) * f)))
    return warp_quad(img, q, size)


def _read_crop_charnet(rec, crop):
    """Characters of a one-line crop by the CNN: dark blobs left to right."""
    g = gray(crop)
    from ..threshold import threshold
    _, b = threshold(g, 0, 255, "binary_inv", method="otsu")
    if (b > 0).mean() > 0.5:
        b = 255 - b
    n, _, stats, _ = labeling.connected_components(b, 8)
    hh = g.shape[0]
    boxes = [tuple(s[:4]) for s in stats[1:] if hh * 0.3 <= s[3] <= hh * 0.95 and s[2] < hh * 1.2]
    boxes.sort()
    if not boxes:
        return "", 0.0
    crops = [g[y:y + h, x:x + w] for x, y, w, h in boxes]
    labels, probs = rec.predict(crops)
    return "".join(labels), float(np.mean(probs)) * 100.0


def read_scene(img, lang="eng", engine="auto", detector=None, min_score=0.5):
    """Read the text regions of a scene photo.

    Parameters
    ----------
    img : ndarray
        uint8 BGR or gray image.
    lang : str
        Tesseract language for the regions.
    engine : {"auto", "tesseract", "charnet"}
        Reader for each region: Tesseract as one line (``--psm 7``), or ocrkit's
        character CNN on the region's dark blobs (0-9 and A-Z only). "auto" is
        Tesseract when installed, else the CNN.
    detector : object or None
        An object with ``detect(img)`` giving detections with ``.polygon`` (4×2)
        and ``.score`` (default: :class:`ocrkit.east.EASTDetector` when installed).
    min_score : float
        Detections scoring lower are dropped.

    Returns
    -------
    OcrResult
        ``kind="scene"``; one :class:`Region` per text region, top to bottom.
    """
    from .. import tesseract
    img = _check_image(img)
    _check_choice(engine, ENGINES, "engine")
    if engine == "auto":
        engine = "tesseract" if tesseract.available() else "charnet"
    if detector is None:
        detector = _east()
    if detector is None:
        if engine != "tesseract":
            raise RuntimeError("reading scenes with the character CNN needs the EAST text "
                               "detector (ocrkit.east), which is not installed")
        words = tesseract.image_to_data(img, lang=lang, psm=11)
        regions = []
        for wd in words:
            if wd.confidence < 30:
                continue
            x, y, w, h = wd.box
            poly = np.array([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], np.float32)
            regions.append(Region(wd.text, wd.confidence, poly, wd.box))
        return OcrResult(kind="scene", engine="tesseract", text="\n".join(r.text for r in regions),
                         regions=regions, words=words)
    rec = None
    if engine == "charnet":
        from ..charnet import CharRecognizer
        rec = CharRecognizer()
    regions = []
    for det in detector.detect(img):
        if float(det.score) < min_score:
            continue
        poly = np.asarray(det.polygon, np.float32).reshape(4, 2)
        crop = _crop_region(img, poly)
        if rec is None:
            # a region Tesseract is unsure of everywhere is most likely not text
            words = [w for w in tesseract.image_to_data(crop, lang=lang, psm=7)
                     if w.confidence >= _MIN_REGION_CONFIDENCE]
            text = " ".join(w.text for w in words)
            conf = float(np.mean([w.confidence for w in words])) if words else 0.0
        else:
            text, conf = _read_crop_charnet(rec, crop)
        if not text:
            continue
        x, y, w, h = (int(v) for v in np.round(
            [*poly.min(0), *(poly.max(0) - poly.min(0))]))
        regions.append(Region(text, conf, order_quad(poly), (x, y, w, h)))
    regions = _reading_order(regions)
    return OcrResult(kind="scene", engine=engine, text="\n".join(r.text for r in regions),
                     regions=regions)


def _reading_order(regions):
    """Regions in reading order: lines top to bottom, left to right within a line,
    measured along the regions' median direction (a turned sign reads in order)."""
    if len(regions) < 2:
        return list(regions)
    polys = np.array([np.asarray(r.polygon, np.float64) for r in regions])
    top = polys[:, 1] - polys[:, 0]
    ang = float(np.median(np.arctan2(top[:, 1], top[:, 0])))
    c, s = np.cos(ang), np.sin(ang)
    centres = polys.mean(1)
    along = centres @ np.array([c, s])
    across = centres @ np.array([-s, c])
    heights = np.linalg.norm(polys[:, 3] - polys[:, 0], axis=1)
    tol = 0.5 * float(np.median(heights))
    order = np.argsort(across)
    lines, cur, ref = [], [], None
    for i in order:
        if cur and across[i] - ref > tol:
            lines.append(cur)
            cur = []
        if not cur:
            ref = across[i]
        cur.append(i)
    lines.append(cur)
    return [regions[i] for line in lines for i in sorted(line, key=lambda k: along[k])]


def _east():
    """An EAST detector, or None when ocrkit.east (or its model) is not installed."""
    try:
        from ..east import EASTDetector
    except ImportError:
        return None
    try:
        return EASTDetector()
    except (OSError, ValueError, RuntimeError):
        return None


def ocr(img, engine="auto", lang="eng", psm=None, kind="auto"):
    """Read the text of a page or a scene (see the module docstring).

    Parameters
    ----------
    img : ndarray
        uint8 BGR or gray image.
    engine : {"auto", "tesseract", "charnet"}
        Pages are always read by Tesseract (the CNN reads single characters);
        for scenes this picks the reader of each region.
    lang : str
        Tesseract language code(s).
    psm : int or None
        Tesseract page segmentation mode for pages.
    kind : {"auto", "page", "scene"}
        "auto" decides with :func:`looks_like_page`.

    Returns
    -------
    OcrResult
    """
    img = _check_image(img)
    _check_choice(engine, ENGINES, "engine")
    _check_choice(kind, KINDS, "kind")
    if kind == "auto":
        kind = "page" if looks_like_page(img) else "scene"
    if kind == "page":
        if engine == "charnet":
            raise ValueError("engine 'charnet' reads scene text and plates; pages need "
                             "Tesseract (engine 'tesseract' or 'auto')")
        return read_page(img, lang=lang, psm=psm)
    return read_scene(img, lang=lang, engine=engine)
