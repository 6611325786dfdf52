"""Parity of ocrkit.morphology with cv2.getStructuringElement / erode / dilate /
morphologyEx, and its argument checking. Min and max are exact, so every
comparison is bit-exact (assert_close's default), floats included."""
import numpy as np
import pytest

import ocrkit
from conftest import assert_close, cv2, random_image

BORDERS = {"constant": cv2.BORDER_CONSTANT, "replicate": cv2.BORDER_REPLICATE,
           "reflect": cv2.BORDER_REFLECT, "reflect101": cv2.BORDER_REFLECT_101}
SHAPES = {"rect": cv2.MORPH_RECT, "cross": cv2.MORPH_CROSS, "ellipse": cv2.MORPH_ELLIPSE}
OPS = {"erode": cv2.MORPH_ERODE, "dilate": cv2.MORPH_DILATE, "open": cv2.MORPH_OPEN,
       "close": cv2.MORPH_CLOSE, "gradient": cv2.MORPH_GRADIENT, "tophat": cv2.MORPH_TOPHAT,
       "blackhat": cv2.MORPH_BLACKHAT, "hitmiss": cv2.MORPH_HITMISS}
DTYPES = [np.uint8, np.uint16, np.int16, np.float32, np.float64]


def _image(rng, h, w, channels, dtype):
    if np.dtype(dtype) == np.float64:
        return random_image(rng, h, w, channels, np.float32).astype(np.float64)
    img = random_image(rng, h, w, channels, dtype)
    if channels == 1 and rng.random() < 0.2:
        img = img[:, :, None]                      # H×W×1 is a valid single-channel image
    return img


def _cv_args(src, anchor, iterations, border, border_value):
    kw = {"iterations": iterations, "borderType": BORDERS[border]}
    if anchor is not None:
        kw["anchor"] = anchor
    if border_value is not None:
        cn = 1 if src.ndim == 2 else src.shape[2]
        vals = list(border_value) if np.ndim(border_value) else [border_value] * cn
        kw["borderValue"] = tuple(vals) + (0,) * (4 - len(vals))
    return kw


def _cv(fn, src, *args, **kw):
    out = fn(src, *args, **_cv_args(src, **kw))
    return out.reshape(src.shape)                  # cv2 drops a trailing channel axis of 1


def _random_kernel(rng, kw, kh):
    k = (rng.random((kh, kw)) < rng.uniform(0.2, 0.8)).astype(np.uint8)
    k[rng.integers(kh), rng.integers(kw)] = 1
    return k


def _random_case(rng):
    """One random point of the parity matrix."""
    h, w = [(1, 1), (1, 7), (6, 1), (2, 3), (5, 5), (9, 13), (17, 31), (40, 33), (64, 97),
            (31, 128)][rng.integers(10)]
    channels = [1, 1, 3, 4][rng.integers(4)]
    dtype = DTYPES[rng.integers(len(DTYPES))]
    kind = ["rect", "cross", "ellipse", "custom"][rng.integers(4)]
    kw, kh = int(rng.integers(1, 16)), int(rng.integers(1, 16))
    if rng.random() < 0.5:
        kw, kh = int(rng.integers(1, 8)), int(rng.integers(1, 8))
    if kind == "custom":
        kernel = _random_kernel(rng, kw, kh)
    else:
        kernel = cv2.getStructuringElement(SHAPES[kind], (kw, kh))
    anchor = None if rng.random() < 0.4 else (int(rng.integers(kw)), int(rng.integers(kh)))
    iterations = int(rng.integers(1, 4))
    border = list(BORDERS)[rng.integers(4)]
    border_value = None
    if border == "constant" and rng.random() < 0.5:
        if np.issubdtype(dtype, np.integer):
            border_value = float(rng.choice([0, 7, 12.5, 13.5, 100, 300, -5, 40000]))
        else:
            border_value = float(rng.uniform(-1, 2))
        if channels > 1 and rng.random() < 0.5:
            border_value = tuple(float(v) for v in rng.integers(0, 255, channels))
    return dict(h=h, w=w, channels=channels, dtype=dtype, kernel=kernel, anchor=anchor,
                iterations=iterations, border=border, border_value=border_value,
                label=f"{h}x{w}x{channels} {np.dtype(dtype)} {kind} {kw}x{kh} a={anchor} "
                      f"it={iterations} {border} bv={border_value}")


_CASE_RNG = np.random.default_rng(7)
CASES = [_random_case(_CASE_RNG) for _ in range(400)]


# ---------------------------------------------------------------- structuring elements

@pytest.mark.parametrize("shape", list(SHAPES))
def test_get_structuring_element_matches_opencv(shape):
    for kw in range(1, 17):
        for kh in range(1, 17):
            ours = ocrkit.get_structuring_element(shape, (kw, kh))
            ref = cv2.getStructuringElement(SHAPES[shape], (kw, kh))
            assert ours.dtype == np.uint8
            assert np.array_equal(ours, ref), (shape, kw, kh)


def test_get_structuring_element_anchor_and_int_size(rng):
    for _ in range(50):
        kw, kh = (int(v) for v in rng.integers(1, 12, 2))
        anchor = (int(rng.integers(kw)), int(rng.integers(kh)))
        for shape in SHAPES:
            ref = cv2.getStructuringElement(SHAPES[shape], (kw, kh), anchor)
            assert np.array_equal(ocrkit.get_structuring_element(shape, (kw, kh), anchor), ref)
    assert np.array_equal(ocrkit.get_structuring_element("ellipse", 9),
                          cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9)))
    assert np.array_equal(ocrkit.get_structuring_element("cross", (5, 5), (-1, -1)),
                          cv2.getStructuringElement(cv2.MORPH_CROSS, (5, 5)))


# ---------------------------------------------------------------- erode / dilate

@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_erode_dilate_parity_matrix(case, rng):
    src = _image(rng, case["h"], case["w"], case["channels"], case["dtype"])
    kw = dict(anchor=case["anchor"], iterations=case["iterations"], border=case["border"],
              border_value=case["border_value"])
    for ours_fn, cv_fn in ((ocrkit.erode, cv2.erode), (ocrkit.dilate, cv2.dilate)):
        ours = ours_fn(src, case["kernel"], **kw)
        ref = _cv(cv_fn, src, case["kernel"], **kw)
        assert_close(ours, ref, what=f"{ours_fn.__name__} {case['label']}")


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("border", list(BORDERS))
def test_every_size_and_border(shape, border, rng):
    src = random_image(rng, 23, 37, 3)
    for kw in range(1, 16):
        for kh in (1, 2, 3, 4, 7, 15):
            k = cv2.getStructuringElement(SHAPES[shape], (kw, kh))
            for ours_fn, cv_fn in ((ocrkit.erode, cv2.erode), (ocrkit.dilate, cv2.dilate)):
                ours = ours_fn(src, k, border=border)
                ref = cv_fn(src, k, borderType=BORDERS[border])
                assert_close(ours, ref, what=f"{ours_fn.__name__} {shape} {kw}x{kh} {border}")


def test_even_and_asymmetric_kernels_with_anchors(rng):
    src = random_image(rng, 30, 41, 1)
    for ksize in [(4, 2), (2, 4), (6, 6), (8, 3), (1, 10), (10, 1)]:
        kw, kh = ksize
        for anchor in [None, (0, 0), (kw - 1, kh - 1), (kw - 1, 0), (0, kh - 1)]:
            for border in BORDERS:
                k = _random_kernel(rng, kw, kh)
                ours = ocrkit.erode(src, k, anchor=anchor, border=border)
                ref = _cv(cv2.erode, src, k, anchor=anchor, iterations=1, border=border, border_value=None)
                assert_close(ours, ref, what=f"{ksize} {anchor} {border}")


@pytest.mark.parametrize("channels", [1, 3, 4])
def test_full_hd(channels, rng):
    src = random_image(rng, 1080, 1920, channels, smooth=True)
    for shape, ksize in [("rect", (5, 5)), ("ellipse", (7, 7))]:
        k = ocrkit.get_structuring_element(shape, ksize)
        assert_close(ocrkit.erode(src, k), cv2.erode(src, k), what=f"erode {shape}")
        assert_close(ocrkit.dilate(src, k), cv2.dilate(src, k), what=f"dilate {shape}")
    k = ocrkit.get_structuring_element("rect", (5, 5))
    assert_close(ocrkit.morphology_ex(src, "open", k), cv2.morphologyEx(src, cv2.MORPH_OPEN, k))


def test_large_kernels_and_iterations(rng):
    # windows past 8 pixels are built in several passes; 2 iterations of 31x31 is 61x61
    src = random_image(rng, 90, 150, 1)
    for ksize in [(9, 9), (17, 3), (31, 31), (64, 5), (3, 70)]:
        k = np.ones(ksize[::-1], np.uint8)
        for it in (1, 2):
            for border in ("constant", "reflect101"):
                ours = ocrkit.dilate(src, k, iterations=it, border=border)
                ref = cv2.dilate(src, k, iterations=it, borderType=BORDERS[border])
                assert_close(ours, ref, what=f"{ksize} it={it} {border}")
    k = ocrkit.get_structuring_element("ellipse", (41, 23))
    assert_close(ocrkit.erode(src, k), cv2.erode(src, k))


def test_default_kernel_and_iterations(rng):
    src = random_image(rng, 40, 50, 3)
    for it in (1, 2, 3):
        assert_close(ocrkit.erode(src, iterations=it), cv2.erode(src, None, iterations=it))
        assert_close(ocrkit.dilate(src, None, iterations=it), cv2.dilate(src, None, iterations=it))
        # OpenCV ignores the anchor when it builds the default kernel itself
        assert_close(ocrkit.erode(src, anchor=(0, 0), iterations=it),
                     cv2.erode(src, None, anchor=(0, 0), iterations=it))


def test_custom_border_values(rng):
    src = random_image(rng, 12, 15, 3)
    k = ocrkit.get_structuring_element("ellipse", (5, 3))
    for bv in [0, 255, 12.5, 13.5, -4, 1000, (10, 20, 30), (0.5, 1.5, 2.5)]:
        for fn, cvf in ((ocrkit.erode, cv2.erode), (ocrkit.dilate, cv2.dilate)):
            ours = fn(src, k, border_value=bv)
            ref = _cv(cvf, src, k, anchor=None, iterations=1, border="constant", border_value=bv)
            assert_close(ours, ref, what=f"{fn.__name__} {bv}")
    f = random_image(rng, 12, 15, 1, np.float32)
    for bv in [-0.25, 3.0, 1e30]:
        assert_close(ocrkit.erode(f, k, border_value=bv),
                     cv2.erode(f, k, borderValue=(bv, 0, 0, 0)))
    # the default border never wins, even with infinities in a float image
    f[0, 0], f[5, 5] = np.inf, -np.inf
    assert_close(ocrkit.erode(f, k), cv2.erode(f, k))
    assert_close(ocrkit.dilate(f, k), cv2.dilate(f, k))


def test_threads_do_not_change_results(rng):
    # 4 chunks of 17-18 rows (a chunk gets >= 64K pixels), each shorter than the kernel
    src = random_image(rng, 70, 4000, 1)
    k = _random_kernel(rng, 5, 23)
    ref = cv2.dilate(src, k, borderType=cv2.BORDER_REFLECT)
    saved = ocrkit.get_num_threads()
    try:
        for n in (1, 2, 3, 8):
            ocrkit.set_num_threads(n)
            assert_close(ocrkit.dilate(src, k, border="reflect"), ref, what=f"{n} threads")
    finally:
        ocrkit.set_num_threads(saved)


def test_views_and_input_untouched(rng):
    big = random_image(rng, 60, 80, 3)
    view = big[5:50:2, 70:3:-3]                 # strided and reversed
    before = view.copy()
    k = ocrkit.get_structuring_element("cross", (3, 5))
    out = ocrkit.erode(view, k)
    assert np.array_equal(view, before)
    assert out.flags.c_contiguous and out.shape == view.shape
    assert_close(out, cv2.erode(np.ascontiguousarray(view), k))
    assert_close(ocrkit.dilate(big[:, :, 1], k), cv2.dilate(np.ascontiguousarray(big[:, :, 1]), k))
    frozen = random_image(rng, 30, 40, 1)
    keep = frozen.copy()
    frozen.flags.writeable = False               # read-only input works and stays as it was
    for op in ("tophat", "blackhat", "gradient", "open"):
        assert_close(ocrkit.morphology_ex(frozen, op, k), cv2.morphologyEx(keep, OPS[op], k), what=op)
    assert np.array_equal(frozen, keep)


def test_kernel_spellings(rng):
    src = random_image(rng, 20, 20, 1)
    k = np.array([[0, 1, 1], [1, 1, 0]])
    ref = cv2.erode(src, k.astype(np.uint8))
    for spelled in (k, k.astype(bool), k.astype(np.float32), k.tolist()):
        assert_close(ocrkit.erode(src, spelled), ref)
    single = ocrkit.erode(src, [[1]])
    assert np.array_equal(single, src) and single is not src


# ---------------------------------------------------------------- morphology_ex

@pytest.mark.parametrize("op", [o for o in OPS if o != "hitmiss"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_morphology_ex_ops(op, dtype, rng):
    for _ in range(6):
        c = _random_case(rng)
        src = _image(rng, c["h"], c["w"], c["channels"], dtype)
        kw = dict(anchor=c["anchor"], iterations=c["iterations"], border=c["border"],
                  border_value=c["border_value"])
        ours = ocrkit.morphology_ex(src, op, c["kernel"], **kw)
        ref = _cv(cv2.morphologyEx, src, OPS[op], c["kernel"], **kw)
        assert_close(ours, ref, what=f"{op} {c['label']}")
    # saturation: gradient/top-hat of an image touching the dtype's range
    src = _image(rng, 20, 30, 1, dtype)
    k = ocrkit.get_structuring_element("ellipse", (5, 5))
    for border, bv in [("constant", 0), ("constant", None), ("replicate", None)]:
        ours = ocrkit.morphology_ex(src, op, k, border=border, border_value=bv)
        ref = _cv(cv2.morphologyEx, src, OPS[op], k, anchor=None, iterations=1, border=border,
                  border_value=bv)
        assert_close(ours, ref, what=f"{op} {border} {bv}")


@pytest.mark.parametrize("threads", [1, 2])
def test_open_close_in_place_second_pass(threads, rng):
    # the second pass of open/close runs in place; rows below the image reflect
    # back onto rows it has already written, whatever the kernel height
    saved = ocrkit.get_num_threads()
    ocrkit.set_num_threads(threads)
    try:
        for h in list(range(1, 13)) + [300]:
            src = random_image(rng, h, 500 if h == 300 else 19, 1)   # 300x500: 2 chunks
            for _ in range(4):
                kw, kh = int(rng.integers(1, 6)), int(rng.integers(1, 16))
                k = _random_kernel(rng, kw, kh)
                anchor = (int(rng.integers(kw)), int(rng.integers(kh)))
                for border in ("reflect", "reflect101", "replicate", "constant"):
                    for op in ("open", "close", "tophat", "blackhat"):
                        ours = ocrkit.morphology_ex(src, op, k, anchor=anchor, border=border)
                        ref = cv2.morphologyEx(src, OPS[op], k, anchor=anchor, borderType=BORDERS[border])
                        assert_close(ours, ref, what=f"{op} h={h} {kw}x{kh} {anchor} {border}")
    finally:
        ocrkit.set_num_threads(saved)


def test_morphology_ex_default_kernel(rng):
    src = random_image(rng, 25, 30, 1)
    for op in ("open", "gradient", "blackhat"):
        for anchor in (None, (0, 2)):
            ours = ocrkit.morphology_ex(src, op, None, anchor=anchor, iterations=2)
            ref = cv2.morphologyEx(src, OPS[op], None, anchor=anchor or (-1, -1), iterations=2)
            assert_close(ours, ref, what=f"{op} {anchor}")


def test_hitmiss(rng):
    for _ in range(60):
        h, w = (int(v) for v in rng.integers(1, 40, 2))
        src = np.where(rng.random((h, w)) < 0.5, 255, 0).astype(np.uint8)
        if rng.random() < 0.3:
            src = rng.integers(0, 256, (h, w), dtype=np.uint8)   # grey input works too
        kw, kh = (int(v) for v in rng.integers(1, 6, 2))
        kernel = rng.integers(-1, 2, (kh, kw)).astype(np.int32)
        if rng.random() < 0.15:
            kernel[:] = 1
        anchor = None if rng.random() < 0.5 else (int(rng.integers(kw)), int(rng.integers(kh)))
        border = list(BORDERS)[rng.integers(4)]
        it = int(rng.integers(1, 3))
        ours = ocrkit.morphology_ex(src, "hitmiss", kernel, anchor=anchor, iterations=it, border=border)
        ref = _cv(cv2.morphologyEx, src, cv2.MORPH_HITMISS, kernel, anchor=anchor, iterations=it,
                  border=border, border_value=None)
        assert_close(ours, ref, what=f"hitmiss {kernel.tolist()} {anchor} {border} it={it}")
    src = np.zeros((5, 5), np.uint8)
    src[2, 2] = 255
    pattern = np.array([[0, -1, 0], [-1, 1, -1], [0, -1, 0]])
    out = ocrkit.morphology_ex(src, "hitmiss", pattern)
    assert out[2, 2] == 255 and out.sum() == 255
    assert np.array_equal(ocrkit.morphology_ex(src, "hitmiss", np.zeros((3, 3), int)), src)
    only_miss = np.array([[-1, -1, -1], [-1, 0, -1], [-1, -1, -1]])
    assert_close(ocrkit.morphology_ex(src, "hitmiss", only_miss),
                 cv2.morphologyEx(src, cv2.MORPH_HITMISS, only_miss))


# ---------------------------------------------------------------- bad input

def test_bad_structuring_element_arguments():
    with pytest.raises(ValueError, match="shape"):
        ocrkit.get_structuring_element("disk", (3, 3))
    with pytest.raises(ValueError, match="ksize"):
        ocrkit.get_structuring_element("rect", (0, 3))
    with pytest.raises(TypeError, match="ksize"):
        ocrkit.get_structuring_element("rect", 3.5)
    with pytest.raises(ValueError, match="anchor"):
        ocrkit.get_structuring_element("cross", (3, 3), (3, 0))


@pytest.mark.parametrize("fn", [ocrkit.erode, ocrkit.dilate,
                                lambda s, k=None, **kw: ocrkit.morphology_ex(s, "open", k, **kw)])
def test_bad_input(fn):
    img = np.zeros((8, 8), np.uint8)
    k3 = np.ones((3, 3), np.uint8)
    with pytest.raises(ValueError, match="binary"):
        fn(img, np.array([[0, 2, 0], [1, 1, 1]]))
    with pytest.raises(ValueError, match="binary"):
        fn(img, np.array([[0.5, 1]]))
    with pytest.raises(ValueError, match="binary"):
        fn(img, np.array([[np.nan, 1]]))
    with pytest.raises(ValueError, match="empty"):
        fn(img, np.zeros((0, 3), np.uint8))
    with pytest.raises(ValueError, match="empty structuring element"):
        fn(img, np.zeros((3, 3), np.uint8))
    with pytest.raises(ValueError, match="kernel must be 2-D"):
        fn(img, np.ones(3, np.uint8))
    with pytest.raises(ValueError, match="kernel must be 2-D"):
        fn(img, np.ones((3, 3, 1), bool))
    with pytest.raises(ValueError, match="kernel is empty"):
        fn(img, np.ones((3, 0), bool))
    with pytest.raises(TypeError, match="kernel"):
        fn(img, np.array([["a", "b"]]))
    with pytest.raises(TypeError, match="src must have dtype"):
        fn(img.astype(np.int32), k3)
    with pytest.raises(TypeError, match="src must have dtype"):
        fn(img.astype(bool), k3)
    with pytest.raises(TypeError, match="src must be a numpy.ndarray"):
        fn(img.tolist(), k3)
    with pytest.raises(ValueError, match="src is empty"):
        fn(np.zeros((0, 5), np.uint8), k3)
    with pytest.raises(ValueError, match="src must have"):
        fn(np.zeros((4, 4, 2), np.uint8), k3)
    with pytest.raises(ValueError, match="src must be a 2-D"):
        fn(np.zeros((4, 4, 3, 1), np.uint8), k3)
    with pytest.raises(ValueError, match="anchor"):
        fn(img, k3, anchor=(3, 1))
    with pytest.raises(ValueError, match="anchor"):
        fn(img, k3, anchor=(-2, 0))
    with pytest.raises(ValueError, match="anchor"):
        fn(img, None, anchor=(5, 5))
    with pytest.raises(TypeError, match="anchor"):
        fn(img, k3, anchor=3)
    with pytest.raises(ValueError, match="iterations"):
        fn(img, k3, iterations=0)
    with pytest.raises(TypeError, match="iterations"):
        fn(img, k3, iterations=1.5)
    with pytest.raises(ValueError, match="border"):
        fn(img, k3, border="wrap")
    with pytest.raises(ValueError, match="border"):
        fn(img, k3, border="mirror")
    with pytest.raises(ValueError, match="border_value"):
        fn(img, k3, border_value=float("nan"))
    with pytest.raises(ValueError, match="border_value"):
        fn(np.zeros((4, 4, 3), np.uint8), k3, border_value=(1, 2))
    with pytest.raises(TypeError, match="border_value"):
        fn(img, k3, border_value="white")


def test_bad_morphology_ex_arguments():
    img = np.zeros((8, 8), np.uint8)
    k3 = np.ones((3, 3), np.uint8)
    with pytest.raises(ValueError, match="op"):
        ocrkit.morphology_ex(img, "thin", k3)
    with pytest.raises(ValueError, match="op"):
        ocrkit.morphology_ex(img, 2, k3)
    with pytest.raises(TypeError, match="src must have dtype uint8"):
        ocrkit.morphology_ex(img.astype(np.float32), "hitmiss", k3)
    with pytest.raises(ValueError, match="src must have 1 channels"):
        ocrkit.morphology_ex(np.zeros((4, 4, 3), np.uint8), "hitmiss", k3)
    with pytest.raises(ValueError, match="-1/0/1"):
        ocrkit.morphology_ex(img, "hitmiss", np.array([[2, 0, -1]]))
    with pytest.raises(ValueError, match="binary"):
        ocrkit.morphology_ex(img, "open", np.array([[-1, 1, 1]]))
