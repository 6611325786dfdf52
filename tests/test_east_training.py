"""EAST training data (models/east_data.py, models/train_east.py): the zoom
augmentation must give the labels the data generator itself would draw for the
magnified image, since a wrong label there teaches the detector wrong boxes."""
import math
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "models"))

import east_data  # noqa: E402
import train_east  # noqa: E402


def _quad(cx, cy, w, h, deg):
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    pts = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    # counter-clockwise on screen (y down) for positive deg, as the generator's angles
    return np.float32([(cx + x * c + y * s, cy - x * s + y * c) for x, y in pts])


@pytest.mark.parametrize("seed", range(8))
def test_zoomed_labels_match_labels_of_the_zoomed_words(seed):
    # zoom_sample's own draws, replayed: z, then the crop's corner
    draw = np.random.default_rng([seed, 1])
    z = float(np.exp(draw.uniform(np.log(1.25), np.log(2.2))))
    cx, cy = draw.uniform(0, 256 - 256 / z, 2)
    span = 256 / z
    # two words inside the magnified part, one near its top, one near its bottom,
    # and one cut in half by its right edge (the loss must ignore that one)
    rng = np.random.default_rng(seed)
    quads = [_quad(cx + span * rng.uniform(0.35, 0.45), cy + span * k, span * rng.uniform(0.3, 0.4),
                   span * rng.uniform(0.07, 0.12), rng.uniform(-30, 30)) for k in (0.3, 0.7)]
    quads.append(_quad(cx + span, cy + span * 0.5, span * 0.3, span * 0.08, rng.uniform(-10, 10)))
    # ramps (x in channel 0, y in channel 1): bilinear resampling keeps them exact
    yy, xx = np.mgrid[0:256, 0:256]
    x = np.dstack([xx * 0.9, yy * 0.9, np.full_like(xx, 50)]).round().astype(np.uint8)
    s, g, m = east_data.label_maps(quads, (256, 256))
    g = g.astype(np.float32)

    x2, s2, g2, m2 = train_east.zoom_sample(np.random.default_rng([seed, 1]), x, s, g, m)
    want_s, want_g, want_m = east_data.label_maps(
        [(q - np.float32([cx, cy])) * np.float32(z) for q in quads], (256, 256))
    want_g = want_g.astype(np.float32)

    assert x2.shape == x.shape and x2.dtype == np.uint8
    # the image: pixel (u, v) of the zoomed crop shows old point (cx + u/z, cy + v/z)
    vv, uu = np.mgrid[0:256:17, 0:256:17]
    assert np.abs(x2[vv, uu, 0] - 0.9 * (cx + uu / z)).max() <= 1.0
    assert np.abs(x2[vv, uu, 1] - 0.9 * (cy + vv / z)).max() <= 1.0
    # Cells both call text: the same box, to float16 precision scaled by z.
    both = (s2 > 0) & (want_s > 0) & (m2 > 0) & (want_m > 0)
    assert both.sum() >= 20
    np.testing.assert_allclose(g2[both][:, :4], want_g[both][:, :4], atol=0.1 * z + 0.05)
    np.testing.assert_allclose(g2[both][:, 4], want_g[both][:, 4], atol=2e-3)
    # Text cells agree but for a one-cell rim (nearest-cell resampling of the core).
    got, want = (s2 > 0) & (m2 > 0), (want_s > 0) & (want_m > 0)
    iou = (got & want).sum() / max(1, (got | want).sum())
    assert iou >= 0.6, iou
    # The cut word: no text cell the loss would learn from.
    assert not (got & (want_m == 0)).any()
    # Nothing the generator calls background becomes text, beyond that rim.
    near = np.zeros_like(want)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            near |= np.roll(np.roll(want | (want_m == 0), di, 0), dj, 1)
    assert not (got & ~near).any()


def test_zoom_of_an_empty_sample_stays_empty():
    rng = np.random.default_rng(3)
    x = np.full((256, 256, 3), 200, np.uint8)
    s, g, m = east_data.label_maps([], (256, 256))
    x2, s2, g2, m2 = train_east.zoom_sample(rng, x, s, g.astype(np.float32), m)
    assert not s2.any() and not g2.any() and m2.all()
    assert (x2 == 200).all()
