import numpy as np
import pytest

try:
    import cv2  # the parity oracle
except ImportError as exc:  # pragma: no cover - the test extra installs it
    raise ImportError("the tests compare against OpenCV: pip install -e '.[dev]'") from exc


@pytest.fixture
def rng():
    return np.random.default_rng(20261123)


@pytest.fixture(autouse=True)
def _single_thread_opencv():
    # compare like with like; our own thread count is exercised per kernel family
    cv2.setNumThreads(1)
    yield


@pytest.fixture(autouse=True)
def _threads_on_small_images(monkeypatch):
    # Kernels keep images under ocrkit._threads.SMALL elements on one thread; the
    # tests' images are mostly small, so lift that limit to exercise the parallel
    # row split everywhere (test_package.py checks the limit itself).
    from ocrkit import _threads
    monkeypatch.setattr(_threads, "SMALL", 0)
    yield


def random_image(rng, h, w, channels=1, dtype=np.uint8, smooth=False):
    """Random test image; `smooth` mixes in gradients so rounding ties are realistic."""
    shape = (h, w) if channels == 1 else (h, w, channels)
    if np.dtype(dtype) == np.uint8:
        img = rng.integers(0, 256, size=shape, dtype=np.uint8)
        if smooth:
            yy, xx = np.mgrid[0:h, 0:w]
            ramp = ((xx * 7 + yy * 3) % 256).astype(np.uint8)
            if channels > 1:
                ramp = ramp[:, :, None]
            img = np.where(rng.random(shape) < 0.5, img, ramp).astype(np.uint8)
        return img
    if np.dtype(dtype) == np.float32:
        return rng.uniform(-1.0, 2.0, size=shape).astype(np.float32)
    if np.dtype(dtype) == np.int16:
        return rng.integers(-32768, 32768, size=shape, dtype=np.int16)
    if np.dtype(dtype) == np.uint16:
        return rng.integers(0, 65536, size=shape, dtype=np.uint16)
    raise ValueError(dtype)


def assert_close(ours, ref, *, max_lsb=0, max_frac=0.0, rtol=1e-4, atol=1e-5, what=""):
    """uint/int results: |diff| <= max_lsb everywhere and differing pixels <= max_frac
    of all (bit-exact by default); float results: within rtol/atol."""
    assert ours.shape == ref.shape, f"{what}: shape {ours.shape} != {ref.shape}"
    assert ours.dtype == ref.dtype, f"{what}: dtype {ours.dtype} != {ref.dtype}"
    if np.issubdtype(ours.dtype, np.floating):
        np.testing.assert_allclose(ours, ref, rtol=rtol, atol=atol, err_msg=what)
        return
    diff = np.abs(ours.astype(np.int64) - ref.astype(np.int64))
    worst = int(diff.max()) if diff.size else 0
    frac = float(np.count_nonzero(diff)) / diff.size if diff.size else 0.0
    assert worst <= max_lsb, f"{what}: max |diff| {worst} > {max_lsb} (differing {frac:.4%})"
    assert frac <= max_frac, f"{what}: {frac:.4%} of pixels differ (allowed {max_frac:.4%})"
