# distutils: sources = csrc/resize.c
"""Cython bindings for csrc/resize.c: tables, then row-parallel kernels. No checking."""
from libc.stdint cimport uint8_t, int16_t
import numpy as np

from ._rows cimport rows_fn, run_rows, split_bands

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


ctypedef const int *int_p
ctypedef const int16_t *i16_p
ctypedef const float *f32_p


cdef struct args_t:
    const void *src
    void *dst
    ptrdiff_t sstep, dstep
    int sw, sh, cn, dw, interp, xmin, xmax, psize, fx, fy, xn
    bint f32
    int_p xofs, yofs, xdi, xsi, ydi, ysi, ytabofs
    i16_p ialpha, ibeta
    f32_p alpha, beta, xalpha, yalpha


cdef args_t _args(const void *src, void *dst, const Py_ssize_t *sshape,
                  const Py_ssize_t *dshape) noexcept:
    """src and dst H×W×C (C-contiguous): pointers, sizes and row steps."""
    cdef args_t a
    a.src, a.dst = src, dst
    a.sh, a.sw, a.cn = <int>sshape[0], <int>sshape[1], <int>sshape[2]
    a.dw = <int>dshape[1]
    a.sstep, a.dstep = a.sw * a.cn, a.dw * a.cn
    return a


cdef void _run(rows_fn fn, const args_t *a, int dh, int nthreads) noexcept:
    with nogil:
        run_rows(fn, a, dh, split_bands(dh, nthreads), nthreads)


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


cdef int _generic_u8(const void *p, int y0, int y1) noexcept nogil:
    cdef const args_t *a = <const args_t *>p
    ok_resize_generic_u8(<const uint8_t *>a.src, a.sstep, a.sw, a.sh, a.cn, <uint8_t *>a.dst, a.dstep,
                         a.dw, a.interp, a.xofs, a.ialpha, a.alpha, a.xmin, a.xmax, a.yofs, a.ibeta,
                         a.beta, y0, y1)
    return 0


def generic_u8(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst, int interp,
               const int[::1] xofs, const int16_t[::1] ialpha, const float[::1] alpha,
               int xmin, int xmax, const int[::1] yofs, const int16_t[::1] ibeta,
               const float[::1] beta, int nthreads):
    cdef args_t a = _args(&src[0, 0, 0], &dst[0, 0, 0], src.shape, dst.shape)
    a.interp, a.xmin, a.xmax = interp, xmin, xmax
    a.xofs, a.ialpha, a.alpha = &xofs[0], &ialpha[0], &alpha[0]
    a.yofs, a.ibeta, a.beta = &yofs[0], &ibeta[0], &beta[0]
    _run(_generic_u8, &a, dst.shape[0], nthreads)


cdef int _generic_f32(const void *p, int y0, int y1) noexcept nogil:
    cdef const args_t *a = <const args_t *>p
    ok_resize_generic_f32(<const float *>a.src, a.sstep, a.sw, a.sh, a.cn, <float *>a.dst, a.dstep,
                          a.dw, a.interp, a.xofs, a.alpha, a.xmin, a.xmax, a.yofs, a.beta, y0, y1)
    return 0


def generic_f32(const float[:, :, ::1] src, float[:, :, ::1] dst, int interp,
                const int[::1] xofs, const float[::1] alpha, int xmin, int xmax,
                const int[::1] yofs, const float[::1] beta, int nthreads):
    cdef args_t a = _args(&src[0, 0, 0], &dst[0, 0, 0], src.shape, dst.shape)
    a.interp, a.xmin, a.xmax = interp, xmin, xmax
    a.xofs, a.alpha, a.yofs, a.beta = &xofs[0], &alpha[0], &yofs[0], &beta[0]
    _run(_generic_f32, &a, dst.shape[0], nthreads)


cdef int _nn(const void *p, int y0, int y1) noexcept nogil:
    cdef const args_t *a = <const args_t *>p
    ok_resize_nn(<const uint8_t *>a.src, a.sstep, a.psize, <uint8_t *>a.dst, a.dstep, a.dw,
                 a.xofs, a.yofs, y0, y1)
    return 0


def nn(const uint8_t[:, ::1] src, uint8_t[:, ::1] dst, int psize,
       const int[::1] xofs, const int[::1] yofs, int nthreads):
    """Rows of raw bytes; `psize` bytes per pixel."""
    cdef args_t a
    a.src, a.dst, a.psize = &src[0, 0], &dst[0, 0], psize
    a.sstep, a.dstep, a.dw = src.shape[1], dst.shape[1], dst.shape[1] // psize
    a.xofs, a.yofs = &xofs[0], &yofs[0]
    _run(_nn, &a, dst.shape[0], nthreads)


cdef int _area_fast(const void *p, int y0, int y1) noexcept nogil:
    cdef const args_t *a = <const args_t *>p
    if a.f32:
        ok_resize_area_fast_f32(<const float *>a.src, a.sstep, a.sw, a.sh, a.cn, <float *>a.dst,
                                a.dstep, a.dw, a.fx, a.fy, y0, y1)
    else:
        ok_resize_area_fast_u8(<const uint8_t *>a.src, a.sstep, a.sw, a.sh, a.cn, <uint8_t *>a.dst,
                               a.dstep, a.dw, a.fx, a.fy, y0, y1)
    return 0


def area_fast_u8(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst, int fx, int fy, int nthreads):
    cdef args_t a = _args(&src[0, 0, 0], &dst[0, 0, 0], src.shape, dst.shape)
    a.fx, a.fy, a.f32 = fx, fy, False
    _run(_area_fast, &a, dst.shape[0], nthreads)


def area_fast_f32(const float[:, :, ::1] src, float[:, :, ::1] dst, int fx, int fy, int nthreads):
    cdef args_t a = _args(&src[0, 0, 0], &dst[0, 0, 0], src.shape, dst.shape)
    a.fx, a.fy, a.f32 = fx, fy, True
    _run(_area_fast, &a, dst.shape[0], nthreads)


cdef int _area_rows(const void *p, int y0, int y1) noexcept nogil:
    cdef const args_t *a = <const args_t *>p
    if y1 <= y0:
        pass
    elif a.f32:
        ok_resize_area_f32(<const float *>a.src, a.sstep, a.cn, <float *>a.dst, a.dstep, a.dw,
                           a.xdi, a.xsi, a.xalpha, a.xn, a.ydi, a.ysi, a.yalpha, a.ytabofs, y0, y1)
    else:
        ok_resize_area_u8(<const uint8_t *>a.src, a.sstep, a.cn, <uint8_t *>a.dst, a.dstep, a.dw,
                          a.xdi, a.xsi, a.xalpha, a.xn, a.ydi, a.ysi, a.yalpha, a.ytabofs, y0, y1)
    return 0


cdef void _area(args_t *a, bint f32, const int[::1] xdi, const int[::1] xsi,
                const float[::1] xalpha, const int[::1] ydi, const int[::1] ysi,
                const float[::1] yalpha, const int[::1] ytabofs, int dh, int nthreads):
    a.f32 = f32
    a.xdi, a.xsi, a.xalpha, a.xn = &xdi[0], &xsi[0], &xalpha[0], xdi.shape[0]
    a.ydi, a.ysi, a.yalpha, a.ytabofs = &ydi[0], &ysi[0], &yalpha[0], &ytabofs[0]
    _run(_area_rows, a, dh, nthreads)


def area_u8(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst,
            const int[::1] xdi, const int[::1] xsi, const float[::1] xalpha,
            const int[::1] ydi, const int[::1] ysi, const float[::1] yalpha,
            const int[::1] ytabofs, int nthreads):
    cdef args_t a = _args(&src[0, 0, 0], &dst[0, 0, 0], src.shape, dst.shape)
    _area(&a, False, xdi, xsi, xalpha, ydi, ysi, yalpha, ytabofs, dst.shape[0], nthreads)


def area_f32(const float[:, :, ::1] src, float[:, :, ::1] dst,
             const int[::1] xdi, const int[::1] xsi, const float[::1] xalpha,
             const int[::1] ydi, const int[::1] ysi, const float[::1] yalpha,
             const int[::1] ytabofs, int nthreads):
    cdef args_t a = _args(&src[0, 0, 0], &dst[0, 0, 0], src.shape, dst.shape)
    _area(&a, True, xdi, xsi, xalpha, ydi, ysi, yalpha, ytabofs, dst.shape[0], nthreads)
