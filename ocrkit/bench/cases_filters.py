"""Benchmark cases for the linear filtering family (ocrkit.filters)."""
import numpy as np

from .. import filters as F
from . import Case, make_image


def _cv2():
    import cv2
    return cv2


def _ndi():
    import scipy.ndimage as ndi
    return ndi


SHARPEN = np.array([[0, -0.5, 0], [-0.5, 3, -0.5], [0, -0.5, 0]], np.float32)
SEP5 = np.array([0.05, 0.25, 0.4, 0.25, 0.05], np.float32)


def cases():
    def img(size="1080p", ch=1):
        return lambda rng: (make_image(rng, size, ch),)

    cv = _cv2

    def unsharp_cv(a):
        c = cv()
        blurred = c.GaussianBlur(a, (0, 0), 2.0)
        return c.addWeighted(a, 2.0, blurred, -1.0, 0)

    out = [
        Case("filters", "gaussian_blur 5x5", "1080p", 1, img(), lambda a: F.gaussian_blur(a, (5, 5), 0),
             lambda a: cv().GaussianBlur(a, (5, 5), 0),
             lambda a: _ndi().gaussian_filter(a, 1.1, truncate=2.0 / 1.1), "scipy"),
        Case("filters", "gaussian_blur 5x5", "1080p", 3, img(ch=3), lambda a: F.gaussian_blur(a, (5, 5), 0),
             lambda a: cv().GaussianBlur(a, (5, 5), 0),
             lambda a: _ndi().gaussian_filter(a, (1.1, 1.1, 0), truncate=2.0 / 1.1), "scipy"),
        Case("filters", "gaussian_blur sigma=3", "1080p", 1, img(), lambda a: F.gaussian_blur(a, 0, 3.0),
             lambda a: cv().GaussianBlur(a, (0, 0), 3.0),
             lambda a: _ndi().gaussian_filter(a, 3.0, truncate=3.0), "scipy"),
        Case("filters", "gaussian_blur 5x5", "480p", 1, img("480p"), lambda a: F.gaussian_blur(a, (5, 5), 0),
             lambda a: cv().GaussianBlur(a, (5, 5), 0),
             lambda a: _ndi().gaussian_filter(a, 1.1, truncate=2.0 / 1.1), "scipy"),
        Case("filters", "blur 5x5", "1080p", 1, img(), lambda a: F.blur(a, (5, 5)),
             lambda a: cv().blur(a, (5, 5)), lambda a: _ndi().uniform_filter(a, 5), "scipy"),
        Case("filters", "blur 5x5", "1080p", 3, img(ch=3), lambda a: F.blur(a, (5, 5)),
             lambda a: cv().blur(a, (5, 5)), lambda a: _ndi().uniform_filter(a, (5, 5, 1)), "scipy"),
        Case("filters", "box_filter 15x15", "1080p", 1, img(), lambda a: F.box_filter(a, (15, 15)),
             lambda a: cv().boxFilter(a, -1, (15, 15)), lambda a: _ndi().uniform_filter(a, 15), "scipy"),
        Case("filters", "filter2d 3x3 float", "1080p", 1, img(), lambda a: F.filter2d(a, SHARPEN),
             lambda a: cv().filter2D(a, -1, SHARPEN), lambda a: _ndi().correlate(a, SHARPEN), "scipy"),
        Case("filters", "sep_filter2d 5-tap", "1080p", 1, img(), lambda a: F.sep_filter2d(a, SEP5, SEP5, ddepth=np.float32),
             lambda a: cv().sepFilter2D(a, cv().CV_32F, SEP5, SEP5),
             lambda a: _ndi().correlate1d(_ndi().correlate1d(a.astype(np.float32), SEP5, 1), SEP5, 0), "scipy"),
        Case("filters", "sobel dx 3x3 →int16", "1080p", 1, img(), lambda a: F.sobel(a, 1, 0, ddepth=np.int16),
             lambda a: cv().Sobel(a, cv().CV_16S, 1, 0),
             lambda a: _ndi().sobel(a.astype(np.int16), 1), "scipy"),
        Case("filters", "scharr dy →int16", "1080p", 1, img(), lambda a: F.scharr(a, 0, 1, ddepth=np.int16),
             lambda a: cv().Scharr(a, cv().CV_16S, 0, 1), None, ""),
        Case("filters", "laplacian 3 →int16", "1080p", 1, img(), lambda a: F.laplacian(a, 3, ddepth=np.int16),
             lambda a: cv().Laplacian(a, cv().CV_16S, ksize=3),
             lambda a: _ndi().laplace(a.astype(np.int16)), "scipy"),
        Case("filters", "unsharp_mask sigma=2", "1080p", 1, img(), lambda a: F.unsharp_mask(a, 2.0, 1.0),
             unsharp_cv, lambda a: _skimage_unsharp(a), "skimage"),
    ]
    return out


def _skimage_unsharp(a):
    from skimage.filters import unsharp_mask
    return unsharp_mask(a, radius=2.0, amount=1.0)
