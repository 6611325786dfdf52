# distutils: sources = csrc/bilateral.c
"""Cython bindings for csrc/bilateral.c: row-parallel bilateral filter (no argument checking)."""
from cython.parallel cimport prange
from libc.stdint cimport uint8_t

cdef extern from "bilateral.h" nogil:
    int ok_bilateral_u8(const uint8_t *src, Py_ssize_t sstep, uint8_t *dst, Py_ssize_t dstep,
                        int w, int h, int cn, int radius, float gauss_color_coeff,
                        float gauss_space_coeff, int border, int y0, int y1)
    int ok_bilateral_f32(const float *src, Py_ssize_t sstep, float *dst, Py_ssize_t dstep,
                         int w, int h, int cn, int radius, double gauss_color_coeff,
                         double gauss_space_coeff, double min_val, double max_val,
                         int border, int y0, int y1)

cdef extern from "ok_common.h" nogil:
    void ok_row_range(int h, int n, int i, int *y0, int *y1)


cdef int _chunks(int h, int nthreads) noexcept nogil:
    if nthreads < 1:
        nthreads = 1
    return nthreads if nthreads < h else h


def bilateral_u8(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst, int radius,
                 float color_coeff, float space_coeff, int border, int nthreads):
    """uint8 H×W×C (C = 1 or 3, C-contiguous); coefficients are -0.5/sigma² as float."""
    cdef int h = src.shape[0], w = src.shape[1], cn = src.shape[2]
    cdef int n = _chunks(h, nthreads), i, y0, y1, failed = 0
    for i in prange(n, nogil=True, num_threads=nthreads, schedule='static'):
        y0 = 0  # an assignment makes y0/y1 thread-private in prange
        y1 = 0
        ok_row_range(h, n, i, &y0, &y1)
        if ok_bilateral_u8(&src[0, 0, 0], w * cn, &dst[0, 0, 0], w * cn, w, h, cn, radius,
                           color_coeff, space_coeff, border, y0, y1):
            failed += 1
    if failed:
        raise MemoryError("bilateral_filter: out of memory")


def bilateral_f32(const float[:, :, ::1] src, float[:, :, ::1] dst, int radius,
                  double color_coeff, double space_coeff, double min_val, double max_val,
                  int border, int nthreads):
    """float32 H×W×C (C = 1 or 3, C-contiguous); min_val/max_val: the image's range."""
    cdef int h = src.shape[0], w = src.shape[1], cn = src.shape[2]
    cdef int n = _chunks(h, nthreads), i, y0, y1, failed = 0
    for i in prange(n, nogil=True, num_threads=nthreads, schedule='static'):
        y0 = 0
        y1 = 0
        ok_row_range(h, n, i, &y0, &y1)
        if ok_bilateral_f32(&src[0, 0, 0], w * cn, &dst[0, 0, 0], w * cn, w, h, cn, radius,
                            color_coeff, space_coeff, min_val, max_val, border, y0, y1):
            failed += 1
    if failed:
        raise MemoryError("bilateral_filter: out of memory")
