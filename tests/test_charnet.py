"""Tests of ocrkit.charnet: the bundled recogniser reads rendered crops of every
class, whatever their polarity, size and colour; the normalisation; read_characters
on rendered lines; clear errors for bad crops and bad models."""
import json
import os
import shutil

import numpy as np
import pytest

import ocrkit
from ocrkit import runtime
from ocrkit.charnet import CharRecognizer, normalize_crops
from _glyphs import render_char, render_line

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

needs_tflite = pytest.mark.skipif(runtime.tflite_backend() is None,
                                  reason="no TFLite interpreter installed (pip install ai-edge-litert)")


@pytest.fixture(scope="module")
def rec():
    if runtime.tflite_backend() is None:
        pytest.skip("no TFLite interpreter installed (pip install ai-edge-litert)")
    return CharRecognizer(num_threads=1)


def _crops(font, px=40, **kw):
    return [render_char(c, font, px, **kw) for c in ALPHABET]


# ---------------------------------------------------------------- normalisation

def test_normalize_polarity_and_range():
    crop = render_char("K", "sans", 40)
    a = normalize_crops([crop])
    b = normalize_crops([255 - crop])
    assert a.shape == (1, 32, 32) and a.dtype == np.float32
    assert a.min() == 0.0 and a.max() == 1.0
    assert np.abs(a - b).max() < 0.02           # the same frame for both polarities
    # the ground is white around the glyph
    assert a[0, 0].min() == 1.0 and a[0, :, 0].min() == 1.0


def test_normalize_keeps_aspect_and_centres():
    crop = np.full((50, 30), 230, np.uint8)
    crop[5:45, 13:17] = 20                      # a tall bar, 40×4
    x = normalize_crops([crop])[0]
    ink = x < 0.5
    ys, xs = np.nonzero(ink)
    assert 24 <= ys.max() - ys.min() + 1 <= 28  # the longer side fills ~26 of 32
    assert xs.max() - xs.min() + 1 <= 5         # the bar stays thin
    assert abs((xs.min() + xs.max()) / 2 - 15.5) <= 1 and abs((ys.min() + ys.max()) / 2 - 15.5) <= 1


def test_normalize_box_keeps_faint_strokes(monkeypatch):
    # an L whose foot is a faint hairline: Otsu puts the foot on the ground side,
    # and a box from the Otsu mask alone would frame the stem as an I
    crop = np.full((48, 48), 230, np.uint8)
    crop[6:42, 16:21] = 20
    crop[39:42, 21:34] = 140

    def width():
        ys, xs = np.nonzero(normalize_crops([crop])[0] < 0.9)
        return xs.max() - xs.min() + 1

    assert width() >= 12                          # stem and foot: 18 of 36 px, ×26/36
    monkeypatch.setattr(ocrkit.charnet, "_BOX_LEVEL", -1.0)
    assert width() <= 6                           # the stem alone


def _ink_columns(crop):
    ys, xs = np.nonzero(normalize_crops([crop])[0] < 0.5)
    return xs.min(), xs.max() + 1


def test_normalize_box_keeps_an_edge_stroke():
    # an off-centre thin-serif U: its right stem lies in the crop's outer quarter,
    # joined to the left one only by a hairline too faint for the ink mask; it is
    # part of the glyph, not clutter (a box without it read U, M and O as L, N, C)
    crop = np.full((32, 32), 220, np.uint8)
    crop[6:26, 8:12] = 30
    crop[6:26, 24:29] = 30
    crop[25, 12:24] = 200
    x0, x1 = _ink_columns(crop)
    assert x1 - x0 >= 24                          # both stems: 21 of 21 px, ×26/21


def test_normalize_box_drops_a_neighbour_fragment():
    # a fragment of the next character runs off the crop's right edge
    crop = np.full((32, 32), 220, np.uint8)
    crop[6:26, 12:17] = 30
    crop[8:24, 29:32] = 30
    x0, x1 = _ink_columns(crop)
    assert x1 - x0 <= 8                           # the stem alone (5 px ×26/20)


def test_normalize_box_drops_a_grid_line():
    # a cell border inside the crop, not touching its edge, but crossing it
    crop = np.full((32, 32), 220, np.uint8)
    crop[8:24, 12:17] = 30
    crop[:, 27:29] = 60
    x0, x1 = _ink_columns(crop)
    assert x1 - x0 <= 10                          # the stem alone (5 px ×26/16)

def test_normalize_batch_equals_one_by_one():
    from ocrkit.synth import make_char_crops
    # rendered crops with every distortion (light ramps, neighbours, grid lines, noise)
    crops, _ = make_char_crops(np.random.default_rng(5), 60)
    batched = normalize_crops(crops)              # N×H×W: the vectorised path
    single = normalize_crops(list(crops))         # a list: one by one
    diff = np.abs(batched - single).reshape(len(crops), -1).max(1)
    # the two paths round the light-ramp removal differently (float32 sums in
    # another order): a pixel on the Otsu threshold may flip class, rarely
    assert np.median(diff) < 1e-4 and (diff > 1e-3).sum() <= 1


def test_normalize_blank_crop_is_ground():
    assert normalize_crops([np.full((20, 20), 77, np.uint8)]).min() == 1.0


# ---------------------------------------------------------------- recognition

@needs_tflite
@pytest.mark.parametrize("font", ["sans", "sans-bold", "serif"])
def test_every_class(rec, font):
    labels, probs = rec.predict(_crops(font))
    assert "".join(labels) == ALPHABET
    assert probs.shape == (36,) and probs.dtype == np.float32
    assert np.all((probs > 0) & (probs <= 1.0001))


@needs_tflite
def test_every_class_held_out_font(rec):
    # DejaVu Sans Mono is a validation font (never trained on); its narrow O is
    # the one glyph that reads as a zero, as it does for a person without context
    labels, _ = rec.predict(_crops("mono"))
    wrong = {(t, r) for t, r in zip(ALPHABET, labels) if t != r}
    assert wrong <= {("O", "0")}, wrong


@needs_tflite
def test_polarity_invariance(rec):
    crops = _crops("sans")
    assert rec.predict([255 - c for c in crops])[0] == list(ALPHABET)
    light = _crops("sans", ink=200, paper=60)    # low-contrast light on dark
    assert rec.predict(light)[0] == list(ALPHABET)


@needs_tflite
@pytest.mark.parametrize("px", [14, 24, 64, 120])
def test_size_invariance(rec, px):
    assert rec.predict(_crops("sans", px, pad=max(2, px // 6)))[0] == list(ALPHABET)


@needs_tflite
def test_bgr_and_batch_array(rec):
    crops = _crops("sans")
    bgr = [np.dstack([c, c, c]) for c in crops]
    assert rec.predict(bgr)[0] == list(ALPHABET)
    # one shape for all, by padding with ground (resizing would change the aspect)
    h = max(c.shape[0] for c in crops)
    w = max(c.shape[1] for c in crops)
    same = np.stack([np.pad(c, ((0, h - c.shape[0]), (0, w - c.shape[1])), constant_values=235)
                     for c in crops])
    labels, probs = rec.predict(same)            # an N×H×W array
    assert labels == list(ALPHABET) and probs.shape == (36,)
    one, _ = rec.predict(crops[10])              # one H×W crop
    assert one == ["A"]
    assert rec.predict([])[0] == []


@needs_tflite
def test_allowed_restricts_answers(rec):
    crops = _crops("sans")
    labels, probs = rec.predict(crops, allowed="0123456789")
    assert labels[:10] == list("0123456789")
    assert set(labels) <= set("0123456789")
    assert rec.predict_proba(crops).shape == (36, 36)
    with pytest.raises(ValueError, match="allowed"):
        rec.predict(crops, allowed="a")


@needs_tflite
def test_read_characters(rec):
    img, boxes = render_line("7KQ2XA05", "sans-bold", px=44, gap=7)
    r = ocrkit.read_characters(img, rec)
    # DejaVu Sans Bold's 0 is nearly as wide as its O: alone in a crop it is a
    # coin toss between the two (models/CHARNET.md, "O and 0"); every other
    # character must be read and sure
    assert r.text[:6] + r.text[7] == "7KQ2XA5" and r.text[6] in "0O"
    assert r.confidences.shape == (8,) and np.delete(r.confidences, 6).min() > 0.5
    assert r.confidences[6] >= 0.45
    assert np.abs(r.boxes.astype(int) - boxes).max() <= 2
    r = ocrkit.read_characters(255 - img, rec)    # light on dark
    assert r.text[:6] + r.text[7] == "7KQ2XA5" and r.text[6] in "0O"
    empty = ocrkit.read_characters(np.full((30, 80), 200, np.uint8), rec)
    assert empty.text == "" and empty.confidences.shape == (0,) and empty.boxes.shape == (0, 4)


# ---------------------------------------------------------------- bad input

@needs_tflite
def test_bad_crops(rec):
    with pytest.raises(ValueError, match=r"crops\[1\].*empty"):
        rec.predict([render_char("A"), np.zeros((0, 5), np.uint8)])
    with pytest.raises(TypeError, match=r"crops\[0\].*uint8"):
        rec.predict([np.zeros((10, 10), np.float32)])
    with pytest.raises(TypeError, match=r"crops\[0\].*ndarray"):
        rec.predict([[1, 2, 3]])
    with pytest.raises(ValueError, match=r"crops\[0\]"):
        rec.predict([np.zeros((10, 10, 2), np.uint8)])
    with pytest.raises(TypeError, match="crops"):
        rec.predict("A")
    with pytest.raises(ValueError, match="crops"):
        rec.predict(np.zeros((2, 2, 10, 10, 1), np.uint8))


def _bundled(tmp_path):
    src = runtime.model_path("charnet_int8.tflite")
    dst = tmp_path / "m.tflite"
    shutil.copy(src, dst)
    return src, dst


@needs_tflite
def test_corrupt_model(tmp_path):
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(b"\0\0\0\0TFL3" + b"\x01" * 100)
    with pytest.raises(runtime.ModelFileError, match="bad.tflite"):
        CharRecognizer(bad, alphabet=ALPHABET)
    with pytest.raises(runtime.ModelFileError, match="not a TFLite model"):
        CharRecognizer(b"garbage bytes", alphabet=ALPHABET)
    with pytest.raises(runtime.ModelFileError, match="cannot read"):
        CharRecognizer(tmp_path / "missing.tflite", alphabet=ALPHABET)
    src, dst = _bundled(tmp_path)
    (tmp_path / "m.json").write_text("{not json")
    with pytest.raises(runtime.ModelFileError, match="JSON"):
        CharRecognizer(dst)


@needs_tflite
def test_alphabet_mismatch(tmp_path):
    src, dst = _bundled(tmp_path)
    # a .json whose alphabet has the wrong length for the model's outputs
    (tmp_path / "m.json").write_text(json.dumps({"alphabet": "0123456789"}))
    with pytest.raises(ValueError, match="10 characters but the model .* 36 outputs"):
        CharRecognizer(dst)
    # an explicit alphabet that disagrees with the model's .json
    os.remove(tmp_path / "m.json")
    shutil.copy(os.path.splitext(src)[0] + ".json", tmp_path / "m.json")
    with pytest.raises(ValueError, match="does not match"):
        CharRecognizer(dst, alphabet=ALPHABET[::-1])
    # model bytes carry no alphabet
    with pytest.raises(ValueError, match="alphabet"):
        CharRecognizer(dst.read_bytes())
    assert CharRecognizer(dst.read_bytes(), alphabet=ALPHABET).alphabet == ALPHABET
    with pytest.raises(ValueError, match="repeat"):
        CharRecognizer(dst.read_bytes(), alphabet="A" * 36)
    with pytest.raises(TypeError, match="model"):
        CharRecognizer(12)
