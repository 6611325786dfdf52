import subprocess
import sys

import numpy as np
import pytest

import ocrkit


def test_version_and_cli():
    out = subprocess.run([sys.executable, "-m", "ocrkit", "--version"], capture_output=True, text=True)
    assert out.returncode == 0
    assert out.stdout.strip() == f"ocrkit {ocrkit.__version__}"


def test_threads_roundtrip():
    before = ocrkit.get_num_threads()
    try:
        ocrkit.set_num_threads(1)
        assert ocrkit.get_num_threads() == 1
        ocrkit.set_num_threads(0)
        assert ocrkit.get_num_threads() >= 1
    finally:
        ocrkit.set_num_threads(before)


def test_small_images_stay_on_one_thread(monkeypatch):
    from ocrkit import _threads
    monkeypatch.setattr(_threads, "SMALL", 1 << 16)     # the shipped limit
    before = ocrkit.get_num_threads()
    try:
        ocrkit.set_num_threads(3)
        want = ocrkit.get_num_threads()                 # 1 without OpenMP
        assert _threads.for_size(64 * 300) == 1
        assert _threads.for_size((1 << 16) - 1) == 1
        assert _threads.for_size(1 << 16) == want
        assert _threads.for_size(1920 * 1080) == want
    finally:
        ocrkit.set_num_threads(before)


def test_serial_keeps_kernels_on_the_calling_thread_only():
    import threading
    from ocrkit import _threads
    before = ocrkit.get_num_threads()
    try:
        ocrkit.set_num_threads(3)
        want = ocrkit.get_num_threads()
        seen = {}
        with _threads.serial():
            seen["inside"] = _threads.for_size(1920 * 1080)
            with _threads.serial():
                pass
            seen["after nested"] = _threads.for_size(1920 * 1080)
            t = threading.Thread(target=lambda: seen.__setitem__("other thread", _threads.for_size(1920 * 1080)))
            t.start(), t.join()
        seen["after"] = _threads.for_size(1920 * 1080)
        assert seen == {"inside": 1, "after nested": 1, "other thread": want, "after": want}
        with pytest.raises(RuntimeError):
            with _threads.serial():
                raise RuntimeError("boom")
        assert _threads.for_size(1920 * 1080) == want
    finally:
        ocrkit.set_num_threads(before)


def test_east_preprocessing_runs_serial(monkeypatch):
    # the detector's resize must not wake OpenMP workers that would then spin on
    # the cores the network's own threads need
    from ocrkit import _threads, east
    calls = []
    real = east.resize

    def spy(img, size, *a, **k):
        calls.append(_threads.for_size(1920 * 1080))
        return real(img, size, *a, **k)
    monkeypatch.setattr(east, "resize", spy)
    before = ocrkit.get_num_threads()
    try:
        ocrkit.set_num_threads(2)
        east.EASTDetector(input_size=320).detect(np.zeros((200, 300, 3), np.uint8))
    finally:
        ocrkit.set_num_threads(before)
    assert calls == [1]


@pytest.mark.parametrize("bad", [1.5, "2", None])
def test_threads_bad(bad):
    with pytest.raises(TypeError):
        ocrkit.set_num_threads(bad)


def test_bench_quick_runs(tmp_path):
    from ocrkit.bench import runner
    import io
    buf = io.StringIO()
    rc = runner.main(quick=True, match="gaussian_blur 5x5", threads=[1], output=str(tmp_path / "B.md"),
                     budget=0.01, stream=buf)
    assert rc == 0
    text = (tmp_path / "B.md").read_text()
    assert "gaussian_blur 5x5" in text and "ratio" in text


def test_bench_no_case_is_an_error():
    from ocrkit.bench import runner
    assert runner.main(match="no such kernel", threads=[1], output="") == 2


def test_public_names_exist():
    for name in ocrkit.__all__:
        assert hasattr(ocrkit, name), name


def test_input_not_modified(rng):
    img = rng.integers(0, 256, (17, 13), dtype=np.uint8)
    keep = img.copy()
    ocrkit.gaussian_blur(img, (5, 5), 1.2)  # noqa
    np.testing.assert_array_equal(img, keep)
