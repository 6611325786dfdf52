"""ocrkit.tesseract: strings, structured words, orientation, options and errors."""
import sys

import numpy as np
import pytest

import ocrkit
from ocrkit import tesseract
from textpages import LINES, render_lines

pytestmark = pytest.mark.skipif(not tesseract.available(),
                                reason="needs the tesseract binary and pytesseract")


@pytest.fixture(scope="module")
def page():
    return render_lines()


def test_available_and_languages():
    assert tesseract.available() is True
    assert "eng" in tesseract.languages()


def test_image_to_string_reads_a_line_exactly():
    img, _ = render_lines(["Invoice number 4471 was paid"])
    assert tesseract.image_to_string(img, psm=7) == "Invoice number 4471 was paid"


def test_image_to_string_page_gray_and_bgr_agree(page):
    img, _ = page
    text = tesseract.image_to_string(img)
    assert text.splitlines() == LINES
    bgr = np.repeat(img[:, :, None], 3, axis=2)
    assert tesseract.image_to_string(bgr) == text


def test_image_to_data_words_boxes_and_layout(page):
    img, truth = page
    words = tesseract.image_to_data(img)
    assert [w.text for w in words] == [t for t, _ in truth]
    for w, (_, (x, y, bw, bh)) in zip(words, truth):
        assert isinstance(w, tesseract.Word)
        wx, wy, ww, wh = w.box
        # Tesseract's box hugs the ink; Pillow's text box includes side bearings
        assert abs(wx - x) <= 4 and abs(wy - y) <= 6
        assert abs(ww - bw) <= 8 and abs(wh - bh) <= 8
        assert 50 < w.confidence <= 100
    lines = [w.line for w in words]
    assert lines[0] == 1 and max(lines) >= 2             # several lines, numbered from 1
    assert all(w.word >= 1 and w.block >= 1 and w.par >= 1 for w in words)
    d = words[0].to_dict()
    assert set(d) == {"text", "confidence", "box", "block", "par", "line", "word", "page"}


def test_image_to_data_min_confidence_filters(page):
    img, _ = page
    assert tesseract.image_to_data(img, min_confidence=101) == []


def test_config_options_reach_tesseract():
    img, _ = render_lines(["Invoice 4471"])
    digits = tesseract.image_to_string(img, psm=7, config="-c tessedit_char_whitelist=0123456789")
    assert "Invoice" not in digits and "4471" in digits


def test_detect_orientation_upright_and_turned(page):
    img, _ = page
    big = np.vstack([img, img, img])                      # OSD wants a few lines
    assert tesseract.detect_orientation(big).rotate == 0
    turned = ocrkit.rotate(big, 90, border_value=235)     # counter-clockwise
    o = tesseract.detect_orientation(turned)
    assert isinstance(o, tesseract.Orientation)
    assert o.rotate == 90 and o.script == "Latin" and o.orientation_confidence > 0


def test_detect_orientation_too_little_text():
    with pytest.raises(tesseract.OrientationError, match="too little text"):
        tesseract.detect_orientation(np.full((60, 60), 255, np.uint8))


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"psm": 14}, ValueError, "psm"),
    ({"psm": -1}, ValueError, "psm"),
    ({"psm": True}, ValueError, "psm"),
    ({"oem": 4}, ValueError, "oem"),
    ({"lang": ""}, ValueError, "lang"),
    ({"lang": "eng deu"}, ValueError, "lang"),
    ({"lang": "xyz"}, tesseract.TesseractMissingError, "xyz"),
    ({"config": 3}, TypeError, "config"),
])
def test_bad_options(kwargs, exc, match):
    img = np.full((30, 60), 255, np.uint8)
    with pytest.raises(exc, match=match):
        tesseract.image_to_string(img, **kwargs)


@pytest.mark.parametrize("img, exc", [
    (np.zeros((20, 20), np.float32), TypeError),
    (np.zeros((0, 20), np.uint8), ValueError),
    (np.zeros((4, 4, 2), np.uint8), ValueError),
    ([[0, 1]], TypeError),
])
def test_bad_images(img, exc):
    with pytest.raises(exc, match="img"):
        tesseract.image_to_data(img)


def test_missing_binary_gives_install_hint(monkeypatch):
    import pytesseract
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    tesseract._version.cache_clear()
    tesseract.languages.cache_clear()
    try:
        assert tesseract.available() is False
        with pytest.raises(tesseract.TesseractMissingError, match="apt install tesseract-ocr"):
            tesseract.image_to_string(np.full((30, 60), 255, np.uint8))
    finally:
        monkeypatch.undo()
        tesseract._version.cache_clear()
        tesseract.languages.cache_clear()
    assert tesseract.available() is True


def test_missing_pytesseract_gives_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "pytesseract", None)
    tesseract._version.cache_clear()
    try:
        with pytest.raises(tesseract.TesseractMissingError, match="pip install pytesseract"):
            tesseract.image_to_string(np.full((30, 60), 255, np.uint8))
        assert str(tesseract.TesseractMissingError("x")) == "x"
    finally:
        monkeypatch.undo()
        tesseract._version.cache_clear()


def test_caller_image_untouched(page):
    img, _ = page
    before = img.copy()
    tesseract.image_to_data(img)
    assert np.array_equal(img, before)
