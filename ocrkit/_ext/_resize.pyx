# distutils: sources = csrc/resize.c
"""Cython bindings for csrc/resize.c: tables, then row-parallel kernels. No checking."""
from cython.parallel cimport prange
from libc.stdint cimport uint8_t, int16_t
import numpy as np

cdef extern from "resize.h":
    int ok_resize_ksize(int interp) nogil
    void ok_resize_tab(int interp, int ssize, int dsize, double scale, double inv_scale,
                       int clamp, int *ofs, float *coef, int16_t *icoef, int *xmin, int *xmax) nogil
    void ok_resize_generic_u8(const uint8_t *src, ptrdiff_t sstep, int sw, int sh, int cn,
                              uint8_t *dst, ptrdiff_t dstep, int dw, int interp,
                              const int *xofs, const int16_t *ialpha, const float *alpha,
                              int xmin, int xmax, const int *yofs, const int16_t *ibeta,
                              const float *beta, int y0, int y1) nogil
    void ok_resize_generic_f32(const float *src, ptrdiff_t sstep, int sw, int sh, int cn,
                               float *dst, ptrdiff_t dstep, int dw, int interp,
                               const int *xofs, const float *alpha, int xmin, int xmax,
                               const int *yofs, const float *beta, int y0, int y1) nogil
    void ok_resize_nn_tab(int ssize, int dsize, double inv_scale, int exact, int *ofs) nogil
    void ok_resize_nn(const uint8_t *src, ptrdiff_t sstep, int psize,
                      uint8_t *dst, ptrdiff_t dstep, int dw,
                      const int *xofs, const int *yofs, int y0, int y1) nogil
    void ok_resize_area_fast_u8(const uint8_t *src, ptrdiff_t sstep, int sw, int sh, int cn,
                                uint8_t *dst, ptrdiff_t dstep, int dw, int fx, int fy, int y0, int y1) nogil
    void ok_resize_area_fast_f32(const float *src, ptrdiff_t sstep, int sw, int sh, int cn,
                                 float *dst, ptrdiff_t dstep, int dw, int fx, int fy, int y0, int y1) nogil
    int ok_resize_area_tab(int ssize, int dsize, double scale, int *di, int *si, float *alpha) nogil
    void ok_resize_area_u8(const uint8_t *src, ptrdiff_t sstep, int cn, uint8_t *dst, ptrdiff_t dstep,
                           int dw, const int *xdi, const int *xsi, const float *xalpha, int xn,
                           const int *ydi, const int *ysi, const float *yalpha, const int *ytabofs,
                           int y0, int y1) nogil
    void ok_resize_area_f32(const float *src, ptrdiff_t sstep, int cn, float *dst, ptrdiff_t dstep,
                            int dw, const int *xdi, const int *xsi, const float *xalpha, int xn,
                            const int *ydi, const int *ysi, const float *yalpha, const int *ytabofs,
                            int y0, int y1) nogil


cdef inline int _row(int h, int n, int i) noexcept nogil:
    # row i*h/n, as ok_row_range; assigned inside prange so Cython makes it thread-private
    return <int>((<long long>h * i) // n)


cdef int _chunks(int rows, int nthreads) noexcept nogil:
    if nthreads <= 1:
        return 1
    cdef int n = nthreads * 4
    return n if n < rows else (rows if rows > 0 else 1)


def tab(int interp, int ssize, int dsize, double scale, double inv_scale, bint clamp):
    """Tap offsets and weights of one direction: (ofs, coef, icoef, xmin, xmax)."""
    cdef int ksize = ok_resize_ksize(interp)
    ofs = np.empty(dsize, np.int32)
    coef = np.empty(dsize * ksize, np.float32)
    icoef = np.empty(dsize * ksize, np.int16)
    cdef int[::1] o = ofs
    cdef float[::1] c = coef
    cdef int16_t[::1] ic = icoef
    cdef int xmin = 0, xmax = 0
    ok_resize_tab(interp, ssize, dsize, scale, inv_scale, clamp, &o[0], &c[0], &ic[0], &xmin, &xmax)
    return ofs, coef, icoef, xmin, xmax


def nn_tab(int ssize, int dsize, double inv_scale, bint exact):
    ofs = np.empty(dsize, np.int32)
    cdef int[::1] o = ofs
    ok_resize_nn_tab(ssize, dsize, inv_scale, exact, &o[0])
    return ofs


def area_tab(int ssize, int dsize, double scale):
    n = 2 * ssize + 2
    di = np.empty(n, np.int32)
    si = np.empty(n, np.int32)
    alpha = np.empty(n, np.float32)
    cdef int[::1] d = di, s = si
    cdef float[::1] a = alpha
    cdef int k = ok_resize_area_tab(ssize, dsize, scale, &d[0], &s[0], &a[0])
    return di[:k].copy(), si[:k].copy(), alpha[:k].copy()


def generic_u8(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst, int interp,
               const int[::1] xofs, const int16_t[::1] ialpha, const float[::1] alpha,
               int xmin, int xmax, const int[::1] yofs, const int16_t[::1] ibeta,
               const float[::1] beta, int nthreads):
    cdef int sh = src.shape[0], sw = src.shape[1], cn = src.shape[2]
    cdef int dh = dst.shape[0], dw = dst.shape[1]
    cdef int n = _chunks(dh, nthreads), i, y0, y1
    for i in prange(n, nogil=True, num_threads=nthreads, schedule='static'):
        y0 = _row(dh, n, i)
        y1 = _row(dh, n, i + 1)
        ok_resize_generic_u8(&src[0, 0, 0], sw * cn, sw, sh, cn, &dst[0, 0, 0], dw * cn, dw, interp,
                             &xofs[0], &ialpha[0], &alpha[0], xmin, xmax, &yofs[0], &ibeta[0],
                             &beta[0], y0, y1)


def generic_f32(const float[:, :, ::1] src, float[:, :, ::1] dst, int interp,
                const int[::1] xofs, const float[::1] alpha, int xmin, int xmax,
                const int[::1] yofs, const float[::1] beta, int nthreads):
    cdef int sh = src.shape[0], sw = src.shape[1], cn = src.shape[2]
    cdef int dh = dst.shape[0], dw = dst.shape[1]
    cdef int n = _chunks(dh, nthreads), i, y0, y1
    for i in prange(n, nogil=True, num_threads=nthreads, schedule='static'):
        y0 = _row(dh, n, i)
        y1 = _row(dh, n, i + 1)
        ok_resize_generic_f32(&src[0, 0, 0], sw * cn, sw, sh, cn, &dst[0, 0, 0], dw * cn, dw, interp,
                              &xofs[0], &alpha[0], xmin, xmax, &yofs[0], &beta[0], y0, y1)


def nn(const uint8_t[:, ::1] src, uint8_t[:, ::1] dst, int psize,
       const int[::1] xofs, const int[::1] yofs, int nthreads):
    """Rows of raw bytes; `psize` bytes per pixel."""
    cdef int dh = dst.shape[0], dw = dst.shape[1] // psize
    cdef ptrdiff_t sstep = src.shape[1], dstep = dst.shape[1]
    cdef int n = _chunks(dh, nthreads), i, y0, y1
    for i in prange(n, nogil=True, num_threads=nthreads, schedule='static'):
        y0 = _row(dh, n, i)
        y1 = _row(dh, n, i + 1)
        ok_resize_nn(&src[0, 0], sstep, psize, &dst[0, 0], dstep, dw, &xofs[0], &yofs[0], y0, y1)


def area_fast_u8(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst, int fx, int fy, int nthreads):
    cdef int sh = src.shape[0], sw = src.shape[1], cn = src.shape[2]
    cdef int dh = dst.shape[0], dw = dst.shape[1]
    cdef int n = _chunks(dh, nthreads), i, y0, y1
    for i in prange(n, nogil=True, num_threads=nthreads, schedule='static'):
        y0 = _row(dh, n, i)
        y1 = _row(dh, n, i + 1)
        ok_resize_area_fast_u8(&src[0, 0, 0], sw * cn, sw, sh, cn, &dst[0, 0, 0], dw * cn, dw,
                               fx, fy, y0, y1)


def area_fast_f32(const float[:, :, ::1] src, float[:, :, ::1] dst, int fx, int fy, int nthreads):
    cdef int sh = src.shape[0], sw = src.shape[1], cn = src.shape[2]
    cdef int dh = dst.shape[0], dw = dst.shape[1]
    cdef int n = _chunks(dh, nthreads), i, y0, y1
    for i in prange(n, nogil=True, num_threads=nthreads, schedule='static'):
        y0 = _row(dh, n, i)
        y1 = _row(dh, n, i + 1)
        ok_resize_area_fast_f32(&src[0, 0, 0], sw * cn, sw, sh, cn, &dst[0, 0, 0], dw * cn, dw,
                                fx, fy, y0, y1)


def area_u8(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst,
            const int[::1] xdi, const int[::1] xsi, const float[::1] xalpha,
            const int[::1] ydi, const int[::1] ysi, const float[::1] yalpha,
            const int[::1] ytabofs, int nthreads):
    cdef int sw = src.shape[1], cn = src.shape[2]
    cdef int dh = dst.shape[0], dw = dst.shape[1], xn = xdi.shape[0]
    cdef int n = _chunks(dh, nthreads), i, y0, y1
    for i in prange(n, nogil=True, num_threads=nthreads, schedule='static'):
        y0 = _row(dh, n, i)
        y1 = _row(dh, n, i + 1)
        if y1 > y0:
            ok_resize_area_u8(&src[0, 0, 0], sw * cn, cn, &dst[0, 0, 0], dw * cn, dw,
                              &xdi[0], &xsi[0], &xalpha[0], xn, &ydi[0], &ysi[0], &yalpha[0],
                              &ytabofs[0], y0, y1)


def area_f32(const float[:, :, ::1] src, float[:, :, ::1] dst,
             const int[::1] xdi, const int[::1] xsi, const float[::1] xalpha,
             const int[::1] ydi, const int[::1] ysi, const float[::1] yalpha,
             const int[::1] ytabofs, int nthreads):
    cdef int sw = src.shape[1], cn = src.shape[2]
    cdef int dh = dst.shape[0], dw = dst.shape[1], xn = xdi.shape[0]
    cdef int n = _chunks(dh, nthreads), i, y0, y1
    for i in prange(n, nogil=True, num_threads=nthreads, schedule='static'):
        y0 = _row(dh, n, i)
        y1 = _row(dh, n, i + 1)
        if y1 > y0:
            ok_resize_area_f32(&src[0, 0, 0], sw * cn, cn, &dst[0, 0, 0], dw * cn, dw,
                               &xdi[0], &xsi[0], &xalpha[0], xn, &ydi[0], &ysi[0], &yalpha[0],
                               &ytabofs[0], y0, y1)
