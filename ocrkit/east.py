"""EAST scene-text detector (Zhou et al., 2017) on TFLite, decoded in C.

The network predicts, on a grid at a quarter of its input resolution, a text
score and a rotated box per cell (distances to the box's top, right, bottom and
left sides, and its angle). Cells above the score threshold are decoded into
quads by C code (:mod:`ocrkit._ext._east`), merged and suppressed with
:func:`ocrkit.locality_aware_nms`, and mapped back to the caller's pixels.

The default model is ocrkit's own compact EAST with float16 weights
(``ocrkit/models/east_f16.tflite``, trained on :mod:`ocrkit.synth` images, see
``models/EAST.md``); its int8 twin ``east_int8.tflite`` ships too. OpenCV's widely
used ``frozen_east_text_detection.pb`` runs too, through ``backend="opencv"``.

>>> import numpy as np
>>> from ocrkit import EASTDetector
>>> det = EASTDetector()                                   # doctest: +SKIP
>>> for d in det.detect(image):                            # doctest: +SKIP
...     print(d.polygon.round(), d.score)
"""
import math
import os
import time
from typing import NamedTuple

import numpy as np

from . import _threads, _validate
from .geometry import resize

__all__ = ["EASTDetector", "Detection", "decode_east", "decode_nms"]

# float16 weights (run as float32 by XNNPACK): on an AVX2 x86 without VNNI it is
# faster than the int8 twin (no int8 dot product to gain from) and as accurate;
# on CPUs with one (ARM dotprod, x86 VNNI) try model_path("east_int8.tflite").
DEFAULT_MODEL = "east_f16.tflite"
MAX_SIDE = 1280
# Share of a box's area inside a larger box above which it is a fragment (tuned on
# generated scenes and pages of seed 99, apart from the evaluation set's seed 2026).
CONTAIN_THRESHOLD = 0.5
# Clock of EASTDetector.timings; models/eval_east.py swaps in time.thread_time to
# measure CPU time on a shared machine.
_clock = time.perf_counter

# (distance scale, angle scale, angle offset) turning raw geometry into pixels and
# radians: ocrkit's models emit sigmoids (so int8 keeps the angle's precision);
# the original EAST graph scales inside the network.
OCRKIT_GEOMETRY = (512.0, math.pi, -math.pi / 2)
ORIGINAL_GEOMETRY = (1.0, 1.0, 0.0)

# OpenCV's frozen EAST graph: its outputs and its input normalisation (RGB means).
_PB_OUTPUTS = ["feature_fusion/Conv_7/Sigmoid", "feature_fusion/concat_3"]
_PB_MEAN = (123.68, 116.78, 103.94)


class Detection(NamedTuple):
    """One detected word: ``polygon`` 4x2 float32 corners clockwise from the text's
    own top-left, in input-image pixels; ``score`` in [0, 1]."""
    polygon: np.ndarray
    score: float


def _ext():
    from ._ext import _east
    return _east


def _nms_ext():
    from ._ext import _nms
    return _nms


def decode_east(score, geometry, score_threshold=0.5, *, layout="nhwc",
                geometry_units=ORIGINAL_GEOMETRY, cell=4.0, scale=(1.0, 1.0)):
    """Decode EAST maps into candidate quads (before NMS), in C.

    Parameters
    ----------
    score : ndarray, float32
        The score map: H x W, or 1 x H x W x 1 (NHWC, TFLite) / 1 x 1 x H x W (NCHW,
        cv2.dnn) as the network gives it.
    geometry : ndarray, float32
        H x W x 5 / 1 x H x W x 5 (NHWC) or 5 x H x W / 1 x 5 x H x W (NCHW): distances
        top, right, bottom, left, then the angle (radians, counter-clockwise).
    score_threshold : float
        Cells scoring above it are decoded.
    layout : {"nhwc", "nchw"}
    geometry_units : (float, float, float)
        Distance scale, angle scale and angle offset applied to the raw geometry;
        :data:`ORIGINAL_GEOMETRY` (identity) for the original EAST graph,
        :data:`OCRKIT_GEOMETRY` for ocrkit's models.
    cell : float
        Input pixels per cell (4 for EAST).
    scale : (float, float)
        (sx, sy) from network-input to output pixels: x' = (x + 0.5) * sx - 0.5.

    Returns
    -------
    quads : ndarray, float64, (N, 8)
        x0 y0 ... x3 y3, clockwise from the box's top-left, one per cell above the
        threshold in row-major order (ready for :func:`ocrkit.locality_aware_nms`).
    scores : ndarray, float64, (N,)

    Examples
    --------
    >>> import numpy as np
    >>> s = np.zeros((4, 4), np.float32); s[1, 2] = 0.9
    >>> g = np.zeros((4, 4, 5), np.float32); g[1, 2, :4] = [2, 10, 3, 6]
    >>> q, sc = decode_east(s, g)
    >>> q.reshape(-1, 4, 2)[0].tolist()
    [[2.0, 2.0], [18.0, 2.0], [18.0, 7.0], [2.0, 7.0]]
    """
    if layout not in ("nhwc", "nchw"):
        raise ValueError(f"layout must be 'nhwc' or 'nchw', got {layout!r}")
    score = np.asarray(score, np.float32)
    geometry = np.asarray(geometry, np.float32)
    if score.ndim == 4:
        score = score[0, :, :, 0] if layout == "nhwc" else score[0, 0]
    if geometry.ndim == 4:
        geometry = geometry[0]
    if score.ndim != 2:
        raise ValueError(f"score must be H x W or a 4-D network output, got shape {score.shape}")
    want = (score.shape[0], score.shape[1], 5) if layout == "nhwc" else (5,) + score.shape
    if geometry.shape != want:
        raise ValueError(f"geometry must have shape {want} for a {score.shape} score map "
                         f"({layout}), got {geometry.shape}")
    thr = _validate.real(score_threshold, "score_threshold")
    du = tuple(float(v) for v in geometry_units)
    return _ext().decode(score, geometry, layout == "nchw", thr, float(cell),
                         du[0], du[1], du[2], float(scale[0]), float(scale[1]))


def decode_nms(score, geometry, score_threshold=0.5, nms_threshold=0.4, **kw):
    """:func:`decode_east` then EAST's locality-aware NMS: the detector's whole
    post-processing. Keywords as for :func:`decode_east`.

    Returns (polys N x 8 float32, summed scores N float32), highest score first.
    """
    quads, scores = decode_east(score, geometry, score_threshold, **kw)
    if not len(quads):
        return quads.astype(np.float32), scores.astype(np.float32)
    # The decoder's quads are rectangles with finite corners and scores above a
    # threshold >= 0: what ocrkit.locality_aware_nms checks holds, so call its C
    # core directly (on a thousand candidates the checks cost more than the merge).
    return _nms_ext().locality_aware_nms(quads, scores, float(nms_threshold))


def _net_size(input_size, w, h):
    """(width, height) the network runs at: a multiple of 32 on each side."""
    if input_size is None:
        f = min(1.0, MAX_SIDE / max(w, h))
        return (max(32, int(round(w * f / 32)) * 32), max(32, int(round(h * f / 32)) * 32))
    return input_size


def _check_input_size(input_size):
    if input_size is None:
        return None
    if isinstance(input_size, (int, np.integer)) and not isinstance(input_size, bool):
        size = (int(input_size), int(input_size))
    else:
        try:
            size = tuple(int(v) for v in input_size)
        except TypeError:
            raise TypeError("input_size must be None, an int or a (width, height) pair, "
                            f"got {type(input_size).__name__}") from None
        if len(size) != 2:
            raise ValueError(f"input_size must be a (width, height) pair, got {input_size!r}")
    if min(size) < 32 or size[0] % 32 or size[1] % 32:
        raise ValueError(f"input_size must be positive multiples of 32, got {size}")
    return size


def _check_image(image):
    image = _validate.uint8_image(image, "image")
    return image[:, :, :3] if image.ndim == 3 and image.shape[2] == 4 else image


def _opencv_net(cv2, path):
    """``cv2.dnn`` network for `path`. OpenCV 5.0's new engine returns only one
    output of a TFLite graph, so .tflite takes the classic engine where it exists;
    5.1 dropped it, and its default engine returns both."""
    if path.lower().endswith(".tflite") and hasattr(cv2.dnn, "ENGINE_CLASSIC"):
        return cv2.dnn.readNetFromTFLite(path, engine=cv2.dnn.ENGINE_CLASSIC)
    return cv2.dnn.readNet(path)


class EASTDetector:
    """EAST text detector: ``detect(image)`` returns the words it finds as quads.

    Parameters
    ----------
    model : str, os.PathLike or bytes, optional
        A .tflite model (default: the bundled ``east_f16.tflite``; the int8 one is
        ``ocrkit.runtime.model_path("east_int8.tflite")``); with
        ``backend="opencv"`` also a .pb (``frozen_east_text_detection.pb``) or .onnx.
    input_size : int or (int, int), optional
        Network (width, height), multiples of 32. Default: the image's own size
        rounded to multiples of 32, the longer side at most 1280.
    backend : {"tflite", "opencv"}
        "tflite" runs through :func:`ocrkit.runtime.load_model` (threads follow
        :func:`ocrkit.set_num_threads`); "opencv" through ``cv2.dnn`` (needs OpenCV).

    Attributes
    ----------
    contain_threshold : float or None
        After NMS, a word box with more than this share of its area inside a
        larger box is dropped: EAST breaks long or large words into pieces that
        NMS by IoU keeps beside the whole word. Default
        :data:`CONTAIN_THRESHOLD`; None keeps every box NMS keeps.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrkit import EASTDetector
    >>> from ocrkit.synth import make_scene
    >>> img, quads, words = make_scene(np.random.default_rng(1))
    >>> found = EASTDetector().detect(img)                  # doctest: +SKIP
    >>> found[0].polygon.shape, found[0].polygon.dtype      # doctest: +SKIP
    ((4, 2), dtype('float32'))
    """

    def __init__(self, model=None, *, input_size=None, backend="tflite"):
        if backend not in ("tflite", "opencv"):
            raise ValueError(f"backend must be 'tflite' or 'opencv', got {backend!r}")
        self.input_size = _check_input_size(input_size)
        self.backend = backend
        if model is None:
            from .runtime import model_path
            model = model_path(DEFAULT_MODEL)
        if backend == "tflite":
            self._load_tflite(model)
        else:
            self._load_opencv(model)
        self.timings = {}
        self.contain_threshold = CONTAIN_THRESHOLD

    def _load_tflite(self, model):
        from .runtime import load_model
        self._net = load_model(model)
        outs = self._net.output_details
        chans = [int(d["shape_signature"][-1] if "shape_signature" in d else d["shape"][-1])
                 for d in outs]
        if len(outs) != 2 or sorted(chans) != [1, 5]:
            from .runtime import ModelFileError
            raise ModelFileError(f"model: {self._net.source!r} is not an EAST model (expected "
                                 f"a 1-channel score and a 5-channel geometry output, got "
                                 f"{len(outs)} output(s) with {chans} channels)")
        self._score_out = chans.index(1)
        # ocrkit's models end in a sigmoid on all five channels; an EAST graph
        # converted from the original scales them inside ("concat" in its name).
        geo_name = outs[chans.index(5)].get("name", "")
        self.geometry_units = (ORIGINAL_GEOMETRY if "concat" in geo_name else OCRKIT_GEOMETRY)

    def _load_opencv(self, model):
        try:
            import cv2
        except ImportError:
            from .runtime import RuntimeMissingError
            raise RuntimeMissingError("backend='opencv' needs OpenCV: "
                                      "pip install opencv-python-headless") from None
        from .runtime import ModelFileError
        path = os.fspath(model) if not isinstance(model, (bytes, bytearray)) else None
        if path is None:
            raise TypeError("backend='opencv' takes a model path, not bytes")
        if not os.path.isfile(path):
            raise ModelFileError(f"model: cannot read {path!r}: no such file")
        ext = os.path.splitext(path)[1].lower()
        if ext not in (".pb", ".onnx", ".tflite"):
            raise ValueError(f"model: backend='opencv' reads .pb, .onnx or .tflite, got {path!r}")
        try:
            self._cv = _opencv_net(cv2, path)
        except cv2.error as e:
            raise ModelFileError(f"model: {path!r} could not be loaded by cv2.dnn: "
                                 f"{str(e).strip().splitlines()[-1]}") from None
        # .pb/.onnx: the original EAST graph (RGB, mean-subtracted input, geometry in
        # pixels); .tflite: ocrkit's own model (BGR 0..255, sigmoid geometry).
        self._cv_original = ext != ".tflite"
        self.geometry_units = ORIGINAL_GEOMETRY if self._cv_original else OCRKIT_GEOMETRY
        self._cv_outs = (_PB_OUTPUTS if ext == ".pb"
                         else list(self._cv.getUnconnectedOutLayersNames()))

    def _infer(self, x):
        """Run the network on 1 x H x W x 3 float32 BGR; returns (score, geometry, layout)."""
        if self.backend == "tflite":
            outs = self._net.run(x)
            return outs[self._score_out], outs[1 - self._score_out], "nhwc"
        import cv2
        if self._cv_original:
            blob = cv2.dnn.blobFromImage(x[0], 1.0, None, _PB_MEAN, swapRB=True, crop=False)
        else:
            blob = np.ascontiguousarray(x.transpose(0, 3, 1, 2))   # cv2.dnn takes NCHW
        self._cv.setInput(blob)
        outs = self._cv.forward(self._cv_outs)
        if len(outs) != 2:
            from .runtime import ModelFileError
            raise ModelFileError(f"model: expected a score and a geometry output, got {len(outs)}")
        s, g = outs if outs[0].size * 5 == outs[1].size else outs[::-1]
        layout = "nchw" if g.shape[1] == 5 else "nhwc"
        return s, g, layout

    def detect(self, image, score_threshold=0.5, nms_threshold=0.4):
        """Find words in a BGR or grey uint8 image of any size.

        Parameters
        ----------
        image : ndarray, uint8, H x W or H x W x 3 (BGR) or H x W x 4 (BGRA)
        score_threshold : float in [0, 1]
            Cells scoring above it become candidate boxes.
        nms_threshold : float in [0, 1]
            IoU above which candidates are merged / suppressed.

        Returns
        -------
        list of Detection
            Each with ``.polygon`` (4x2 float32, clockwise from the text's top-left,
            in `image` pixels) and ``.score`` (mean score of the cells inside the
            box), highest score first. ``self.timings`` holds the seconds spent in
            "preprocess", "inference" and "decode" (decode + NMS) for this call.
        """
        image = _check_image(image)
        thr = _validate.real(score_threshold, "score_threshold")
        nt = _validate.real(nms_threshold, "nms_threshold")
        if not 0.0 <= thr <= 1.0:
            raise ValueError(f"score_threshold must be in [0, 1], got {thr}")
        if not 0.0 <= nt <= 1.0:
            raise ValueError(f"nms_threshold must be in [0, 1], got {nt}")
        ct = self.contain_threshold
        if ct is not None:
            ct = _validate.real(ct, "contain_threshold")
            if not 0.0 <= ct <= 1.0:
                raise ValueError(f"contain_threshold must be in [0, 1] or None, got {ct}")
        t0 = _clock()
        h, w = image.shape[:2]
        nw, nh = _net_size(self.input_size, w, h)
        # one thread: a parallel resize leaves OpenMP workers spinning on the cores
        # the network's threads need next (ocrkit._threads.serial)
        with _threads.serial():
            x = image if (nw, nh) == (w, h) else resize(image, (nw, nh))
        if x.ndim == 2:
            x = np.repeat(x[:, :, None], 3, axis=2)
        x = x.astype(np.float32)[None]
        t1 = _clock()
        score, geo, layout = self._infer(x)
        t2 = _clock()
        polys, _ = decode_nms(score, geo, thr, nt, layout=layout,
                              geometry_units=self.geometry_units, scale=(w / nw, h / nh))
        smap = score[0, :, :, 0] if layout == "nhwc" else score[0, 0]
        dets = self._finish(polys, smap, (w / nw, h / nh), thr, ct)
        t3 = _clock()
        self.timings = {"preprocess": t1 - t0, "inference": t2 - t1, "decode": t3 - t2}
        return dets

    @staticmethod
    def _finish(polys, smap, scale, thr, contain=None):
        """Score each merged quad by the mean score of the above-threshold cells whose
        centres lie inside it (a quad with none left after merging is dropped); in C
        (ok_east_quad_scores), a per-quad numpy loop cost ~0.15 ms a quad."""
        polys = np.ascontiguousarray(polys, np.float32).reshape(-1, 8)
        means = _ext().quad_scores(np.asarray(smap, np.float32), polys, float(thr),
                                   float(scale[0]), float(scale[1]), 4.0)
        keep = np.flatnonzero(~np.isnan(means))
        keep = keep[np.argsort(-means[keep], kind="stable")]
        if contain is not None and len(keep) > 1:
            # Larger quads first, so a whole word outranks its pieces whatever they
            # score; containment only (IoU > 2 never holds); keep stays best-first.
            p = polys[keep].astype(np.float64)
            x, y = p[:, 0::2], p[:, 1::2]
            area = 0.5 * np.abs((x * np.roll(y, -1, 1) - np.roll(x, -1, 1) * y).sum(1))
            sub = _nms_ext().nms_polygons_contained(p, area.astype(np.float32), 2.0, float(contain))
            keep = keep[np.sort(sub)]
        return [Detection(polys[k].reshape(4, 2).copy(), float(means[k])) for k in keep]
