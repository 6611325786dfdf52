"""Tests of ocrkit.segment: character boxes of rendered lines (spacing, polarity,
characters touching the image edge, frame lines, specks, broken glyphs) and
argument errors. Boxes are compared with each character's own rendering."""
import numpy as np
import pytest

import ocrkit
from _glyphs import render_line


def _match(found, truth, tol=2):
    """Every found box equals its true box within `tol` pixels, in the same order."""
    assert found.shape == truth.shape, (found.tolist(), truth.tolist())
    assert np.abs(found.astype(int) - truth.astype(int)).max() <= tol, (found.tolist(), truth.tolist())


@pytest.mark.parametrize("gap", [2, 6, 20])
@pytest.mark.parametrize("font", ["sans", "serif", "mono"])
def test_line_boxes_in_reading_order(gap, font):
    img, truth = render_line("AB12XY7KQ", font, px=40, gap=gap)
    boxes = ocrkit.segment_characters(img)
    _match(boxes, truth)
    assert boxes.dtype == np.int32
    assert np.all(np.diff(boxes[:, 0]) > 0)


def test_light_text_on_dark_and_bgr():
    img, truth = render_line("H4NDS0M3", "sans-bold", px=36, ink=230, paper=40)
    _match(ocrkit.segment_characters(img), truth)
    bgr = np.dstack([img, img, img])
    _match(ocrkit.segment_characters(bgr), truth)


def test_characters_touching_the_image_edges():
    img, truth = render_line("M0W8", "sans-bold", px=48, gap=6)
    x0, y0 = truth[:, 0].min(), truth[:, 1].min()
    x1, y1 = (truth[:, 0] + truth[:, 2]).max(), (truth[:, 1] + truth[:, 3]).max()
    tight = img[y0:y1, x0:x1]                    # every side touches a glyph
    shifted = truth - np.array([x0, y0, 0, 0], np.int32)
    _match(ocrkit.segment_characters(tight), shifted)


def test_frame_lines_are_dropped():
    img, truth = render_line("PL8TE", "sans", px=40, gap=8, margin=12)
    framed = img.copy()
    framed[:3, :] = 20                           # a plate's border, top and bottom
    framed[-3:, :] = 20
    framed[:, :2] = 20                           # and the sides
    framed[:, -2:] = 20
    _match(ocrkit.segment_characters(framed), truth)
    ruled = img.copy()
    ruled[-5, 2:-2] = 20                         # an underline not touching the text
    _match(ocrkit.segment_characters(ruled), truth)


def test_specks_are_dropped():
    img, truth = render_line("X9Z5", "sans", px=40, gap=10)
    rng = np.random.default_rng(3)
    noisy = img.copy()
    ys = rng.integers(0, img.shape[0], 40)
    xs = rng.integers(0, img.shape[1], 40)
    noisy[ys, xs] = 20                           # single dark pixels
    for y, x in zip(rng.integers(2, img.shape[0] - 4, 4), rng.integers(2, img.shape[1] - 4, 4)):
        noisy[y:y + 2, x:x + 2] = 20             # and a few 2×2 blots
    boxes = ocrkit.segment_characters(noisy)
    # a speck may touch a glyph and grow its box; none may be a box of its own
    assert len(boxes) == len(truth)
    assert np.abs(boxes.astype(int) - truth).max() <= 3


def test_broken_glyphs_are_merged():
    img, truth = render_line("ij:i", "sans", px=48, gap=10)
    boxes = ocrkit.segment_characters(img)
    _match(boxes, truth)                          # one box per glyph, dots included
    # a stroke broken by a white cut is still one character
    img, truth = render_line("T1", "sans", px=48, gap=12)
    cut = img.copy()
    x, y, w, h = truth[1]
    cut[y + h // 2:y + h // 2 + 2, x:x + w] = 235
    _match(ocrkit.segment_characters(cut), truth)


def test_blank_image_has_no_boxes():
    assert ocrkit.segment_characters(np.full((20, 50), 128, np.uint8)).shape == (0, 4)


def test_bad_input():
    with pytest.raises(TypeError, match="image"):
        ocrkit.segment_characters(np.zeros((10, 10), np.float32))
    with pytest.raises(ValueError, match="image"):
        ocrkit.segment_characters(np.zeros((0, 10), np.uint8))
    with pytest.raises(TypeError, match="image"):
        ocrkit.segment_characters([[0, 1]])
    with pytest.raises(TypeError, match="dark_text"):
        ocrkit.segment_characters(np.zeros((10, 10), np.uint8), dark_text="yes")
    with pytest.raises(ValueError, match="min_speck"):
        ocrkit.segment_characters(np.zeros((10, 10), np.uint8), min_speck=0)
