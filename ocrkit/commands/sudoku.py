"""``ocrkit sudoku IMAGE [--json] [--solve] [-o marked.png]``: read (and solve) a
photographed sudoku."""


def _print_grid(grid):
    for r, row in enumerate(grid):
        if r and r % 3 == 0:
            print("------+-------+------")
        cells = [str(int(v)) if v else "." for v in row]
        print(" | ".join(" ".join(cells[k:k + 3]) for k in (0, 3, 6)))


def run(args):
    import json

    from ..io import imread, imwrite
    from ..pipelines.sudoku import draw_sudoku, read_sudoku, solve_sudoku
    img = imread(args.image)
    result = read_sudoku(img)
    if args.output:
        imwrite(args.output, draw_sudoku(img, result))
    solution = solve_sudoku(result.grid) if args.solve else None
    if args.json:
        d = result.to_dict()
        if solution is not None:
            d["solution"] = solution.tolist()
        print(json.dumps(d))
        return 0
    _print_grid(result.grid)
    if solution is not None:
        print()
        _print_grid(solution)
    return 0


def register(sub):
    p = sub.add_parser("sudoku", help="read the 9x9 grid of a photographed sudoku, optionally solve it")
    p.add_argument("image", help="image file")
    p.add_argument("--solve", action="store_true", help="also solve the puzzle")
    p.add_argument("-o", "--output",
                   help="write the image with the board, its cells and the cells read as "
                        "digits outlined")
    p.add_argument("--json", action="store_true",
                   help='print {"grid": 9x9 (0 = empty), "confidence", "quad"[, "solution"]}')
    p.set_defaults(func=run)
