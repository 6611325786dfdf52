"""Tesseract through pytesseract, on ocrkit images (uint8 BGR or gray NumPy arrays).

Needs the ``tesseract`` binary with its English and orientation data and the
``pytesseract`` package::

    apt install tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd
    pip install pytesseract

When either is missing every call raises :class:`TesseractMissingError` with
that hint in one line; :func:`available` tells beforehand.

>>> import numpy as np
>>> from ocrkit import tesseract
>>> page = np.full((60, 300), 255, np.uint8)            # doctest: +SKIP
>>> tesseract.image_to_string(page, psm=7)              # doctest: +SKIP
''
>>> words = tesseract.image_to_data(page)               # doctest: +SKIP
"""
import contextlib
import functools
import os
from dataclasses import dataclass, asdict

import numpy as np

from . import _validate

__all__ = ["Word", "Orientation", "TesseractMissingError", "OrientationError",
           "available", "languages", "image_to_string", "image_to_data",
           "detect_orientation", "INSTALL_HINT"]

INSTALL_HINT = ("apt install tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd"
                " && pip install pytesseract")


class TesseractMissingError(RuntimeError):
    """pytesseract or the tesseract binary (or a language's data) is not installed."""


class OrientationError(ValueError):
    """Tesseract's orientation detection could not decide (too little text)."""


@dataclass(frozen=True)
class Word:
    """One word of :func:`image_to_data`: its text, Tesseract's confidence
    (0 … 100), box ``(x, y, w, h)`` in image pixels, and its place in the layout."""
    text: str
    confidence: float
    box: tuple
    block: int
    par: int
    line: int
    word: int
    page: int = 1

    def to_dict(self):
        d = asdict(self)
        d["box"] = list(self.box)
        return d


@dataclass(frozen=True)
class Orientation:
    """Result of :func:`detect_orientation`.

    ``rotate`` is the clockwise rotation in degrees (0, 90, 180, 270) that makes
    the page upright; ``orientation`` is how far the text is turned now
    (Tesseract's "Orientation in degrees", counter-clockwise)."""
    rotate: int
    orientation: int
    orientation_confidence: float
    script: str
    script_confidence: float


def _pytesseract():
    try:
        import pytesseract
    except ImportError:
        raise TesseractMissingError(f"Tesseract OCR needs pytesseract: {INSTALL_HINT}") from None
    return pytesseract


@functools.lru_cache(maxsize=None)
def _version():
    pt = _pytesseract()
    try:
        return str(pt.get_tesseract_version())
    except (pt.TesseractNotFoundError, OSError):
        raise TesseractMissingError(
            f"the tesseract binary is not installed or not on PATH: {INSTALL_HINT}") from None


def available():
    """True when pytesseract and the tesseract binary can both be used."""
    try:
        _version()
    except TesseractMissingError:
        return False
    return True


@functools.lru_cache(maxsize=None)
def languages():
    """The installed Tesseract language codes (e.g. ``["eng", "osd"]``)."""
    _version()
    return sorted(_pytesseract().get_languages(config=""))


def _image(img):
    """ocrkit image -> PIL image Tesseract can take (RGB or L)."""
    from PIL import Image
    img = _validate.uint8_image(img)
    if img.ndim == 3:
        img = img[:, :, 2::-1]                         # BGR(A) -> RGB
    return Image.fromarray(np.ascontiguousarray(img))


def _config(lang, psm, oem, config):
    if not isinstance(lang, str) or not lang or any(c.isspace() for c in lang):
        raise ValueError(f"lang must be a language code like 'eng' or 'eng+deu', got {lang!r}")
    missing = [code for code in lang.split("+") if code not in languages()]
    if missing:
        raise TesseractMissingError(
            f"Tesseract language data not installed: {', '.join(missing)} "
            f"(installed: {', '.join(languages())}); e.g. apt install tesseract-ocr-{missing[0]}")
    parts = []
    if psm is not None:
        if isinstance(psm, bool) or not isinstance(psm, (int, np.integer)) or not 0 <= psm <= 13:
            raise ValueError(f"psm must be a page segmentation mode 0 … 13, got {psm!r}")
        parts.append(f"--psm {int(psm)}")
    if oem is not None:
        if isinstance(oem, bool) or not isinstance(oem, (int, np.integer)) or not 0 <= oem <= 3:
            raise ValueError(f"oem must be an OCR engine mode 0 … 3, got {oem!r}")
        parts.append(f"--oem {int(oem)}")
    if not isinstance(config, str):
        raise TypeError(f"config must be a str of extra tesseract options, got {config!r}")
    if config:
        parts.append(config)
    return " ".join(parts)


@contextlib.contextmanager
def _one_thread():
    """Tesseract's own OpenMP threads fight over shared cores and slow it down
    (several-fold on a loaded machine); one thread per call unless the user set
    OMP_THREAD_LIMIT. Only the tesseract child process sees the variable."""
    if "OMP_THREAD_LIMIT" in os.environ:
        yield
        return
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        yield
    finally:
        os.environ.pop("OMP_THREAD_LIMIT", None)


def _call(fn, *args, **kw):
    pt = _pytesseract()
    try:
        with _one_thread():
            return fn(*args, **kw)
    except pt.TesseractNotFoundError:
        raise TesseractMissingError(
            f"the tesseract binary is not installed or not on PATH: {INSTALL_HINT}") from None
    except pt.TesseractError as e:
        msg = " ".join(str(e.message if hasattr(e, "message") else e).split())
        raise RuntimeError(f"tesseract failed: {msg}") from None


def image_to_string(img, lang="eng", psm=None, oem=None, config=""):
    """The text Tesseract reads in ``img``, lines joined by ``"\\n"``, stripped.

    Parameters
    ----------
    img : ndarray
        uint8 H×W (gray) or H×W×3 (BGR) image.
    lang : str
        Tesseract language code(s), e.g. ``"eng"`` or ``"eng+deu"``.
    psm : int or None
        Page segmentation mode 0 … 13 (3 = automatic page, 6 = one block,
        7 = one line, 8 = one word); None for Tesseract's default (3).
    oem : int or None
        OCR engine mode 0 … 3; None for the default.
    config : str
        Further tesseract command-line options (e.g. ``"-c tessedit_char_whitelist=0123456789"``).

    Examples
    --------
    >>> from ocrkit.synth import make_document                      # doctest: +SKIP
    >>> img, _, _, text = make_document(np.random.default_rng(0))   # doctest: +SKIP
    >>> image_to_string(img)[:20]                                   # doctest: +SKIP
    """
    pil = _image(img)
    cfg = _config(lang, psm, oem, config)
    out = _call(_pytesseract().image_to_string, pil, lang=lang, config=cfg)
    return out.strip()


def image_to_data(img, lang="eng", psm=None, oem=None, config="", min_confidence=-1.0):
    """The words Tesseract reads, as :class:`Word` objects in reading order.

    Same parameters as :func:`image_to_string`; words whose confidence is
    below ``min_confidence`` are left out (Tesseract gives -1 to layout-only rows,
    which never appear here because they have no text).

    Examples
    --------
    >>> words = image_to_data(img, psm=6)                           # doctest: +SKIP
    >>> words[0].text, words[0].box                                 # doctest: +SKIP
    ('Hello', (12, 8, 61, 17))
    """
    pil = _image(img)
    cfg = _config(lang, psm, oem, config)
    pt = _pytesseract()
    d = _call(pt.image_to_data, pil, lang=lang, config=cfg, output_type=pt.Output.DICT)
    words = []
    for i, text in enumerate(d["text"]):
        text = (text or "").strip()
        if not text:
            continue
        conf = float(d["conf"][i])
        if conf < min_confidence:
            continue
        words.append(Word(text=text, confidence=conf,
                          box=(int(d["left"][i]), int(d["top"][i]),
                               int(d["width"][i]), int(d["height"][i])),
                          block=int(d["block_num"][i]), par=int(d["par_num"][i]),
                          line=int(d["line_num"][i]), word=int(d["word_num"][i]),
                          page=int(d["page_num"][i])))
    return words


def detect_orientation(img):
    """Tesseract's orientation and script detection (OSD) for a page.

    Returns
    -------
    Orientation
        ``rotate``: degrees clockwise (0, 90, 180, 270) that make the text upright.

    Raises
    ------
    OrientationError
        Too little text to decide (Tesseract needs a few lines of it).
    TesseractMissingError
        Tesseract, pytesseract or the ``osd`` data are not installed.

    Examples
    --------
    >>> detect_orientation(page).rotate                             # doctest: +SKIP
    0
    """
    pil = _image(img)
    _version()
    if "osd" not in languages():
        raise TesseractMissingError(
            "orientation detection needs Tesseract's osd data: apt install tesseract-ocr-osd")
    pt = _pytesseract()
    try:
        with _one_thread():
            d = pt.image_to_osd(pil, config="--psm 0", output_type=pt.Output.DICT)
    except pt.TesseractNotFoundError:
        raise TesseractMissingError(
            f"the tesseract binary is not installed or not on PATH: {INSTALL_HINT}") from None
    except pt.TesseractError as e:
        msg = " ".join(str(getattr(e, "message", e)).split())
        if "few characters" in msg or "Invalid resolution" in msg or not msg:
            raise OrientationError(
                "orientation detection failed: too little text in the image") from None
        raise RuntimeError(f"tesseract orientation detection failed: {msg}") from None
    return Orientation(rotate=int(d["rotate"]), orientation=int(d["orientation"]),
                       orientation_confidence=float(d["orientation_conf"]),
                       script=str(d["script"]), script_confidence=float(d["script_conf"]))
