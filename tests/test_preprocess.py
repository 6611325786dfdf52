"""ocrkit.preprocess: presets, skew estimation from the text, deskew, orientation."""
import numpy as np
import pytest

import ocrkit
from ocrkit import tesseract
from ocrkit.preprocess import (PRESETS, deskew, estimate_skew, fix_orientation, preprocess,
                               text_mask)
from textpages import render_lines


@pytest.fixture(scope="module")
def page():
    return render_lines()[0]


def _lines_page(h=300, w=400):
    img = np.full((h, w), 235, np.uint8)
    for y in range(40, h - 40, 22):
        img[y:y + 8, 40:w - 40] = 25
    return img


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("channels", [1, 3])
def test_presets_give_black_text_on_white(page, preset, channels):
    img = page if channels == 1 else np.repeat(page[:, :, None], 3, axis=2)
    out = preprocess(img, preset)
    assert out.dtype == np.uint8 and out.ndim == 2
    assert set(np.unique(out).tolist()) <= {0, 255}
    assert (out == 255).mean() > 0.7                       # paper white, text the minority
    if preset != "plate":
        assert out.shape == page.shape
        ink = page < 128
        assert (out[ink] == 0).mean() > 0.8                 # the glyphs stay black


def test_scene_and_plate_presets_flip_light_text():
    img = np.full((40, 120), 30, np.uint8)
    img[10:30, 20:30] = 220
    img[10:30, 60:70] = 220
    for preset in ("scene", "plate"):
        out = preprocess(img, preset)
        assert (out == 255).mean() > 0.5                  # ground white
    assert preprocess(img, "plate").shape[0] == 64          # small plates are upscaled


def test_preprocess_does_not_modify_input(page):
    before = page.copy()
    preprocess(page, "document")
    assert np.array_equal(page, before)


@pytest.mark.parametrize("bad, exc, match", [
    (np.zeros((20, 20), np.float32), TypeError, "img"),
    (np.zeros((1, 20), np.uint8), ValueError, "img"),
    (np.zeros((4, 4, 2), np.uint8), ValueError, "img"),
    ("page.png", TypeError, "img"),
])
def test_bad_images(bad, exc, match):
    for fn in (lambda x: preprocess(x), estimate_skew, deskew):
        with pytest.raises(exc, match=match):
            fn(bad)


def test_bad_preset_and_orientation(page):
    with pytest.raises(ValueError, match="preset"):
        preprocess(page, "receipt")
    with pytest.raises(TypeError, match="orientation"):
        deskew(page, orientation="yes")


@pytest.mark.parametrize("angle", [-44.0, -30.0, -12.5, -3.0, 0.0, 2.0, 7.5, 20.0, 33.0, 44.0])
def test_estimate_skew_from_text_lines(angle):
    img = ocrkit.rotate(_lines_page(), angle, border_value=235)
    assert estimate_skew(img) == pytest.approx(angle, abs=0.3)


@pytest.mark.parametrize("angle", [-25.0, 9.0])
def test_estimate_skew_on_rendered_text(page, angle):
    img = ocrkit.rotate(page, angle, border_value=235)
    assert estimate_skew(img) == pytest.approx(angle, abs=0.5)


@pytest.mark.parametrize("seed, skew, look", [(0, 15.0, "scan"), (1, -28.0, "scan"),
                                              (2, 4.0, "photo")])
def test_estimate_skew_on_generated_documents(seed, skew, look):
    from ocrkit.synth import make_document
    img, *_ = make_document(np.random.default_rng(seed), (600, 800), "val", skew, look=look)
    # a photo adds perspective: its lines are turned by a little more or less
    tol = 0.5 if look == "scan" else 3.0
    assert estimate_skew(img) == pytest.approx(skew, abs=tol)


def test_text_turned_by_more_than_45_is_folded():
    img = ocrkit.rotate(_lines_page(), 70, border_value=235)
    assert estimate_skew(img) == pytest.approx(-20, abs=0.3)


def test_estimate_skew_blank_is_zero():
    assert estimate_skew(np.full((100, 100), 200, np.uint8)) == 0.0


def test_deskew_straightens(page):
    img = ocrkit.rotate(page, 17, border_value=235)
    out, angle = deskew(img)
    assert angle == pytest.approx(17, abs=0.5)
    assert abs(estimate_skew(out)) <= 0.3
    assert out.dtype == np.uint8
    # the canvas grew: nothing of the page was cut off
    assert text_mask(out).sum() >= 0.95 * text_mask(img).sum()
    same, a0 = deskew(page)
    assert a0 == 0.0 and same.shape == page.shape


@pytest.mark.skipif(not tesseract.available(), reason="needs Tesseract")
@pytest.mark.parametrize("turn", [90, 180])
def test_deskew_with_orientation_fixes_quarter_turns(page, turn):
    big = np.vstack([page, page])
    img = ocrkit.rotate(ocrkit.rotate(big, turn, border_value=235), 6, border_value=235)
    out, angle = deskew(img, orientation=True)
    assert (angle - (turn + 6) + 180) % 360 - 180 == pytest.approx(0, abs=0.5)
    assert tesseract.image_to_string(out).splitlines()[0] == "Invoice number 4471 was paid"


@pytest.mark.skipif(not tesseract.available(), reason="needs Tesseract")
def test_fix_orientation_leaves_blank_and_upright_alone(page):
    blank = np.full((80, 80), 255, np.uint8)
    assert fix_orientation(blank)[1] == 0
    out, turn = fix_orientation(np.vstack([page, page]))
    assert turn == 0 and out.shape == (2 * page.shape[0], page.shape[1])


def test_fix_orientation_without_tesseract(monkeypatch, page):
    monkeypatch.setattr(tesseract, "available", lambda: False)
    out, turn = fix_orientation(page)
    assert turn == 0 and out is page
