"""The ``ocrkit`` command line: ``main(argv=None) -> int``.

Heavy imports (OpenCV, TFLite) happen inside the subcommand that needs them.
"""
import argparse
import sys

__all__ = ["main"]


def _cmd_bench(args):
    from .bench import runner
    threads = None
    if args.threads:
        threads = []
        for part in args.threads.split(","):
            part = part.strip()
            if part == "all":
                from . import _threads
                import os
                threads.append(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                               else (os.cpu_count() or 1))
            else:
                try:
                    threads.append(int(part))
                except ValueError:
                    print(f"ocrkit bench: --threads expects numbers or 'all', got {part!r}", file=sys.stderr)
                    return 2
    return runner.main(quick=args.quick, family=args.family, match=args.match, threads=threads,
                       output=args.output or None, baseline=False if args.no_baseline else None)


def build_parser():
    from . import __version__
    parser = argparse.ArgumentParser(
        prog="ocrkit", description="ocrkit: fast imaging kernels and OCR jobs on the CPU.")
    parser.add_argument("--version", action="version", version=f"ocrkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser("bench", help="time ocrkit's kernels against OpenCV and write BENCHMARKS.md")
    b.add_argument("--quick", action="store_true", help="fewer cases, shorter timing, no scipy baseline")
    b.add_argument("--family", help="only one kernel family (filters, morphology, threshold, ...)")
    b.add_argument("--match", help="only cases whose label contains this text")
    b.add_argument("--threads", help="comma-separated thread counts, e.g. '1,all' (default: 1 and all)")
    b.add_argument("--output", default="BENCHMARKS.md", help="markdown report path ('' for none)")
    b.add_argument("--no-baseline", action="store_true", help="skip scipy/scikit-image timings")
    b.set_defaults(func=_cmd_bench)
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


if __name__ == "__main__":
    sys.exit(main())
