"""Reading and writing images through Pillow or OpenCV, whichever is installed.

Images come back as ocrkit uses them everywhere: uint8, H×W (gray) or H×W×3 in
BGR order (an alpha channel is dropped, as cv2.imread's IMREAD_COLOR does).

>>> from ocrkit.io import imread, imwrite          # doctest: +SKIP
>>> img = imread("page.png")                        # doctest: +SKIP
"""
import os

import numpy as np

__all__ = ["imread", "imwrite", "ImageReadError"]


class ImageReadError(ValueError):
    """The file is missing, empty, or not an image either reader understands."""


def _read_pillow(path, gray):
    from PIL import Image, UnidentifiedImageError
    try:
        with Image.open(path) as im:
            im.load()
            if gray:
                return np.asarray(im.convert("L"), np.uint8).copy()
            rgb = np.asarray(im.convert("RGB"), np.uint8)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise ImageReadError(f"{path}: not a readable image ({e.__class__.__name__})") from None
    return np.ascontiguousarray(rgb[:, :, ::-1])


def _read_cv2(path, gray):
    import cv2
    data = np.fromfile(path, np.uint8)
    img = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE if gray else cv2.IMREAD_COLOR)
    if img is None:
        raise ImageReadError(f"{path}: not a readable image")
    return img


def _reader():
    try:
        import PIL  # noqa: F401
        return _read_pillow
    except ImportError:
        pass
    try:
        import cv2  # noqa: F401
        return _read_cv2
    except ImportError:
        raise ImportError("reading image files needs Pillow or OpenCV: "
                          "pip install pillow") from None


def imread(path, gray=False):
    """Read an image file as uint8 BGR (H×W×3), or H×W when ``gray`` is true.

    Raises
    ------
    ImageReadError
        The file is missing, empty, or not an image (one-line message naming it).
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ImageReadError(f"{path}: no such file")
    if os.path.getsize(path) == 0:
        raise ImageReadError(f"{path}: the file is empty")
    return _reader()(path, gray)


def imwrite(path, img):
    """Write a uint8 gray or BGR image; the format follows the file extension."""
    path = os.fspath(path)
    img = np.asarray(img)
    if img.dtype != np.uint8 or img.ndim not in (2, 3):
        raise ValueError(f"img: expected a uint8 H×W or H×W×C image, got {img.dtype} "
                         f"with shape {img.shape}")
    try:
        from PIL import Image
    except ImportError:
        import cv2
        if not cv2.imwrite(path, img):
            raise OSError(f"{path}: could not write the image") from None
        return path
    if img.ndim == 3:
        img = img[:, :, 2::-1] if img.shape[2] >= 3 else img[:, :, 0]
    Image.fromarray(np.ascontiguousarray(img)).save(path)
    return path
