"""pytest-benchmark suite over the cases registered in ocrkit.bench (the same ones
``ocrkit bench`` reports). Run: ``pytest benchmarks/ --benchmark-group-by=param:case``.

Threads: set OCRKIT_BENCH_THREADS (default 1) so both libraries use the same count.
"""
import os

import numpy as np
import pytest

import ocrkit
from ocrkit.bench import all_cases

cv2 = pytest.importorskip("cv2")
THREADS = int(os.environ.get("OCRKIT_BENCH_THREADS", "1"))
CASES = all_cases()


@pytest.fixture(autouse=True)
def _threads():
    ocrkit.set_num_threads(THREADS)
    cv2.setNumThreads(THREADS)
    yield
    ocrkit.set_num_threads(0)


@pytest.fixture(scope="module")
def inputs():
    return {}


def _args(case, inputs):
    if case.label not in inputs:
        inputs[case.label] = case.make(np.random.default_rng(1234))
    return inputs[case.label]


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_ocrkit(benchmark, case, inputs):
    benchmark.group = case.label
    benchmark(case.ours, *_args(case, inputs))


@pytest.mark.parametrize("case", [c for c in CASES if c.opencv], ids=[c.label for c in CASES if c.opencv])
def test_opencv(benchmark, case, inputs):
    benchmark.group = case.label
    benchmark(case.opencv, *_args(case, inputs))
