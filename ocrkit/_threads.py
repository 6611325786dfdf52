"""The process-wide kernel thread count (like cv2.setNumThreads).

Kept below every kernel module so filters, morphology, ... can read it without
importing the model layer; ``ocrkit.runtime`` re-exports the setters.
"""
import contextlib
import os
import threading

from ._ext import _parallel

__all__ = ["set_num_threads", "get_num_threads", "have_openmp", "for_size", "serial"]


def _default_threads():
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    return max(1, n)


_state = {"n": _default_threads()}


def have_openmp():
    """Whether the C kernels were compiled with OpenMP (otherwise they run on one thread)."""
    return _parallel.have_openmp()


def set_num_threads(n):
    """Set how many threads ocrkit's kernels use.

    Parameters
    ----------
    n : int
        Number of threads; ``n <= 0`` restores the default (all available cores),
        as ``cv2.setNumThreads`` does for negative values.

    Examples
    --------
    >>> import ocrkit
    >>> ocrkit.set_num_threads(1)
    >>> ocrkit.get_num_threads()
    1
    """
    if isinstance(n, bool) or not isinstance(n, (int,)) and not hasattr(n, "__index__"):
        raise TypeError(f"n must be an integer, got {type(n).__name__}")
    n = int(n)
    _state["n"] = _default_threads() if n <= 0 else n


def get_num_threads():
    """Number of threads ocrkit's kernels use (1 when built without OpenMP)."""
    return _state["n"] if _parallel.have_openmp() else 1


# Below this many elements a kernel runs on the calling thread: waking an OpenMP
# team costs more than the work saves, and on a loaded machine (a model running
# beside the kernels) the wake-up alone can take milliseconds.
SMALL = 1 << 16


_local = threading.local()


@contextlib.contextmanager
def serial():
    """Kernels called inside run on the calling thread (this thread only).

    For the kernels around a TFLite call: after a parallel region OpenMP's
    workers spin-wait for more work, and while they spin they hold the cores
    that XNNPACK's own threads then need. Measured on 2 cores: EAST's 640x640
    network took 14.1 ms right after a 2-thread resize and 8.5 ms without it.
    """
    prev = getattr(_local, "serial", False)
    _local.serial = True
    try:
        yield
    finally:
        _local.serial = prev


def for_size(elements):
    """Threads a kernel over this many elements uses: 1 for small images or
    inside :func:`serial`, else :func:`get_num_threads`."""
    if elements < SMALL or getattr(_local, "serial", False):
        return 1
    return get_num_threads()
