"""Runtime settings: the kernel thread count (and, later, the TFLite interpreter)."""
from ._threads import get_num_threads, have_openmp, set_num_threads

__all__ = ["set_num_threads", "get_num_threads", "have_openmp"]
