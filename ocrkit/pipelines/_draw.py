"""Annotation drawing for the jobs' output images: plain NumPy, no OpenCV."""
import numpy as np

__all__ = ["draw_polygons", "as_bgr"]


def as_bgr(img):
    """A BGR uint8 copy of a gray, BGR or BGRA image."""
    img = np.asarray(img)
    if img.ndim == 2:
        return np.repeat(img[:, :, None], 3, axis=2)
    if img.shape[2] == 1:
        return np.repeat(img, 3, axis=2)
    return np.ascontiguousarray(img[:, :, :3]).copy()


def draw_polygons(img, polygons, color=(0, 0, 255), thickness=2):
    """Copy of ``img`` (as BGR) with each closed polygon outlined.

    Edges are sampled every half pixel and stamped as ``thickness``-wide squares:
    enough for annotations, no anti-aliasing.

    >>> import numpy as np
    >>> out = draw_polygons(np.zeros((10, 10), np.uint8), [[(1, 1), (8, 1), (8, 8), (1, 8)]],
    ...                     color=(255, 0, 0), thickness=1)
    >>> out.shape, out[1, 4].tolist(), out[4, 4].tolist()
    ((10, 10, 3), [255, 0, 0], [0, 0, 0])
    """
    out = as_bgr(img)
    h, w = out.shape[:2]
    r0 = -(int(thickness) // 2)
    color = np.asarray(color, np.uint8)
    for poly in polygons:
        p = np.asarray(poly, np.float64).reshape(-1, 2)
        if len(p) < 2 or not np.isfinite(p).all():
            continue
        pts = []
        for a, b in zip(p, np.roll(p, -1, axis=0)):
            n = int(np.ceil(np.hypot(*(b - a)) * 2)) + 1
            t = np.linspace(0.0, 1.0, n)[:, None]
            pts.append(np.rint(a + (b - a) * t).astype(np.int64))
        pts = np.vstack(pts)
        for dy in range(r0, r0 + int(thickness)):
            for dx in range(r0, r0 + int(thickness)):
                x, y = pts[:, 0] + dx, pts[:, 1] + dy
                ok = (x >= 0) & (x < w) & (y >= 0) & (y < h)
                out[y[ok], x[ok]] = color
    return out
