"""CPU time per image for each job (user + system, this process and its
Tesseract children): a figure that holds up on a shared machine, where wall
clock depends on what else runs.

    nice -n 10 python benchmarks/time_jobs.py --n 10

Same generated pages as eval_jobs.py (its first N images of each set).
"""
import argparse
import os
import resource
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

import eval_jobs                                            # noqa: E402
from ocrkit import tesseract                                # noqa: E402
from ocrkit.pipelines.ocr import read_page                  # noqa: E402
from ocrkit.pipelines.scan import scan                      # noqa: E402
from ocrkit.pipelines.search import search                  # noqa: E402


def cpu():
    a = resource.getrusage(resource.RUSAGE_SELF)
    b = resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def measure(fn):
    c, t = cpu(), time.perf_counter()
    fn()
    return cpu() - c, time.perf_counter() - t


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=10)
    a = p.parse_args(argv)
    jobs = [
        ("ocr, straight page", "straight", lambda img: read_page(img)),
        ("ocr, turned page", "rotated", lambda img: read_page(img)),
        ("search (ocr + match)", "straight", lambda img: search(img, ["the"], kind="page")),
        ("scan, no ocr", "scan", lambda img: scan(img)),
        ("tesseract alone, straight", "straight", lambda img: tesseract.image_to_data(img)),
        ("tesseract alone, turned", "rotated", lambda img: tesseract.image_to_data(img)),
    ]
    print("| job | images | CPU s / image (median) | wall s / image (median) |")
    print("|---|---|---|---|")
    for label, name, fn in jobs:
        cs, ws = [], []
        for _, _, img, *_ in eval_jobs.make_set(name, a.n):
            c, w = measure(lambda: fn(img))
            cs.append(c)
            ws.append(w)
        print(f"| {label} | {a.n} | {np.median(cs):.2f} | {np.median(ws):.2f} |", flush=True)


if __name__ == "__main__":
    main()
