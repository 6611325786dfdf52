"""Connected-component labelling, label for label as ``cv2.connectedComponentsWithStats``."""
import numpy as np

from . import _threads
from . import _validate as V
from ._ext import _components as _c

__all__ = ["connected_components"]

_LTYPES = {np.dtype(np.int32): "int32", np.dtype(np.uint16): "uint16"}


def connected_components(binary, connectivity=8, *, ltype=np.int32, stats=True):
    """Label the connected components of a binary image.

    Gives OpenCV's labels exactly (``cv2.connectedComponentsWithStats(binary,
    connectivity=connectivity, ltype=cv2.CV_32S)``): 0 is the background, and
    components are numbered as OpenCV's default algorithms number them — by
    their first pixel in raster order for 4-connectivity, by their first 2×2
    block (pairs of rows, blocks left to right) for 8-connectivity.

    Parameters
    ----------
    binary : ndarray
        H×W uint8 image; every nonzero pixel is foreground.
    connectivity : {8, 4}
        Pixel neighbourhood.
    ltype : {np.int32, np.uint16}
        dtype of the label image (uint16 needs fewer than 65536 labels).
    stats : bool
        Also return the per-label statistics and centroids.

    Returns
    -------
    n : int
        Number of labels, background included.
    labels : ndarray
        H×W label image of dtype `ltype`.
    stats : ndarray
        n×5 int32 rows ``[x, y, width, height, area]`` (only with ``stats=True``).
        When there is no background pixel, row 0 is OpenCV's
        ``[-1, 2147483647, 0, 0, 0]``.
    centroids : ndarray
        n×2 float64 rows ``[cx, cy]`` (only with ``stats=True``; NaN for an empty
        background).

    Examples
    --------
    >>> import numpy as np, ocrkit
    >>> img = np.array([[1, 1, 0, 0],
    ...                 [0, 0, 0, 1],
    ...                 [1, 0, 1, 1]], np.uint8)
    >>> n, labels, stats, centroids = ocrkit.connected_components(img, 8)
    >>> n
    4
    >>> labels.tolist()
    [[1, 1, 0, 0], [0, 0, 0, 2], [3, 0, 2, 2]]
    >>> stats[2].tolist()
    [2, 1, 2, 2, 3]
    """
    if isinstance(binary, np.ndarray) and binary.ndim != 2:
        raise ValueError(f"binary must be a 2-D (H×W) array, got ndim={binary.ndim}")
    binary = V.image(binary, "binary", dtypes=(np.uint8,), channels=(1,))
    if binary.size >= 2 ** 31:
        raise ValueError(f"binary is too large ({binary.shape[0]}×{binary.shape[1]}); "
                         "at most 2**31 - 1 pixels")
    connectivity = V.integer(connectivity, "connectivity")
    if connectivity not in (4, 8):
        raise ValueError(f"connectivity must be 4 or 8, got {connectivity}")
    try:
        lt = np.dtype(ltype)
    except TypeError:
        raise TypeError(f"ltype must be np.int32 or np.uint16, got {ltype!r}") from None
    if lt not in _LTYPES:
        raise ValueError(f"ltype must be np.int32 or np.uint16, got {lt}")
    res = _c.connected_components(binary, connectivity, bool(stats), _threads.for_size(binary.size))
    if lt != np.dtype(np.int32):
        if res[0] > 65536:
            raise ValueError(f"ltype uint16 holds at most 65536 labels, the image has {res[0]}; "
                             "use np.int32")
        res = (res[0], res[1].astype(lt)) + tuple(res[2:])
    return res
