"""Parity of ocrkit.edges (Canny) with cv2.Canny, bit for bit, and bad input."""
import itertools

import numpy as np
import pytest

import ocrkit
from conftest import assert_close, cv2, random_image
from ocrkit.bench import make_image

SHAPES = [(1, 1), (1, 9), (7, 1), (2, 2), (3, 5), (4, 4), (17, 31), (33, 64), (64, 47), (121, 203)]
CHANNELS = [1, 3, 4]


def _image(rng, h, w, cn, kind):
    """Noise, blurred noise (long edges), or noise mixed with ramps (ties)."""
    if kind == "noise":
        return random_image(rng, h, w, cn)
    if kind == "ramp":
        return random_image(rng, h, w, cn, smooth=True)
    img = random_image(rng, h, w, cn)
    img = cv2.GaussianBlur(img, (7, 7), 2.0)
    return img.reshape(img.shape[:2] + ((cn,) if cn > 1 else ()))


# thresholds scale with the aperture: the gradients of a 5×5 Sobel are 16/4 times
# larger than 3×3 ones, aperture 7 thresholds are divided by 16 by OpenCV itself
_SCALE = {3: 1.0, 5: 4.0, 7: 16.0}


def _cases():
    rng = np.random.default_rng(8)
    combos = list(itertools.product(SHAPES, CHANNELS, (3, 5, 7), (False, True), ("noise", "blur", "ramp")))
    picks = rng.choice(len(combos), size=96, replace=False)
    return [combos[i] for i in sorted(picks)]


@pytest.mark.parametrize("shape,cn,ksize,l2,kind", _cases())
def test_canny_matches_opencv(rng, shape, cn, ksize, l2, kind):
    img = _image(rng, *shape, cn, kind)
    for t1, t2 in [(50, 150), (100, 200), (300, 20), (0, 0), (-5, 80.7), (12.5, 12.5)]:
        t1, t2 = t1 * _SCALE[ksize], t2 * _SCALE[ksize]
        ref = cv2.Canny(img, t1, t2, apertureSize=ksize, L2gradient=l2)
        ours = ocrkit.canny(img, t1, t2, aperture_size=ksize, l2_gradient=l2)
        assert_close(ours, ref, what=f"{shape} cn={cn} k={ksize} l2={l2} {kind} t=({t1}, {t2})")


@pytest.mark.parametrize("ksize", [3, 5, 7])
@pytest.mark.parametrize("l2", [False, True])
def test_canny_threshold_sweep(rng, ksize, l2):
    img = _image(rng, 48, 57, 1, "blur")
    for t in np.linspace(0, 400, 9):
        t1, t2 = t * _SCALE[ksize], (t * 2.5 + 1) * _SCALE[ksize]
        ref = cv2.Canny(img, t1, t2, apertureSize=ksize, L2gradient=l2)
        assert_close(ocrkit.canny(img, t1, t2, aperture_size=ksize, l2_gradient=l2), ref,
                     what=f"k={ksize} l2={l2} t={t}")


def test_canny_huge_thresholds(rng):
    img = _image(rng, 40, 40, 1, "noise")
    for t1, t2 in [(1e6, 2e6), (4e4, 5e4), (-1e12, 1e12)]:
        for l2 in (False, True):
            ref = cv2.Canny(img, t1, t2, L2gradient=l2)
            assert_close(ocrkit.canny(img, t1, t2, l2_gradient=l2), ref, what=f"{t1}, {t2}, {l2}")


def test_canny_1080p():
    rng = np.random.default_rng(3)
    img = make_image(rng, "1080p", 1)
    assert_close(ocrkit.canny(img, 100, 200), cv2.Canny(img, 100, 200), what="1080p gray")
    bgr = make_image(rng, "480p", 3)
    assert_close(ocrkit.canny(bgr, 80, 160, l2_gradient=True), cv2.Canny(bgr, 80, 160, L2gradient=True),
                 what="480p BGR L2")


def test_canny_constant_and_step_images():
    flat = np.full((20, 30), 77, np.uint8)
    assert not ocrkit.canny(flat, 10, 20).any()
    step = np.zeros((20, 30), np.uint8)
    step[:, 15:] = 255
    ours = ocrkit.canny(step, 100, 200)
    assert ours.any()
    assert_close(ours, cv2.Canny(step, 100, 200))


def test_canny_threads_and_views(rng):
    img = _image(rng, 301, 257, 3, "blur")
    ref = cv2.Canny(img, 40, 90)
    try:
        for n in (1, 2, 3, 7):
            ocrkit.set_num_threads(n)
            assert_close(ocrkit.canny(img, 40, 90), ref, what=f"threads={n}")
    finally:
        ocrkit.set_num_threads(0)
    big = _image(rng, 90, 120, 1, "blur")
    view = big[5:80:2, 7:110:3]
    before = big.copy()
    assert_close(ocrkit.canny(view, 30, 60), cv2.Canny(np.ascontiguousarray(view), 30, 60))
    assert np.array_equal(big, before)


# -- canny_from_gradients ------------------------------------------------------

def _grads(rng, shape, cn, lim):
    full = shape + ((cn,) if cn > 1 else ())
    return (rng.integers(-lim, lim + 1, full).astype(np.int16),
            rng.integers(-lim, lim + 1, full).astype(np.int16))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("cn", [1, 3])
@pytest.mark.parametrize("l2", [False, True])
def test_canny_from_gradients_matches_opencv(rng, shape, cn, l2):
    for lim, t1, t2 in [(300, 100, 250), (2000, 600, 1500), (16000, 9000, 2000)]:
        dx, dy = _grads(rng, shape, cn, lim)
        ref = cv2.Canny(dx, dy, t1, t2, L2gradient=l2)
        ours = ocrkit.canny_from_gradients(dx, dy, t1, t2, l2_gradient=l2)
        assert_close(ours, ref, what=f"{shape} cn={cn} l2={l2} lim={lim}")


def test_canny_from_gradients_equals_canny(rng):
    img = _image(rng, 64, 80, 3, "blur")
    dx = cv2.Sobel(img, cv2.CV_16S, 1, 0, ksize=3, borderType=cv2.BORDER_REPLICATE)
    dy = cv2.Sobel(img, cv2.CV_16S, 0, 1, ksize=3, borderType=cv2.BORDER_REPLICATE)
    assert_close(ocrkit.canny_from_gradients(dx, dy, 50, 120), ocrkit.canny(img, 50, 120))


@pytest.mark.parametrize("l2", [False, True])
def test_canny_from_gradients_extreme_values(rng, l2):
    # Near the int16 limits OpenCV's x86 builds answer differently at one thread
    # (an IPP route: saturating |-32768|, no wrap in the direction test) and at
    # several (OpenCV's own code, the only one on other platforms). We follow its
    # own code, so compare with OpenCV running on more than one thread.
    cv2.setNumThreads(2)
    for shape in [(5, 6), (23, 41), (40, 17)]:
        for cn in (1, 3):
            dx, dy = _grads(rng, shape, cn, 32767)
            dx[rng.random(dx.shape) < 0.1] = -32768
            dy[rng.random(dy.shape) < 0.1] = -32768
            for t1, t2 in [(2000, 30000), (30000, 45000)]:
                ref = cv2.Canny(dx, dy, t1, t2, L2gradient=l2)
                ours = ocrkit.canny_from_gradients(dx, dy, t1, t2, l2_gradient=l2)
                assert_close(ours, ref, what=f"{shape} cn={cn} l2={l2} t=({t1}, {t2})")


# -- bad input -----------------------------------------------------------------

def test_canny_bad_input():
    img = np.zeros((10, 10), np.uint8)
    with pytest.raises(TypeError, match="src"):
        ocrkit.canny(img.astype(np.float32), 10, 20)
    with pytest.raises(TypeError, match="src"):
        ocrkit.canny(img.astype(np.uint16), 10, 20)
    with pytest.raises(TypeError, match="src"):
        ocrkit.canny([[1, 2]], 10, 20)
    with pytest.raises(ValueError, match="src"):
        ocrkit.canny(np.zeros((10, 10, 2), np.uint8), 10, 20)
    with pytest.raises(ValueError, match="src"):
        ocrkit.canny(np.zeros((0, 10), np.uint8), 10, 20)
    with pytest.raises(ValueError, match="src"):
        ocrkit.canny(np.zeros(10, np.uint8), 10, 20)
    with pytest.raises(ValueError, match="threshold1"):
        ocrkit.canny(img, float("nan"), 20)
    with pytest.raises(ValueError, match="threshold2"):
        ocrkit.canny(img, 10, float("nan"))
    with pytest.raises(ValueError, match="threshold2"):
        ocrkit.canny(img, 10, float("inf"))
    with pytest.raises(TypeError, match="threshold1"):
        ocrkit.canny(img, "10", 20)
    for bad in (1, 2, 4, 9, -1, 0):
        with pytest.raises(ValueError, match="aperture_size"):
            ocrkit.canny(img, 10, 20, aperture_size=bad)
    with pytest.raises(TypeError, match="aperture_size"):
        ocrkit.canny(img, 10, 20, aperture_size=3.5)


def test_canny_from_gradients_bad_input():
    g = np.zeros((8, 9), np.int16)
    with pytest.raises(TypeError, match="dx"):
        ocrkit.canny_from_gradients(g.astype(np.float32), g, 1, 2)
    with pytest.raises(TypeError, match="dy"):
        ocrkit.canny_from_gradients(g, g.astype(np.uint8), 1, 2)
    with pytest.raises(ValueError, match="dx and dy"):
        ocrkit.canny_from_gradients(g, g[:, :5], 1, 2)
    with pytest.raises(ValueError, match="dx"):
        ocrkit.canny_from_gradients(np.zeros((8, 9, 4), np.int16), np.zeros((8, 9, 4), np.int16), 1, 2)
    with pytest.raises(ValueError, match="threshold1"):
        ocrkit.canny_from_gradients(g, g, float("nan"), 2)
