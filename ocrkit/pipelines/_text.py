"""Text helpers shared by the jobs and their evaluation: edit distance and CER."""
import numpy as np

__all__ = ["edit_distance", "normalize_text", "char_error_rate"]


def edit_distance(a, b):
    """Levenshtein distance between two strings (insert, delete, substitute = 1).

    One NumPy pass per character of ``a``; the insertions along a row are a
    running minimum, so long pages (thousands of characters) take milliseconds.

    >>> edit_distance("kitten", "sitting")
    3
    >>> edit_distance("", "abc"), edit_distance("abc", "abc")
    (3, 0)
    """
    if not isinstance(a, str) or not isinstance(b, str):
        raise TypeError("edit_distance compares two str")
    if not a or not b:
        return len(a) + len(b)
    bb = np.frombuffer(b.encode("utf-32-le"), np.uint32)
    idx = np.arange(len(b) + 1, dtype=np.int64)
    prev = idx.copy()
    aa = np.frombuffer(a.encode("utf-32-le"), np.uint32)
    for i in range(1, len(aa) + 1):
        cost = (bb != aa[i - 1]).astype(np.int64)
        tmp = np.empty_like(prev)
        tmp[0] = i
        tmp[1:] = np.minimum(prev[1:] + 1, prev[:-1] + cost)
        prev = np.minimum.accumulate(tmp - idx) + idx
    return int(prev[-1])


def normalize_text(text):
    """Whitespace runs (spaces, line breaks) as single spaces, ends stripped."""
    return " ".join(str(text).split())


def char_error_rate(predicted, truth):
    """Edit distance between the whitespace-normalised texts over the truth's length.

    >>> char_error_rate("helo  world", "hello\\nworld")
    0.09090909090909091
    """
    p, t = normalize_text(predicted), normalize_text(truth)
    return edit_distance(p, t) / max(1, len(t))
