"""Text to render: dictionary words and random codes, split into train and val.

Every string belongs to exactly one split, decided by a stable hash of its lower-case
form (1 in 10 is held out), so "Paris", "paris" and "PARIS" fall on the same side
and a model is never validated on a string it was trained on. Codes (plates,
numbers, prices, dates) are drawn until one of the wanted split comes up.
"""
import functools
import re
import string
import zlib

from ._args import check_rng, check_split

__all__ = ["WORDS_PATH", "VAL_MODULUS", "split_of", "vocabulary", "sample_word",
           "random_code", "plate_text", "sample_text"]

WORDS_PATH = "/usr/share/dict/words"
VAL_MODULUS = 10
_PLAIN = re.compile(r"^[A-Za-z]+$")
_UPPER = string.ascii_uppercase
_DIGITS = string.digits
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def split_of(text):
    """The split ("train" or "val") a string belongs to."""
    return "val" if zlib.crc32(text.lower().encode("utf-8")) % VAL_MODULUS == 0 else "train"


@functools.lru_cache(maxsize=None)
def _all_words(path=WORDS_PATH):
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            words = {w.strip() for w in fh}
    except OSError:
        raise FileNotFoundError(
            f"word list {path} not found; install it with: apt-get install -y wamerican") from None
    return tuple(sorted(w for w in words if _PLAIN.match(w)))


@functools.lru_cache(maxsize=None)
def vocabulary(split="train"):
    """Sorted plain-ASCII-letter words of one split (train and val are disjoint,
    also when compared case-insensitively)."""
    split = check_split(split)
    return tuple(w for w in _all_words() if split_of(w) == split)


def _letters(rng, n):
    return "".join(_UPPER[i] for i in rng.integers(0, 26, n))


def _digits(rng, n):
    return "".join(_DIGITS[i] for i in rng.integers(0, 10, n))


def sample_word(rng, split="train", max_len=None):
    """A dictionary word, as written (60 %), Capitalised (25 %) or UPPER (15 %)."""
    vocab = vocabulary(split)
    while True:
        word = vocab[int(rng.integers(len(vocab)))]
        if max_len is None or len(word) <= max_len:
            break
    r = rng.random()
    if r < 0.25:
        return word[:1].upper() + word[1:]
    if r < 0.40:
        return word.upper()
    return word


def _plate_formats(rng):
    kind = int(rng.integers(6))
    if kind == 0:                                       # GB: AB12 CDE
        return f"{_letters(rng, 2)}{_digits(rng, 2)} {_letters(rng, 3)}"
    if kind == 1:                                       # FR/IT: AB-123-CD
        return f"{_letters(rng, 2)}-{_digits(rng, 3)}-{_letters(rng, 2)}"
    if kind == 2:                                       # US-like: ABC 1234
        return f"{_letters(rng, 3)} {_digits(rng, 4)}"
    if kind == 3:                                       # 7ABC123
        return f"{_digits(rng, 1)}{_letters(rng, 3)}{_digits(rng, 3)}"
    if kind == 4:                                       # NL: 12-ABC-3
        return f"{_digits(rng, 2)}-{_letters(rng, 3)}-{_digits(rng, 1)}"
    return f"{_letters(rng, 3)}{_digits(rng, 3)}"       # compact ABC123


def _code(rng):
    kind = int(rng.integers(7))
    if kind == 0:
        return _plate_formats(rng)
    if kind == 1:                                       # plain number
        return str(int(rng.integers(0, 10 ** int(rng.integers(1, 7)))))
    if kind == 2:                                       # price
        cur = "$€£"[int(rng.integers(3))] if rng.random() < 0.9 else ""
        return f"{cur}{int(rng.integers(0, 1000))}.{int(rng.integers(0, 100)):02d}"
    if kind == 3:                                       # numeric date
        d, m, y = int(rng.integers(1, 29)), int(rng.integers(1, 13)), int(rng.integers(1950, 2040))
        sep = "/.-"[int(rng.integers(3))]
        return f"{d:02d}{sep}{m:02d}{sep}{y}" if rng.random() < 0.5 else f"{y}-{m:02d}-{d:02d}"
    if kind == 4:                                       # written date
        return f"{int(rng.integers(1, 29))}{_MONTHS[int(rng.integers(12))]}{int(rng.integers(1950, 2040))}"
    if kind == 5:                                       # time or percentage
        if rng.random() < 0.5:
            return f"{int(rng.integers(0, 24)):02d}:{int(rng.integers(0, 60)):02d}"
        return f"{int(rng.integers(0, 100))}%"
    return f"{_letters(rng, int(rng.integers(1, 4)))}{_digits(rng, int(rng.integers(2, 6)))}"  # part no.


def _in_split(rng, split, make):
    # rejection keeps codes disjoint between splits; val needs ~10 draws on average
    while True:
        text = make(rng)
        if split_of(text) == split:
            return text


def random_code(rng, split="train"):
    """A random code: licence plate, number, price, date, time, percentage or part number."""
    check_rng(rng)
    return _in_split(rng, check_split(split), _code)


def plate_text(rng, split="train"):
    """Licence-plate-like text such as "AB12 CDE", "AB-123-CD" or "ABC 1234"."""
    check_rng(rng)
    return _in_split(rng, check_split(split), _plate_formats)


def sample_text(rng, split="train", p_code=0.2, max_len=None):
    """A word (probability 1 - `p_code`) or a code, from `split`."""
    check_rng(rng)
    split = check_split(split)
    if rng.random() < p_code:
        return _in_split(rng, split, _code)
    return sample_word(rng, split, max_len)
