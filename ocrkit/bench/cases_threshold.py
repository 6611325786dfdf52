"""Benchmark cases of the "threshold" family: thresholds, grayscale, equalisation."""
import numpy as np

from . import Case, make_image
from ..color import clahe, equalize_hist, to_gray
from ..threshold import adaptive_threshold, threshold

FAMILY = "threshold"


def _gray(size):
    return lambda rng: (make_image(rng, size, 1),)


def _bgr(size):
    return lambda rng: (make_image(rng, size, 3),)


def _skimage():
    try:
        import skimage.color
        import skimage.exposure
        import skimage.filters
        return skimage
    except ImportError:  # pragma: no cover - the baseline is optional
        return None


def cases():
    import cv2  # only the oracle; imported when the cases are built

    sk = _skimage()
    out = []
    for size in ("1080p", "480p"):
        quick = size == "1080p"
        out.append(Case(
            FAMILY, "threshold binary", size, 1, _gray(size),
            ours=lambda s: threshold(s, 127, 255, "binary"),
            opencv=lambda s: cv2.threshold(s, 127, 255, cv2.THRESH_BINARY),
            baseline=(lambda s: (s > 127).astype(np.uint8) * 255),
            baseline_name="numpy", quick=quick))
        out.append(Case(
            FAMILY, "threshold otsu", size, 1, _gray(size),
            ours=lambda s: threshold(s, 0, 255, "binary", method="otsu"),
            opencv=lambda s: cv2.threshold(s, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU),
            baseline=(lambda s: (s > sk.filters.threshold_otsu(s)).astype(np.uint8) * 255) if sk else None,
            baseline_name="skimage" if sk else "", quick=quick))
        out.append(Case(
            FAMILY, "adaptive gaussian 11", size, 1, _gray(size),
            ours=lambda s: adaptive_threshold(s, 255, "gaussian", "binary", 11, 2),
            opencv=lambda s: cv2.adaptiveThreshold(s, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C,
                                                   cv2.THRESH_BINARY, 11, 2),
            baseline=(lambda s: (s > sk.filters.threshold_local(s, 11, "gaussian", offset=2))
                      .astype(np.uint8) * 255) if sk else None,
            baseline_name="skimage" if sk else "", quick=quick))
        out.append(Case(
            FAMILY, "adaptive mean 31", size, 1, _gray(size),
            ours=lambda s: adaptive_threshold(s, 255, "mean", "binary", 31, 2),
            opencv=lambda s: cv2.adaptiveThreshold(s, 255, cv2.ADAPTIVE_THRESH_MEAN_C,
                                                   cv2.THRESH_BINARY, 31, 2),
            baseline=(lambda s: (s > sk.filters.threshold_local(s, 31, "mean", offset=2))
                      .astype(np.uint8) * 255) if sk else None,
            baseline_name="skimage" if sk else "", quick=quick))
        out.append(Case(
            FAMILY, "to_gray", size, 3, _bgr(size),
            ours=lambda s: to_gray(s),
            opencv=lambda s: cv2.cvtColor(s, cv2.COLOR_BGR2GRAY),
            baseline=(lambda s: sk.color.rgb2gray(s[:, :, ::-1])) if sk else None,
            baseline_name="skimage" if sk else "", quick=quick))
        out.append(Case(
            FAMILY, "equalize_hist", size, 1, _gray(size),
            ours=lambda s: equalize_hist(s),
            opencv=lambda s: cv2.equalizeHist(s),
            baseline=(lambda s: sk.exposure.equalize_hist(s)) if sk else None,
            baseline_name="skimage" if sk else "", quick=quick))
    out.append(Case(
        FAMILY, "clahe 2.0 8x8", "1080p", 1, _gray("1080p"),
        ours=lambda s: clahe(s, 2.0, (8, 8)),
        opencv=lambda s: cv2.createCLAHE(2.0, (8, 8)).apply(s),
        baseline=(lambda s: sk.exposure.equalize_adapthist(s, kernel_size=(135, 240), clip_limit=0.01))
        if sk else None,
        baseline_name="skimage" if sk else "", quick=False))
    return out
