"""The document scanner: find a page in a photo, straighten it with a four-point
warp, clean it up, optionally read it.

>>> from ocrkit.io import imread                       # doctest: +SKIP
>>> from ocrkit.pipelines.scan import scan             # doctest: +SKIP
>>> result = scan(imread("desk.jpg"), ocr=True)        # doctest: +SKIP
>>> result.quad, result.text[:40]                      # doctest: +SKIP
"""
from dataclasses import dataclass, field

import numpy as np

from .. import contours, edges, geometry, morphology
from ..filters import gaussian_blur
from ..preprocess import gray, preprocess, _check_image
from ..threshold import threshold
from ._quad import order_quad, quad_size, warp_quad

__all__ = ["ScanResult", "find_page", "scan"]

_WORK = 500          # page finding runs on an image about this tall


@dataclass
class ScanResult:
    """``quad``: the page corners found in the input (4×2 float32, clockwise from
    top-left; None when no page outline was found and the whole image was used),
    ``warped``: the straightened page (input colours), ``clean``: its black-on-white
    binarised version, ``text``: what Tesseract read (only with ``ocr=True``)."""
    quad: object
    warped: np.ndarray
    clean: np.ndarray
    text: str = None
    words: list = field(default_factory=list)

    def to_dict(self):
        return {"found": self.quad is not None,
                "quad": None if self.quad is None else np.round(self.quad, 1).tolist(),
                "size": [int(self.warped.shape[1]), int(self.warped.shape[0])],
                "text": self.text}


def _quads_from_binary(b, min_area):
    """Four-corner outlines of the biggest outer contours of a binary image: each
    contour's convex hull (text touching the page edge leaves dents) reduced by
    ``approx_poly_dp`` with a growing tolerance until four corners remain."""
    cs, _ = contours.find_contours(b, "external", "simple")
    cs = sorted(cs, key=lambda c: contours.contour_area(c), reverse=True)[:4]
    out = []
    for c in cs:
        if contours.contour_area(c) < min_area:
            break
        out += _quad_of_hull(contours.convex_hull(c))
    return out


def _quads_from_pieces(e, min_area, keep=6):
    """Four-corner outlines from pieces of an edge map with no text left in it:
    a faint page outline breaks into a few pieces (an L-shaped half, a side),
    so the convex hulls of the largest pieces and of their unions by two and
    three are tried (edge support decides which of them is a page)."""
    import itertools
    cs, _ = contours.find_contours(e, "external", "simple")
    hulls = sorted((contours.convex_hull(c) for c in cs), key=contours.contour_area,
                   reverse=True)
    # a piece worth joining is long: its hull spans a good share of the image
    pieces = [h for h in hulls[:keep] if contours.contour_area(h) >= 0.05 * min_area
              or contours.arc_length(h, True) >= 0.25 * (e.shape[0] + e.shape[1])]
    out = []
    for k in (1, 2, 3):
        for group in itertools.combinations(pieces, k):
            hull = contours.convex_hull(np.vstack(group)) if k > 1 else group[0]
            if contours.contour_area(hull) >= min_area:
                out += _quad_of_hull(hull)
    return out


def _quad_of_hull(hull):
    """[(area, quad)] when ``hull`` reduces to four corners with ``approx_poly_dp``
    at a growing tolerance, else []."""
    peri = contours.arc_length(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.05, 0.08):
        approx = contours.approx_poly_dp(hull, eps * peri, True)
        if len(approx) <= 4:
            break
    if len(approx) != 4:
        return []
    quad = approx.reshape(4, 2).astype(np.float32)
    return [(contours.contour_area(quad), quad)]


def _edge_support(edge, quad, n=400):
    """Share of points along the quad's outline that lie on an edge pixel."""
    q = np.vstack([quad, quad[:1]]).astype(np.float64)
    t = np.linspace(0, 1, n // 4, endpoint=False)[:, None]
    pts = np.vstack([a + (b - a) * t for a, b in zip(q[:-1], q[1:])])
    x = np.clip(np.round(pts[:, 0]).astype(int), 0, edge.shape[1] - 1)
    y = np.clip(np.round(pts[:, 1]).astype(int), 0, edge.shape[0] - 1)
    return float((edge[y, x] > 0).mean())


def _paper_score(img):
    """Bright and colourless is paper-like: min channel minus chroma, uint8."""
    if img.ndim == 2:
        return img
    b = img[:, :, :3].astype(np.int16)
    lo, hi = b.min(2), b.max(2)
    return np.clip(lo - (hi - lo), 0, 255).astype(np.uint8)


def _text_free_edges(small):
    """Canny edges of the image with its text closed away, on gray and on the
    colour differences: a page on a desk of the same brightness still differs in
    tint (cream paper on white), and without the text its outline is the only
    long edge left."""
    k = morphology.get_structuring_element("rect", (9, 9))
    c = morphology.morphology_ex(small, "close", k)
    chans = [gray(c)]
    if c.ndim == 3:
        ci = c.astype(np.int16)
        for a, b in ((2, 0), (1, 0), (2, 1)):
            d = ci[:, :, a] - ci[:, :, b]
            # tints differ by a few levels: stretched 4× about the image's own
            chans.append(np.clip((d - int(np.median(d))) * 4 + 128, 0, 255).astype(np.uint8))
    out = None
    for ch in chans:
        e = edges.canny(gaussian_blur(ch, (9, 9), 0), 10, 30)
        out = e if out is None else np.maximum(out, e)
    return out


def find_page(img, min_fraction=0.1):
    """The four corners of the largest page-like outline in ``img``, or None.

    Outer contours come from three binary maps of a ~500 px copy (Canny edges
    closed with a dilation, Otsu of the gray image, Otsu of a paper-likeness
    map: bright and colourless); each contour's convex hull is reduced to four
    corners with ``approx_poly_dp``. Of the quads that cover at least
    ``min_fraction`` of the image and have a margin free of edges just inside,
    the one whose outline runs best along Canny edges (or the border of the
    map it came from) wins. When none qualifies, the page is looked for once
    more in the edges of the image with its text closed away, on gray and on
    the colour differences (cream paper on a white desk): the hulls of the
    longest edge pieces and of their unions by two and three, kept only when
    their outline runs at least 85% along those edges.

    Returns
    -------
    ndarray or None
        float32 (4, 2) corners in input pixels, clockwise from the top-left.

    Examples
    --------
    >>> import numpy as np
    >>> img = np.full((300, 400, 3), 60, np.uint8)
    >>> img[50:250, 100:300] = 230
    >>> find_page(img).round().tolist()
    [[99.0, 49.0], [300.0, 49.0], [300.0, 250.0], [99.0, 250.0]]
    """
    img = _check_image(img)
    if not 0 < min_fraction < 1:
        raise ValueError(f"min_fraction must be within (0, 1), got {min_fraction!r}")
    h, w = img.shape[:2]
    f = min(1.0, _WORK / max(h, w))
    small = img
    if f < 1.0:
        small = geometry.resize(img, (max(2, round(w * f)), max(2, round(h * f))),
                                interpolation="area")
    g = gaussian_blur(gray(small), (5, 5), 0)
    min_area = min_fraction * g.shape[0] * g.shape[1]
    k5 = morphology.get_structuring_element("rect", (5, 5))
    e = edges.canny(g, 30, 90)
    support = morphology.dilate(e, k5)
    # (binary map, the edges its quads are checked against): Canny's own, and for
    # the Otsu maps also their own borders (paper and desk of equal brightness but
    # different colour leave Canny on the gray image little to go on)
    k3 = morphology.get_structuring_element("rect", (3, 3))
    maps = [(morphology.dilate(e, k3), None)]
    for src in (g, gaussian_blur(_paper_score(small), (5, 5), 0)):
        _, b = threshold(src, 0, 255, "binary", method="otsu")
        b = morphology.morphology_ex(b, "open", k5)
        b = morphology.morphology_ex(b, "close", k5, iterations=3)
        border = morphology.dilate(morphology.morphology_ex(b, "gradient", k3), k5)
        maps.append((b, border))
    frame = 0.97 * g.shape[0] * g.shape[1]

    def keep(quads, support_maps, min_score):
        out = []
        for area, quad in quads:
            score = max(_edge_support(s, quad) for s in support_maps)
            # a page border has a margin inside it; a block of text outlined by
            # its own dilated edges has edges all along just inside too
            inner = quad + 6.0 * np.sign(quad.mean(0) - quad)
            # and a quad hugging the whole frame is the image edge, not a page
            if area < frame and score >= min_score and _edge_support(e, inner) < 0.1:
                out.append((score, area, quad))
        return out

    cands = []
    for m, border in maps:
        cands += keep(_quads_from_binary(m, min_area),
                      [support] if border is None else [support, border], 0.6)
    if not cands:
        # a faint outline (pale paper on a pale desk, a tint apart) broken into
        # pieces: from the text-free edges, held to a stricter support (the
        # unions of pieces make many quads; a page's outline runs ≥ 0.9 along them)
        tf = _text_free_edges(small)
        cands = keep(_quads_from_pieces(morphology.dilate(tf, k3), min_area),
                     [morphology.dilate(tf, k5)], 0.85)
    if not cands:
        return None
    # the outline that runs along edges best; equal support: the larger one
    quad = max(cands, key=lambda c: (round(c[0], 2), c[1]))[2]
    return order_quad((quad + 0.5) / f - 0.5)


def scan(img, ocr=False, lang="eng", clean=True):
    """Find the page, warp it upright, binarise it, and optionally read it.

    Parameters
    ----------
    img : ndarray
        uint8 BGR or gray photo of a page.
    ocr : bool
        Also read the straightened page with Tesseract (``result.text``).
    lang : str
        Tesseract language for ``ocr``.
    clean : bool
        Compute the binarised ``result.clean`` (adaptive threshold).

    Returns
    -------
    ScanResult
        When no page outline is found, ``quad`` is None and the whole image is
        deskewed and cleaned instead.
    """
    img = _check_image(img)
    quad = find_page(img)
    from ..preprocess import deskew, estimate_skew
    if quad is not None:
        w, h = quad_size(quad)
        # cut a sliver inside the outline: a pixel of desk along an edge would come
        # out of the clean-up as a black rule
        c = quad.mean(0)
        d = quad - c
        inset = max(4.0, 0.008 * max(w, h))
        q = quad - inset * d / np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-6) * 1.414
        warped = warp_quad(img, q.astype(np.float32), (max(2, round(w)), max(2, round(h))))
        # the warp leaves the page straight; deskew only what the outline missed
        if abs(estimate_skew(warped)) >= 0.5:
            warped, _ = deskew(warped)
    else:
        warped, _ = deskew(img)
    cleaned = preprocess(warped, "document") if clean else None
    result = ScanResult(quad=quad, warped=warped, clean=cleaned)
    if ocr:
        from .ocr import read_page
        page = read_page(warped, lang=lang, find=False)
        result.text = page.text
        result.words = page.words
    return result
