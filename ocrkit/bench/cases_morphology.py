"""Benchmark cases for the morphology family (erode, dilate, morphology_ex)."""
import importlib

import numpy as np

from .. import morphology as M
from . import Case, make_image

FAMILY = "morphology"
_GRAY, _BGR, _SMALL = ("1080p", 1), ("1080p", 3), ("480p", 1)


def _maker(size, channels, shape, ksize):
    def make(rng):
        return (make_image(rng, size, channels), M.get_structuring_element(shape, ksize))
    return make


def _footprint(img, k):
    k = k.astype(bool)
    return k if img.ndim == 2 else k[:, :, None]


def _optional(name):
    try:
        return importlib.import_module(name)
    except ImportError:          # the report shows "—" for a missing rival
        return None


def cases():
    cv2 = _optional("cv2")
    ndi = _optional("scipy.ndimage")

    def rival(fn):
        return fn if cv2 is not None else None

    def base(fn):
        return fn if ndi is not None else None

    out = []
    specs = [
        # name, function, cv2 op, scipy op, shape, ksize, sizes/channels
        ("erode", M.erode, "erode", "grey_erosion", "rect", (5, 5), [_GRAY, _BGR, _SMALL]),
        ("dilate", M.dilate, "dilate", "grey_dilation", "rect", (5, 5), [_GRAY, _BGR]),
        ("erode", M.erode, "erode", "grey_erosion", "rect", (3, 3), [_GRAY]),
        ("erode", M.erode, "erode", "grey_erosion", "rect", (15, 15), [_GRAY]),
        ("erode", M.erode, "erode", "grey_erosion", "ellipse", (7, 7), [_GRAY, _BGR, _SMALL]),
        ("dilate", M.dilate, "dilate", "grey_dilation", "ellipse", (7, 7), [_GRAY]),
        ("dilate", M.dilate, "dilate", "grey_dilation", "cross", (5, 5), [_GRAY]),
    ]
    for name, ours, cvf, ndf, shape, ks, where in specs:
        for size, ch in where:
            label = f"{name} {ks[0]}x{ks[1]} {shape}"
            out.append(Case(
                family=FAMILY, name=label, size=size, channels=ch,
                make=_maker(size, ch, shape, ks),
                ours=lambda img, k, f=ours: f(img, k),
                opencv=rival(lambda img, k, f=cvf: getattr(cv2, f)(img, k)),
                # scipy's footprint has no channel axis: give it a 3-D one for BGR
                baseline=base(lambda img, k, f=ndf: getattr(ndi, f)(img, footprint=_footprint(img, k))),
                baseline_name="scipy",
                quick=(size == "1080p" and ch == 1 and ks in ((5, 5), (7, 7))),
            ))
    for size, ch in [_GRAY, _BGR]:
        out.append(Case(
            family=FAMILY, name="open 5x5 rect", size=size, channels=ch,
            make=_maker(size, ch, "rect", (5, 5)),
            ours=lambda img, k: M.morphology_ex(img, "open", k),
            opencv=rival(lambda img, k: cv2.morphologyEx(img, cv2.MORPH_OPEN, k)),
            baseline=base(lambda img, k: ndi.grey_opening(img, footprint=_footprint(img, k))),
            baseline_name="scipy",
            quick=(ch == 1),
        ))
    out.append(Case(
        family=FAMILY, name="gradient 3x3 rect", size="1080p", channels=1,
        make=_maker("1080p", 1, "rect", (3, 3)),
        ours=lambda img, k: M.morphology_ex(img, "gradient", k),
        opencv=rival(lambda img, k: cv2.morphologyEx(img, cv2.MORPH_GRADIENT, k)),
        baseline=base(lambda img, k: ndi.morphological_gradient(img, footprint=_footprint(img, k))),
        baseline_name="scipy", quick=False,
    ))
    out.append(Case(
        family=FAMILY, name="erode 5x5 rect float32", size="1080p", channels=1,
        make=lambda rng: (make_image(rng, "1080p", 1, np.float32), M.get_structuring_element("rect", 5)),
        ours=lambda img, k: M.erode(img, k),
        opencv=rival(lambda img, k: cv2.erode(img, k)),
        baseline=base(lambda img, k: ndi.grey_erosion(img, footprint=_footprint(img, k))),
        baseline_name="scipy", quick=False,
    ))
    return out
