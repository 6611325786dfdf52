# distutils: sources = csrc/components.c
"""Bindings for csrc/components.c. The binary image arrives checked, C-contiguous, H×W uint8."""
cimport numpy as cnp
import numpy as np
from libc.stdint cimport int32_t, uint8_t
from libc.stdlib cimport calloc, free
from cython.parallel cimport prange

cnp.import_array()

cdef extern from "ok_common.h" nogil:
    void ok_row_range(int h, int n, int i, int *y0, int *y1)

cdef extern from "components.h" nogil:
    ctypedef struct ok_cc_ctx:
        int nlabels
    void ok_cc_stripe_rows(int height, int n, int i, int connectivity, int *y0, int *y1)
    int ok_cc_scan(ok_cc_ctx *stripe, const uint8_t *src, Py_ssize_t sstep, int width, int y0, int y1,
                   int connectivity)
    int ok_cc_merge(ok_cc_ctx *ctx, ok_cc_ctx *stripes, int nstripes, int connectivity)
    void ok_cc_write_labels(const ok_cc_ctx *ctx, int32_t *labels, Py_ssize_t lstep, int y0, int y1)
    int ok_cc_stats(const ok_cc_ctx *ctx, int32_t *stats, double *centroids)
    void ok_cc_free(ok_cc_ctx *ctx)


def connected_components(const uint8_t[:, ::1] src, int connectivity, bint with_stats, int nthreads):
    """(n, labels int32) or (n, labels, stats, centroids)."""
    cdef int h = <int>src.shape[0], w = <int>src.shape[1]
    cdef ok_cc_ctx ctx
    cdef int err = 0
    cdef int i, y0, y1
    # stripes are scanned in parallel, then joined at their boundaries in order
    cdef int nstripes = max(1, min(nthreads, h // 64))
    cdef ok_cc_ctx *stripes = <ok_cc_ctx *>calloc(nstripes, sizeof(ok_cc_ctx))
    if stripes == NULL:
        raise MemoryError()
    with nogil:
        for i in prange(nstripes, num_threads=nthreads, schedule="static"):
            y0 = 0  # assigned here so prange makes y0, y1 thread-private
            y1 = 0
            ok_cc_stripe_rows(h, nstripes, i, connectivity, &y0, &y1)
            err += ok_cc_scan(&stripes[i], &src[0, 0], src.strides[0], w, y0, y1, connectivity)
        if err == 0:
            err = ok_cc_merge(&ctx, stripes, nstripes, connectivity)
        else:
            for i in range(nstripes):
                ok_cc_free(&stripes[i])
    free(stripes)
    if err:
        raise MemoryError("ocrkit: out of memory in connected_components")
    cdef int32_t[:, ::1] labels
    cdef int32_t[:, ::1] stats
    cdef double[:, ::1] cents
    cdef int nchunks = max(1, min(nthreads, h // 32))
    try:
        out = np.empty((h, w), np.int32)
        labels = out
        with nogil:
            for i in prange(nchunks, num_threads=nthreads, schedule="static"):
                y0 = 0  # assigned here so prange makes y0, y1 thread-private
                y1 = 0
                ok_row_range(h, nchunks, i, &y0, &y1)
                ok_cc_write_labels(&ctx, &labels[0, 0], w, y0, y1)
        if not with_stats:
            return ctx.nlabels, out
        st = np.empty((ctx.nlabels, 5), np.int32)
        ce = np.empty((ctx.nlabels, 2), np.float64)
        stats = st
        cents = ce
        with nogil:
            err = ok_cc_stats(&ctx, &stats[0, 0], &cents[0, 0])
        if err:
            raise MemoryError("ocrkit: out of memory in connected_components")
        return ctx.nlabels, out, st, ce
    finally:
        ok_cc_free(&ctx)
