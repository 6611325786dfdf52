# distutils: sources = csrc/bilateral.c
"""Cython bindings for csrc/bilateral.c: row-parallel bilateral filter (no argument checking)."""
from libc.stdint cimport uint8_t

from ._rows cimport rows_fn, run_rows, thread_bands

cdef extern from "bilateral.h" nogil:
    int ok_bilateral_u8(const uint8_t *src, Py_ssize_t sstep, uint8_t *dst, Py_ssize_t dstep,
                        int w, int h, int cn, int radius, float gauss_color_coeff,
                        float gauss_space_coeff, int border, int y0, int y1)
    int ok_bilateral_f32(const float *src, Py_ssize_t sstep, float *dst, Py_ssize_t dstep,
                         int w, int h, int cn, int radius, double gauss_color_coeff,
                         double gauss_space_coeff, double min_val, double max_val,
                         int border, int y0, int y1)

cdef struct args_t:
    const void *src
    void *dst
    int w, h, cn, radius, border
    double color_coeff, space_coeff, min_val, max_val


cdef int _u8(const void *p, int y0, int y1) noexcept nogil:
    cdef const args_t *a = <const args_t *>p
    return ok_bilateral_u8(<const uint8_t *>a.src, a.w * a.cn, <uint8_t *>a.dst, a.w * a.cn,
                           a.w, a.h, a.cn, a.radius, <float>a.color_coeff,
                           <float>a.space_coeff, a.border, y0, y1)


cdef int _f32(const void *p, int y0, int y1) noexcept nogil:
    cdef const args_t *a = <const args_t *>p
    return ok_bilateral_f32(<const float *>a.src, a.w * a.cn, <float *>a.dst, a.w * a.cn,
                            a.w, a.h, a.cn, a.radius, a.color_coeff, a.space_coeff,
                            a.min_val, a.max_val, a.border, y0, y1)


cdef _run(rows_fn fn, args_t *a, const Py_ssize_t *shape, int nthreads):
    a.h, a.w, a.cn = <int>shape[0], <int>shape[1], <int>shape[2]
    cdef int failed
    with nogil:
        failed = run_rows(fn, a, a.h, thread_bands(a.h, nthreads), nthreads)
    if failed:
        raise MemoryError("bilateral_filter: out of memory")


def bilateral_u8(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst, int radius,
                 float color_coeff, float space_coeff, int border, int nthreads):
    """uint8 H×W×C (C = 1 or 3, C-contiguous); coefficients are -0.5/sigma² as float."""
    cdef args_t a
    a.src, a.dst, a.radius, a.border = &src[0, 0, 0], &dst[0, 0, 0], radius, border
    a.color_coeff, a.space_coeff = color_coeff, space_coeff
    _run(_u8, &a, src.shape, nthreads)


def bilateral_f32(const float[:, :, ::1] src, float[:, :, ::1] dst, int radius,
                  double color_coeff, double space_coeff, double min_val, double max_val,
                  int border, int nthreads):
    """float32 H×W×C (C = 1 or 3, C-contiguous); min_val/max_val: the image's range."""
    cdef args_t a
    a.src, a.dst, a.radius, a.border = &src[0, 0, 0], &dst[0, 0, 0], radius, border
    a.color_coeff, a.space_coeff, a.min_val, a.max_val = color_coeff, space_coeff, min_val, max_val
    _run(_f32, &a, src.shape, nthreads)
