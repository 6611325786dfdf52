# distutils: sources = csrc/warp.c
"""Cython bindings for csrc/warp.c: row-parallel affine/perspective warps. No checking."""
from cython.parallel cimport prange
from libc.stdint cimport uint8_t

cdef extern from "warp.h":
    void ok_warp_u8(const uint8_t *src, ptrdiff_t sstep, int sw, int sh, int cn,
                    uint8_t *dst, ptrdiff_t dstep, int dw, int dh, const double *m, int perspective,
                    int interp, int border, const double *bval, int y0, int y1) nogil
    void ok_warp_f32(const float *src, ptrdiff_t sstep, int sw, int sh, int cn,
                     float *dst, ptrdiff_t dstep, int dw, int dh, const double *m, int perspective,
                     int interp, int border, const double *bval, int y0, int y1) nogil


cdef inline int _row(int h, int n, int i) noexcept nogil:
    # row i*h/n, as ok_row_range; assigned inside prange so Cython makes it thread-private
    return <int>((<long long>h * i) // n)


cdef int _chunks(int rows, int nthreads) noexcept nogil:
    if nthreads <= 1:
        return 1
    cdef int n = nthreads * 4
    return n if n < rows else (rows if rows > 0 else 1)


def warp_u8(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst, const double[::1] m,
            bint perspective, int interp, int border, const double[::1] bval, int nthreads):
    cdef int sh = src.shape[0], sw = src.shape[1], cn = src.shape[2]
    cdef int dh = dst.shape[0], dw = dst.shape[1]
    cdef int n = _chunks(dh, nthreads), i, y0, y1
    for i in prange(n, nogil=True, num_threads=nthreads, schedule='static'):
        y0 = _row(dh, n, i)
        y1 = _row(dh, n, i + 1)
        ok_warp_u8(&src[0, 0, 0], sw * cn, sw, sh, cn, &dst[0, 0, 0], dw * cn, dw, dh, &m[0],
                   perspective, interp, border, &bval[0], y0, y1)


def warp_f32(const float[:, :, ::1] src, float[:, :, ::1] dst, const double[::1] m,
             bint perspective, int interp, int border, const double[::1] bval, int nthreads):
    cdef int sh = src.shape[0], sw = src.shape[1], cn = src.shape[2]
    cdef int dh = dst.shape[0], dw = dst.shape[1]
    cdef int n = _chunks(dh, nthreads), i, y0, y1
    for i in prange(n, nogil=True, num_threads=nthreads, schedule='static'):
        y0 = _row(dh, n, i)
        y1 = _row(dh, n, i + 1)
        ok_warp_f32(&src[0, 0, 0], sw * cn, sw, sh, cn, &dst[0, 0, 0], dw * cn, dw, dh, &m[0],
                    perspective, interp, border, &bval[0], y0, y1)
