"""Benchmark cases for edges (ocrkit.canny) and labelling (ocrkit.connected_components)."""
import numpy as np

from .. import edges as E
from .. import labeling as L
from . import Case, make_image


def _cv2():
    import cv2
    return cv2


def _skimage_canny(a):
    # skimage smooths first and scales its gradients differently: the same job,
    # not the same numbers
    from skimage.feature import canny
    return canny(a, sigma=1.0, low_threshold=25, high_threshold=50)


def _ndi_label(a, connectivity, objects=True):
    # find_objects stands in for the bounding boxes of the stats
    import scipy.ndimage as ndi
    structure = np.ones((3, 3), bool) if connectivity == 8 else None
    labels, n = ndi.label(a, structure)
    return (n, labels, ndi.find_objects(labels)) if objects else (n, labels)


def cases():
    def img(size="1080p", ch=1):
        return lambda rng: (make_image(rng, size, ch),)

    def binarised(size="1080p"):
        return lambda rng: ((make_image(rng, size, 1) > 128).astype(np.uint8) * 255,)

    cv = _cv2

    def cc_cv(conn, stats=True):
        if stats:
            return lambda a: cv().connectedComponentsWithStats(a, connectivity=conn, ltype=cv().CV_32S)
        return lambda a: cv().connectedComponents(a, connectivity=conn, ltype=cv().CV_32S)

    return [
        Case("edges", "canny 100/200", "1080p", 1, img(), lambda a: E.canny(a, 100, 200),
             lambda a: cv().Canny(a, 100, 200), _skimage_canny, "skimage"),
        Case("edges", "canny 100/200", "480p", 1, img("480p"), lambda a: E.canny(a, 100, 200),
             lambda a: cv().Canny(a, 100, 200), _skimage_canny, "skimage"),
        Case("edges", "canny 100/200", "1080p", 3, img(ch=3), lambda a: E.canny(a, 100, 200),
             lambda a: cv().Canny(a, 100, 200), None, "", quick=False),
        Case("edges", "canny 100/200 L2", "1080p", 1, img(), lambda a: E.canny(a, 100, 200, l2_gradient=True),
             lambda a: cv().Canny(a, 100, 200, L2gradient=True), None, "", quick=False),
        Case("edges", "canny 5x5 400/800", "1080p", 1, img(),
             lambda a: E.canny(a, 400, 800, aperture_size=5),
             lambda a: cv().Canny(a, 400, 800, apertureSize=5), None, "", quick=False),
        Case("edges", "connected_components 8 +stats", "1080p", 1, binarised(),
             lambda a: L.connected_components(a, 8), cc_cv(8), lambda a: _ndi_label(a, 8), "scipy"),
        Case("edges", "connected_components 4 +stats", "1080p", 1, binarised(),
             lambda a: L.connected_components(a, 4), cc_cv(4), lambda a: _ndi_label(a, 4), "scipy"),
        Case("edges", "connected_components 8", "1080p", 1, binarised(),
             lambda a: L.connected_components(a, 8, stats=False), cc_cv(8, False),
             lambda a: _ndi_label(a, 8, objects=False), "scipy", quick=False),
        Case("edges", "connected_components 8 +stats", "480p", 1, binarised("480p"),
             lambda a: L.connected_components(a, 8), cc_cv(8), lambda a: _ndi_label(a, 8), "scipy"),
    ]
