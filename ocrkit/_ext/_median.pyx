# distutils: sources = csrc/median.c
"""Cython bindings for csrc/median.c: row-parallel median filters (no argument checking)."""
from cython.parallel cimport prange
from libc.stdint cimport uint8_t, uint16_t

cdef extern from "median.h" nogil:
    int ok_median_net_u8(const uint8_t *src, Py_ssize_t sstep, uint8_t *dst, Py_ssize_t dstep,
                         int w, int h, int cn, int ksize, int y0, int y1)
    int ok_median_net_u16(const uint16_t *src, Py_ssize_t sstep, uint16_t *dst, Py_ssize_t dstep,
                          int w, int h, int cn, int ksize, int y0, int y1)
    int ok_median_net_f32(const float *src, Py_ssize_t sstep, float *dst, Py_ssize_t dstep,
                          int w, int h, int cn, int ksize, int y0, int y1)
    int ok_median_hist_u8(const uint8_t *src, Py_ssize_t sstep, uint8_t *dst, Py_ssize_t dstep,
                          int w, int h, int cn, int ksize, int y0, int y1)

cdef extern from "ok_common.h" nogil:
    void ok_row_range(int h, int n, int i, int *y0, int *y1)


cdef int _chunks(int h, int nthreads) noexcept nogil:
    if nthreads < 1:
        nthreads = 1
    return nthreads if nthreads < h else h


def median_net_u8(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst, int ksize, int nthreads):
    """ksize 3 or 5 sorting networks, uint8 H×W×C (C-contiguous)."""
    cdef int h = src.shape[0], w = src.shape[1], cn = src.shape[2]
    cdef int n = _chunks(h, nthreads), i, y0, y1, failed = 0
    for i in prange(n, nogil=True, num_threads=nthreads, schedule='static'):
        y0 = 0  # an assignment makes y0/y1 thread-private in prange
        y1 = 0
        ok_row_range(h, n, i, &y0, &y1)
        if ok_median_net_u8(&src[0, 0, 0], w * cn, &dst[0, 0, 0], w * cn, w, h, cn, ksize, y0, y1):
            failed += 1
    if failed:
        raise MemoryError("median_blur: out of memory")


def median_net_u16(const uint16_t[:, :, ::1] src, uint16_t[:, :, ::1] dst, int ksize, int nthreads):
    """ksize 3 or 5 sorting networks, uint16 H×W×C (C-contiguous)."""
    cdef int h = src.shape[0], w = src.shape[1], cn = src.shape[2]
    cdef int n = _chunks(h, nthreads), i, y0, y1, failed = 0
    for i in prange(n, nogil=True, num_threads=nthreads, schedule='static'):
        y0 = 0  # an assignment makes y0/y1 thread-private in prange
        y1 = 0
        ok_row_range(h, n, i, &y0, &y1)
        if ok_median_net_u16(&src[0, 0, 0], w * cn, &dst[0, 0, 0], w * cn, w, h, cn, ksize, y0, y1):
            failed += 1
    if failed:
        raise MemoryError("median_blur: out of memory")


def median_net_f32(const float[:, :, ::1] src, float[:, :, ::1] dst, int ksize, int nthreads):
    """ksize 3 or 5 sorting networks, float32 H×W×C (C-contiguous)."""
    cdef int h = src.shape[0], w = src.shape[1], cn = src.shape[2]
    cdef int n = _chunks(h, nthreads), i, y0, y1, failed = 0
    for i in prange(n, nogil=True, num_threads=nthreads, schedule='static'):
        y0 = 0  # an assignment makes y0/y1 thread-private in prange
        y1 = 0
        ok_row_range(h, n, i, &y0, &y1)
        if ok_median_net_f32(&src[0, 0, 0], w * cn, &dst[0, 0, 0], w * cn, w, h, cn, ksize, y0, y1):
            failed += 1
    if failed:
        raise MemoryError("median_blur: out of memory")


def median_hist_u8(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst, int ksize, int nthreads):
    """Any odd ksize, uint8 H×W×C (C-contiguous), constant-time histograms."""
    cdef int h = src.shape[0], w = src.shape[1], cn = src.shape[2]
    cdef int n = _chunks(h, nthreads), i, y0, y1, failed = 0
    for i in prange(n, nogil=True, num_threads=nthreads, schedule='static'):
        y0 = 0  # an assignment makes y0/y1 thread-private in prange
        y1 = 0
        ok_row_range(h, n, i, &y0, &y1)
        if ok_median_hist_u8(&src[0, 0, 0], w * cn, &dst[0, 0, 0], w * cn, w, h, cn, ksize, y0, y1):
            failed += 1
    if failed:
        raise MemoryError("median_blur: out of memory")
