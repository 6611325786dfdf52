# distutils: sources = csrc/median.c
"""Cython bindings for csrc/median.c: row-parallel median filters (no argument checking)."""
from libc.stdint cimport uint8_t, uint16_t

from ._rows cimport run_rows, thread_bands

cdef extern from "median.h" nogil:
    int ok_median_net_u8(const uint8_t *src, Py_ssize_t sstep, uint8_t *dst, Py_ssize_t dstep,
                         int w, int h, int cn, int ksize, int y0, int y1)
    int ok_median_net_u16(const uint16_t *src, Py_ssize_t sstep, uint16_t *dst, Py_ssize_t dstep,
                          int w, int h, int cn, int ksize, int y0, int y1)
    int ok_median_net_f32(const float *src, Py_ssize_t sstep, float *dst, Py_ssize_t dstep,
                          int w, int h, int cn, int ksize, int y0, int y1)
    int ok_median_hist_u8(const uint8_t *src, Py_ssize_t sstep, uint8_t *dst, Py_ssize_t dstep,
                          int w, int h, int cn, int ksize, int y0, int y1)


cdef enum:
    NET_U8 = 0
    NET_U16 = 1
    NET_F32 = 2
    HIST_U8 = 3


cdef struct args_t:
    int op
    const void *src
    void *dst
    int w, h, cn, ksize


cdef int _rows(const void *p, int y0, int y1) noexcept nogil:
    cdef const args_t *a = <const args_t *>p
    cdef Py_ssize_t step = a.w * a.cn
    if a.op == NET_U8:
        return ok_median_net_u8(<const uint8_t *>a.src, step, <uint8_t *>a.dst, step,
                                a.w, a.h, a.cn, a.ksize, y0, y1)
    if a.op == NET_U16:
        return ok_median_net_u16(<const uint16_t *>a.src, step, <uint16_t *>a.dst, step,
                                 a.w, a.h, a.cn, a.ksize, y0, y1)
    if a.op == NET_F32:
        return ok_median_net_f32(<const float *>a.src, step, <float *>a.dst, step,
                                 a.w, a.h, a.cn, a.ksize, y0, y1)
    return ok_median_hist_u8(<const uint8_t *>a.src, step, <uint8_t *>a.dst, step,
                             a.w, a.h, a.cn, a.ksize, y0, y1)


cdef _run(int op, const void *src, void *dst, const Py_ssize_t *shape, int ksize, int nthreads):
    cdef args_t a = args_t(op, src, dst, <int>shape[1], <int>shape[0], <int>shape[2], ksize)
    cdef int failed
    with nogil:
        failed = run_rows(_rows, &a, a.h, thread_bands(a.h, nthreads), nthreads)
    if failed:
        raise MemoryError("median_blur: out of memory")


def median_net_u8(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst, int ksize, int nthreads):
    """ksize 3 or 5 sorting networks, uint8 H×W×C (C-contiguous)."""
    _run(NET_U8, &src[0, 0, 0], &dst[0, 0, 0], src.shape, ksize, nthreads)


def median_net_u16(const uint16_t[:, :, ::1] src, uint16_t[:, :, ::1] dst, int ksize, int nthreads):
    """ksize 3 or 5 sorting networks, uint16 H×W×C (C-contiguous)."""
    _run(NET_U16, &src[0, 0, 0], &dst[0, 0, 0], src.shape, ksize, nthreads)


def median_net_f32(const float[:, :, ::1] src, float[:, :, ::1] dst, int ksize, int nthreads):
    """ksize 3 or 5 sorting networks, float32 H×W×C (C-contiguous)."""
    _run(NET_F32, &src[0, 0, 0], &dst[0, 0, 0], src.shape, ksize, nthreads)


def median_hist_u8(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst, int ksize, int nthreads):
    """Any odd ksize, uint8 H×W×C (C-contiguous), constant-time histograms."""
    _run(HIST_U8, &src[0, 0, 0], &dst[0, 0, 0], src.shape, ksize, nthreads)
