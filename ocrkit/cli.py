"""The ``ocrkit`` command line: ``main(argv=None) -> int``.

Each subcommand is a module of :mod:`ocrkit.commands` (listed in its ``NAMES``);
heavy imports (OpenCV, TFLite, Tesseract) happen inside the subcommand that needs
them. A problem the user can fix (unreadable file, missing engine, bad value) is
printed as one line on stderr with exit status 1, never as a traceback.
"""
import argparse
import importlib
import sys

from .commands import NAMES, CommandError

__all__ = ["main", "build_parser"]


def build_parser():
    from . import __version__
    parser = argparse.ArgumentParser(
        prog="ocrkit", description="ocrkit: fast imaging kernels and OCR jobs on the CPU.")
    parser.add_argument("--version", action="version", version=f"ocrkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in NAMES:
        importlib.import_module(f".commands.{name}", __package__).register(sub)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (CommandError, ValueError, OSError, ImportError, RuntimeError) as e:
        msg = " ".join(str(e).split()) or e.__class__.__name__
        print(f"ocrkit {args.command}: {msg}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
