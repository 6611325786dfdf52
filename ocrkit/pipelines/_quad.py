"""Four-point geometry shared by the plate and sudoku jobs: corner order and warp."""
import numpy as np

from .. import geometry

__all__ = ["order_quad", "quad_size", "warp_quad"]


def order_quad(pts):
    """Four points as float32 (4, 2) ordered top-left, top-right, bottom-right,
    bottom-left (clockwise in image coordinates).

    The corner nearest each image-diagonal direction is taken (the sum x + y is
    least at the top-left and greatest at the bottom-right; y - x is least at the
    top-right), which holds for any quad tilted less than 45°.

    >>> order_quad([[10, 0], [0, 0], [0, 5], [10, 5]]).tolist()
    [[0.0, 0.0], [10.0, 0.0], [10.0, 5.0], [0.0, 5.0]]
    """
    p = np.asarray(pts, np.float32).reshape(-1, 2)
    if p.shape != (4, 2):
        raise ValueError(f"pts: expected 4 points, got shape {np.shape(pts)}")
    s, d = p.sum(1), p[:, 1] - p[:, 0]
    out = np.array([p[np.argmin(s)], p[np.argmin(d)], p[np.argmax(s)], p[np.argmax(d)]], np.float32)
    if len({tuple(q) for q in out.tolist()}) < 4:
        # degenerate for the diagonal rule (e.g. a 45° square): order by angle instead
        c = p.mean(0)
        ang = np.arctan2(p[:, 1] - c[1], p[:, 0] - c[0])
        q = p[np.argsort(ang)]                     # clockwise from the left in image coords
        k = int(np.argmin(q.sum(1)))
        out = np.roll(q, -k, axis=0)
    return out


def quad_size(quad):
    """(width, height) of an ordered quad: the longer of each pair of opposite sides."""
    q = np.asarray(quad, np.float64)
    w = max(np.hypot(*(q[1] - q[0])), np.hypot(*(q[2] - q[3])))
    h = max(np.hypot(*(q[3] - q[0])), np.hypot(*(q[2] - q[1])))
    return float(w), float(h)


def warp_quad(img, quad, dsize):
    """Warp the ordered quad of `img` onto an upright (width, height) = `dsize` image.

    Corners map to pixel centres at the output's edges (OpenCV coordinates), so
    the quad's outline lands on the first and last rows and columns.
    """
    w, h = int(dsize[0]), int(dsize[1])
    dst = np.array([(0, 0), (w - 1, 0), (w - 1, h - 1), (0, h - 1)], np.float32)
    m = geometry.get_perspective_transform(np.asarray(quad, np.float32), dst)
    return geometry.warp_perspective(img, m, (w, h), border="replicate")
