"""Row bands run in parallel: the one prange loop of the row-parallel bindings.

A binding packs its arguments in a struct, writes a ``rows_fn`` that runs its C
kernel on rows [y0, y1), and hands both to ``run_rows`` with a band count from
``thread_bands``, ``split_bands`` or ``sample_chunks``.  Cimported, not built:
every function here is inline, so each binding gets its own copy.
"""
from cython.parallel cimport prange


# Rows [y0, y1) of one band; nonzero means the band failed (out of memory).
ctypedef int (*rows_fn)(const void *args, int y0, int y1) noexcept nogil


cdef inline int run_rows(rows_fn fn, const void *args, int h, int nbands,
                         int nthreads) noexcept nogil:
    """Run fn on nbands near-equal bands of h rows (band i starts at row h*i/nbands,
    as ok_row_range) on up to nthreads threads; returns how many bands failed."""
    cdef int i, failed = 0
    if nbands == 1:
        # no thread team for one band: waking one costs more than small images take
        return fn(args, 0, h) != 0
    for i in prange(nbands, num_threads=nthreads, schedule='static'):
        if fn(args, <int>((<long long>h * i) // nbands), <int>((<long long>h * (i + 1)) // nbands)):
            failed += 1
    return failed


cdef inline int thread_bands(int h, int nthreads) noexcept nogil:
    """One band per thread (kernels with a costly per-band set-up), at most h."""
    if nthreads < 1:
        nthreads = 1
    return nthreads if nthreads < h else h


cdef inline int split_bands(int h, int nthreads) noexcept nogil:
    """Four bands per thread, so a thread slowed by the rest of the machine holds up
    less; one band on one thread, at most h (and one at least)."""
    if nthreads <= 1:
        return 1
    cdef int n = nthreads * 4
    return n if n < h else (h if h > 0 else 1)


cdef inline int sample_chunks(Py_ssize_t total, int nthreads) noexcept nogil:
    """Chunks of a flat array: one per 2^16 samples (below that a thread costs more
    than it saves), at most one per thread."""
    cdef Py_ssize_t n = total // (1 << 16)
    if n < 1:
        n = 1
    if n > nthreads:
        n = nthreads
    return <int>n
