"""ocrkit.connected_components against cv2.connectedComponentsWithStats, label for label."""
import numpy as np
import pytest

import ocrkit
from conftest import cv2
from ocrkit.bench import make_image

SHAPES = [(1, 1), (1, 17), (13, 1), (2, 2), (3, 7), (8, 8), (31, 64), (64, 65), (97, 130), (128, 200)]
DENSITIES = [0.05, 0.3, 0.5, 0.7, 0.95]


def _check(binary, connectivity):
    n, labels, stats, cents = ocrkit.connected_components(binary, connectivity)
    rn, rlabels, rstats, rcents = cv2.connectedComponentsWithStats(binary, connectivity=connectivity,
                                                                  ltype=cv2.CV_32S)
    what = f"{binary.shape} conn={connectivity}"
    assert n == rn, what
    assert labels.dtype == np.int32 and stats.dtype == np.int32 and cents.dtype == np.float64
    np.testing.assert_array_equal(labels, rlabels, err_msg=what)
    np.testing.assert_array_equal(stats, rstats, err_msg=what)
    # exact: both divide the same integer sums by the same area
    np.testing.assert_array_equal(cents, rcents, err_msg=what)
    return n


def _blobs(rng, h, w, frac):
    """Smooth random blobs: long boundaries, holes, components nested in holes."""
    noise = rng.random((h, w)).astype(np.float32)
    smooth = cv2.GaussianBlur(noise, (0, 0), 3.0)
    return (smooth > np.quantile(smooth, 1 - frac)).astype(np.uint8) * 255


@pytest.mark.parametrize("connectivity", [4, 8])
@pytest.mark.parametrize("shape", SHAPES)
def test_noise_matches_opencv(rng, shape, connectivity):
    for d in DENSITIES:
        binary = (rng.random(shape) < d).astype(np.uint8)
        binary *= rng.integers(1, 256, shape, dtype=np.uint8) | 1   # any nonzero is foreground
        _check(binary, connectivity)


@pytest.mark.parametrize("connectivity", [4, 8])
def test_blobs_match_opencv(rng, connectivity):
    for shape in [(64, 64), (101, 77), (240, 320)]:
        for frac in (0.2, 0.5, 0.8):
            _check(_blobs(rng, *shape, frac), connectivity)


@pytest.mark.parametrize("connectivity", [4, 8])
def test_special_images(rng, connectivity):
    for shape in [(1, 1), (1, 40), (40, 1), (2, 2), (7, 9), (64, 64)]:
        assert _check(np.zeros(shape, np.uint8), connectivity) == 1
        # no background: OpenCV reports row 0 as [-1, INT_MAX, 0, 0, 0] with NaN centroid
        assert _check(np.full(shape, 255, np.uint8), connectivity) == 2
    # patterns that separate 4 from 8 and raster from block order
    checker = (np.indices((9, 11)).sum(axis=0) % 2).astype(np.uint8)
    assert _check(checker, 8) == 2
    assert _check(checker, 4) == 1 + np.count_nonzero(checker)
    order = np.zeros((4, 8), np.uint8)
    order[0, 6] = order[1, 0] = order[3, 3] = order[2, 7] = 1
    _check(order, connectivity)
    stripes = np.zeros((6, 70), np.uint8)
    stripes[::2] = 1
    _check(stripes, connectivity)
    _check(stripes.T.copy(), connectivity)


def test_1080p_binarised():
    rng = np.random.default_rng(5)
    img = make_image(rng, "1080p", 1)
    binary = (img > 128).astype(np.uint8) * 255
    for connectivity in (4, 8):
        _check(binary, connectivity)


def test_stats_false_ltype_and_threads(rng):
    binary = _blobs(rng, 150, 170, 0.4)
    rn, rlabels = cv2.connectedComponents(binary, connectivity=8, ltype=cv2.CV_32S)
    n, labels = ocrkit.connected_components(binary, 8, stats=False)
    assert n == rn
    np.testing.assert_array_equal(labels, rlabels)
    n16, labels16, stats16, _ = ocrkit.connected_components(binary, 4, ltype=np.uint16)
    r16 = cv2.connectedComponentsWithStats(binary, connectivity=4, ltype=cv2.CV_16U)
    assert labels16.dtype == np.uint16 and n16 == r16[0]
    np.testing.assert_array_equal(labels16, r16[1])
    np.testing.assert_array_equal(stats16, r16[2])
    try:
        for nt in (1, 2, 3):
            ocrkit.set_num_threads(nt)
            np.testing.assert_array_equal(ocrkit.connected_components(binary, 8, stats=False)[1], rlabels)
    finally:
        ocrkit.set_num_threads(0)


def test_views_and_input_untouched(rng):
    big = (rng.random((90, 120)) < 0.4).astype(np.uint8)
    before = big.copy()
    view = big[3:80:2, 5:100:3]
    _check(np.ascontiguousarray(view), 8)
    n, labels, _, _ = ocrkit.connected_components(view, 8)
    np.testing.assert_array_equal(labels, cv2.connectedComponentsWithStats(
        np.ascontiguousarray(view), connectivity=8, ltype=cv2.CV_32S)[1])
    assert np.array_equal(big, before)


def test_bad_input():
    img = np.zeros((10, 10), np.uint8)
    with pytest.raises(TypeError, match="binary"):
        ocrkit.connected_components(img.astype(np.float32))
    with pytest.raises(TypeError, match="binary"):
        ocrkit.connected_components(img.astype(bool))
    with pytest.raises(TypeError, match="binary"):
        ocrkit.connected_components([[0, 1]])
    with pytest.raises(ValueError, match="binary"):
        ocrkit.connected_components(np.zeros((10, 10, 3), np.uint8))
    with pytest.raises(ValueError, match="binary"):
        ocrkit.connected_components(np.zeros((10, 10, 1), np.uint8))
    with pytest.raises(ValueError, match="binary"):
        ocrkit.connected_components(np.zeros(10, np.uint8))
    with pytest.raises(ValueError, match="binary"):
        ocrkit.connected_components(np.zeros((0, 5), np.uint8))
    for bad in (0, 1, 6, 9, -4):
        with pytest.raises(ValueError, match="connectivity"):
            ocrkit.connected_components(img, bad)
    with pytest.raises(TypeError, match="connectivity"):
        ocrkit.connected_components(img, "8")
    with pytest.raises(ValueError, match="ltype"):
        ocrkit.connected_components(img, 8, ltype=np.float32)
    with pytest.raises(TypeError, match="ltype"):
        ocrkit.connected_components(img, 8, ltype="not a dtype")
    many = np.zeros((600, 600), np.uint8)
    many[::2, ::2] = 1   # 90000 components
    with pytest.raises(ValueError, match="uint16"):
        ocrkit.connected_components(many, 4, ltype=np.uint16)


@pytest.mark.parametrize("connectivity", [4, 8])
def test_parallel_stripes_match_opencv(rng, connectivity):
    # tall images split into several stripes that are labelled apart and then
    # joined: components crossing stripe boundaries must keep OpenCV's numbers
    h, w = 517, 61
    snake = np.zeros((h, w), np.uint8)
    snake[:, 30] = 1                       # one component through every stripe
    snake[::7, :] = 1                      # rungs joining it
    snake[5::13, 3::4] = 1                 # isolated dots between rungs
    noisy = (rng.random((h, w)) < 0.55).astype(np.uint8)
    diag = np.eye(h, w, k=-3, dtype=np.uint8) | np.eye(h, w, k=40, dtype=np.uint8)
    try:
        for nt in (2, 3, 5, 8):
            ocrkit.set_num_threads(nt)
            for binary in (snake, noisy, diag):
                _check(binary, connectivity)
    finally:
        ocrkit.set_num_threads(0)
