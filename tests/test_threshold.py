"""Parity of ocrkit.threshold against OpenCV: fixed, Otsu, triangle and adaptive thresholds."""
import math

import cv2
import numpy as np
import pytest

import ocrkit
from ocrkit.threshold import _gaussian_taps, adaptive_threshold, histogram, otsu_threshold
from ocrkit.threshold import threshold, triangle_threshold

from conftest import assert_close, random_image

TYPES = {"binary": cv2.THRESH_BINARY, "binary_inv": cv2.THRESH_BINARY_INV,
         "trunc": cv2.THRESH_TRUNC, "tozero": cv2.THRESH_TOZERO, "tozero_inv": cv2.THRESH_TOZERO_INV}
SHAPES = [(1, 1), (1, 7), (7, 1), (3, 5), (17, 31), (64, 64), (101, 257)]
ADAPTIVE = {"mean": cv2.ADAPTIVE_THRESH_MEAN_C, "gaussian": cv2.ADAPTIVE_THRESH_GAUSSIAN_C}


def bimodal(rng, h, w, lo=60, hi=180, spread=20, frac=0.4):
    a = rng.normal(lo, spread, (h, w))
    b = rng.normal(hi, spread, (h, w))
    return np.clip(np.where(rng.random((h, w)) < frac, a, b), 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------- fixed

@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.uint16, np.float32])
@pytest.mark.parametrize("ttype", list(TYPES))
def test_fixed_threshold_matches_opencv(rng, dtype, ttype):
    if dtype == np.uint8:
        threshes, maxvals = [-5, 0, 0.5, 100, 127.7, 254, 255, 300], [255, 200, 77.5, 0, 400, -3]
    elif dtype == np.int16:
        threshes, maxvals = [-40000, -32768, -100.5, 0, 12345, 32766, 32767, 40000], [32767, 1000, -500, 70000]
    elif dtype == np.uint16:
        threshes, maxvals = [-1, 0, 1000.9, 40000, 65534, 65535, 70000], [65535, 1000, 70000, -2]
    else:
        threshes, maxvals = [-2.0, 0.0, 0.25, 0.5, 1.7, 5.0], [1.0, 255.0, -1.5]
    for shape in SHAPES + [(480, 640)]:
        big = shape[0] * shape[1] > 10000
        for cn in (1, 3) if big else (1, 3, 4):
            src = random_image(rng, *shape, channels=cn, dtype=dtype)
            # every threshold on small images; the large ones only add the vector body
            for t in threshes[1::3] if big else threshes:
                for mv in maxvals[:1] if big else maxvals:
                    ref_ret, ref = cv2.threshold(src, t, mv, TYPES[ttype])
                    ret, out = threshold(src, t, mv, ttype)
                    assert ret == ref_ret, (shape, cn, t, mv)
                    assert_close(out, ref.reshape(out.shape), what=f"{dtype.__name__} {shape} cn={cn} t={t} mv={mv}")


def test_fixed_threshold_1080p(rng):
    src = random_image(rng, 1080, 1920, dtype=np.uint8, smooth=True)
    for ttype in TYPES:
        assert_close(threshold(src, 127, 255, ttype)[1], cv2.threshold(src, 127, 255, TYPES[ttype])[1])


def test_threshold_accepts_views_and_keeps_input(rng):
    base = random_image(rng, 40, 60, channels=3)
    view = base[::2, 1::2, :]
    before = view.copy()
    ret, out = threshold(view, 100, 255, "binary")
    assert_close(out, cv2.threshold(np.ascontiguousarray(view), 100, 255, cv2.THRESH_BINARY)[1])
    np.testing.assert_array_equal(view, before)


def test_threshold_is_exported():
    assert ocrkit.threshold is threshold
    assert ocrkit.adaptive_threshold is adaptive_threshold


# --------------------------------------------------------------------------- histogram / Otsu / triangle

def test_histogram_matches_bincount(rng):
    for shape in SHAPES:
        img = random_image(rng, *shape, channels=3)
        np.testing.assert_array_equal(histogram(img), np.bincount(img.ravel(), minlength=256))
    img16 = random_image(rng, 33, 45, dtype=np.uint16)
    np.testing.assert_array_equal(histogram(img16), np.bincount(img16.ravel(), minlength=65536))
    assert histogram(img16).dtype == np.int64


def _auto_images(rng):
    imgs = [np.zeros((1, 1), np.uint8), np.full((9, 13), 77, np.uint8), np.full((5, 5), 255, np.uint8)]
    two = np.zeros((10, 10), np.uint8)
    two[:, 5:] = 200
    imgs.append(two)
    for shape in [(3, 5), (17, 31), (64, 64), (101, 257), (480, 640)]:
        imgs.append(random_image(rng, *shape))
        imgs.append(bimodal(rng, *shape))
        imgs.append(bimodal(rng, *shape, lo=20, hi=90, spread=5, frac=0.9))
        imgs.append((random_image(rng, *shape) // 37 * 30).astype(np.uint8))
    return imgs


@pytest.mark.parametrize("method,flag", [("otsu", cv2.THRESH_OTSU), ("triangle", cv2.THRESH_TRIANGLE)])
def test_auto_threshold_matches_opencv(rng, method, flag):
    func = otsu_threshold if method == "otsu" else triangle_threshold
    for img in _auto_images(rng):
        for ttype in TYPES:
            ref_ret, ref = cv2.threshold(img, 0, 255, TYPES[ttype] | flag)
            ret, out = threshold(img, 0, 255, ttype, method=method)
            assert ret == ref_ret, (img.shape, ttype)
            assert_close(out, ref, what=f"{method} {img.shape} {ttype}")
        assert func(img) == ref_ret


def test_otsu_uint16_matches_opencv(rng):
    for shape in [(1, 1), (7, 9), (64, 80)]:
        img = (bimodal(rng, *shape).astype(np.uint16) * 257 + rng.integers(0, 200, shape)).astype(np.uint16)
        ref_ret, ref = cv2.threshold(img, 0, 65535, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        ret, out = threshold(img, 0, 65535, method="otsu")
        assert ret == ref_ret
        assert_close(out, ref)


def test_otsu_1080p(rng):
    img = bimodal(rng, 1080, 1920)
    ref_ret, ref = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    ret, out = threshold(img, 0, 255, method="otsu")
    assert ret == ref_ret
    assert_close(out, ref)


# --------------------------------------------------------------------------- adaptive

def test_gaussian_taps_match_opencv():
    for n in range(3, 202, 2):
        np.testing.assert_array_equal(_gaussian_taps(n), cv2.getGaussianKernel(n, 0, ktype=cv2.CV_32F).ravel())


def _adaptive_inputs(rng):
    for h, w in [(1, 1), (1, 9), (9, 1), (2, 3), (5, 7), (13, 17), (31, 33), (40, 71), (57, 100)]:
        yield random_image(rng, h, w)
        yield random_image(rng, h, w, smooth=True)
    yield bimodal(rng, 37, 45)
    yield np.full((20, 30), 128, np.uint8)
    yield (rng.integers(0, 2, (33, 41)) * 255).astype(np.uint8)


@pytest.mark.parametrize("method", ["mean", "gaussian"])
def test_adaptive_matches_opencv(rng, method):
    for src in _adaptive_inputs(rng):
        for block in (3, 5, 7, 9, 11, 13, 15, 17, 21, 25, 31, 41, 51):
            c = float(rng.choice([0, 2, -3, 7.5, -2.25, 15]))
            for ttype, flag in (("binary", cv2.THRESH_BINARY), ("binary_inv", cv2.THRESH_BINARY_INV)):
                ref = cv2.adaptiveThreshold(src, 255, ADAPTIVE[method], flag, block, c)
                out = adaptive_threshold(src, 255, method, ttype, block, c)
                assert_close(out, ref, what=f"{method} {src.shape} block={block} c={c} {ttype}")


@pytest.mark.parametrize("method", ["mean", "gaussian"])
def test_adaptive_maxval_and_extreme_c(rng, method):
    src = random_image(rng, 23, 29, smooth=True)
    for maxval in (255, 200.4, 77.5, 0, 300, -1):
        for c in (0, 1, -1, 255, -255, 300, -300, 1e9, -1e9, 0.5, -0.5):
            for ttype, flag in (("binary", cv2.THRESH_BINARY), ("binary_inv", cv2.THRESH_BINARY_INV)):
                ref = cv2.adaptiveThreshold(src, maxval, ADAPTIVE[method], flag, 5, c)
                out = adaptive_threshold(src, maxval, method, ttype, 5, c)
                assert_close(out, ref, what=f"{method} maxval={maxval} c={c} {ttype}")


@pytest.mark.parametrize("method,block", [("mean", 31), ("gaussian", 11), ("gaussian", 51), ("mean", 3)])
def test_adaptive_large_images(rng, method, block):
    for h, w in [(480, 640), (1080, 1920), (333, 517)]:
        src = random_image(rng, h, w, smooth=True)
        ref = cv2.adaptiveThreshold(src, 255, ADAPTIVE[method], cv2.THRESH_BINARY, block, 2)
        assert_close(adaptive_threshold(src, 255, method, "binary", block, 2), ref,
                     what=f"{method} {h}x{w} block={block}")


def test_adaptive_thread_count_does_not_change_result(rng):
    src = random_image(rng, 301, 203, smooth=True)
    saved = ocrkit.get_num_threads()
    try:
        outs = []
        for n in (1, 2, 3):
            ocrkit.set_num_threads(n)
            outs.append((adaptive_threshold(src, 255, "mean", "binary", 15, 3),
                         adaptive_threshold(src, 255, "gaussian", "binary_inv", 21, -2)))
    finally:
        ocrkit.set_num_threads(saved)
    for o in outs[1:]:
        assert_close(o[0], outs[0][0])
        assert_close(o[1], outs[0][1])


def test_adaptive_accepts_hw1_and_views(rng):
    base = random_image(rng, 50, 80, smooth=True)
    view = base[1::2, ::3]
    ref = cv2.adaptiveThreshold(np.ascontiguousarray(view), 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 7, 1)
    assert_close(adaptive_threshold(view, 255, "mean", "binary", 7, 1), ref)
    out = adaptive_threshold(base[:, :, None], 255, "gaussian", "binary", 7, 1)
    assert out.shape == (50, 80, 1)
    ref = cv2.adaptiveThreshold(base, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 7, 1)
    assert_close(out[:, :, 0], ref)


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("block", [4, 2, 1, 0, -3, 4097])
def test_adaptive_rejects_bad_block_size(block):
    with pytest.raises(ValueError, match="block_size"):
        adaptive_threshold(np.zeros((5, 5), np.uint8), 255, "mean", "binary", block, 0)


def test_adaptive_rejects_bad_arguments():
    img = np.zeros((5, 5), np.uint8)
    with pytest.raises(ValueError, match="maxval"):
        adaptive_threshold(img, float("nan"), "mean", "binary", 3, 0)
    with pytest.raises(ValueError, match="c"):
        adaptive_threshold(img, 255, "mean", "binary", 3, float("nan"))
    with pytest.raises(ValueError, match="method"):
        adaptive_threshold(img, 255, "median", "binary", 3, 0)
    with pytest.raises(ValueError, match="type"):
        adaptive_threshold(img, 255, "mean", "trunc", 3, 0)
    with pytest.raises(TypeError, match="block_size"):
        adaptive_threshold(img, 255, "mean", "binary", 3.5, 0)
    with pytest.raises(TypeError, match="src"):
        adaptive_threshold(img.astype(np.float32), 255, "mean", "binary", 3, 0)
    with pytest.raises(ValueError, match="src"):
        adaptive_threshold(np.zeros((5, 5, 3), np.uint8), 255, "mean", "binary", 3, 0)
    with pytest.raises(ValueError, match="src"):
        adaptive_threshold(np.zeros((0, 5), np.uint8), 255, "mean", "binary", 3, 0)


def test_threshold_rejects_bad_arguments():
    img = np.zeros((5, 5), np.uint8)
    with pytest.raises(ValueError, match="maxval"):
        threshold(img, 10, float("nan"))
    with pytest.raises(ValueError, match="thresh"):
        threshold(img, float("nan"), 255)
    with pytest.raises(ValueError, match="type"):
        threshold(img, 10, 255, "otsu")
    with pytest.raises(ValueError, match="method"):
        threshold(img, 10, 255, method="kmeans")
    with pytest.raises(TypeError, match="src"):
        threshold(img.astype(np.float64), 10, 255)
    with pytest.raises(TypeError, match="src"):
        threshold([[1, 2]], 10, 255)
    with pytest.raises(TypeError, match="src"):
        threshold(img.astype(np.float32), 0, 1, method="otsu")
    with pytest.raises(ValueError, match="src"):
        threshold(np.zeros((5, 5, 3), np.uint8), 0, 255, method="otsu")
    with pytest.raises(TypeError, match="src"):
        triangle_threshold(img.astype(np.uint16))
    with pytest.raises(TypeError, match="src"):
        histogram(img.astype(np.float32))
    with pytest.raises(TypeError, match="thresh"):
        threshold(img, "10", 255)


def test_otsu_ignores_thresh_argument(rng):
    img = bimodal(rng, 20, 20)
    assert threshold(img, 999, 255, method="otsu")[0] == threshold(img, 0, 255, method="otsu")[0]
    assert math.isfinite(otsu_threshold(img))


@pytest.mark.parametrize("method", ["mean", "gaussian"])
def test_adaptive_block_larger_than_image(rng, method):
    # the window reaches past both borders many times over (replicated edges)
    for h, w in [(1, 1), (5, 3), (8, 13), (20, 9)]:
        src = random_image(rng, h, w)
        for block in (53, 101, 255):
            ref = cv2.adaptiveThreshold(src, 255, ADAPTIVE[method], cv2.THRESH_BINARY, block, 1)
            assert_close(adaptive_threshold(src, 255, method, "binary", block, 1), ref,
                         what=f"{method} {h}x{w} block={block}")


def test_adaptive_mean_large_blocks_use_opencv_float_rounding(rng):
    # from 165×165 on, OpenCV's vector loop rounds float(sum) * float(1/k²), which
    # can differ from the exact mean; the first w & ~7 columns must follow it
    for block in (163, 165, 203, 501):
        src = random_image(rng, 171, 213, smooth=True)
        for c in (0, 1, -2):
            for ttype, flag in (("binary", cv2.THRESH_BINARY), ("binary_inv", cv2.THRESH_BINARY_INV)):
                ref = cv2.adaptiveThreshold(src, 255, cv2.ADAPTIVE_THRESH_MEAN_C, flag, block, c)
                assert_close(adaptive_threshold(src, 255, "mean", ttype, block, c), ref,
                             what=f"block={block} c={c} {ttype}")
