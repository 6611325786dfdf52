"""Text over time in a video: read sampled frames, merge repeated text.

Decoding needs OpenCV (``pip install "ocrkit[video]"``); every sampled frame is
read with :func:`ocrkit.pipelines.ocr.ocr`, and consecutive samples whose text is
(nearly) the same become one segment with a start and end time.

>>> from ocrkit.pipelines.video import merge_texts
>>> merge_texts([(0.0, "Hello world"), (1.0, "Hello world"), (2.0, "Bye"), (3.0, "")])
[{'start': 0.0, 'end': 1.0, 'text': 'Hello world', 'frames': 2}, {'start': 2.0, 'end': 2.0, 'text': 'Bye', 'frames': 1}]
"""
import os
import sys

from ._text import edit_distance, normalize_text

__all__ = ["read_video", "merge_texts", "open_video", "ProgressBar"]


def open_video(path):
    """An opened ``cv2.VideoCapture`` (with clear one-line errors)."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise OSError(f"{path}: no such file")
    if os.path.getsize(path) == 0:
        raise ValueError(f"{path}: the file is empty")
    # FFmpeg's own log lines ("[png @ 0x...] Invalid PNG signature") would
    # bury the one-line error; quiet unless the user asked for them
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
    os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")
    try:
        import cv2
    except ImportError:
        raise ImportError('reading video needs OpenCV: pip install "ocrkit[video]" '
                          "(opencv-python-headless)") from None
    cap = cv2.VideoCapture(path)
    if not cap.isOpened():
        raise ValueError(f"{path}: not a video OpenCV can decode")
    return cap


def _similar(a, b, tolerance):
    if a == b:
        return True
    if not a or not b:
        return False
    return edit_distance(a, b) <= tolerance * max(len(a), len(b))


def merge_texts(samples, tolerance=0.2):
    """Merge consecutive ``(time, text)`` samples with (nearly) the same text.

    Texts within ``tolerance`` edits per character of each other count as the
    same (OCR of the same caption varies a little from frame to frame); the
    segment keeps the text read most often. Empty texts end a segment and are
    dropped.

    Returns
    -------
    list of dict
        ``{"start", "end", "text", "frames"}`` in time order.
    """
    segments = []
    cur = None
    for t, text in samples:
        text = normalize_text(text)
        if cur is not None and _similar(cur["last"], text, tolerance):
            cur["end"] = t
            cur["frames"] += 1
            cur["votes"][text] = cur["votes"].get(text, 0) + 1
            cur["last"] = text
            continue
        if cur is not None:
            segments.append(cur)
            cur = None
        if text:
            cur = {"start": t, "end": t, "frames": 1, "votes": {text: 1}, "last": text}
    if cur is not None:
        segments.append(cur)
    out = []
    for s in segments:
        best = max(s["votes"].items(), key=lambda kv: kv[1])[0]
        out.append({"start": s["start"], "end": s["end"], "text": best, "frames": s["frames"]})
    return out


class ProgressBar:
    """A one-line progress bar on a stream (stderr by default)."""

    def __init__(self, total, label="frames", stream=None, width=30):
        self.total = max(0, int(total))
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        self.width = width
        self.n = 0

    def update(self, n=1):
        self.n += n
        if self.total:
            frac = min(1.0, self.n / self.total)
            fill = int(round(frac * self.width))
            bar = "#" * fill + "-" * (self.width - fill)
            self.stream.write(f"\r[{bar}] {self.n}/{self.total} {self.label}")
        else:
            self.stream.write(f"\r{self.n} {self.label}")
        self.stream.flush()

    def close(self):
        self.stream.write("\n")
        self.stream.flush()


def read_video(path, every=30, lang="eng", kind="auto", progress=False, tolerance=0.2):
    """Text over time: read every ``every``-th frame and merge repeats.

    Parameters
    ----------
    path : str or path-like
        A video file OpenCV can decode.
    every : int
        Sample one frame in this many (30 = once a second at 30 fps).
    lang, kind
        As for :func:`ocrkit.pipelines.ocr.ocr`.
    progress : bool
        Draw a progress bar on stderr.
    tolerance : float
        See :func:`merge_texts`.

    Returns
    -------
    dict
        ``{"fps", "frames", "sampled", "segments": [{"start", "end", "text", "frames"}]}``,
        times in seconds.
    """
    if isinstance(every, bool) or not isinstance(every, int) or every < 1:
        raise ValueError(f"every must be a positive int (frames between samples), got {every!r}")
    from .ocr import ocr
    import cv2
    cap = open_video(path)
    try:
        fps = float(cap.get(cv2.CAP_PROP_FPS)) or 30.0
        total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        bar = ProgressBar((total + every - 1) // every if total > 0 else 0) if progress else None
        samples = []
        index = 0
        while True:
            if index % every == 0:
                ok, frame = cap.read()
                if not ok:
                    break
                text = ocr(frame, lang=lang, kind=kind).text if frame is not None else ""
                samples.append((round(index / fps, 3), text))
                if bar:
                    bar.update()
            else:
                if not cap.grab():
                    break
            index += 1
        if bar:
            bar.close()
    finally:
        cap.release()
    if not samples:
        raise ValueError(f"{os.fspath(path)}: no frames could be decoded")
    return {"fps": fps, "frames": index, "sampled": len(samples),
            "segments": merge_texts(samples, tolerance)}
