"""ocrkit.pipelines.scan: page outline, four-point warp, clean-up, optional OCR."""
import numpy as np
import pytest

from ocrkit import tesseract
from ocrkit.pipelines._quad import order_quad
from ocrkit.pipelines.scan import find_page, scan
from textpages import LINES, on_desk, render_lines


@pytest.fixture(scope="module")
def page():
    return render_lines()[0]


@pytest.mark.parametrize("angle", [0.0, 12.0, -25.0])
def test_find_page_on_a_desk(page, angle):
    img, corners = on_desk(page, angle)
    quad = find_page(img)
    assert quad is not None
    assert np.abs(quad - corners).max() < 4


@pytest.mark.parametrize("seed", [0, 2, 4])
def test_find_page_in_generated_photos(seed):
    from ocrkit.synth import make_document
    rng = np.random.default_rng(seed)
    img, _, _, _, truth = make_document(rng, (600, 800), "val", float(rng.uniform(-30, 30)),
                                        look="photo", with_page=True)
    quad = find_page(img)
    assert quad is not None
    assert np.abs(quad - order_quad(truth)).max() < 0.02 * 1000


@pytest.mark.parametrize("angle", [8.0, -20.0])
def test_find_page_cream_paper_on_a_white_desk(page, angle):
    # a tint apart (4 levels of red), same brightness: the outline shows only in
    # the colour differences once the text is closed away
    tinted, corners = on_desk(page, angle, desk=(0, 0, 0))
    mask, _ = on_desk(np.full_like(page, 255), angle, desk=(0, 0, 0))
    paper = np.float32((224, 241, 248)) * (tinted[:, :, :1] / 255.0)
    img = np.where(mask[:, :, :1] > 127, paper, np.float32((225, 242, 244)))
    img += np.random.default_rng(1).normal(0, 3, img.shape)
    img = np.clip(img, 0, 255).astype(np.uint8)
    quad = find_page(img)
    assert quad is not None
    assert np.abs(quad - corners).max() < 0.01 * np.hypot(*img.shape[:2])


def test_find_page_none_without_a_page():
    assert find_page(np.full((200, 300, 3), 128, np.uint8)) is None
    rng = np.random.default_rng(0)
    assert find_page(rng.integers(0, 256, (200, 300), dtype=np.uint8)) is None


def test_scan_warps_upright_and_cleans(page):
    img, corners = on_desk(page, 18)
    r = scan(img)
    assert r.quad is not None and np.abs(r.quad - corners).max() < 4
    h, w = page.shape
    # a residual skew of a few tenths of a degree may grow the canvas a little
    assert abs(r.warped.shape[0] - h) <= 8 and abs(r.warped.shape[1] - w) <= 8
    assert r.clean.shape == r.warped.shape[:2]
    assert set(np.unique(r.clean).tolist()) <= {0, 255}
    # the straightened page holds the same text: as much ink, in six level bands
    ink = int((page < 128).sum())
    black = r.clean[5:-5, 5:-5] == 0
    assert 0.6 * ink < black.sum() < 1.6 * ink
    rows = black.mean(1) > 0.01
    bands = int(np.count_nonzero(rows[1:] & ~rows[:-1]))
    assert bands == len(LINES)
    d = r.to_dict()
    assert d["found"] and len(d["quad"]) == 4 and d["text"] is None


def test_scan_without_page_deskews_whole_image(page):
    import ocrkit
    r = scan(ocrkit.rotate(page, 9, border_value=235))
    assert r.quad is None
    from ocrkit.preprocess import estimate_skew
    assert abs(estimate_skew(r.warped)) < 0.5


@pytest.mark.skipif(not tesseract.available(), reason="needs Tesseract")
def test_scan_with_ocr(page):
    img, _ = on_desk(page, -10)
    r = scan(img, ocr=True)
    assert r.text.splitlines() == LINES
    assert r.words and r.words[0].text == "Invoice"


def test_bad_input(page):
    with pytest.raises(TypeError, match="img"):
        scan(page.astype(np.float32))
    with pytest.raises(ValueError, match="min_fraction"):
        find_page(page, min_fraction=1.5)
