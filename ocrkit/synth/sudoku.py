"""Photographed sudoku puzzles with their digit grid."""
import numpy as np
from PIL import Image, ImageDraw

from . import degrade
from ._args import check_rng, check_size, check_split
from .backgrounds import make_background, paper
from .fonts import font_size, load_font, pick_face
from .render import rect_homography
from .words import sample_word

__all__ = ["solved_grid", "make_sudoku"]


def solved_grid(rng):
    """A random valid completed sudoku (9×9 int64, digits 1–9): the pattern
    (3·r + r//3 + c) mod 9 is valid, and shuffling rows within bands, bands,
    columns within stacks, stacks and digit labels keeps it valid."""
    def order():
        bands = rng.permutation(3)
        return np.concatenate([b * 3 + rng.permutation(3) for b in bands])
    r, c = order(), order()
    base = (3 * (r[:, None] % 3) + r[:, None] // 3 + c[None, :]) % 9
    grid = rng.permutation(9)[base] + 1
    return grid.T.copy() if rng.random() < 0.5 else grid


def _draw_board(rng, split, side, grid):
    """Paper with the printed board; returns (BGR page, board corners in page)."""
    page_w = int(side * rng.uniform(1.08, 1.3))
    page_h = int(side * rng.uniform(1.15, 1.45))
    page = paper(rng, (page_w, page_h))
    x0 = (page_w - side) // 2
    y0 = int((page_h - side) * rng.uniform(0.55, 0.8))
    pil = Image.fromarray(page)
    d = ImageDraw.Draw(pil)
    ink = (int(rng.integers(0, 60)),) * 3
    thin = int(rng.integers(1, 3))
    thick = thin + int(rng.integers(1, 4))
    cell = side / 9.0
    for k in range(10):
        wdt = thick if k % 3 == 0 else thin
        p = x0 + k * cell
        d.line([(p, y0), (p, y0 + side)], fill=ink, width=wdt)
        p = y0 + k * cell
        d.line([(x0, p), (x0 + side, p)], fill=ink, width=wdt)
    face = pick_face(rng, split, categories=("sans", "serif"))
    font = load_font(face.path, font_size(rng, cell * 0.5, cell * 0.8))
    for r in range(9):
        for c in range(9):
            if grid[r, c]:
                cx = x0 + (c + 0.5) * cell + rng.uniform(-0.04, 0.04) * cell
                cy = y0 + (r + 0.5) * cell + rng.uniform(-0.04, 0.04) * cell
                d.text((cx, cy), str(int(grid[r, c])), font=font, fill=ink, anchor="mm")
    # a caption above the board: words that are not digits in cells
    title = load_font(face.path, font_size(rng, cell * 0.35, cell * 0.6))
    caption = f"{sample_word(rng, split, max_len=12)} {int(rng.integers(1, 999))}"
    d.text((x0, y0 - cell * 0.3), caption, font=title, fill=ink, anchor="ls")
    corners = np.array([(x0, y0), (x0 + side, y0), (x0 + side, y0 + side), (x0, y0 + side)], np.float64)
    return np.asarray(pil).copy(), corners


def make_sudoku(rng, split="train", size=(640, 640), *, with_quad=False):
    """A photographed-looking 9×9 sudoku with its digit grid.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of all randomness (same seed, same bytes).
    split : {"train", "val"}
        Fonts and caption words come from this split only.
    size : (int, int)
        Image (width, height).
    with_quad : bool
        Also return the board's outer corners.

    Returns
    -------
    image : ndarray, uint8, (height, width, 3)
        BGR: a printed puzzle (thin and thick rules, a caption) on paper, lying on
        a desk under perspective, rotated up to ±15°, unevenly lit, shadowed,
        blurred, noised and JPEG'd at random.
    grid : ndarray, int64, (9, 9)
        The printed digits, 0 for an empty cell. The givens are a subset of a
        valid solved grid (so the puzzle has a solution; uniqueness is not ensured).
    quad : ndarray, float32, (4, 2)
        Only with `with_quad`: the board's corners clockwise from top-left, OpenCV
        pixel coordinates.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrkit.synth import make_sudoku
    >>> img, grid = make_sudoku(np.random.default_rng(0), size=(320, 320))
    >>> img.shape, grid.shape, int(grid.max()) <= 9
    ((320, 320, 3), (9, 9), True)
    """
    check_rng(rng)
    split = check_split(split)
    w, h = check_size(size, minimum=64)
    if not isinstance(with_quad, (bool, np.bool_)):
        raise TypeError(f"with_quad must be a bool, got {with_quad!r}")
    solution = solved_grid(rng)
    givens = int(rng.integers(22, 42))
    keep = np.zeros(81, bool)
    keep[rng.choice(81, givens, replace=False)] = True
    grid = np.where(keep.reshape(9, 9), solution, 0).astype(np.int64)

    side = int(min(w, h) * rng.uniform(0.9, 1.4))            # drawn at about final scale
    page, board = _draw_board(rng, split, side, grid)
    ph, pw = page.shape[:2]
    # where the board lands: 55–90 % of the frame, rotated, in perspective
    fill = min(w, h) * rng.uniform(0.55, 0.9)
    angle = np.radians(rng.uniform(-15, 15))
    c, s = np.cos(angle), np.sin(angle)
    dst = np.array([(-1, -1), (1, -1), (1, 1), (-1, 1)], np.float64) * fill / 2
    dst = dst @ np.array([[c, -s], [s, c]])
    dst += rng.uniform(-0.07, 0.07, (4, 2)) * fill
    lo, hi = dst.min(0), dst.max(0)
    span = ((hi - lo) / (0.96 * np.array((w, h)))).max()
    if span > 1:                                  # rotation and jitter must not leave the frame
        dst = (dst - (dst.min(0) + dst.max(0)) / 2) / span
        lo, hi = dst.min(0), dst.max(0)
    dst += rng.uniform(-lo, np.maximum(np.array((w, h)) - hi, -lo))
    hmat = rect_homography(board, dst)
    back = make_background(rng, (w, h), clutter=int(rng.integers(0, 4)))
    img = degrade.warp_onto(back, page, hmat)
    img = degrade.camera(rng, img, strength=1.0)
    if with_quad:
        return img, grid, (dst - 0.5).astype(np.float32)
    return img, grid
