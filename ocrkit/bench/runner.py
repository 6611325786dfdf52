"""Time the registered cases and write the ratio table (ours ÷ OpenCV, lower is better)."""
import math
import os
import platform
import sys
import time

import numpy as np

from .. import _threads
from . import all_cases


def _calibrate(fn, args):
    """Warm up; return calls per ~20 ms round."""
    fn(*args)
    t0 = time.perf_counter()
    fn(*args)
    one = max(time.perf_counter() - t0, 1e-7)
    return one, max(1, int(0.02 / one))


def _time_pair(fns, args, budget):
    """Best per-call seconds of each function, timing their rounds alternately so a
    busy machine slows both alike. The minimum over rounds is the least disturbed."""
    cal = [_calibrate(f, args) for f in fns]
    total_one = sum(one * n for one, n in cal)
    rounds = max(5, min(60, int(budget * len(fns) / max(total_one, 1e-9))))
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for k, f in enumerate(fns):
            n = cal[k][1]
            t0 = time.perf_counter()
            for _ in range(n):
                f(*args)
            best[k] = min(best[k], (time.perf_counter() - t0) / n)
    return best


def _cv2():
    try:
        import cv2
        return cv2
    except ImportError:
        return None


def run(cases, threads, budget=0.3, baseline=True, progress=None):
    """Time each case at each thread count. Returns a list of result dicts."""
    cv2 = _cv2()
    rng = np.random.default_rng(1234)
    results = []
    saved = _threads.get_num_threads()
    inputs = {}
    for nt in threads:
        _threads.set_num_threads(nt)
        if cv2 is not None:
            cv2.setNumThreads(nt)
        for i, case in enumerate(cases):
            if progress:
                progress(f"[{nt} thread{'s' if nt > 1 else ''}] {i + 1}/{len(cases)} {case.label}")
            if id(case) not in inputs:
                inputs[id(case)] = case.make(rng)
            args = inputs[id(case)]
            fns = [case.ours]
            if case.opencv is not None and cv2 is not None:
                fns.append(case.opencv)
            times = _time_pair(fns, args, budget)
            row = {"case": case, "threads": nt, "ours": times[0],
                   "opencv": times[1] if len(times) > 1 else None}
            # scipy/scikit-image are single-threaded: time them once, at one thread
            row["baseline"] = (_time_pair([case.baseline], args, budget)[0]
                               if baseline and case.baseline is not None and nt == threads[0] else None)
            results.append(row)
    _threads.set_num_threads(saved)
    return results


def _ms(t):
    return "—" if t is None else (f"{t * 1e3:.3f}" if t < 0.01 else f"{t * 1e3:.2f}")


def _geomean(values):
    values = [v for v in values if v]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def format_report(results):
    """Markdown: one table per thread count, with per-family geometric means."""
    lines = []
    cv2 = _cv2()
    lines.append(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
                 f"NumPy {np.__version__}, OpenCV {cv2.__version__ if cv2 else 'not installed'}, "
                 f"OpenMP {'on' if _threads.have_openmp() else 'off'}.")
    lines.append("Times are the best of several interleaved rounds, in milliseconds; ratio = ocrkit ÷ OpenCV (lower is better); "
                 "'vs baseline' = how many times faster ocrkit is than scipy.ndimage / scikit-image.")
    for nt in sorted({r["threads"] for r in results}):
        rows = [r for r in results if r["threads"] == nt]
        lines.append("")
        lines.append(f"### {nt} thread{'s' if nt > 1 else ''}")
        lines.append("")
        lines.append("| family | kernel | input | ocrkit ms | OpenCV ms | ratio | baseline | baseline ms | vs baseline |")
        lines.append("|---|---|---|---:|---:|---:|---|---:|---:|")
        for r in rows:
            c = r["case"]
            ratio = r["ours"] / r["opencv"] if r["opencv"] else None
            speed = r["baseline"] / r["ours"] if r["baseline"] else None
            r["ratio"] = ratio
            ch = {0: "", 1: " gray", 3: " BGR", 4: " BGRA"}.get(c.channels, "")
            lines.append(f"| {c.family} | {c.name} | {c.size}{ch} | {_ms(r['ours'])} | {_ms(r['opencv'])} | "
                         f"{'—' if ratio is None else f'{ratio:.2f}'} | {c.baseline_name or '—'} | "
                         f"{_ms(r['baseline'])} | {'—' if speed is None else f'{speed:.0f}×'} |")
        fams = sorted({r["case"].family for r in rows})
        summary = []
        for fam in fams:
            ratios = [r["ratio"] for r in rows if r["case"].family == fam and r["ratio"]]
            if ratios:
                summary.append(f"{fam}: geomean {_geomean(ratios):.2f}, worst {max(ratios):.2f}")
        if summary:
            lines.append("")
            lines.append("Ratio summary — " + "; ".join(summary) + ".")
    return "\n".join(lines) + "\n"


def main(quick=False, family=None, match=None, threads=None, output="BENCHMARKS.md",
         baseline=None, budget=None, stream=sys.stdout):
    cases = all_cases(family)
    if match:
        cases = [c for c in cases if match.lower() in c.label.lower()]
    if quick:
        cases = [c for c in cases if c.quick]
    if not cases:
        print("no benchmark cases match", file=sys.stderr)
        return 2
    if threads is None:
        allt = _threads.get_num_threads() if _threads.have_openmp() else 1
        threads = [1] if allt == 1 else [1, allt]
    if baseline is None:
        baseline = not quick
    if budget is None:
        budget = 0.1 if quick else 0.4

    def progress(msg):
        print(msg, file=sys.stderr, flush=True)

    results = run(cases, threads, budget=budget, baseline=baseline, progress=progress)
    report = format_report(results)
    stream.write(report)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write("# ocrkit benchmarks\n\nWritten by `ocrkit bench"
                     + (" --quick" if quick else "") + "`.\n\n" + report)
        print(f"wrote {output}", file=sys.stderr)
    return 0
