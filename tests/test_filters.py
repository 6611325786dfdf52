"""Parity of ocrkit.filters with OpenCV over a randomized matrix, and bad input."""
import itertools

import numpy as np
import pytest

import ocrkit
from conftest import assert_close as _assert_close, cv2, random_image


def assert_close(ours, ref, **kw):
    # float results: tolerance relative to the result's magnitude, since large
    # derivative kernels cancel to values near zero whose absolute error is
    # that of the big partial sums
    if np.issubdtype(ref.dtype, np.floating) and ref.size:
        kw["atol"] = max(kw.get("atol", 1e-5), 2e-6 * float(np.abs(ref).max()))
    _assert_close(ours, ref, **kw)

BORDERS = {
    "constant": cv2.BORDER_CONSTANT,
    "replicate": cv2.BORDER_REPLICATE,
    "reflect": cv2.BORDER_REFLECT,
    "reflect101": cv2.BORDER_REFLECT_101,
}
CV_DEPTH = {np.uint8: cv2.CV_8U, np.int16: cv2.CV_16S, np.uint16: cv2.CV_16U, np.float32: cv2.CV_32F}
SHAPES = [(1, 1), (1, 7), (6, 1), (2, 3), (5, 5), (17, 31), (64, 47), (121, 203)]
CHANNELS = [1, 3, 4]


def _cases(seed, n, **choices):
    """n reproducible random picks from the product of `choices`."""
    rng = np.random.default_rng(seed)
    keys = list(choices)
    combos = list(itertools.product(*(choices[k] for k in keys)))
    picks = rng.choice(len(combos), size=min(n, len(combos)), replace=False)
    return [dict(zip(keys, combos[i])) for i in sorted(picks)]


def _tol(dtype):
    # float32 paths sum in a different order than OpenCV's SIMD (and OpenCV uses
    # FMA): relative 1e-4 as DESIGN allows; uint8 from float sums may land on
    # the other side of a .5 tie: 1 LSB on a small minority.
    if np.dtype(dtype) == np.float32:
        return dict(rtol=1e-4, atol=1e-3)
    return dict(max_lsb=1, max_frac=0.01)


# --------------------------------------------------------------- Gaussian

@pytest.mark.parametrize("case", _cases(1, 60, shape=SHAPES, cn=CHANNELS,
                                        ks=[(3, 3), (5, 5), (7, 7), (9, 9), (3, 7), (11, 5), (0, 0), (1, 5)],
                                        sigma=[0.0, 0.8, 1.5, 3.3], border=list(BORDERS)))
def test_gaussian_u8_bitexact(rng, case):
    h, w = case["shape"]
    ks, sigma = case["ks"], case["sigma"]
    if ks == (0, 0) and sigma == 0:
        sigma = 1.2
    img = random_image(rng, h, w, case["cn"], smooth=True)
    ref = cv2.GaussianBlur(img, ks, sigma, borderType=BORDERS[case["border"]])
    assert_close(ocrkit.gaussian_blur(img, ks, sigma, border=case["border"]), ref, what=str(case))


@pytest.mark.parametrize("sx,sy,ks", [(1.0, 2.5, (0, 0)), (2.0, 0.7, (7, 3)), (0.5, 0, (5, 9)),
                                      (4.0, 4.0, (0, 0)), (10.0, 0, (0, 0))])
def test_gaussian_u8_anisotropic(rng, sx, sy, ks):
    img = random_image(rng, 90, 70, 3)
    assert_close(ocrkit.gaussian_blur(img, ks, sx, sy), cv2.GaussianBlur(img, ks, sx, sigmaY=sy))


def test_gaussian_u8_wrap_border(rng):
    img = random_image(rng, 40, 33)
    ref = cv2.GaussianBlur(img, (5, 7), 1.1, borderType=cv2.BORDER_WRAP)
    assert_close(ocrkit.gaussian_blur(img, (5, 7), 1.1, border="wrap"), ref)


def test_gaussian_u8_full_hd(rng):
    img = random_image(rng, 1080, 1920, 1, smooth=True)
    assert_close(ocrkit.gaussian_blur(img, (5, 5), 0), cv2.GaussianBlur(img, (5, 5), 0))
    ocrkit.set_num_threads(2)
    try:
        assert_close(ocrkit.gaussian_blur(img, (0, 0), 3), cv2.GaussianBlur(img, (0, 0), 3))
    finally:
        ocrkit.set_num_threads(0)


@pytest.mark.parametrize("case", _cases(2, 20, shape=SHAPES, cn=CHANNELS, ks=[(3, 3), (5, 5), (0, 0), (7, 3)],
                                        sigma=[0.0, 1.0, 2.2], border=list(BORDERS)))
def test_gaussian_f32(rng, case):
    h, w = case["shape"]
    ks, sigma = case["ks"], case["sigma"]
    if ks == (0, 0) and sigma == 0:
        sigma = 0.9
    img = random_image(rng, h, w, case["cn"], np.float32)
    ref = cv2.GaussianBlur(img, ks, sigma, borderType=BORDERS[case["border"]])
    assert_close(ocrkit.gaussian_blur(img, ks, sigma, border=case["border"]), ref, **_tol(np.float32))


@pytest.mark.parametrize("n,sigma", [(1, 0), (3, 0), (5, 0), (7, 0), (9, 0), (11, 0), (4, 1.0), (15, 2.5), (31, 6)])
def test_get_gaussian_kernel(n, sigma):
    np.testing.assert_allclose(ocrkit.get_gaussian_kernel(n, sigma), cv2.getGaussianKernel(n, sigma),
                               rtol=1e-15, atol=1e-17)


# --------------------------------------------------------------------- box

@pytest.mark.parametrize("case", _cases(3, 60, shape=SHAPES, cn=CHANNELS,
                                        ks=[(1, 1), (2, 2), (3, 3), (4, 6), (5, 5), (15, 15), (16, 16), (1, 9), (17, 18), (40, 3)],
                                        normalize=[True, False], border=list(BORDERS),
                                        ddepth=[None, np.int16, np.float32, np.uint16]))
def test_box_u8(rng, case):
    h, w = case["shape"]
    img = random_image(rng, h, w, case["cn"])
    dd = case["ddepth"]
    ref = cv2.boxFilter(img, -1 if dd is None else CV_DEPTH[dd], case["ks"], normalize=case["normalize"],
                        borderType=BORDERS[case["border"]])
    ours = ocrkit.box_filter(img, case["ks"], normalize=case["normalize"], border=case["border"], ddepth=dd)
    assert_close(ours, ref, **(_tol(np.float32) if dd == np.float32 else {}), what=str(case))


@pytest.mark.parametrize("anchor", [(0, 0), (4, 2), (1, 3)])
def test_box_anchor(rng, anchor):
    img = random_image(rng, 30, 41, 3)
    ref = cv2.blur(img, (5, 4), anchor=anchor, borderType=cv2.BORDER_REPLICATE)
    assert_close(ocrkit.blur(img, (5, 4), anchor=anchor, border="replicate"), ref)


@pytest.mark.parametrize("ks", [(3, 3), (6, 5)])
@pytest.mark.parametrize("border", list(BORDERS))
def test_box_f32(rng, ks, border):
    img = random_image(rng, 33, 28, 3, np.float32)
    ref = cv2.boxFilter(img, -1, ks, borderType=BORDERS[border])
    assert_close(ocrkit.box_filter(img, ks, border=border), ref, **_tol(np.float32))


def test_box_full_hd(rng):
    img = random_image(rng, 1080, 1920, 1)
    assert_close(ocrkit.blur(img, (5, 5)), cv2.blur(img, (5, 5)))
    assert_close(ocrkit.blur(img, (31, 31)), cv2.blur(img, (31, 31)))


# ------------------------------------------------------------ filter2d/sep

@pytest.mark.parametrize("case", _cases(4, 50, shape=SHAPES, cn=CHANNELS,
                                        kind=["int_small", "int_big", "float", "float_big"],
                                        border=list(BORDERS), ddepth=[None, np.int16, np.float32],
                                        delta=[0.0, 3.0, -7.5]))
def test_filter2d_u8(rng, case):
    h, w = case["shape"]
    img = random_image(rng, h, w, case["cn"], smooth=True)
    kind = case["kind"]
    if kind == "int_small":
        k = rng.integers(-3, 4, size=(3, 3)).astype(np.float32)
    elif kind == "int_big":
        k = rng.integers(-40, 40, size=(5, 4)).astype(np.float32)
    elif kind == "float":
        k = rng.normal(0, 0.3, size=(5, 3)).astype(np.float32)
    else:
        k = rng.normal(0, 0.05, size=(9, 9)).astype(np.float32)
    dd = case["ddepth"]
    ref = cv2.filter2D(img, -1 if dd is None else CV_DEPTH[dd], k, delta=case["delta"],
                       borderType=BORDERS[case["border"]])
    ours = ocrkit.filter2d(img, k, delta=case["delta"], border=case["border"], ddepth=dd)
    assert_close(ours, ref, **_tol(dd or np.uint8), what=str(case))


@pytest.mark.parametrize("anchor", [(0, 0), (2, 1), (-1, -1)])
def test_filter2d_anchor_f32(rng, anchor):
    img = random_image(rng, 25, 19, 1, np.float32)
    k = rng.normal(size=(3, 4)).astype(np.float32)
    ref = cv2.filter2D(img, -1, k, anchor=anchor)
    assert_close(ocrkit.filter2d(img, k, anchor=anchor), ref, **_tol(np.float32))


def test_filter2d_large_kernel_dft(rng):
    # OpenCV switches to a DFT for kernels of 130+ taps; float error there can
    # move an exact .5 tie, hence the 1 LSB tolerance
    img = random_image(rng, 80, 90)
    k = rng.uniform(0, 1, size=(13, 13)).astype(np.float32)
    k /= k.sum()
    assert_close(ocrkit.filter2d(img, k), cv2.filter2D(img, -1, k), max_lsb=1, max_frac=0.01)


@pytest.mark.parametrize("case", _cases(5, 40, shape=SHAPES, cn=CHANNELS,
                                        kx=["smooth3", "smooth5", "deriv", "float", "smooth_even"],
                                        ky=["smooth3", "smooth5", "deriv", "float"],
                                        border=list(BORDERS), ddepth=[None, np.int16, np.float32]))
def test_sep_filter2d_u8(rng, case):
    kernels = {
        "smooth3": np.array([0.25, 0.5, 0.25], np.float32),
        "smooth5": np.array([0.1, 0.2, 0.4, 0.2, 0.1], np.float32),
        "deriv": np.array([-1, 0, 1], np.float32),
        "float": rng.normal(size=5).astype(np.float32),
        "smooth_even": np.array([0.25, 0.25, 0.25, 0.25], np.float32),
    }
    h, w = case["shape"]
    img = random_image(rng, h, w, case["cn"], smooth=True)
    kx, ky = kernels[case["kx"]], kernels[case["ky"]]
    dd = case["ddepth"]
    ref = cv2.sepFilter2D(img, -1 if dd is None else CV_DEPTH[dd], kx, ky, borderType=BORDERS[case["border"]])
    ours = ocrkit.sep_filter2d(img, kx, ky, border=case["border"], ddepth=dd)
    # OpenCV 5's sepFilter2D rounds exact .5 ties either way (its vector and
    # scalar paths differ), and dyadic/decimal kernels make such ties common:
    # at most 1 LSB, on a few percent of pixels
    if dd == np.float32:
        assert_close(ours, ref, **_tol(np.float32), what=str(case))
    else:
        assert_close(ours, ref, max_lsb=1, max_frac=0.04, what=str(case))


def test_sep_filter2d_u8_kernel_whose_q8_taps_do_not_sum_to_one(rng):
    # each tap rounds up in Q8 (13+51+49+31+49+51+13 = 257): a fixed-point
    # pass would brighten a flat 200 to 201; OpenCV keeps 200
    k = np.array([0.05, 0.2, 0.19, 0.12, 0.19, 0.2, 0.05], np.float32)
    flat = np.full((20, 30), 200, np.uint8)
    assert np.array_equal(ocrkit.sep_filter2d(flat, k, k), cv2.sepFilter2D(flat, -1, k, k))
    img = random_image(rng, 40, 50, 3)
    assert_close(ocrkit.sep_filter2d(img, k, k), cv2.sepFilter2D(img, -1, k, k), max_lsb=1,
                 max_frac=0.04)


@pytest.mark.parametrize("border", list(BORDERS))
def test_sep_filter2d_f32(rng, border):
    img = random_image(rng, 40, 37, 3, np.float32)
    kx, ky = rng.normal(size=7).astype(np.float32), rng.normal(size=3).astype(np.float32)
    ref = cv2.sepFilter2D(img, -1, kx, ky, delta=0.25, borderType=BORDERS[border])
    assert_close(ocrkit.sep_filter2d(img, kx, ky, delta=0.25, border=border), ref, **_tol(np.float32))


# ------------------------------------------------------------- derivatives

@pytest.mark.parametrize("case", _cases(6, 60, shape=SHAPES, cn=CHANNELS,
                                        order=[(1, 0), (0, 1), (1, 1), (2, 0), (0, 2), (2, 1)],
                                        ksize=[1, 3, 5, 7], border=list(BORDERS),
                                        ddepth=[np.int16, np.float32, None], scale=[1.0, 0.5]))
def test_sobel_u8(rng, case):
    dx, dy = case["order"]
    ks = case["ksize"]
    if ks == 1 and (dx > 2 or dy > 2):
        ks = 3
    if dx >= max(ks, 3) or dy >= max(ks, 3):
        ks = 5
    h, w = case["shape"]
    img = random_image(rng, h, w, case["cn"])
    dd = case["ddepth"]
    ref = cv2.Sobel(img, -1 if dd is None else CV_DEPTH[dd], dx, dy, ksize=ks, scale=case["scale"],
                    borderType=BORDERS[case["border"]])
    ours = ocrkit.sobel(img, dx, dy, ks, scale=case["scale"], border=case["border"], ddepth=dd)
    exact = case["scale"] == 1.0 and dd != np.float32
    assert_close(ours, ref, **({} if exact else _tol(dd or np.uint8)), what=str(case))


@pytest.mark.parametrize("dx,dy", [(1, 0), (0, 1)])
@pytest.mark.parametrize("dtype,ddepth", [(np.uint8, np.int16), (np.uint8, np.float32), (np.float32, None)])
def test_scharr(rng, dx, dy, dtype, ddepth):
    img = random_image(rng, 45, 52, 3, dtype)
    ref = cv2.Scharr(img, -1 if ddepth is None else CV_DEPTH[ddepth], dx, dy, delta=1.0)
    ours = ocrkit.scharr(img, dx, dy, delta=1.0, ddepth=ddepth)
    assert_close(ours, ref, **_tol(ours.dtype))
    ref = cv2.Sobel(img, -1 if ddepth is None else CV_DEPTH[ddepth], dx, dy, ksize=-1)
    assert_close(ocrkit.sobel(img, dx, dy, -1, ddepth=ddepth), ref, **_tol(ours.dtype))


@pytest.mark.parametrize("case", _cases(7, 40, shape=SHAPES, cn=CHANNELS, ksize=[1, 3, 5, 7, 9],
                                        border=list(BORDERS), ddepth=[np.int16, np.float32, None],
                                        scale=[1.0, 2.0], dtype=[np.uint8, np.float32]))
def test_laplacian(rng, case):
    h, w = case["shape"]
    img = random_image(rng, h, w, case["cn"], case["dtype"])
    dd = case["ddepth"] if case["dtype"] == np.uint8 else None
    ref = cv2.Laplacian(img, -1 if dd is None else CV_DEPTH[dd], ksize=case["ksize"], scale=case["scale"],
                        borderType=BORDERS[case["border"]])
    ours = ocrkit.laplacian(img, case["ksize"], scale=case["scale"], border=case["border"], ddepth=dd)
    assert_close(ours, ref, **_tol(ours.dtype), what=str(case))


def test_sobel_full_hd(rng):
    img = random_image(rng, 1080, 1920, 1)
    assert_close(ocrkit.sobel(img, 1, 0, ddepth=np.int16), cv2.Sobel(img, cv2.CV_16S, 1, 0))
    assert_close(ocrkit.laplacian(img, 3, ddepth=np.int16), cv2.Laplacian(img, cv2.CV_16S, ksize=3))


# ------------------------------------------------------------ unsharp mask

def test_unsharp_mask_matches_formula(rng):
    img = random_image(rng, 50, 60, 3)
    blurred = cv2.GaussianBlur(img, (0, 0), 1.5).astype(np.float32)
    expect = np.clip(np.rint(img * np.float32(2.5) - blurred * np.float32(1.5)), 0, 255)
    ours = ocrkit.unsharp_mask(img, 1.5, 1.5)
    assert_close(ours.astype(np.int16), expect.astype(np.int16), max_lsb=1, max_frac=0.001)


def test_unsharp_mask_threshold_keeps_flat_areas(rng):
    img = np.full((20, 20), 100, np.uint8)
    img += rng.integers(0, 3, img.shape, dtype=np.uint8)   # faint noise
    img[8:12, 8:12] = 200                                   # a real edge
    out = ocrkit.unsharp_mask(img, 1.0, 2.0, threshold=10)
    assert np.array_equal(out[:4, :4], img[:4, :4])
    assert out[8, 8] > 200 or out[7, 7] < 100


def test_unsharp_float():
    img = np.linspace(0, 1, 64, dtype=np.float32).reshape(8, 8)
    out = ocrkit.unsharp_mask(img, 1.0, 1.0)
    assert out.dtype == np.float32 and out.shape == img.shape


# ------------------------------------------------------- strides and dst

def test_non_contiguous_view(rng):
    big = random_image(rng, 60, 80, 3)
    view = big[5:50:2, 3:70:3]
    assert not view.flags.c_contiguous
    ref = cv2.GaussianBlur(np.ascontiguousarray(view), (5, 5), 1.0)
    assert_close(ocrkit.gaussian_blur(view, (5, 5), 1.0), ref)
    ref = cv2.Sobel(np.ascontiguousarray(view[:, :, 1]), cv2.CV_16S, 0, 1)
    assert_close(ocrkit.sobel(view[:, :, 1], 0, 1, ddepth=np.int16), ref)


def test_dst_argument(rng):
    img = random_image(rng, 20, 20)
    out = np.empty_like(img)
    res = ocrkit.gaussian_blur(img, (3, 3), 0, dst=out)
    assert res is out
    assert_close(out, cv2.GaussianBlur(img, (3, 3), 0))
    with pytest.raises(ValueError, match="dst"):
        ocrkit.blur(img, 3, dst=np.empty((20, 21), np.uint8))


def test_thread_counts_agree(rng):
    img = random_image(rng, 300, 257, 3)
    outs = []
    for n in (1, 2, 3):
        ocrkit.set_num_threads(n)
        outs.append((ocrkit.gaussian_blur(img, (7, 7), 0), ocrkit.blur(img, (9, 9)),
                     ocrkit.filter2d(img, np.full((3, 3), 0.11, np.float32))))
    ocrkit.set_num_threads(0)
    for other in outs[1:]:
        for a, b in zip(outs[0], other):
            np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("call,exc,match", [
    (lambda im: ocrkit.gaussian_blur(im, (4, 4), 1.0), ValueError, "ksize"),
    (lambda im: ocrkit.gaussian_blur(im, (-3, 3), 1.0), ValueError, "ksize"),
    (lambda im: ocrkit.gaussian_blur(im, (0, 0), 0.0), ValueError, "sigma"),
    (lambda im: ocrkit.gaussian_blur(im, (3, 3), float("nan")), ValueError, "sigma_x"),
    (lambda im: ocrkit.gaussian_blur(im, (3, 3), 1.0, border="mirror"), ValueError, "border"),
    (lambda im: ocrkit.blur(im, (0, 3)), ValueError, "ksize"),
    (lambda im: ocrkit.box_filter(im, (3, 3), ddepth=np.float64), ValueError, "ddepth"),
    (lambda im: ocrkit.box_filter(im, (3, 3), anchor=(3, 0)), ValueError, "anchor"),
    (lambda im: ocrkit.filter2d(im, np.zeros((0, 3))), ValueError, "kernel"),
    (lambda im: ocrkit.filter2d(im, [[1, float("nan")]]), ValueError, "kernel"),
    (lambda im: ocrkit.filter2d(im, np.ones((2, 2, 2))), ValueError, "kernel"),
    (lambda im: ocrkit.filter2d(im, "abc"), TypeError, "kernel"),
    (lambda im: ocrkit.sep_filter2d(im, np.ones((3, 3)), [1]), ValueError, "kernel_x"),
    (lambda im: ocrkit.sobel(im, 0, 0), ValueError, "dx"),
    (lambda im: ocrkit.sobel(im, 1, 0, ksize=4), ValueError, "ksize"),
    (lambda im: ocrkit.sobel(im, 1, 0, ksize=33), ValueError, "ksize"),
    (lambda im: ocrkit.sobel(im, 3, 0, ksize=3), ValueError, "dx"),
    (lambda im: ocrkit.sobel(im, -1, 1), ValueError, "dx"),
    (lambda im: ocrkit.scharr(im, 1, 1), ValueError, "dx"),
    (lambda im: ocrkit.laplacian(im, 2), ValueError, "ksize"),
    (lambda im: ocrkit.laplacian(im, 3, scale=float("inf")), ValueError, "scale"),
    (lambda im: ocrkit.unsharp_mask(im, 0.0, 1.0), ValueError, "sigma"),
    (lambda im: ocrkit.unsharp_mask(im, 1.0, 1.0, threshold=-1), ValueError, "threshold"),
])
def test_bad_arguments(call, exc, match):
    img = np.zeros((8, 8), np.uint8)
    with pytest.raises(exc, match=match):
        call(img)


@pytest.mark.parametrize("img,exc,match", [
    (np.zeros((8, 8), np.float64), TypeError, "dtype"),
    (np.zeros((8, 8), np.int32), TypeError, "dtype"),
    (np.zeros((8,), np.uint8), ValueError, "ndim"),
    (np.zeros((2, 8, 8, 1), np.uint8), ValueError, "ndim"),
    (np.zeros((8, 8, 2), np.uint8), ValueError, "channels"),
    (np.zeros((0, 8), np.uint8), ValueError, "empty"),
    ([[1, 2], [3, 4]], TypeError, "ndarray"),
])
@pytest.mark.parametrize("fn", [
    lambda im: ocrkit.gaussian_blur(im, (3, 3), 0),
    lambda im: ocrkit.blur(im, 3),
    lambda im: ocrkit.filter2d(im, np.ones((3, 3))),
    lambda im: ocrkit.sobel(im, 1, 0),
    lambda im: ocrkit.laplacian(im),
])
def test_bad_images(fn, img, exc, match):
    with pytest.raises(exc, match=match):
        fn(img)
