"""ocrkit.pipelines.ocr: pages at any angle, scenes with a detector, engine choice."""
import numpy as np
import pytest

import ocrkit
from ocrkit import tesseract
from ocrkit.pipelines import ocr as ocr_mod
from ocrkit.pipelines._text import char_error_rate
from ocrkit.pipelines.ocr import looks_like_page, ocr, read_page, read_scene
from textpages import LINES, on_desk, render_lines

pytestmark = pytest.mark.skipif(not tesseract.available(), reason="needs Tesseract")
TEXT = "\n".join(LINES)


@pytest.fixture(scope="module")
def page():
    return render_lines()


def _center(box):
    x, y, w, h = box
    return np.array([x + w / 2, y + h / 2])


def test_straight_page(page):
    img, boxes = page
    r = read_page(img)
    assert r.kind == "page" and r.engine == "tesseract"
    assert r.text.splitlines() == LINES
    assert r.angle == pytest.approx(0, abs=0.3)
    assert [x.text for x in r.regions] == [w for w, _ in boxes]
    for reg, (_, box) in zip(r.regions, boxes):
        assert np.abs(_center(reg.box) - _center(box)).max() < 6


@pytest.mark.parametrize("angle", [-30.0, 13.0])
def test_rotated_scan_reads_like_straight(page, angle):
    img, boxes = page
    turned = ocrkit.rotate(img, angle, border_value=235)
    r = read_page(turned)
    assert r.angle == pytest.approx(angle, abs=0.5)
    assert char_error_rate(r.text, TEXT) <= 0.01
    # word boxes are in the turned input's pixels: the first word's centre maps
    # to where the rotation put it
    h, w = img.shape
    H, W = turned.shape
    m = np.asarray(ocrkit.get_rotation_matrix_2d(((w - 1) / 2, (h - 1) / 2), angle, 1.0))
    m[0, 2] += (W - w) / 2
    m[1, 2] += (H - h) / 2
    want = m @ np.append(_center(boxes[0][1]), 1.0)
    assert r.regions[0].text == "Invoice"
    assert np.abs(r.regions[0].polygon.mean(0) - want).max() < 8


def test_photographed_page_is_found_and_flattened(page):
    img, _ = page
    photo, corners = on_desk(img, 22)
    r = read_page(photo)
    assert r.page is not None
    assert np.abs(r.page - corners).max() < 4
    assert r.angle == pytest.approx(22, abs=1.0)
    assert char_error_rate(r.text, TEXT) <= 0.01


def test_upside_down_page(page):
    img, _ = page
    r = read_page(ocrkit.rotate(np.vstack([img, img]), 180, border_value=235))
    assert r.text.splitlines()[:len(LINES)] == LINES
    assert abs(abs(r.angle) - 180) < 1


def test_ocr_auto_kind_and_json(page):
    img, _ = page
    r = ocr(np.repeat(img[:, :, None], 3, axis=2))
    assert r.kind == "page"
    d = r.to_dict()
    assert d["text"] == r.text and len(d["regions"]) == len(r.regions)
    assert set(d["regions"][0]) == {"text", "confidence", "polygon", "box"}


def test_looks_like_page(page):
    assert looks_like_page(page[0])
    rng = np.random.default_rng(0)
    assert not looks_like_page(rng.integers(0, 80, (200, 300, 3), dtype=np.uint8))


class _FakeDetector:
    """Stands in for EAST: returns the true word quads of a rendered line."""

    def __init__(self, polys):
        self.polys = polys

    def detect(self, img):
        class D:
            pass
        out = []
        for p in self.polys:
            d = D()
            d.polygon, d.score = np.asarray(p, np.float32), 0.9
            out.append(d)
        return out


def test_read_scene_with_a_detector():
    img, boxes = render_lines(["Open daily", "Coffee shop"], size=36, bg=40, ink=230)
    scene = ocrkit.rotate(np.repeat(img[:, :, None], 3, axis=2), 10, border_value=(40, 40, 40))
    h, w = img.shape
    H, W = scene.shape[:2]
    m = np.asarray(ocrkit.get_rotation_matrix_2d(((w - 1) / 2, (h - 1) / 2), 10, 1.0))
    m[0, 2] += (W - w) / 2
    m[1, 2] += (H - h) / 2
    polys = []
    for _, (x, y, bw, bh) in boxes:
        q = np.array([(x, y), (x + bw, y), (x + bw, y + bh), (x, y + bh)], np.float64)
        polys.append(np.hstack([q, np.ones((4, 1))]) @ m.T)
    r = read_scene(scene, detector=_FakeDetector(polys[::-1]))
    assert r.kind == "scene" and r.engine == "tesseract"
    assert [x.text for x in r.regions] == ["Open", "daily", "Coffee", "shop"]
    assert r.text == "Open\ndaily\nCoffee\nshop"


def test_read_scene_without_east_uses_sparse_tesseract(monkeypatch):
    monkeypatch.setattr(ocr_mod, "_east", lambda: None)
    img, _ = render_lines(["EXIT"], size=48, bg=30, ink=240)
    r = read_scene(np.repeat(img[:, :, None], 3, axis=2))
    assert "EXIT" in r.text.split()
    with pytest.raises(RuntimeError, match="EAST"):
        read_scene(img, engine="charnet")


@pytest.mark.parametrize("kwargs, match", [({"engine": "easyocr"}, "engine"),
                                           ({"kind": "receipt"}, "kind"),
                                           ({"engine": "charnet", "kind": "page"}, "charnet")])
def test_bad_arguments(page, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ocr(page[0], **kwargs)


def test_bad_image():
    with pytest.raises(TypeError, match="img"):
        ocr(np.zeros((10, 10), np.float32))
    with pytest.raises(ValueError, match="img"):
        read_page(np.zeros((0, 5), np.uint8))
