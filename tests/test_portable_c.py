"""The C kernels build as plain C99 without Python, and give the same bits on
aarch64 (cross-compiled, run under qemu) as the x86-64 Python build.

The aarch64 half needs `gcc-aarch64-linux-gnu` and `qemu-user-static` (Debian);
.ci/run installs them when it runs as root.
"""
import os
import shutil
import subprocess

import numpy as np
import pytest

import ocrkit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = ["tests/c/harness.c", "csrc/convolve.c", "csrc/convolve_q8_x86.c"]
FLAGS = ["-std=c99", "-O3", "-ffp-contract=off", "-fno-math-errno", "-fno-trapping-math",
         "-Wall", "-Werror", "-Wno-unused-function", "-Icsrc"]
H, W, CN = 67, 101, 3


def _fnv1a(data):
    h = 1469598103934665603
    for b in bytes(data):
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def _image():
    x = np.empty(H * W * CN, np.uint32)
    v = 20261123
    for i in range(x.size):
        v = (v * 1103515245 + 12345) & 0xFFFFFFFF
        x[i] = v >> 24
    return x.astype(np.uint8).reshape(H, W, CN)


def _python_hashes():
    img = _image()
    g13 = np.array([1, 3, 8, 16, 27, 37, 84, 37, 27, 16, 8, 3, 1], np.uint16)
    out = {}
    out["gaussian5"] = _fnv1a(ocrkit.gaussian_blur(img, (5, 5), 0))
    from ocrkit._ext import _convolve
    dst = np.empty_like(img)
    _convolve.sep_filter_q8(img, dst, g13, 6, g13, 6, 0, 4, 1)
    out["gaussian13"] = _fnv1a(dst)
    out["box7x5"] = _fnv1a(ocrkit.blur(img, (7, 5), border="replicate"))
    out["sobel_dx"] = _fnv1a(ocrkit.sobel(img, 1, 0, ddepth=np.int16, border="constant"))
    k = np.array([[0, -0.5, 0], [-0.5, 3, -0.5], [0, -0.5, 0]], np.float32)
    out["filter2d"] = _fnv1a(ocrkit.filter2d(img, k, border="reflect"))
    return out


def _build_and_run(cc, tmp_path, runner=()):
    exe = str(tmp_path / f"harness-{os.path.basename(cc)}")
    subprocess.run([cc, *FLAGS, *SOURCES, "-o", exe, "-lm"], cwd=ROOT, check=True,
                   capture_output=True, text=True)
    res = subprocess.run([*runner, exe], capture_output=True, text=True, check=True, timeout=120)
    return dict(line.split() for line in res.stdout.strip().splitlines())


def test_native_c_build_matches_python(tmp_path):
    cc = shutil.which("cc") or shutil.which("gcc")
    assert cc, "a C compiler is needed to build ocrkit at all"
    assert _build_and_run(cc, tmp_path) == _python_hashes()


@pytest.mark.skipif(not (shutil.which("aarch64-linux-gnu-gcc") and
                         (shutil.which("qemu-aarch64-static") or shutil.which("qemu-aarch64"))),
                    reason="optional platform check: apt-get install gcc-aarch64-linux-gnu qemu-user-static")
def test_aarch64_build_matches_python(tmp_path):
    qemu = shutil.which("qemu-aarch64-static") or shutil.which("qemu-aarch64")
    got = _build_and_run("aarch64-linux-gnu-gcc", tmp_path,
                         runner=(qemu, "-L", "/usr/aarch64-linux-gnu"))
    assert got == _python_hashes()


def _c_files():
    return sorted(f for f in os.listdir(os.path.join(ROOT, "csrc")) if f.endswith(".c"))


@pytest.mark.parametrize("cfile", _c_files())
def test_every_kernel_file_is_plain_c99(cfile, tmp_path):
    cc = shutil.which("cc") or shutil.which("gcc")
    subprocess.run([cc, *FLAGS, "-c", f"csrc/{cfile}", "-o", str(tmp_path / "k.o")], cwd=ROOT,
                   check=True, capture_output=True, text=True)


@pytest.mark.skipif(not shutil.which("aarch64-linux-gnu-gcc"),
                    reason="optional platform check: apt-get install gcc-aarch64-linux-gnu")
@pytest.mark.parametrize("cfile", _c_files())
def test_every_kernel_file_builds_for_aarch64(cfile, tmp_path):
    res = subprocess.run(["aarch64-linux-gnu-gcc", *FLAGS, "-c", f"csrc/{cfile}", "-o", str(tmp_path / "k.o")],
                         cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
