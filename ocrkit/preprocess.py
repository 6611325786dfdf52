"""Preprocessing presets for OCR (documents, scenes, plates) and deskewing.

Everything here runs on ocrkit's own kernels; only :func:`deskew` with
``orientation=True`` calls Tesseract (its orientation detection, for turns of
90, 180 or 270 degrees).

>>> import numpy as np, ocrkit
>>> from ocrkit.preprocess import preprocess, deskew
>>> page = np.full((200, 300, 3), 235, np.uint8)
>>> page[40:48, 30:270] = 20                        # a "line of text"
>>> preprocess(page, "document").dtype, preprocess(page, "document").shape
(dtype('uint8'), (200, 300))
>>> straight, angle = deskew(ocrkit.rotate(page, 12, border_value=235))
>>> round(angle)
12
"""
import math

import numpy as np

from . import _validate
from .color import to_gray
from .filters import gaussian_blur, median_blur, bilateral_filter
from .geometry import resize, rotate
from .threshold import threshold, adaptive_threshold

__all__ = ["PRESETS", "preprocess", "gray", "text_mask", "estimate_skew", "deskew",
           "fix_orientation"]

PRESETS = ("document", "scene", "plate")


def _check_image(img, name="img"):
    img = _validate.uint8_image(img, name)
    if img.shape[0] < 2 or img.shape[1] < 2:
        raise ValueError(f"{name} is too small (shape {img.shape})")
    return img


def gray(img):
    """uint8 gray version of a gray, BGR or BGRA image (the input itself when gray)."""
    img = _check_image(img)
    if img.ndim == 2:
        return img
    return to_gray(np.ascontiguousarray(img[:, :, :3]))


def preprocess(img, preset="document"):
    """Grayscale, denoise and binarise an image for OCR.

    Parameters
    ----------
    img : ndarray
        uint8 gray or BGR image.
    preset : {"document", "scene", "plate"}
        "document": median denoise then adaptive (local mean) threshold, which
        copes with shadows and uneven light on paper; black text on white.
        "scene": edge-keeping bilateral denoise and global Otsu, with the
        polarity chosen so the text (the minority class) comes out black on white.
        "plate": upscaled to at least 64 px tall, Gaussian denoise, Otsu,
        characters black on white.

    Returns
    -------
    ndarray
        uint8 H×W image holding only 0 and 255 (the plate preset may be larger).

    Examples
    --------
    >>> import numpy as np
    >>> img = np.full((40, 40), 200, np.uint8); img[10:30, 18:22] = 30
    >>> out = preprocess(img, "scene")
    >>> sorted(np.unique(out).tolist()), int(out[20, 20])
    ([0, 255], 0)
    """
    preset = _validate.choice(preset, PRESETS, "preset")
    g = gray(img)
    if preset == "document":
        g = median_blur(g, 3)
        block = max(15, (min(g.shape) // 30) | 1)
        return adaptive_threshold(g, 255, "mean", "binary", block, 15)
    if preset == "scene":
        g = bilateral_filter(g, 5, 50, 50)
        _, b = threshold(g, 0, 255, "binary", method="otsu")
        return b if (b > 0).mean() >= 0.5 else 255 - b
    # plate
    if g.shape[0] < 64:
        f = 64.0 / g.shape[0]
        g = resize(g, (max(1, round(g.shape[1] * f)), 64), interpolation="cubic")
    g = gaussian_blur(g, (3, 3), 0)
    _, b = threshold(g, 0, 255, "binary", method="otsu")
    return b if (b > 0).mean() >= 0.5 else 255 - b


def text_mask(img):
    """Boolean mask of the dark marks (text) of an image: pixels clearly darker than
    their neighbourhood (adaptive mean threshold), so it holds on any paper
    shade, under uneven light, and with a background around the page."""
    g = gray(img)
    block = max(15, (min(g.shape) // 40) | 1)
    b = adaptive_threshold(median_blur(g, 3), 255, "mean", "binary_inv", block, 12)
    return b > 0


def _profile_scores(xs, ys, angles_deg):
    """Sum of squared projection-profile counts for each angle (higher = text lines
    lie more exactly along that angle)."""
    out = np.empty(len(angles_deg))
    for i, a in enumerate(np.radians(angles_deg)):
        # a line turned counter-clockwise by `a` (y down) keeps x·sin a + y·cos a fixed
        p = xs * math.sin(a) + ys * math.cos(a)
        p = (p - p.min()).astype(np.int64)
        h = np.bincount(p, minlength=1).astype(np.float64)
        out[i] = float(h @ h)
    return out


def estimate_skew(img, max_points=40000, seed=0):
    """The angle (degrees counter-clockwise, within ±45) by which the text lines of
    a page are turned, from the page's own dark pixels.

    Projection-profile search: the dark pixels are projected across each
    candidate direction and the direction whose profile is sharpest (the lines
    separate best) wins; a coarse 0.5° sweep over 180° is refined to 0.05°.
    Text turned by 90° more is folded into ±45 (see :func:`deskew` for those turns).

    Returns 0.0 for an image with too little ink to tell.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> page = np.full((200, 300), 235, np.uint8)
    >>> for y in range(30, 170, 20): page[y:y + 6, 30:270] = 20
    >>> round(estimate_skew(ocrkit.rotate(page, -20, border_value=235)), 1)
    -20.0
    """
    g = gray(img)
    # work at most ~1000 px across: enough to resolve lines, cheap to project
    scale = min(1.0, 1000.0 / max(g.shape))
    if scale < 1.0:
        g = resize(g, (max(2, round(g.shape[1] * scale)), max(2, round(g.shape[0] * scale))),
                   interpolation="area")
    mask = text_mask(g)
    ys, xs = np.nonzero(mask)
    if len(xs) < 50 or mask.mean() > 0.5:
        return 0.0
    if len(xs) > max_points:
        idx = np.random.default_rng(seed).choice(len(xs), max_points, replace=False)
        xs, ys = xs[idx], ys[idx]
    xs = xs.astype(np.float64)
    ys = ys.astype(np.float64)
    coarse = np.arange(-90.0, 90.0, 0.5)
    s = _profile_scores(xs, ys, coarse)
    best = coarse[int(np.argmax(s))]
    fine = best + np.arange(-0.5, 0.5001, 0.05)
    s = _profile_scores(xs, ys, fine)
    angle = float(fine[int(np.argmax(s))])
    angle = (angle + 45.0) % 90.0 - 45.0                 # fold into [-45, 45)
    return round(angle, 2)


def _paper_value(img):
    """Fill colour for uncovered corners: the bright (paper) end of the image."""
    if img.ndim == 2:
        return float(np.percentile(img[::4, ::4], 90))
    return tuple(float(np.percentile(img[::4, ::4, c], 90)) for c in range(img.shape[2]))


def deskew(img, orientation=False, expand=True):
    """Straighten a page: undo its skew (any angle within ±45° from the text itself)
    and, with ``orientation=True``, a turn of 90, 180 or 270 degrees found by
    Tesseract's orientation detection (skipped quietly when Tesseract is not
    installed or finds too little text).

    Parameters
    ----------
    img : ndarray
        uint8 gray or BGR page image, dark text on light paper.
    orientation : bool
        Also fix 90/180/270° turns with Tesseract OSD.
    expand : bool
        Grow the canvas so no part of the page is cut off.

    Returns
    -------
    (ndarray, float)
        The straightened image and the total angle (degrees counter-clockwise)
        the input was turned by; the image was rotated by minus that angle.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> page = np.full((200, 300), 235, np.uint8)
    >>> for y in range(30, 170, 20): page[y:y + 6, 30:270] = 20
    >>> out, angle = deskew(ocrkit.rotate(page, 8, border_value=235))
    >>> round(angle, 1)
    8.0
    """
    img = _check_image(img)
    if not isinstance(orientation, (bool, np.bool_)):
        raise TypeError(f"orientation must be a bool, got {orientation!r}")
    angle = estimate_skew(img)
    fill = _paper_value(img)
    out = rotate(img, -angle, expand=expand, border_value=fill) if abs(angle) >= 0.1 else img
    if orientation:
        out, turn = fix_orientation(out, fill=fill)
        angle += turn
    angle = (angle + 180.0) % 360.0 - 180.0
    return out, float(angle)


def fix_orientation(img, min_confidence=2.0, fill=None, crop=800):
    """Undo a turn of 90, 180 or 270 degrees found by Tesseract's orientation
    detection (OSD), trusted only at ``min_confidence`` or more.

    OSD reads a central ``crop``×``crop`` window (it needs a few lines of text,
    and the whole page would only cost time). Returns ``(image, turn)`` with
    ``turn`` the degrees counter-clockwise the input was turned (0 when
    Tesseract is missing, unsure, or finds too little text).

    Examples
    --------
    >>> import numpy as np
    >>> blank = np.full((100, 100), 255, np.uint8)
    >>> fix_orientation(blank)[1]
    0
    """
    img = _check_image(img)
    from . import tesseract
    if not tesseract.available():
        return img, 0
    h, w = img.shape[:2]
    y0, x0 = max(0, h // 2 - crop // 2), max(0, w // 2 - crop // 2)
    try:
        o = tesseract.detect_orientation(img[y0:y0 + crop, x0:x0 + crop])
    except (tesseract.OrientationError, RuntimeError):
        return img, 0
    if o.rotate == 0 or o.orientation_confidence < min_confidence:
        return img, 0
    if fill is None:
        fill = _paper_value(img)
    # OSD's rotate is clockwise; ocrkit.rotate turns counter-clockwise
    return rotate(img, -o.rotate, expand=True, border_value=fill), o.rotate
