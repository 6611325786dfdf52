"""``ocrkit bench``: time the kernels against OpenCV and write BENCHMARKS.md."""
import os
import sys


def _threads(spec):
    out = []
    for part in spec.split(","):
        part = part.strip()
        if part == "all":
            out.append(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                       else (os.cpu_count() or 1))
        else:
            try:
                out.append(int(part))
            except ValueError:
                print(f"ocrkit bench: --threads expects numbers or 'all', got {part!r}",
                      file=sys.stderr)
                return None
    return out


def run(args):
    from ..bench import runner
    threads = None
    if args.threads:
        threads = _threads(args.threads)
        if threads is None:
            return 2
    return runner.main(quick=args.quick, family=args.family, match=args.match, threads=threads,
                       output=args.output or None, baseline=False if args.no_baseline else None)


def register(sub):
    b = sub.add_parser("bench", help="time ocrkit's kernels against OpenCV and write BENCHMARKS.md")
    b.add_argument("--quick", action="store_true", help="fewer cases, shorter timing, no scipy baseline")
    b.add_argument("--family", help="only one kernel family (filters, morphology, threshold, ...)")
    b.add_argument("--match", help="only cases whose label contains this text")
    b.add_argument("--threads", help="comma-separated thread counts, e.g. '1,all' (default: 1 and all)")
    b.add_argument("--output", default="BENCHMARKS.md", help="markdown report path ('' for none)")
    b.add_argument("--no-baseline", action="store_true", help="skip scipy/scikit-image timings")
    b.set_defaults(func=run)
