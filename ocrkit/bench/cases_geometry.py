"""Benchmark cases for ocrkit.geometry: resize and warps against cv2 (and skimage/scipy)."""
import math

import numpy as np

from . import Case, make_image

FAMILY = "geometry"


def _cv2():
    import cv2
    return cv2


def _resize_case(name, size, ch, dsize_of, interp, cv_flag, order, quick=True):
    from .. import geometry

    def make(rng):
        img = make_image(rng, size, ch)
        h, w = img.shape[:2]
        return img, dsize_of(w, h)

    def baseline(img, dsize):
        from skimage.transform import resize as sk_resize
        out_shape = (dsize[1], dsize[0]) + img.shape[2:]
        return sk_resize(img, out_shape, order=order, preserve_range=True, anti_aliasing=False)

    return Case(FAMILY, name, size, ch, make,
                ours=lambda img, dsize: geometry.resize(img, dsize, interpolation=interp),
                opencv=lambda img, dsize: _cv2().resize(img, dsize, interpolation=getattr(_cv2(), cv_flag)),
                baseline=baseline, baseline_name="skimage", quick=quick)


def _rotation(w, h, angle=7.0):
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    cx, cy = w / 2, h / 2
    return np.array([[c, s, (1 - c) * cx - s * cy], [-s, c, s * cx + (1 - c) * cy]])


def _perspective(w, h):
    return np.array([[0.95, 0.05, 12.0], [-0.03, 1.02, 8.0], [2e-5, 1e-5, 1.0]])


def _warp_case(name, size, ch, kind, interp="linear"):
    from .. import geometry

    def make(rng):
        img = make_image(rng, size, ch)
        h, w = img.shape[:2]
        m = _rotation(w, h) if kind == "affine" else _perspective(w, h)
        return img, m, (w, h)

    flag = {"linear": "INTER_LINEAR", "nearest": "INTER_NEAREST", "cubic": "INTER_CUBIC"}[interp]
    order = {"nearest": 0, "linear": 1, "cubic": 3}[interp]
    if kind == "affine":
        ours = lambda img, m, dsize: geometry.warp_affine(img, m, dsize, interpolation=interp)  # noqa: E731
        cv = lambda img, m, dsize: _cv2().warpAffine(img, m, dsize, flags=getattr(_cv2(), flag))  # noqa: E731
    else:
        ours = lambda img, m, dsize: geometry.warp_perspective(img, m, dsize, interpolation=interp)  # noqa: E731
        cv = lambda img, m, dsize: _cv2().warpPerspective(img, m, dsize, flags=getattr(_cv2(), flag))  # noqa: E731

    def baseline(img, m, dsize):
        # scipy maps output (row, col) to input (row, col): invert and swap axes
        from scipy import ndimage
        m3 = np.vstack([m, [0, 0, 1]]) if m.shape[0] == 2 else m
        inv = np.linalg.inv(m3)
        swap = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1]])
        a = swap @ inv @ swap
        if img.ndim == 2:
            return ndimage.affine_transform(img, a[:2, :2], offset=a[:2, 2], order=order,
                                            output_shape=(dsize[1], dsize[0]))
        return np.stack([ndimage.affine_transform(img[..., c], a[:2, :2], offset=a[:2, 2], order=order,
                                                  output_shape=(dsize[1], dsize[0]))
                         for c in range(img.shape[2])], axis=-1)

    def sk_baseline(img, m, dsize):
        from skimage.transform import ProjectiveTransform, warp
        t = ProjectiveTransform(np.linalg.inv(m))
        return warp(img, t, output_shape=(dsize[1], dsize[0]), order=order, preserve_range=True)

    if kind == "affine":
        return Case(FAMILY, name, size, ch, make, ours=ours, opencv=cv, baseline=baseline, baseline_name="scipy")
    return Case(FAMILY, name, size, ch, make, ours=ours, opencv=cv, baseline=sk_baseline, baseline_name="skimage")


def cases():
    half = lambda w, h: (w // 2, h // 2)  # noqa: E731
    return [
        _resize_case("resize linear 1/2", "1080p", 3, half, "linear", "INTER_LINEAR", 1),
        _resize_case("resize linear 2x", "1080p", 1, lambda w, h: (2 * w, 2 * h), "linear", "INTER_LINEAR", 1),
        _resize_case("resize area 1/3", "1080p", 1, lambda w, h: (w // 3, h // 3), "area", "INTER_AREA", 1),
        _resize_case("resize cubic 0.75", "1080p", 3, lambda w, h: (w * 3 // 4, h * 3 // 4), "cubic",
                     "INTER_CUBIC", 3),
        _resize_case("resize nearest 1/2", "1080p", 1, half, "nearest", "INTER_NEAREST", 0),
        _resize_case("resize nearest 1/2", "1080p", 3, half, "nearest", "INTER_NEAREST", 0, quick=False),
        _resize_case("resize linear 0.6", "480p", 3, lambda w, h: (w * 3 // 5, h * 3 // 5), "linear",
                     "INTER_LINEAR", 1, quick=False),
        _resize_case("resize lanczos4 1.5x", "480p", 1, lambda w, h: (w * 3 // 2, h * 3 // 2), "lanczos4",
                     "INTER_LANCZOS4", 3, quick=False),
        _warp_case("warp_affine rotate 7° linear", "1080p", 3, "affine"),
        _warp_case("warp_perspective linear", "1080p", 1, "perspective"),
        _warp_case("warp_affine rotate 7° nearest", "1080p", 1, "affine", "nearest"),
        _warp_case("warp_affine rotate 7° cubic", "480p", 1, "affine", "cubic"),
    ]
