"""Parity of ocrkit.geometry with OpenCV (resize, warps, transform matrices) and bad input."""
import math

import cv2
import numpy as np
import pytest

import ocrkit
from conftest import assert_close, random_image

RESIZE_FLAGS = {"nearest": cv2.INTER_NEAREST, "linear": cv2.INTER_LINEAR, "cubic": cv2.INTER_CUBIC,
                "area": cv2.INTER_AREA, "lanczos4": cv2.INTER_LANCZOS4,
                "nearest_exact": cv2.INTER_NEAREST_EXACT}
WARP_FLAGS = {"nearest": cv2.INTER_NEAREST, "linear": cv2.INTER_LINEAR, "cubic": cv2.INTER_CUBIC}
BORDERS = {"constant": cv2.BORDER_CONSTANT, "replicate": cv2.BORDER_REPLICATE}

# Tolerances.  uint8 nearest/linear/area/lanczos4 resize is bit-exact.  uint8
# cubic resize: OpenCV 5 evaluates it in float with an accumulation order we
# cannot see, so about 0.1% of pixels land 1 LSB away at a rounding tie (a
# few pixels of a tiny image are a large fraction, so the fraction is checked
# on outputs of 10000+ pixels only, e.g. in test_resize_large).
# float32: OpenCV's float paths (partly IPP) compute coordinates and sums in
# a different order; differences stay around 1e-5 of the value range.
RESIZE_U8_TOL = {"cubic": dict(max_lsb=1, max_frac=0.005)}
F32 = dict(rtol=0, atol=2e-4)
# Warps: coordinates are float32 like OpenCV 5's; rare rounding ties (fused
# vs unfused multiply-add in the last bit) move a few pixels by 1. OpenCV 5.1
# changed its bilinear warp rounding: on unsmoothed noise 0.4-1.4 % of pixels
# differ by 1 from ours (which follows 5.0's 1/32-pixel tables); never by more.
WARP_U8_TOL = dict(max_lsb=1, max_frac=0.02)
# Nearest warps pick the other neighbour when a coordinate lies within float
# rounding of .5: a handful of pixels in a large image can differ by anything.
WARP_NN_TOL = dict(max_lsb=255, max_frac=0.001)


def _cv_resize(img, dsize, fx, fy, interp):
    return cv2.resize(img, dsize if dsize is not None else (0, 0), fx=fx, fy=fy,
                      interpolation=RESIZE_FLAGS[interp])


def _check_resize(img, dsize=None, fx=0.0, fy=0.0, interp="linear"):
    ref = _cv_resize(img, dsize, fx, fy, interp)
    ours = ocrkit.resize(img, dsize, fx, fy, interpolation=interp)
    what = f"{interp} {img.shape} {img.dtype} dsize={dsize} fx={fx} fy={fy}"
    if img.dtype == np.uint8:
        tol = dict(RESIZE_U8_TOL.get(interp, {}))
        if tol and ref.size < 10000:
            tol["max_frac"] = 1.0
        assert_close(ours, ref, **tol, what=what)
    else:
        assert_close(ours, ref, **F32, what=what)


SHAPES = [(1, 1), (1, 7), (5, 1), (7, 5), (33, 47), (64, 96), (121, 203)]
SIZES = [lambda w, h: (max(1, w // 2), max(1, h // 2)),     # down, maybe exactly 2x
         lambda w, h: (2 * w + 1, 2 * h + 1),                # up, odd
         lambda w, h: (max(1, w * 3 // 4), max(1, h * 3 // 4)),
         lambda w, h: (max(1, w // 3), max(1, h // 3)),      # integer area factor
         lambda w, h: (w + 3, max(1, h // 2)),               # up in x, down in y
         lambda w, h: (max(1, w // 2), 3 * h)]               # down in x, up in y


@pytest.mark.parametrize("interp", list(RESIZE_FLAGS))
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("channels", [1, 3, 4])
def test_resize_dsize_parity(rng, interp, dtype, channels):
    for h, w in SHAPES:
        img = random_image(rng, h, w, channels, dtype, smooth=True)
        for size in SIZES:
            _check_resize(img, dsize=size(w, h), interp=interp)


@pytest.mark.parametrize("interp", list(RESIZE_FLAGS))
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_resize_scale_factors(rng, interp, dtype):
    for h, w in [(7, 9), (40, 61), (100, 75)]:
        for channels in (1, 3):
            img = random_image(rng, h, w, channels, dtype)
            for fx, fy in [(0.5, 0.5), (1 / 3, 1 / 3), (2, 2), (0.3, 0.7), (1.7, 0.4), (0.25, 1), (8, 8)]:
                if round(w * fx) < 1 or round(h * fy) < 1:
                    continue
                _check_resize(img, fx=fx, fy=fy, interp=interp)


@pytest.mark.parametrize("interp", list(RESIZE_FLAGS))
def test_resize_extreme_scales(rng, interp):
    big = random_image(rng, 1000, 1200, 1, np.uint8)
    _check_resize(big, dsize=(1, 1), interp=interp)          # 1000x down
    _check_resize(big, dsize=(2, 1), interp=interp)
    _check_resize(big, fx=0.001, fy=0.001, interp=interp)
    tiny = random_image(rng, 3, 4, 3, np.uint8)
    _check_resize(tiny, fx=8, fy=8, interp=interp)            # 8x up
    _check_resize(tiny, dsize=(97, 5), interp=interp)
    one = random_image(rng, 1, 1, 3, np.uint8)
    _check_resize(one, dsize=(5, 9), interp=interp)


@pytest.mark.parametrize("interp", ["linear", "area", "cubic", "nearest"])
def test_resize_large(rng, interp):
    img = random_image(rng, 1080, 1920, 3, np.uint8, smooth=True)
    for dsize in [(960, 540), (640, 360), (1440, 810), (2880, 1620)]:
        _check_resize(img, dsize=dsize, interp=interp)


def test_resize_exact_2x_linear_is_area(rng):
    img = random_image(rng, 40, 60, 3, np.uint8)
    area = cv2.resize(img, (30, 20), interpolation=cv2.INTER_AREA)
    assert_close(ocrkit.resize(img, (30, 20)), area)


def test_resize_views_and_input_untouched(rng):
    base = random_image(rng, 50, 80, 3, np.uint8)
    view = base[5:45:2, 70:3:-3]            # strided, negative step
    keep = base.copy()
    _check_resize(view, dsize=(31, 17), interp="linear")
    _check_resize(view[..., 1], dsize=(31, 17), interp="cubic")
    assert np.array_equal(base, keep)


def test_resize_same_size_copies(rng):
    img = random_image(rng, 9, 8, 1, np.uint8)
    out = ocrkit.resize(img, (8, 9), interpolation="cubic")
    assert np.array_equal(out, img) and out is not img


def test_resize_threads_agree(rng):
    img = random_image(rng, 401, 357, 3, np.uint8)    # large enough to use threads
    saved = ocrkit.get_num_threads()
    try:
        results = []
        for n in (1, 3):
            ocrkit.set_num_threads(n)
            results.append([ocrkit.resize(img, (123, 456), interpolation=i) for i in RESIZE_FLAGS])
        for a, b in zip(*results):
            assert np.array_equal(a, b)
    finally:
        ocrkit.set_num_threads(saved)


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(), ValueError, "dsize"),                                   # neither dsize nor fx/fy
    (dict(fx=0.5), ValueError, "fx"),                                # fy missing
    (dict(dsize=(-3, 4)), ValueError, "dsize"),
    (dict(dsize=(0, 4)), ValueError, "dsize"),
    (dict(dsize=(3, 4, 5)), ValueError, "dsize"),
    (dict(dsize="ab"), TypeError, "dsize"),
    (dict(fx=-1, fy=1), ValueError, "fx"),
    (dict(fx=float("nan"), fy=1), ValueError, "fx"),
    (dict(fx=0.001, fy=0.001), ValueError, "fx"),                    # rounds to 0×0
    (dict(dsize=(4, 4), interpolation="bilinear"), ValueError, "interpolation"),
    (dict(dsize=(4, 4), interpolation=1), ValueError, "interpolation"),
    (dict(dsize=(200000, 200000)), ValueError, "dsize"),
])
def test_resize_bad_arguments(kwargs, exc, word):
    img = np.zeros((10, 10), np.uint8)
    with pytest.raises(exc, match=word):
        ocrkit.resize(img, **kwargs)


@pytest.mark.parametrize("src, exc, word", [
    ([[1, 2], [3, 4]], TypeError, "src"),
    (np.zeros((0, 5), np.uint8), ValueError, "empty"),
    (np.zeros((4, 4), np.int32), TypeError, "dtype"),
    (np.zeros((4, 4, 2), np.uint8), ValueError, "channels"),
    (np.zeros(5, np.uint8), ValueError, "ndim"),
])
def test_resize_bad_image(src, exc, word):
    with pytest.raises(exc, match=word):
        ocrkit.resize(src, (3, 3))


# --------------------------------------------------------------------- warps

def _rand_affine(rng, w, h):
    m = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-45, 45), rng.uniform(0.5, 1.8))
    m[:, 2] += rng.uniform(-8, 8, 2)
    m[0, 1] += rng.uniform(-0.2, 0.2)    # some shear
    return m


def _rand_perspective(rng, w, h):
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = src + (rng.uniform(-0.25, 0.25, (4, 2)) * [w, h]).astype(np.float32)
    return cv2.getPerspectiveTransform(src, dst)


def _check_warp(img, m, dsize, interp, border, bval, inverse, perspective):
    flags = WARP_FLAGS[interp] | (cv2.WARP_INVERSE_MAP if inverse else 0)
    cn = 1 if img.ndim == 2 else img.shape[2]
    fn = cv2.warpPerspective if perspective else cv2.warpAffine
    ref = fn(img, m, dsize, flags=flags, borderMode=BORDERS[border], borderValue=tuple(bval) + (0,) * (4 - len(bval)))
    ours_fn = ocrkit.warp_perspective if perspective else ocrkit.warp_affine
    ours = ours_fn(img, m, dsize, interpolation=interp, border=border, border_value=list(bval[:cn]),
                   inverse_map=inverse)
    what = f"{'persp' if perspective else 'affine'} {interp} {border} inv={inverse} {img.shape} {img.dtype}"
    if img.dtype == np.uint8:
        tol = WARP_NN_TOL if interp == "nearest" else WARP_U8_TOL
        assert_close(ours, ref, **tol, what=what)
    else:
        if interp == "nearest":
            diff = np.abs(ours - ref) > 1e-6
            assert diff.mean() <= 0.001, what
        else:
            assert_close(ours, ref, **F32, what=what)


@pytest.mark.parametrize("perspective", [False, True])
@pytest.mark.parametrize("interp", list(WARP_FLAGS))
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("channels", [1, 3, 4])
def test_warp_parity(rng, perspective, interp, dtype, channels):
    for h, w in [(1, 1), (2, 3), (7, 5), (33, 47), (120, 161)]:
        img = random_image(rng, h, w, channels, dtype, smooth=True)
        for border in BORDERS:
            for inverse in (False, True):
                m = _rand_perspective(rng, w, h) if perspective else _rand_affine(rng, w, h)
                dsize = (int(w * rng.uniform(0.5, 1.5)) + 1, int(h * rng.uniform(0.5, 1.5)) + 1)
                bval = [float(v) for v in rng.integers(0, 256, channels)]
                if dtype == np.float32:
                    bval = [v / 255 for v in bval]
                _check_warp(img, m, dsize, interp, border, bval, inverse, perspective)


@pytest.mark.parametrize("perspective", [False, True])
@pytest.mark.parametrize("channels", [1, 3])
def test_warp_large(rng, perspective, channels):
    img = random_image(rng, 1080, 1920, channels, np.uint8, smooth=True)
    m = _rand_perspective(rng, 1920, 1080) if perspective else _rand_affine(rng, 1920, 1080)
    _check_warp(img, m, (1920, 1080), "linear", "constant", [0] * channels, False, perspective)


def test_warp_scalar_border_value_fills_every_channel(rng):
    img = random_image(rng, 10, 10, 3, np.uint8)
    out = ocrkit.warp_affine(img, [[1, 0, 100], [0, 1, 0]], (10, 10), border_value=200)
    assert np.all(out == 200)


def test_warp_identity_and_views(rng):
    base = random_image(rng, 40, 50, 3, np.uint8)
    view = base[::2, ::-1]
    keep = base.copy()
    for interp in WARP_FLAGS:
        out = ocrkit.warp_affine(view, np.eye(2, 3), (view.shape[1], view.shape[0]), interpolation=interp)
        assert np.array_equal(out, view)
    assert np.array_equal(base, keep)


@pytest.mark.parametrize("m, exc, word", [
    (np.eye(3), ValueError, "shape"),
    (np.zeros((2, 3)), ValueError, "singular"),
    ([[1, 0, float("nan")], [0, 1, 0]], ValueError, "NaN"),
    ([[1, 0, float("inf")], [0, 1, 0]], ValueError, "NaN"),
    ("matrix", TypeError, "m must"),
    ([[1, 0], [0, 1]], ValueError, "shape"),
])
def test_warp_affine_bad_matrix(m, exc, word):
    with pytest.raises(exc, match=word):
        ocrkit.warp_affine(np.zeros((5, 5), np.uint8), m, (5, 5))


def test_warp_perspective_bad_matrix():
    img = np.zeros((5, 5), np.uint8)
    with pytest.raises(ValueError, match="shape"):
        ocrkit.warp_perspective(img, np.eye(2, 3), (5, 5))
    with pytest.raises(ValueError, match="singular"):
        ocrkit.warp_perspective(img, np.zeros((3, 3)), (5, 5))
    with pytest.raises(ValueError, match="NaN"):
        ocrkit.warp_perspective(img, np.full((3, 3), np.nan), (5, 5))


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(interpolation="lanczos4"), ValueError, "interpolation"),
    (dict(interpolation="area"), ValueError, "interpolation"),
    (dict(border="reflect"), ValueError, "border"),
    (dict(border=3), TypeError, "border"),
    (dict(border_value="x"), TypeError, "border_value"),
    (dict(border_value=[1, 2, 3, 4, 5]), ValueError, "border_value"),
    (dict(border_value=float("nan")), ValueError, "border_value"),
    (dict(dsize=(0, 5)), ValueError, "dsize"),
    (dict(dsize=(-1, 5)), ValueError, "dsize"),
])
def test_warp_bad_arguments(kwargs, exc, word):
    args = dict(dsize=(5, 5))
    args.update(kwargs)
    dsize = args.pop("dsize")
    with pytest.raises(exc, match=word):
        ocrkit.warp_affine(np.zeros((5, 5), np.uint8), np.eye(2, 3), dsize, **args)


# --------------------------------------------------------------- matrices

def test_rotation_matrix_matches(rng):
    for _ in range(50):
        c = tuple(rng.uniform(-100, 2000, 2))
        a, s = rng.uniform(-360, 360), rng.uniform(0.05, 4)
        assert np.array_equal(ocrkit.get_rotation_matrix_2d(c, a, s), cv2.getRotationMatrix2D(c, a, s))


def test_affine_and_perspective_transform_match(rng):
    for _ in range(50):
        p, q = (rng.uniform(0, 1000, (3, 2)).astype(np.float32) for _ in range(2))
        ref = cv2.getAffineTransform(p, q)
        np.testing.assert_allclose(ocrkit.get_affine_transform(p, q), ref, rtol=1e-9, atol=1e-9)
        p, q = (rng.uniform(0, 1000, (4, 2)).astype(np.float32) for _ in range(2))
        ref = cv2.getPerspectiveTransform(p, q)
        ours = ocrkit.get_perspective_transform(p, q)
        assert ours.dtype == np.float64 and ours.shape == (3, 3)
        np.testing.assert_allclose(ours, ref, rtol=1e-8, atol=1e-10 * np.abs(ref).max())


@pytest.mark.parametrize("fn, n", [(ocrkit.get_affine_transform, 3), (ocrkit.get_perspective_transform, 4)])
def test_transform_bad_points(fn, n):
    good = np.float32([[0, 0], [10, 0], [10, 10], [0, 10]])[:n]
    with pytest.raises(ValueError, match="shape"):
        fn(good[:-1], good)
    with pytest.raises(ValueError, match="NaN"):
        fn(np.full((n, 2), np.nan), good)
    with pytest.raises(ValueError, match="degenerate"):
        fn(np.zeros((n, 2)), good)                      # all points equal
    with pytest.raises(TypeError, match="src_pts"):
        fn("abc", good)


def test_rotation_matrix_bad_input():
    with pytest.raises(ValueError, match="angle"):
        ocrkit.get_rotation_matrix_2d((0, 0), float("nan"), 1)
    with pytest.raises(ValueError, match="center"):
        ocrkit.get_rotation_matrix_2d((0, 0, 0), 10, 1)


# ------------------------------------------------------------------ rotate

def test_rotate_expand_keeps_everything(rng):
    img = np.full((60, 100), 255, np.uint8)
    for angle in (0, 3, -7.5, 30, 90, 135, 180, -90):
        out = ocrkit.rotate(img, angle, interpolation="linear")
        r = math.radians(angle)
        assert out.shape[1] >= math.floor(100 * abs(math.cos(r)) + 60 * abs(math.sin(r)))
        # every source pixel lands somewhere: the white area is preserved
        assert abs(int(np.count_nonzero(out > 127)) - img.size) <= 0.03 * img.size + 200


def test_rotate_right_angles_are_exact(rng):
    img = random_image(rng, 21, 34, 3, np.uint8)
    assert np.array_equal(ocrkit.rotate(img, 90), np.rot90(img, 1))
    assert np.array_equal(ocrkit.rotate(img, -90), np.rot90(img, -1))
    assert np.array_equal(ocrkit.rotate(img, 180), np.rot90(img, 2))
    assert np.array_equal(ocrkit.rotate(img, 0), img)


def test_rotate_matches_opencv_recipe(rng):
    img = random_image(rng, 50, 70, 3, np.uint8, smooth=True)
    out = ocrkit.rotate(img, 12.5, expand=False, border_value=(255, 255, 255))
    m = cv2.getRotationMatrix2D((34.5, 24.5), 12.5, 1.0)
    ref = cv2.warpAffine(img, m, (70, 50), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    assert_close(out, ref, **WARP_U8_TOL)


def test_rotate_bad_input():
    with pytest.raises(ValueError, match="angle_deg"):
        ocrkit.rotate(np.zeros((4, 4), np.uint8), float("inf"))
    with pytest.raises(TypeError, match="angle_deg"):
        ocrkit.rotate(np.zeros((4, 4), np.uint8), "10")


@pytest.mark.parametrize("channels", [1, 3, 4])
def test_warp_samples_last_row_and_column(rng, channels):
    # sub-pixel shifts that read the bottom-right 2x2 neighbourhoods, where the
    # kernels' wide loads must stay inside the image
    img = random_image(rng, 37, 70, channels, np.uint8)
    for m in ([[1, 0, 0.3], [0, 1, 0.4]], [[1, 0, 0.7], [0, 1, 0.9]], [[0.5, 0, 35.2], [0, 0.5, 18.3]]):
        m = np.array(m, np.float64)
        for border in BORDERS:
            _check_warp(img, m, (70, 37), "linear", border, [9] * channels, True, False)
