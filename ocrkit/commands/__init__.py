"""One module per ``ocrkit`` subcommand, each with ``register(subparsers)``.

A module stays light at import time (argparse only): the heavy imports (models,
OpenCV, Tesseract) happen inside the function the subcommand runs.

A subcommand's function takes the parsed ``args`` and returns an exit status.
It raises :class:`CommandError` (or ``ValueError``/``OSError``/``ImportError`` with a
one-line message) for a problem the user can fix; :func:`ocrkit.cli.main` prints
it as one line and exits with status 1.
"""

# The order here is the order of ``ocrkit --help``.
NAMES = ("demo", "ocr", "detect", "search", "scan", "plate", "sudoku", "video", "bench")


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""
