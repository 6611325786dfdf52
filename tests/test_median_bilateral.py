"""Parity of median_blur / bilateral_filter with cv2.medianBlur / cv2.bilateralFilter."""
import cv2
import numpy as np
import pytest

import ocrkit
from ocrkit._nonlinear import bilateral_filter, median_blur

from conftest import assert_close, random_image

SHAPES = [(1, 1), (2, 3), (1, 9), (9, 1), (5, 5), (17, 33), (31, 64)]
# widths around the 16/32-lane vector blocks so the loop tails run
TAIL_WIDTHS = [15, 16, 17, 31, 32, 33, 63, 65]
CV_BORDERS = {"constant": cv2.BORDER_CONSTANT, "replicate": cv2.BORDER_REPLICATE,
              "reflect": cv2.BORDER_REFLECT, "reflect101": cv2.BORDER_REFLECT_101}


# ---------------------------------------------------------------- median_blur

@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("channels", [1, 3, 4])
@pytest.mark.parametrize("ksize", [3, 5, 7, 9, 15, 31])
def test_median_uint8_matches_opencv(rng, shape, channels, ksize):
    img = random_image(rng, *shape, channels=channels)
    assert_close(median_blur(img, ksize), cv2.medianBlur(img, ksize), what=f"{shape} {channels} {ksize}")


@pytest.mark.parametrize("dtype", [np.uint16, np.float32])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("channels", [1, 3, 4])
@pytest.mark.parametrize("ksize", [3, 5])
def test_median_uint16_float32_match_opencv(rng, dtype, shape, channels, ksize):
    img = random_image(rng, *shape, channels=channels, dtype=dtype)
    ours, ref = median_blur(img, ksize), cv2.medianBlur(img, ksize)
    # a median selects one of the inputs, so float results are exact too
    assert ours.dtype == ref.dtype and np.array_equal(ours, ref)


@pytest.mark.parametrize("width", TAIL_WIDTHS)
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.float32])
@pytest.mark.parametrize("ksize", [3, 5])
def test_median_network_tails(rng, width, dtype, ksize):
    img = random_image(rng, 7, width, channels=1, dtype=dtype, smooth=True)
    assert np.array_equal(median_blur(img, ksize), cv2.medianBlur(img, ksize))


@pytest.mark.parametrize("ksize", [3, 5, 15])
def test_median_1080p(rng, ksize):
    img = random_image(rng, 1080, 1920, smooth=True)
    assert_close(median_blur(img, ksize), cv2.medianBlur(img, ksize), what=f"1080p k={ksize}")


def test_median_1080p_bgr(rng):
    img = random_image(rng, 1080, 1920, channels=3, smooth=True)
    assert_close(median_blur(img, 5), cv2.medianBlur(img, 5))


@pytest.mark.parametrize("ksize", [101, 255, 257])
def test_median_huge_kernels(rng, ksize):
    # 257² exceeds 16-bit counts: the kernel switches to 32-bit window histograms
    img = random_image(rng, 23, 29, channels=3)
    assert_close(median_blur(img, ksize), cv2.medianBlur(img, ksize))


def test_median_flat_regions_and_extremes():
    img = np.zeros((40, 50), np.uint8)
    img[10:30, 10:40] = 255
    img[::7, ::5] = 255
    for k in (3, 5, 7, 21):
        assert np.array_equal(median_blur(img, k), cv2.medianBlur(img, k))


def test_median_ksize1_is_copy(rng):
    img = random_image(rng, 6, 7, channels=3)
    out = median_blur(img, 1)
    assert np.array_equal(out, img) and out is not img


def test_median_strided_input_and_no_mutation(rng):
    big = random_image(rng, 40, 60, channels=3)
    view = big[3:35:2, 50:5:-3]
    keep = big.copy()
    for k in (3, 5, 9):
        assert np.array_equal(median_blur(view, k), cv2.medianBlur(np.ascontiguousarray(view), k))
    assert np.array_equal(big, keep)


def test_median_threads_agree(rng):
    img = random_image(rng, 97, 130, channels=3)
    try:
        ocrkit.set_num_threads(1)
        one = [median_blur(img, k) for k in (3, 5, 11)]
        ocrkit.set_num_threads(3)
        many = [median_blur(img, k) for k in (3, 5, 11)]
    finally:
        ocrkit.set_num_threads(0)
    for a, b in zip(one, many):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("ksize", [0, -3, 2, 4, 6])
def test_median_bad_ksize(ksize):
    with pytest.raises(ValueError, match="ksize"):
        median_blur(np.zeros((5, 5), np.uint8), ksize)


@pytest.mark.parametrize("dtype", [np.uint16, np.float32])
def test_median_large_ksize_needs_uint8(dtype):
    with pytest.raises(ValueError, match="ksize"):
        median_blur(np.zeros((9, 9), dtype), 7)


@pytest.mark.parametrize("ksize", [3.5, "3", None, True])
def test_median_ksize_type(ksize):
    with pytest.raises(TypeError, match="ksize"):
        median_blur(np.zeros((5, 5), np.uint8), ksize)


@pytest.mark.parametrize("bad, exc", [
    (np.zeros((5, 5), np.int16), TypeError),
    (np.zeros((5, 5), np.float64), TypeError),
    (np.zeros((5, 5, 2), np.uint8), ValueError),
    (np.zeros((5,), np.uint8), ValueError),
    (np.zeros((0, 5), np.uint8), ValueError),
    ([[1, 2], [3, 4]], TypeError),
])
def test_median_bad_src(bad, exc):
    with pytest.raises(exc, match="src"):
        median_blur(bad, 3)


# ------------------------------------------------------------ bilateral_filter

def _bilateral_tolerance(img, d, sigma_space, border):
    """max_lsb, max_frac for uint8 against this OpenCV build."""
    radius = max(int(np.rint(sigma_space * 1.5)) if d <= 0 else d // 2, 1)
    if img.ndim == 2 and radius <= 2 and border != "reflect":
        # x86 OpenCV hands 8-bit gray images with radius <= 2 to Intel IPP, which
        # truncates sum/wsum instead of rounding it: about half the pixels are 1 lower.
        return 1, 0.75
    # OpenCV's AVX2 build fuses the multiply-adds; we do not, so a sum within an ulp
    # of a .5 tie can round the other way
    return 1, 0.002


BIL_SHAPES = [(1, 1), (2, 3), (7, 5), (37, 53), (64, 100)]
BIL_PARAMS = [(0, 20.0, 1.0), (0, 30.0, 2.5), (3, 30.0, 5.0), (5, 50.0, 10.0), (9, 75.0, 75.0)]


@pytest.mark.parametrize("shape", BIL_SHAPES)
@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("d, sigma_color, sigma_space", BIL_PARAMS)
@pytest.mark.parametrize("border", list(CV_BORDERS))
def test_bilateral_uint8_matches_opencv(rng, shape, channels, d, sigma_color, sigma_space, border):
    img = random_image(rng, *shape, channels=channels, smooth=True)
    ours = bilateral_filter(img, d, sigma_color, sigma_space, border=border)
    ref = cv2.bilateralFilter(img, d, sigma_color, sigma_space, borderType=CV_BORDERS[border])
    lsb, frac = _bilateral_tolerance(img, d, sigma_space, border)
    assert_close(ours, ref, max_lsb=lsb, max_frac=frac, what=f"{shape} {channels} {d} {border}")


@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("d, sigma_color, sigma_space", [(7, 25.0, 4.0), (9, 75.0, 75.0), (0, 40.0, 3.0)])
def test_bilateral_uint8_near_exact_on_photo_like_image(rng, channels, d, sigma_color, sigma_space):
    from ocrkit.bench import make_image
    img = make_image(rng, (240, 320), channels)
    ours = bilateral_filter(img, d, sigma_color, sigma_space)
    ref = cv2.bilateralFilter(img, d, sigma_color, sigma_space)
    assert_close(ours, ref, max_lsb=1, max_frac=0.001)


def test_bilateral_1080p_bgr(rng):
    from ocrkit.bench import make_image
    img = make_image(rng, "1080p", 3)
    ours = bilateral_filter(img, 9, 75, 75)
    assert_close(ours, cv2.bilateralFilter(img, 9, 75, 75), max_lsb=1, max_frac=0.001)


@pytest.mark.parametrize("shape", BIL_SHAPES)
@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("d, sigma_color, sigma_space", [(0, 0.3, 2.0), (3, 0.1, 5.0), (5, 1.0, 10.0), (9, 0.5, 3.0)])
@pytest.mark.parametrize("border", list(CV_BORDERS))
def test_bilateral_float32_matches_opencv(rng, shape, channels, d, sigma_color, sigma_space, border):
    img = random_image(rng, *shape, channels=channels, dtype=np.float32)
    if img.size > 1 and img.max() == img.min():
        img.flat[0] += 1
    ours = bilateral_filter(img, d, sigma_color, sigma_space, border=border)
    ref = cv2.bilateralFilter(img, d, sigma_color, sigma_space, borderType=CV_BORDERS[border])
    # same table and order; OpenCV's fused multiply-adds leave float rounding noise
    assert_close(ours, ref, rtol=1e-4, atol=1e-5)


def test_bilateral_flat_float_image_is_copy():
    img = np.full((6, 7, 3), 0.25, np.float32)
    out = bilateral_filter(img, 5, 0.1, 3)
    assert np.array_equal(out, cv2.bilateralFilter(img, 5, 0.1, 3)) and out is not img


@pytest.mark.parametrize("sigma_color, sigma_space", [(0, 10), (-3, 10), (20, 0), (20, -1), (1e-7, 5)])
def test_bilateral_tiny_sigma_copies_like_opencv(rng, sigma_color, sigma_space):
    img = random_image(rng, 12, 15, channels=3)
    ours = bilateral_filter(img, 5, sigma_color, sigma_space)
    assert np.array_equal(ours, cv2.bilateralFilter(img, 5, sigma_color, sigma_space))


def test_bilateral_strided_input_no_mutation_threads(rng):
    big = random_image(rng, 80, 90, channels=3, smooth=True)
    view = big[70:5:-2, 3:80:3]
    keep = big.copy()
    try:
        ocrkit.set_num_threads(1)
        one = bilateral_filter(view, 7, 30, 4)
        ocrkit.set_num_threads(3)
        many = bilateral_filter(view, 7, 30, 4)
    finally:
        ocrkit.set_num_threads(0)
    assert np.array_equal(one, many)
    assert np.array_equal(big, keep)
    ref = cv2.bilateralFilter(np.ascontiguousarray(view), 7, 30, 4)
    assert_close(one, ref, max_lsb=1, max_frac=0.002)


@pytest.mark.parametrize("kwargs, exc, name", [
    (dict(src=np.zeros((5, 5, 4), np.uint8)), ValueError, "src"),
    (dict(src=np.zeros((5, 5), np.uint16)), TypeError, "src"),
    (dict(src=np.zeros((5, 5), np.float64)), TypeError, "src"),
    (dict(src=np.zeros((0, 5), np.uint8)), ValueError, "src"),
    (dict(d=2.5), TypeError, "d"),
    (dict(sigma_color=float("nan")), ValueError, "sigma_color"),
    (dict(sigma_space=float("inf")), ValueError, "sigma_space"),
    (dict(sigma_color="10"), TypeError, "sigma_color"),
    (dict(border="wrap"), ValueError, "border"),
    (dict(border="mirror"), ValueError, "border"),
    (dict(border=4), TypeError, "border"),
])
def test_bilateral_bad_input(kwargs, exc, name):
    args = dict(src=np.zeros((5, 5), np.uint8), d=5, sigma_color=10.0, sigma_space=3.0)
    border = kwargs.pop("border", "reflect101")
    args.update(kwargs)
    with pytest.raises(exc, match=name):
        bilateral_filter(args["src"], args["d"], args["sigma_color"], args["sigma_space"], border=border)
