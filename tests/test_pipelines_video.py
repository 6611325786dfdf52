"""ocrkit.pipelines.video: sampled frames, merged text over time, progress, errors."""
import io
import sys

import numpy as np
import pytest

from ocrkit import tesseract
from ocrkit.pipelines.video import ProgressBar, merge_texts, open_video, read_video
from textpages import render_lines


def test_merge_texts_merges_repeats_and_near_repeats():
    samples = [(0.0, "Hello  world"), (1.0, "Hello world"), (2.0, "He1lo world"),
               (3.0, ""), (4.0, "Goodbye"), (5.0, "Goodbye"), (6.0, "Hello world")]
    segs = merge_texts(samples)
    assert segs == [
        {"start": 0.0, "end": 2.0, "text": "Hello world", "frames": 3},
        {"start": 4.0, "end": 5.0, "text": "Goodbye", "frames": 2},
        {"start": 6.0, "end": 6.0, "text": "Hello world", "frames": 1}]
    assert merge_texts([]) == [] and merge_texts([(0.0, " ")]) == []
    # zero tolerance: a changed letter starts a new segment
    assert len(merge_texts(samples[:3], tolerance=0.0)) == 2


def test_progress_bar_writes_one_line():
    out = io.StringIO()
    bar = ProgressBar(4, stream=out)
    for _ in range(4):
        bar.update()
    bar.close()
    text = out.getvalue()
    assert text.count("\n") == 1 and "4/4 frames" in text and "#" * 30 in text


def _write_video(path, frames, fps=10):
    cv2 = pytest.importorskip("cv2")
    h, w = frames[0].shape[:2]
    vw = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    assert vw.isOpened()
    for f in frames:
        vw.write(f)
    vw.release()


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    a, _ = render_lines(["Chapter one begins", "in the old town"], size=32)
    b, _ = render_lines(["Chapter two ends", "by the sea shore"], size=32)
    h = max(a.shape[0], b.shape[0])
    w = max(a.shape[1], b.shape[1])

    def frame(img):
        out = np.full((h, w, 3), 235, np.uint8)
        out[:img.shape[0], :img.shape[1]] = img[:, :, None]
        return out
    frames = [frame(a)] * 12 + [frame(b)] * 8
    path = tmp_path_factory.mktemp("video") / "clip.avi"
    _write_video(path, frames)
    return path


@pytest.mark.skipif(not tesseract.available(), reason="needs Tesseract")
def test_read_video_text_over_time(video, capsys):
    r = read_video(video, every=4, progress=True)
    assert r["frames"] == 20 and r["sampled"] == 5 and r["fps"] == pytest.approx(10)
    segs = r["segments"]
    assert [s["text"] for s in segs] == ["Chapter one begins in the old town",
                                         "Chapter two ends by the sea shore"]
    assert (segs[0]["start"], segs[0]["end"], segs[0]["frames"]) == (0.0, 0.8, 3)
    assert (segs[1]["start"], segs[1]["end"]) == (1.2, 1.6)
    assert "5/5 frames" in capsys.readouterr().err


def test_bad_inputs(tmp_path, monkeypatch):
    pytest.importorskip("cv2")
    with pytest.raises(OSError, match="no such file"):
        open_video(tmp_path / "missing.mp4")
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="empty"):
        open_video(empty)
    junk = tmp_path / "junk.mp4"
    junk.write_text("not a video at all\n" * 20)
    with pytest.raises(ValueError, match="not a video"):
        read_video(junk)
    with pytest.raises(ValueError, match="every"):
        read_video(junk, every=0)
    monkeypatch.setitem(sys.modules, "cv2", None)
    with pytest.raises(ImportError, match=r"ocrkit\[video\]"):
        open_video(junk)
