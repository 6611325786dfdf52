"""Read a photographed sudoku: find the board, split it into cells, read the digits.

>>> import numpy as np
>>> from ocrkit.pipelines.sudoku import solve_sudoku
>>> puzzle = np.zeros((9, 9), int); puzzle[0, :8] = [1, 2, 3, 4, 5, 6, 7, 8]
>>> int(solve_sudoku(puzzle)[0, 8])
9
"""
from dataclasses import dataclass

import numpy as np

from .. import (adaptive_threshold, approx_poly_dp, arc_length, connected_components,
                contour_area, dilate, find_contours, gaussian_blur, morphology_ex, threshold)
from ._quad import order_quad, warp_quad
from ._image import gray as _gray

__all__ = ["SudokuResult", "SudokuError", "find_board", "board_cells", "read_sudoku", "draw_sudoku",
           "solve_sudoku"]

CELL = 48                 # warped cell side in pixels: digits come out ~24-38 px tall
_MIN_INK = 0.015          # ink fraction of a cell's centre below which it is empty


class SudokuError(ValueError):
    """No board in the image, or a grid that breaks the rules or has no solution."""


@dataclass
class SudokuResult:
    """What :func:`read_sudoku` found.

    grid : (9, 9) int64, 0 for an empty cell
    confidence : (9, 9) float32, the recogniser's probability for each digit
        (for empty cells, how clearly empty: 1 - ink / threshold, clipped at 0)
    quad : (4, 2) float32, the board's corners clockwise from the top-left
    """
    grid: np.ndarray
    confidence: np.ndarray
    quad: np.ndarray

    def to_dict(self):
        return {"grid": self.grid.tolist(),
                "confidence": np.round(self.confidence, 4).tolist(),
                "quad": np.round(self.quad, 2).tolist()}




def find_board(img):
    """Corners (4, 2) float32 of the sudoku board in `img`, ordered clockwise from
    the top-left.

    Adaptive threshold (dark rules on paper become foreground), every contour
    (outer borders and holes: the board often sits inside the page's outline),
    largest first; a contour is a candidate when its Douglas–Peucker
    simplification has four corners and is convex. The first candidate whose
    warp shows ruled lines at the eight inner ninths both ways is the board
    (the page itself, a desk edge or a box is also four-sided).

    Raises
    ------
    SudokuError
        No four-sided outline with a 9×9 grid covers at least 4 % of the image.
    """
    gray = _gray(img)
    blur = gaussian_blur(gray, (7, 7), 3)
    binary = adaptive_threshold(blur, 255, "gaussian", "binary_inv", 11, 2)
    # thin rules break up under the threshold and a dilation joins them again,
    # but it also joins a caption to the top rule: outlines come first from the
    # threshold as it is, then dilated 3×3 and 5×5 (faint dashed rules); the
    # grid check always looks at the 3×3 dilation
    check = dilate(binary, np.ones((3, 3), np.uint8))
    for k in (1, 3, 5):
        outline = binary if k == 1 else check if k == 3 else dilate(binary, np.ones((5, 5), np.uint8))
        quad = _board_in(gray, outline, check)
        if quad is not None:
            return quad
    raise SudokuError("no sudoku board found (no large four-sided outline with a 9x9 grid)")


def _board_in(gray, outline, binary):
    """The largest convex four-sided contour of `outline` whose warp of `binary` is
    ruled like a board, or None."""
    cnts, _ = find_contours(outline, "list", "simple")
    min_area = 0.04 * gray.shape[0] * gray.shape[1]
    areas = np.array([contour_area(c) if len(c) >= 4 else 0.0 for c in cnts])
    tried = 0
    for k in np.argsort(areas)[::-1]:
        if areas[k] < min_area or tried >= 12:
            break
        c = cnts[k]
        peri = arc_length(c, True)
        for eps in (0.02, 0.03, 0.05):
            approx = approx_poly_dp(c, eps * peri, True).reshape(-1, 2)
            if len(approx) <= 4:
                break
        if len(approx) != 4 or not _convex(approx):
            continue
        tried += 1
        quad = order_quad(approx.astype(np.float32))
        lines, middles = _grid_profile(binary, quad)
        # rules are ink along most of their length; cell middles are mostly paper
        # (a textured patch is ink everywhere)
        if lines >= 0.45 and middles <= 0.6 and lines - middles >= 0.05:
            return quad
    return None


def _grid_profile(binary, quad, cell=24):
    """(lines, middles) of the quad of `binary` warped upright: the least, over the
    16 inner ninths, of the fraction of their length that is ink, and the median
    ink across the middles of the cells."""
    side = 9 * cell
    board = warp_quad(binary, quad, (side, side)) > 0
    lines, middles = [], []
    q = cell // 4
    for axis in (0, 1):
        profile = board.mean(axis=axis)            # per column, then per row
        for k in range(1, 9):
            lines.append(profile[k * cell - q:k * cell + q + 1].max())
        for k in range(9):
            middles.append(profile[k * cell + q + 1:(k + 1) * cell - q].mean())
    return float(min(lines)), float(np.median(middles))


def _convex(q):
    q = np.asarray(q, np.float64)
    e = np.roll(q, -1, axis=0) - q                   # edge vectors
    f = np.roll(e, -1, axis=0)
    cross = e[:, 0] * f[:, 1] - e[:, 1] * f[:, 0]
    return all(c > 0 for c in cross) or all(c < 0 for c in cross)


def board_cells(img, quad, cell=CELL):
    """Warp the board to a (9·cell)² square, cut it into cells, find each digit.

    Returns
    -------
    cells : (81, cell, cell) uint8
        The gray cells in row-major order.
    ink : (81,) float
        Fraction of each cell's inner square covered by digit-like ink.
    boxes : (81, 4) int
        The digit's (x, y, w, h) inside its cell; zeros for an empty cell.

    Notes
    -----
    The board is divided by its paper brightness (a closing wider than a
    stroke), which flattens shadows and uneven light, then
    binarised with Otsu's threshold; a band along every cell edge, where the rules lie, is cleared, and the
    components left are labelled once for the whole board. A component counts
    for the cell holding its centre unless it is a scrap of a rule or noise.
    """
    gray = _gray(img)
    side = 9 * cell
    board = warp_quad(gray, order_quad(quad), (side, side))
    binary = _ink(board, cell)
    # rules that the warp left off their ninths: long straight runs no digit has
    run = int(cell * 0.75)
    rules = (morphology_ex(binary, "open", np.ones((1, run), np.uint8))
             | morphology_ex(binary, "open", np.ones((run, 1), np.uint8)))
    binary[dilate(rules, np.ones((3, 3), np.uint8)) > 0] = 0
    m = max(2, int(round(cell * 0.08)))              # the rules live in this band
    band = np.zeros(cell, bool)
    band[:m] = band[cell - m:] = True
    edge = np.tile(band, 9)
    binary[edge, :] = 0
    binary[:, edge] = 0
    n, _, stats, cents = connected_components(binary, 8)
    s = cell - 2 * m                                 # inner square side
    per_cell = [[] for _ in range(81)]
    for k in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[k])
        r, c = y // cell, x // cell
        if r != (y + h - 1) // cell or c != (x + w - 1) // cell:
            continue                                 # crosses a band: cannot happen, kept safe
        x, y = x - c * cell - m, y - r * cell - m    # inside the inner square
        touches = x == 0 or y == 0 or x + w == s or y + h == s
        rule = max(w, h) > 0.6 * s and min(w, h) < 0.2 * s
        if touches and (rule or area < 0.02 * s * s):
            continue                                 # a rule that bled in, or a scrap
        if area < 0.006 * s * s:
            continue                                 # noise
        cx, cy = cents[k][0] - c * cell - m, cents[k][1] - r * cell - m
        if abs(cx - s / 2) > 0.3 * s or abs(cy - s / 2) > 0.3 * s:
            continue
        per_cell[r * 9 + c].append((x, y, w, h, area))
    ink = np.zeros(81, np.float64)
    boxes = np.zeros((81, 4), np.int32)
    for i, parts in enumerate(per_cell):
        if not parts:
            continue
        st = np.array(parts)
        x0, y0 = st[:, 0].min(), st[:, 1].min()
        x1, y1 = (st[:, 0] + st[:, 2]).max(), (st[:, 1] + st[:, 3]).max()
        if y1 - y0 < 0.25 * s:
            continue                                 # too short for a digit
        ink[i] = st[:, 4].sum() / (s * s)
        boxes[i] = (x0 + m, y0 + m, x1 - x0, y1 - y0)
    cells = board.reshape(9, cell, 9, cell).swapaxes(1, 2).reshape(81, cell, cell)
    return cells, ink, boxes


def _ink(board, cell):
    """Binary ink mask (255) of a warped gray board, robust to shadows and to thin,
    light strokes.

    Each pixel is taken relative to the paper around it (so a shadow is not
    ink); Otsu's threshold on that picks the sure ink, and hysteresis extends
    it into the fainter pixels connected to it (thin serif strokes blurred by
    the camera fall between paper and ink and would break the digit apart).
    """
    k = cell // 3 | 1                                # wider than a digit stroke
    # a closing, not a plain max filter: it removes strokes narrower than k but
    # keeps a hard shadow's edge where it is
    paper = morphology_ex(board, "close", np.ones((k, k), np.uint8), border="replicate")
    flat = np.clip(board.astype(np.float32) * 255 / np.maximum(paper, 1), 0, 255).astype(np.uint8)
    t, _ = threshold(flat, 0, 255, "binary_inv", method="otsu")
    t = min(max(t, 110.0), 200.0)                    # Otsu on a nearly blank board drifts
    strong = flat < t
    weak = (flat < (t + 255) / 2).astype(np.uint8)
    n, labels = connected_components(weak, 8, stats=False)
    keep = np.bincount(labels[strong], minlength=n) > 0
    keep[0] = False
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def read_sudoku(img, recognizer=None):
    """Read the 9×9 grid of a photographed sudoku.

    Parameters
    ----------
    img : ndarray
        uint8 gray or BGR image holding one puzzle.
    recognizer : ocrkit.charnet.CharRecognizer, optional
        The digit reader; the bundled character CNN by default.

    Returns
    -------
    SudokuResult
        grid (9×9, 0 for empty), per-cell confidence and the board's corners.

    Raises
    ------
    SudokuError
        No board found.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrkit.synth import make_sudoku
    >>> img, grid = make_sudoku(np.random.default_rng(0), "val")
    >>> bool((read_sudoku(img).grid == grid).all())
    True
    """
    quad = find_board(img)
    cells, ink, boxes = board_cells(img, quad)
    grid = np.zeros(81, np.int64)
    conf = np.clip(1.0 - ink / _MIN_INK, 0.0, 1.0).astype(np.float32)
    full = np.nonzero(ink > _MIN_INK)[0]
    if len(full):
        if recognizer is None:
            from ..charnet import CharRecognizer
            recognizer = _default_recognizer(CharRecognizer)
        crops = [_digit_crop(cells[i], boxes[i]) for i in full]
        labels, probs = recognizer.predict(crops, allowed="123456789")
        grid[full] = [int(c) for c in labels]
        conf[full] = probs
    return SudokuResult(grid.reshape(9, 9), conf.reshape(9, 9), quad)


_RECOGNIZER = []


def _default_recognizer(cls):
    # loading the TFLite model costs more than reading a board: load it once
    if not _RECOGNIZER:
        _RECOGNIZER.append(cls())
    return _RECOGNIZER[0]


def _digit_crop(cell, box):
    """The digit's box in its gray cell, padded to a square with a margin."""
    x, y, w, h = (int(v) for v in box)
    side = int(max(w, h) * 1.3) + 2
    cx, cy = x + w / 2, y + h / 2
    x0, y0 = int(round(cx - side / 2)), int(round(cy - side / 2))
    pad = np.pad(cell, side, mode="edge")           # a box near the edge still gets its margin
    return pad[y0 + side:y0 + 2 * side, x0 + side:x0 + 2 * side]


def solve_sudoku(grid):
    """Solve a sudoku: constraint propagation (naked singles) with backtracking on
    the cell with the fewest candidates.

    Parameters
    ----------
    grid : array_like
        9×9 integers 0–9, 0 for empty.

    Returns
    -------
    ndarray, int64, (9, 9)
        The completed grid (a new array; the first solution found).

    Raises
    ------
    SudokuError
        The grid is not 9×9 digits, its givens repeat a digit in a row, column
        or box, or it has no solution.

    Examples
    --------
    >>> g = np.zeros((9, 9), int)
    >>> sol = solve_sudoku(g)
    >>> sorted(sol[0].tolist()) == list(range(1, 10))
    True
    """
    g = np.asarray(grid)
    if g.shape != (9, 9):
        raise SudokuError(f"grid: expected a 9x9 array, got shape {g.shape}")
    if not np.issubdtype(g.dtype, np.integer):
        if not np.issubdtype(g.dtype, np.floating) or not np.all(g == np.round(g)):
            raise SudokuError(f"grid: expected integers 0-9, got dtype {g.dtype}")
    if g.min() < 0 or g.max() > 9:
        raise SudokuError("grid: expected integers 0-9 (0 for empty)")
    cells = [int(v) for v in g.ravel()]
    full = 0x3FE                                     # bits 1..9
    rows, cols, boxs = [0] * 9, [0] * 9, [0] * 9
    for i, v in enumerate(cells):
        if v:
            r, c = divmod(i, 9)
            b, bit = (r // 3) * 3 + c // 3, 1 << v
            if rows[r] & bit or cols[c] & bit or boxs[b] & bit:
                raise SudokuError(f"grid: invalid puzzle, digit {v} repeats "
                                  f"(row {r + 1}, column {c + 1})")
            rows[r] |= bit
            cols[c] |= bit
            boxs[b] |= bit
    empty = [i for i, v in enumerate(cells) if v == 0]

    def search():
        # propagate naked singles, remember what was set so it can be undone
        trail = []
        while True:
            best, best_mask, best_n, progress = -1, 0, 10, False
            for i in empty:
                if cells[i]:
                    continue
                r, c = divmod(i, 9)
                b = (r // 3) * 3 + c // 3
                mask = full & ~(rows[r] | cols[c] | boxs[b])
                n = bin(mask).count("1")
                if n == 0:
                    undo(trail)
                    return False
                if n == 1:
                    place(i, mask.bit_length() - 1)
                    trail.append(i)
                    progress = True
                elif n < best_n:
                    best, best_mask, best_n = i, mask, n
            if not progress:
                break
        if best < 0:
            if any(cells[i] == 0 for i in empty):
                undo(trail)
                return False
            return True
        while best_mask:
            bit = best_mask & -best_mask
            best_mask ^= bit
            place(best, bit.bit_length() - 1)
            if search():
                return True
            unplace(best)
        undo(trail)
        return False

    def place(i, v):
        r, c = divmod(i, 9)
        b, bit = (r // 3) * 3 + c // 3, 1 << v
        cells[i] = v
        rows[r] |= bit
        cols[c] |= bit
        boxs[b] |= bit

    def unplace(i):
        r, c = divmod(i, 9)
        b, bit = (r // 3) * 3 + c // 3, ~(1 << cells[i])
        cells[i] = 0
        rows[r] &= bit
        cols[c] &= bit
        boxs[b] &= bit

    def undo(trail):
        for i in reversed(trail):
            unplace(i)
        trail.clear()

    if not search():
        raise SudokuError("grid: the puzzle has no solution")
    return np.array(cells, np.int64).reshape(9, 9)


def draw_sudoku(img, result, color=(0, 0, 255), digit_color=(0, 160, 0)):
    """``img`` (as BGR) with the board outlined, its cell rules drawn thin, and
    a square marked in each cell read as a digit (empty cells stay unmarked).

    >>> import numpy as np
    >>> quad = np.float32([(10, 10), (100, 10), (100, 100), (10, 100)])
    >>> grid = np.zeros((9, 9), np.int64); grid[0, 0] = 5
    >>> res = SudokuResult(grid, np.ones((9, 9), np.float32), quad)
    >>> out = draw_sudoku(np.zeros((120, 120), np.uint8), res)
    >>> out[10, 50].tolist(), out[12, 15].tolist(), out[12, 65].tolist()
    ([0, 0, 255], [0, 160, 0], [0, 0, 0])
    """
    from .. import geometry
    from ._draw import draw_polygons
    quad = order_quad(result.quad)
    m = np.asarray(geometry.get_perspective_transform(
        np.float32([(0, 0), (9, 0), (9, 9), (0, 9)]), quad), np.float64)

    def board_to_img(pts):
        p = np.hstack([np.asarray(pts, np.float64), np.ones((len(pts), 1))]) @ m.T
        return p[:, :2] / p[:, 2:3]

    rules = [board_to_img([(k, 0), (k, 9)]) for k in range(1, 9)]
    rules += [board_to_img([(0, k), (9, k)]) for k in range(1, 9)]
    out = draw_polygons(img, rules, color=color, thickness=1)
    marks = [board_to_img([(c + 0.2, r + 0.2), (c + 0.8, r + 0.2), (c + 0.8, r + 0.8),
                           (c + 0.2, r + 0.8)])
             for r in range(9) for c in range(9) if result.grid[r, c]]
    out = draw_polygons(out, marks, color=digit_color, thickness=2)
    return draw_polygons(out, [quad], color=color, thickness=3)
