"""Term search: where given words occur in an image, with their boxes.

The image is read with :func:`ocrkit.pipelines.ocr.ocr` (pages are found,
flattened and deskewed first, and the word boxes mapped back to the input), and
each term (one or more words) is matched against runs of consecutive words, case
and surrounding punctuation ignored; ``fuzzy=True`` also accepts words within a
small edit distance (misread letters).

>>> from ocrkit.pipelines.search import match_terms
>>> words = ["Invoice", "No.", "4471,", "Total:", "EUR", "120"]
>>> [(m.term, m.start, m.end) for m in match_terms(words, ["total", "invoice no"])]
[('invoice no', 0, 2), ('total', 3, 4)]
>>> [m.text for m in match_terms(["Tota1"], ["total"], fuzzy=True)]
['Tota1']
"""
from dataclasses import dataclass

import numpy as np

from ._text import edit_distance

__all__ = ["Match", "SearchResult", "match_terms", "search", "draw_matches", "normalize_word"]

_PUNCT = ".,;:!?\"'()[]{}<>«»“”‘’"


@dataclass
class Match:
    """One occurrence: the ``term`` searched, the ``text`` found, its words
    ``start`` … ``end`` (exclusive) in reading order, the edit ``distance``, and
    where it is (``polygons``: one 4×2 quad per word; ``box``: x, y, w, h around them)."""
    term: str
    text: str
    start: int
    end: int
    distance: int = 0
    box: tuple = None
    polygons: list = None
    confidence: float = 0.0

    def to_dict(self):
        return {"term": self.term, "text": self.text, "distance": self.distance,
                "box": None if self.box is None else [int(v) for v in self.box],
                "polygons": None if self.polygons is None else
                [np.round(np.asarray(p, np.float64), 1).tolist() for p in self.polygons],
                "confidence": round(float(self.confidence), 1)}


@dataclass
class SearchResult:
    """``matches`` in reading order, ``counts`` per term, and the whole ``text`` read."""
    matches: list
    counts: dict
    text: str

    def to_dict(self):
        return {"counts": self.counts, "matches": [m.to_dict() for m in self.matches],
                "text": self.text}


def normalize_word(word):
    """Case-folded, with surrounding punctuation stripped ("Total:" -> "total")."""
    return str(word).strip(_PUNCT).casefold()


def _max_distance(term):
    """Edit distance fuzzy search tolerates: 1 for short terms, about 1 in 5 letters."""
    return max(1, len(term) // 5)


def _check_terms(terms):
    if isinstance(terms, str):
        terms = [terms]
    terms = list(terms)
    if not terms:
        raise ValueError("terms: give at least one term to search for")
    for t in terms:
        if not isinstance(t, str) or not t.split() or not normalize_word(t.replace(" ", "")):
            raise ValueError(f"terms: each term must be a non-empty word or phrase, got {t!r}")
    return terms


def match_terms(words, terms, fuzzy=False):
    """Match terms against a list of words (str) in reading order.

    A term of k words matches k consecutive words; exact matching compares the
    normalised words (:func:`normalize_word`), fuzzy matching the joined
    normalised text within :func:`_max_distance` edits.

    Returns
    -------
    list of Match
        Sorted by position; ``box``/``polygons`` are left None.
    """
    terms = _check_terms(terms)
    norm = [normalize_word(w) for w in words]
    out = []
    for term in terms:
        parts = [normalize_word(p) for p in term.split()]
        parts = [p for p in parts if p]
        k = len(parts)
        target = " ".join(parts)
        for i in range(len(norm) - k + 1):
            cand = " ".join(norm[i:i + k])
            if cand == target:
                d = 0
            elif fuzzy:
                d = edit_distance(cand, target)
                if d > _max_distance(target):
                    continue
            else:
                continue
            out.append(Match(term=term, text=" ".join(words[i:i + k]), start=i, end=i + k,
                             distance=d))
    out.sort(key=lambda m: (m.start, m.end))
    return out


def search(img, terms, fuzzy=False, lang="eng", kind="auto", ocr_result=None):
    """Find where ``terms`` occur in ``img``.

    Parameters
    ----------
    img : ndarray
        uint8 BGR or gray image (a page or a scene).
    terms : str or sequence of str
        Words or phrases to look for.
    fuzzy : bool
        Also accept near misses (a misread letter or two).
    lang : str
        Tesseract language code(s).
    kind : {"auto", "page", "scene"}
        Passed to :func:`ocrkit.pipelines.ocr.ocr`.
    ocr_result : OcrResult or None
        The image already read by :func:`ocrkit.pipelines.ocr.ocr` (not read again).

    Returns
    -------
    SearchResult
    """
    from .ocr import ocr
    terms = _check_terms(terms)
    result = ocr(img, lang=lang, kind=kind) if ocr_result is None else ocr_result
    # scene regions may hold several words: split them, each keeping its region
    words, owners = [], []
    for r in result.regions:
        for w in r.text.split():
            words.append(w)
            owners.append(r)
    matches = match_terms(words, terms, fuzzy=fuzzy)
    for m in matches:
        regs = []
        for r in owners[m.start:m.end]:
            if not regs or regs[-1] is not r:
                regs.append(r)
        polys = [np.asarray(r.polygon, np.float32) for r in regs]
        allp = np.vstack(polys)
        x0, y0 = np.floor(allp.min(0))
        x1, y1 = np.ceil(allp.max(0))
        m.polygons = polys
        m.box = (int(x0), int(y0), int(x1 - x0), int(y1 - y0))
        m.confidence = float(np.mean([r.confidence for r in regs]))
    counts = {t: sum(1 for m in matches if m.term == t) for t in terms}
    return SearchResult(matches=matches, counts=counts, text=result.text)


def draw_matches(img, result, color=(0, 0, 255), thickness=3):
    """``img`` (as BGR) with every match's word quads outlined."""
    from ._draw import draw_polygons
    return draw_polygons(img, [p for m in result.matches for p in m.polygons],
                         color=color, thickness=thickness)
