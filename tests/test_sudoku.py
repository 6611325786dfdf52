"""Sudoku: ocrkit.pipelines.sudoku (reading and solving) and ``ocrkit sudoku`` end to end."""
import json
import subprocess
import sys

import numpy as np
import pytest

from ocrkit.io import imwrite
from ocrkit.pipelines.sudoku import SudokuError, find_board, read_sudoku, solve_sudoku
from ocrkit.synth import make_sudoku

# a published puzzle with a unique solution (Project Euler 96, grid 01)
PUZZLE = ("003020600900305001001806400008102900700000008006708200002609500800203009005010300")
SOLUTION = ("483921657967345821251876493548132976729564138136798245372689514814253769695417382")


def _grid(s):
    return np.array([int(c) for c in s]).reshape(9, 9)


def _valid(g):
    ok = set(range(1, 10))
    return (all(set(r) == ok for r in g.tolist()) and all(set(c) == ok for c in g.T.tolist())
            and all(set(g[r:r + 3, c:c + 3].ravel().tolist()) == ok
                    for r in (0, 3, 6) for c in (0, 3, 6)))


def _sudoku(seed):
    return make_sudoku(np.random.default_rng(seed), "train", (480, 480), with_quad=True)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_read_sudoku(seed):
    img, grid, quad = _sudoku(seed)
    r = read_sudoku(img)
    assert r.grid.shape == (9, 9) and r.grid.dtype == np.int64
    assert np.array_equal(r.grid > 0, grid > 0)          # empty cells exactly
    assert (r.grid == grid).sum() >= 80                   # digits: the CNN may miss one
    assert np.abs(r.quad - quad).max() < 8
    assert r.confidence.shape == (9, 9) and 0 <= r.confidence.min() <= r.confidence.max() <= 1


def test_board_inside_page_and_clutter_is_found():
    img, _, quad = make_sudoku(np.random.default_rng(11), "val", (640, 640), with_quad=True)
    assert np.abs(find_board(img) - quad).max() < 8


def test_no_board():
    with pytest.raises(SudokuError, match="no sudoku board"):
        read_sudoku(np.full((200, 200, 3), 200, np.uint8))
    with pytest.raises(TypeError, match="img"):
        read_sudoku(np.zeros((5, 5, 3), np.float32))


def test_solve_known_puzzle():
    puzzle = _grid(PUZZLE)
    sol = solve_sudoku(puzzle)
    assert np.array_equal(sol, _grid(SOLUTION))
    assert np.array_equal(puzzle, _grid(PUZZLE))          # input untouched


def test_solve_random_givens_and_empty():
    from ocrkit.synth.sudoku import solved_grid
    rng = np.random.default_rng(0)
    for _ in range(20):
        full = solved_grid(rng)
        keep = rng.random((9, 9)) < 0.3
        sol = solve_sudoku(np.where(keep, full, 0))
        assert _valid(sol) and np.array_equal(sol[keep], full[keep])
    assert _valid(solve_sudoku(np.zeros((9, 9), int)))


def test_solve_invalid_and_unsolvable():
    bad = _grid(PUZZLE)
    bad[0, 0] = 3                                          # 3 twice in row 1
    with pytest.raises(SudokuError, match="repeats"):
        solve_sudoku(bad)
    stuck = np.zeros((9, 9), int)
    stuck[0, :8] = [1, 2, 3, 4, 5, 6, 7, 8]
    stuck[1, 8] = 9                                        # row 1 needs 9 where column 9 has it
    with pytest.raises(SudokuError, match="no solution"):
        solve_sudoku(stuck)
    with pytest.raises(SudokuError, match="9x9"):
        solve_sudoku(np.zeros((9, 8), int))
    with pytest.raises(SudokuError, match="0-9"):
        solve_sudoku(np.full((9, 9), 10))


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "ocrkit", "sudoku", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def test_cli_sudoku_json_and_solve(tmp_path):
    img, grid, _ = _sudoku(0)
    imwrite(tmp_path / "puzzle.png", img)
    r = _cli(tmp_path / "puzzle.png", "--json", "--solve")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["grid"] == grid.tolist()
    sol = np.array(d["solution"])
    assert _valid(sol) and np.array_equal(sol[grid > 0], grid[grid > 0])
    r = _cli(tmp_path / "puzzle.png")
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 11



def test_cli_sudoku_marks_board_and_digits(tmp_path):
    from ocrkit.io import imread
    from ocrkit.pipelines.sudoku import draw_sudoku, read_sudoku
    img, grid, quad = _sudoku(1)
    imwrite(tmp_path / "puzzle.png", img)
    out = tmp_path / "marked.png"
    r = _cli(tmp_path / "puzzle.png", "-o", out)
    assert r.returncode == 0, r.stderr
    marked = imread(out)
    assert np.array_equal(marked, draw_sudoku(img, read_sudoku(img)))
    # red rules and outline on the board, a green mark per digit read
    red = (marked[:, :, 2] == 255) & (marked[:, :, 1] == 0) & (marked[:, :, 0] == 0)
    ys, xs = np.nonzero(red)
    (qx0, qy0), (qx1, qy1) = quad.min(0), quad.max(0)
    assert red.sum() > 500 and xs.min() >= qx0 - 5 and xs.max() <= qx1 + 5
    assert ys.min() >= qy0 - 5 and ys.max() <= qy1 + 5
    green = (marked[:, :, 1] == 160) & (marked[:, :, 0] == 0) & (marked[:, :, 2] == 0)
    assert green.sum() > 20 * int((grid > 0).sum())


def test_cli_no_board(tmp_path):
    imwrite(tmp_path / "blank.png", np.full((100, 100, 3), 255, np.uint8))
    r = _cli(tmp_path / "blank.png")
    assert r.returncode == 1 and "no sudoku board" in r.stderr and "Traceback" not in r.stderr
