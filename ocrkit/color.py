"""Grayscale conversion, histogram equalisation and CLAHE (OpenCV-compatible)."""
import numpy as np

from . import _threads, _validate
from ._ext import _color

__all__ = ["to_gray", "equalize_hist", "clahe"]

_GRAY_METHODS = {"luminosity": 0, "average": 1, "desaturation": 2}


def to_gray(src, method="luminosity", *, order="bgr"):
    """Convert a colour image to grayscale.

    Parameters
    ----------
    src : ndarray
        H×W×3 or H×W×4 image, uint8 or float32 (a 4th, alpha channel is ignored).
        A 2-D image is already gray and is rejected.
    method : {"luminosity", "average", "desaturation"}
        ``luminosity``: 0.299 R + 0.587 G + 0.114 B, bit-exact with
        ``cv2.cvtColor(src, COLOR_BGR2GRAY)`` (15-bit fixed point for uint8);
        ``average``: (B + G + R) / 3; ``desaturation``: (max + min) / 2.
        uint8 results are rounded to nearest (ties, only possible for
        ``desaturation``, go to even like ``numpy.rint``).
    order : {"bgr", "rgb"}
        Channel order of `src` (OpenCV's is BGR).

    Returns
    -------
    gray : ndarray
        H×W image of the dtype of `src`.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> px = np.array([[[255, 0, 0], [0, 0, 255]]], np.uint8)   # blue, red
    >>> ocrkit.to_gray(px)
    array([[29, 76]], dtype=uint8)
    >>> ocrkit.to_gray(px, order="rgb")
    array([[76, 29]], dtype=uint8)
    """
    if isinstance(src, np.ndarray) and src.ndim == 2:
        raise ValueError("src must be a colour image with 3 or 4 channels (H×W×3 or H×W×4); "
                         "got a 2-D array, which is already gray")
    src = _validate.image(src, channels=(3, 4))
    m = _GRAY_METHODS[_validate.choice(method, tuple(_GRAY_METHODS), "method")]
    bidx = 0 if _validate.choice(order, ("bgr", "rgb"), "order") == "bgr" else 2
    dst = np.empty(src.shape[:2], src.dtype)
    _color.gray(src, dst, m, bidx, _threads.for_size(src.size))
    return dst


def equalize_hist(src):
    """Equalise the histogram of a gray uint8 image, bit-exact with cv2.equalizeHist.

    Parameters
    ----------
    src : ndarray
        H×W (or H×W×1) uint8 image.

    Returns
    -------
    dst : ndarray
        uint8 image of the shape of `src`. A single-valued image is returned unchanged.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> ocrkit.equalize_hist(np.array([[50, 50, 100, 200]], np.uint8))
    array([[  0,   0, 128, 255]], dtype=uint8)
    """
    src = _validate.image(src, dtypes=(np.uint8,), channels=(1,))
    dst = np.empty_like(src)
    _color.equalize(src, dst, _threads.for_size(src.size))
    return dst


def clahe(src, clip_limit=40.0, tile_grid=(8, 8)):
    """Contrast-limited adaptive histogram equalisation, like
    ``cv2.createCLAHE(clip_limit, tile_grid).apply(src)``.

    Parameters
    ----------
    src : ndarray
        H×W (or H×W×1) uint8 image.
    clip_limit : float
        Contrast limit, relative to a flat histogram; ``<= 0`` disables clipping.
    tile_grid : int or (int, int)
        Number of tiles across and down, (tiles_x, tiles_y).

    Returns
    -------
    dst : ndarray
        uint8 image of the shape of `src`; within 1 of OpenCV's result.

    Notes
    -----
    When the image size is not a multiple of the grid, tiles extend past the
    image and read it mirrored (BORDER_REFLECT_101), as OpenCV pads it.

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.tile(np.arange(64, dtype=np.uint8), (64, 1))
    >>> ocrkit.clahe(img, 2.0, (4, 4)).shape
    (64, 64)
    """
    src = _validate.image(src, dtypes=(np.uint8,), channels=(1,))
    clip_limit = _validate.real(clip_limit, "clip_limit")
    tiles_x, tiles_y = _validate.size_pair(tile_grid, "tile_grid", minimum=1)
    shape = src.shape
    img = src[:, :, 0] if src.ndim == 3 else src
    h, w = img.shape
    if w % tiles_x == 0 and h % tiles_y == 0:
        ew, eh = w, h
    else:
        # OpenCV pads right and bottom by (tiles - size % tiles), which is a whole
        # extra `tiles` pixels along a side that was already a multiple
        ew, eh = w + tiles_x - w % tiles_x, h + tiles_y - h % tiles_y
    tw, th = ew // tiles_x, eh // tiles_y
    area = tw * th
    clip = 0
    if clip_limit > 0.0:
        clip = max(int(clip_limit * area / 256), 1)
    lut_scale = float(np.float32(255.0) / np.float32(area))
    dst = np.empty_like(img)
    _color.clahe(img, dst, tiles_x, tiles_y, tw, th, clip, lut_scale, _threads.for_size(img.size))
    return dst.reshape(shape)
