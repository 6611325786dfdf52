"""Licence plates: ocrkit.pipelines.plate and ``ocrkit plate`` end to end on generated images."""
import json
import subprocess
import sys

import numpy as np
import pytest

from ocrkit.io import imwrite
from ocrkit.pipelines.plate import PLATE_FORMATS, parse_plate_format, read_plate_crop, read_plates
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


class _DoubtfulLast:
    """The bundled CNN, but taking the last character (a 6) for a G: 0.7 to 0.3."""

    def __init__(self):
        from ocrkit.charnet import CharRecognizer
        self.cnn = CharRecognizer()
        self.alphabet = self.cnn.alphabet

    def predict_proba(self, crops):
        p = self.cnn.predict_proba(crops)
        p[-1] = 0.0
        p[-1, self.alphabet.index("G")] = 0.7
        p[-1, self.alphabet.index("6")] = 0.3
        return p


def _straight(seed):
    img, text, _, quad = _plate(seed)
    w, h = quad_size(order_quad(quad))
    return warp_quad(img, order_quad(quad), (int(w * 64 / h), 64)), text


def test_formats_settle_letter_or_digit_by_place():
    crop, text = _straight(5)
    assert text == "80-VMN-6"                     # Dutch side code DD-LLL-D
    rec = _DoubtfulLast()
    assert read_plate_crop(crop, rec)[0] == "80-VMN-G"   # free reading: one group, any kind
    got, conf, probs = read_plate_crop(crop, rec, formats=PLATE_FORMATS)
    assert got == text and conf == min(probs) and np.isclose(probs[-1], 0.3, atol=0.01)
    assert read_plate_crop(crop, rec, formats="DD-LLL-D")[0] == text
    # a row that fits no format given is no reading
    assert read_plate_crop(crop, rec, formats=["LLL DDDD"]) == ("", 0.0, [])


def test_formats_option_of_read_plates():
    img, text, _, _ = _plate(6)
    assert text == "NNI 9363"
    assert [p.text for p in read_plates(img, formats=["LLL DDDD"])] == [text]
    assert read_plates(img, formats=["LL-DDD-LL", "DLLLDDD"]) == []
    assert [p.text for p in read_plates(img, formats=None)] == [text]


def test_parse_plate_format():
    assert parse_plate_format("LLDD LLL") == (["ABCDEFGHIJKLMNOPQRSTUVWXYZ"] * 2 + ["0123456789"] * 2
                                              + ["ABCDEFGHIJKLMNOPQRSTUVWXYZ"] * 3,
                                              ["", "", "", " ", "", ""])
    assert len(parse_plate_format("aa")[0][0]) == 36
    for bad in ["", "-LL", "LL-", "LL--DD", "LL DX", "L L L_"]:
        with pytest.raises(ValueError, match="formats"):
            parse_plate_format(bad)
    with pytest.raises(TypeError, match="formats"):
        parse_plate_format(7)
    with pytest.raises(ValueError, match="formats"):
        read_plates(np.zeros((50, 80), np.uint8), formats=[])
    with pytest.raises(ValueError, match="max_plates"):
        read_plates(np.zeros((50, 80), np.uint8), max_plates=0)


@pytest.mark.parametrize("seed", [1, 3, 8, 10, 19])
def test_sudoku_is_no_plate(seed):
    # rows of digits, captions of a word and a number ("Caleb 784", "WHENS 827")
    # were read as plates before the plausibility checks
    from ocrkit.synth import make_sudoku
    img = make_sudoku(np.random.default_rng(seed), "train", (640, 640))[0]
    assert read_plates(img) == []


def test_char_crop_keeps_only_the_box():
    # the plate's band above a character and a neighbour beside it are painted
    # ground: only the character's box (and a pixel around it) is left
    from ocrkit.pipelines.plate import _char_crop
    gray = np.full((60, 100), 200, np.uint8)
    gray[0:10] = 120                              # a gray band along the plate's top
    gray[14:46, 40:60] = 30                       # the character, box (40, 14, 20, 32)
    gray[14:46, 64:70] = 30                       # its neighbour
    crop = _char_crop(gray, (40, 14, 20, 32), 200)
    assert crop.shape == (42, 42)
    ys, xs = np.nonzero(crop != 200)
    assert (ys.min(), ys.max(), xs.min(), xs.max()) == (5, 36, 11, 30)
    assert (crop == 30).sum() == 32 * 20


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


def test_cli_plate_marks_the_plate(tmp_path):
    img, text, _, quad = _plate(4)
    imwrite(tmp_path / "car.png", img)
    out = tmp_path / "marked.png"
    r = _cli(tmp_path / "car.png", "-o", out, "--format", "DD-LLL-D")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\t")[0] == text
    from ocrkit.io import imread
    marked = imread(out)
    assert marked.shape == img.shape
    # the plate's outline is drawn in red where the input had none
    diff = np.abs(marked.astype(int) - img.astype(int)).sum(2) > 0
    ys, xs = np.nonzero(diff)
    (qx0, qy0), (qx1, qy1) = quad.min(0), quad.max(0)
    assert diff.sum() > 100 and qx0 - 30 < xs.mean() < qx1 + 30 and qy0 - 30 < ys.mean() < qy1 + 30
    r = _cli(tmp_path / "car.png", "--format", "LLL DDDD")
    assert r.returncode == 3 and r.stdout.strip() == "no plate found"


def test_cli_no_plate_in_a_sudoku(tmp_path):
    from ocrkit.io import imread
    from ocrkit.commands.demo import _DATA
    import os
    src = os.path.join(_DATA, "sudoku.jpg")
    r = _cli(src)
    assert r.returncode == 3, r.stderr
    assert r.stdout.strip() == "no plate found" and "Traceback" not in r.stderr
    out = tmp_path / "none.png"
    r = _cli(src, "--json", "-o", out)
    assert r.returncode == 3 and json.loads(r.stdout) == {"plates": []}
    assert np.array_equal(imread(out), imread(src))      # nothing to mark


def test_cli_plate_help_lists_the_default_formats():
    r = _cli("--help")
    assert r.returncode == 0
    text = " ".join(r.stdout.split())
    assert all(f in text for f in PLATE_FORMATS)


def test_cli_plate_bad_options(tmp_path):
    img, _, _, _ = _plate(1)
    imwrite(tmp_path / "car.png", img)
    for args in (["--format", "LL_DD"], ["--max", "0"]):
        r = _cli(tmp_path / "car.png", *args)
        assert r.returncode == 1 and "Traceback" not in r.stderr
        assert [ln for ln in r.stderr.splitlines() if ln.strip() and not ln.startswith("INFO")][0] \
            .startswith("ocrkit plate: ")

