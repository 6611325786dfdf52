"""The job subcommands end to end through ``python -m ocrkit`` (subprocess)."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from ocrkit import tesseract
from ocrkit.io import imwrite
from textpages import LINES, on_desk, render_lines

needs_tesseract = pytest.mark.skipif(not tesseract.available(), reason="needs Tesseract")

# every subcommand that takes an image file as its first argument
IMAGE_COMMANDS = ["ocr", "search", "scan", "detect", "plate", "sudoku"]
EXTRA_ARGS = {"search": ["word"], "scan": ["-o", "{tmp}/out.png"]}


def ocrkit(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "ocrkit", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    page, _ = render_lines()
    imwrite(d / "page.png", page)
    photo, _ = on_desk(page, 15)
    imwrite(d / "photo.png", photo)
    (d / "empty.png").write_bytes(b"")
    (d / "notes.png").write_text("this is not an image\n")
    return d


@needs_tesseract
def test_ocr_text_and_json(files):
    r = ocrkit("ocr", files / "photo.png")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == LINES
    r = ocrkit("ocr", files / "page.png", "--json", "--psm", "6", "-o", files / "boxes.png")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["kind"] == "page" and d["engine"] == "tesseract"
    assert d["text"].splitlines() == LINES
    assert d["regions"][0]["text"] == "Invoice" and len(d["regions"][0]["polygon"]) == 4
    assert (files / "boxes.png").stat().st_size > 0


@needs_tesseract
def test_search_marks_and_exit_status(files):
    out = files / "marked.png"
    r = ocrkit("search", files / "page.png", "fox", "river bank", "-o", out, "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["counts"] == {"fox": 1, "river bank": 1}
    assert out.stat().st_size > 0
    r = ocrkit("search", files / "page.png", "Tota1", "--fuzzy")
    assert r.returncode == 0 and "'Tota1': 'Total'" in r.stdout
    r = ocrkit("search", files / "page.png", "zebra")
    assert r.returncode == 3 and "'zebra': not found" in r.stdout


@needs_tesseract
def test_scan_writes_page_and_reads_it(files):
    out = files / "scanned.png"
    r = ocrkit("scan", files / "photo.png", "-o", out, "--ocr", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["found"] and d["output"] == str(out)
    assert d["text"].splitlines() == LINES
    from ocrkit.io import imread
    img = imread(out, gray=True)
    assert set(np.unique(img).tolist()) <= {0, 255}
    r = ocrkit("scan", files / "photo.png", "-o", files / "color.png", "--color")
    assert r.returncode == 0 and "page corners" in r.stdout
    assert imread(files / "color.png").shape[:2] == tuple(d["size"][::-1])


@needs_tesseract
def test_video_json(files):
    cv2 = pytest.importorskip("cv2")
    page, _ = render_lines(["Breaking news tonight"], size=32)
    frame = np.repeat(page[:, :, None], 3, axis=2)
    path = files / "clip.avi"
    vw = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 5,
                         (frame.shape[1], frame.shape[0]))
    for _ in range(6):
        vw.write(frame)
    vw.release()
    r = ocrkit("video", path, "--every", "3", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["sampled"] == 2
    assert d["segments"] == [{"start": 0.0, "end": 0.6, "text": "Breaking news tonight",
                              "frames": 2}]
    assert "2/2 frames" in r.stderr
    r = ocrkit("video", path, "--every", "3", "-q")
    assert r.returncode == 0 and "Breaking news tonight" in r.stdout and r.stderr == ""


@needs_tesseract
def test_demo_runs_on_bundled_samples(tmp_path):
    r = ocrkit("demo", "-o", tmp_path / "demo")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "== ocr" in r.stdout and "== search" in r.stdout and "== scan" in r.stdout
    written = set(os.listdir(tmp_path / "demo"))
    assert {"ocr_page.png", "search.png", "scan_page.png", "scan_outline.png",
            "ocr_scene.png", "plate.png", "sudoku.png"} <= written
    assert "== plate" in r.stdout and "== sudoku" in r.stdout
    assert "Traceback" not in r.stderr


def _one_line_error(r, name):
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip() and not x.startswith("INFO:")]
    assert len(lines) == 1 and lines[0].startswith(f"ocrkit {name}: "), r.stderr


@pytest.mark.parametrize("name", IMAGE_COMMANDS)
@pytest.mark.parametrize("bad", ["missing.png", "empty.png", "notes.png"])
def test_bad_image_files(files, name, bad):
    extra = [a.format(tmp=files) for a in EXTRA_ARGS.get(name, [])]
    r = ocrkit(name, files / bad, *extra)
    _one_line_error(r, name)


@pytest.mark.parametrize("bad", ["missing.avi", "empty.png", "notes.png"])
def test_video_bad_files(files, bad):
    pytest.importorskip("cv2")
    _one_line_error(ocrkit("video", files / bad), "video")


def test_video_bad_every(files):
    _one_line_error(ocrkit("video", files / "notes.png", "--every", "0"), "video")


def test_demo_without_samples(tmp_path):
    _one_line_error(ocrkit("demo", "--data", tmp_path, "-o", tmp_path / "out"), "demo")


@needs_tesseract
def test_ocr_bad_options(files):
    _one_line_error(ocrkit("ocr", files / "page.png", "--psm", "99"), "ocr")
    _one_line_error(ocrkit("ocr", files / "page.png", "--lang", "xyz"), "ocr")
    _one_line_error(ocrkit("ocr", files / "page.png", "--engine", "charnet", "--kind", "page"),
                    "ocr")
