"""Parity of ocrkit.color against OpenCV: grayscale conversion, equalizeHist, CLAHE."""
import cv2
import numpy as np
import pytest

import ocrkit
from ocrkit.color import clahe, equalize_hist, to_gray

from conftest import assert_close, random_image

SHAPES = [(1, 1), (1, 7), (7, 1), (3, 5), (17, 31), (64, 64), (101, 257), (480, 640)]
GRAY_CODES = {(3, "bgr"): cv2.COLOR_BGR2GRAY, (3, "rgb"): cv2.COLOR_RGB2GRAY,
              (4, "bgr"): cv2.COLOR_BGRA2GRAY, (4, "rgb"): cv2.COLOR_RGBA2GRAY}


# --------------------------------------------------------------------------- to_gray

def test_luminosity_uint8_every_colour():
    # all 2^24 BGR triples once: the fixed-point weights and rounding match everywhere
    v = np.arange(1 << 24, dtype=np.uint32)
    img = np.stack([v & 255, (v >> 8) & 255, v >> 16], axis=-1).astype(np.uint8).reshape(4096, 4096, 3)
    assert_close(to_gray(img), cv2.cvtColor(img, cv2.COLOR_BGR2GRAY))


@pytest.mark.parametrize("cn", [3, 4])
@pytest.mark.parametrize("order", ["bgr", "rgb"])
def test_luminosity_matches_opencv(rng, cn, order):
    for shape in SHAPES + [(1080, 1920)]:
        src = random_image(rng, *shape, channels=cn, smooth=True)
        assert_close(to_gray(src, order=order), cv2.cvtColor(src, GRAY_CODES[(cn, order)]),
                     what=f"uint8 {shape} {cn} {order}")
        f = random_image(rng, *shape, channels=cn, dtype=np.float32)
        # float32: OpenCV's vector code may add the three products in another order
        # (and fuse them), so results agree to float rounding, not bit for bit
        assert_close(to_gray(f, order=order), cv2.cvtColor(f, GRAY_CODES[(cn, order)]),
                     rtol=1e-6, atol=1e-6, what=f"float32 {shape} {cn} {order}")


def _ref_average(src):
    s = src[..., :3].astype(np.float64).sum(axis=-1) / 3.0
    return np.rint(s).astype(src.dtype) if src.dtype == np.uint8 else s.astype(np.float32)


def _ref_desaturation(src):
    c = src[..., :3].astype(np.float64)
    s = (c.max(axis=-1) + c.min(axis=-1)) / 2.0
    return np.rint(s).astype(src.dtype) if src.dtype == np.uint8 else s.astype(np.float32)


@pytest.mark.parametrize("method,ref", [("average", _ref_average), ("desaturation", _ref_desaturation)])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_average_and_desaturation(rng, method, ref, dtype):
    for shape in SHAPES:
        for cn in (3, 4):
            src = random_image(rng, *shape, channels=cn, dtype=dtype)
            for order in ("bgr", "rgb"):
                assert_close(to_gray(src, method, order=order), ref(src), what=f"{method} {shape} {cn}")
    # every tie of (max + min) / 2 rounds to even, like numpy.rint
    px = np.array([[[0, 1, 0], [1, 2, 2], [3, 0, 0], [255, 0, 7]]], np.uint8)
    np.testing.assert_array_equal(to_gray(px, "desaturation"), [[0, 2, 2, 128]])


def test_to_gray_views_and_input_untouched(rng):
    base = random_image(rng, 40, 50, channels=4)
    view = base[::3, 1::2, :3]
    before = view.copy()
    assert_close(to_gray(view), cv2.cvtColor(np.ascontiguousarray(view), cv2.COLOR_BGR2GRAY))
    np.testing.assert_array_equal(view, before)
    assert ocrkit.to_gray is to_gray


def test_to_gray_rejects_bad_input():
    with pytest.raises(ValueError, match="src.*3 or 4 channels"):
        to_gray(np.zeros((4, 4), np.uint8))
    with pytest.raises(ValueError, match="src"):
        to_gray(np.zeros((4, 4, 2), np.uint8))
    with pytest.raises(ValueError, match="src"):
        to_gray(np.zeros((4, 4, 1), np.uint8))
    with pytest.raises(TypeError, match="src"):
        to_gray(np.zeros((4, 4, 3), np.int32))
    with pytest.raises(ValueError, match="method"):
        to_gray(np.zeros((4, 4, 3), np.uint8), "lightness")
    with pytest.raises(ValueError, match="order"):
        to_gray(np.zeros((4, 4, 3), np.uint8), order="bgra")
    with pytest.raises(ValueError, match="src"):
        to_gray(np.zeros((0, 4, 3), np.uint8))


# --------------------------------------------------------------------------- equalize_hist

def test_equalize_hist_matches_opencv(rng):
    imgs = [np.zeros((1, 1), np.uint8), np.full((7, 9), 200, np.uint8), np.full((3, 3), 0, np.uint8),
            np.full((3, 3), 255, np.uint8), np.array([[0, 255]], np.uint8)]
    for shape in SHAPES + [(1080, 1920)]:
        imgs.append(random_image(rng, *shape, smooth=True))
        imgs.append((random_image(rng, *shape) // 50 + 100).astype(np.uint8))
        imgs.append(np.clip(rng.normal(90, 8, shape), 0, 255).astype(np.uint8))
    for img in imgs:
        assert_close(equalize_hist(img), cv2.equalizeHist(img), what=f"{img.shape}")


def test_equalize_hist_hw1_and_bad_input(rng):
    img = random_image(rng, 20, 30)
    out = equalize_hist(img[:, :, None])
    assert out.shape == (20, 30, 1)
    assert_close(out[:, :, 0], cv2.equalizeHist(img))
    with pytest.raises(ValueError, match="src"):
        equalize_hist(np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(TypeError, match="src"):
        equalize_hist(np.zeros((4, 4), np.float32))


# --------------------------------------------------------------------------- CLAHE

def test_clahe_matches_opencv(rng):
    cases = [((64, 64), (8, 8)), ((60, 70), (8, 8)), ((64, 70), (8, 8)), ((147, 250), (5, 6)),
             ((1, 1), (8, 8)), ((3, 5), (8, 8)), ((9, 200), (1, 9)), ((480, 640), (8, 8)),
             ((101, 257), (3, 2)), ((33, 33), (1, 1))]
    for shape, grid in cases:
        for img in (random_image(rng, *shape), random_image(rng, *shape, smooth=True),
                    np.clip(rng.normal(100, 10, shape), 0, 255).astype(np.uint8)):
            for clip in (0.0, 1.0, 2.0, 40.0):
                ref = cv2.createCLAHE(clip, grid).apply(img)
                # OpenCV's interpolation may round 1 LSB apart from the plain float
                # expression (its vector path fuses multiply-adds)
                assert_close(clahe(img, clip, grid), ref, max_lsb=1, max_frac=0.01,
                             what=f"{shape} grid={grid} clip={clip}")


def test_clahe_1080p(rng):
    img = random_image(rng, 1080, 1920, smooth=True)
    assert_close(clahe(img, 2.0, (8, 8)), cv2.createCLAHE(2.0, (8, 8)).apply(img), max_lsb=1, max_frac=0.01)


def test_clahe_rejects_bad_input():
    img = np.zeros((8, 8), np.uint8)
    with pytest.raises(ValueError, match="tile_grid"):
        clahe(img, 2.0, (0, 8))
    with pytest.raises(ValueError, match="clip_limit"):
        clahe(img, float("nan"))
    with pytest.raises(ValueError, match="src"):
        clahe(np.zeros((8, 8, 3), np.uint8))
    with pytest.raises(TypeError, match="src"):
        clahe(img.astype(np.uint16))


def test_thread_count_does_not_change_results(rng):
    gray = random_image(rng, 517, 389, smooth=True)
    bgr = random_image(rng, 517, 389, channels=3, smooth=True)
    saved = ocrkit.get_num_threads()
    try:
        outs = []
        for n in (1, 2, 3):
            ocrkit.set_num_threads(n)
            outs.append((to_gray(bgr), equalize_hist(gray), clahe(gray, 3.0, (5, 7)),
                         ocrkit.histogram(gray), ocrkit.threshold(gray, 0, 255, method="otsu")[1]))
    finally:
        ocrkit.set_num_threads(saved)
    for o in outs[1:]:
        for a, b in zip(o, outs[0]):
            np.testing.assert_array_equal(a, b)
    assert_close(outs[0][1], cv2.equalizeHist(gray))


def test_multithreaded_runs_are_repeatable(rng):
    # guards against data races between the row chunks (a race made CLAHE's tile
    # ranges shared once): many runs with several threads must agree bit for bit
    img = random_image(rng, 480, 640)
    saved = ocrkit.get_num_threads()
    try:
        ocrkit.set_num_threads(max(2, saved))
        first = (clahe(img, 0.0, (8, 8)), ocrkit.adaptive_threshold(img, 255, "gaussian", "binary", 11, 2),
                 ocrkit.adaptive_threshold(img, 255, "mean", "binary", 31, 2))
        for _ in range(40):
            again = (clahe(img, 0.0, (8, 8)), ocrkit.adaptive_threshold(img, 255, "gaussian", "binary", 11, 2),
                     ocrkit.adaptive_threshold(img, 255, "mean", "binary", 31, 2))
            for a, b in zip(again, first):
                np.testing.assert_array_equal(a, b)
    finally:
        ocrkit.set_num_threads(saved)
    assert_close(first[0], cv2.createCLAHE(0.0, (8, 8)).apply(img), max_lsb=1, max_frac=0.01)
