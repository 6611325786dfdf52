# distutils: sources = csrc/warp.c
"""Cython bindings for csrc/warp.c: row-parallel affine/perspective warps. No checking."""
from libc.stdint cimport uint8_t

from ._rows cimport rows_fn, run_rows, split_bands

cdef extern from "warp.h":
    void ok_warp_u8(const uint8_t *src, ptrdiff_t sstep, int sw, int sh, int cn,
                    uint8_t *dst, ptrdiff_t dstep, int dw, int dh, const double *m, int perspective,
                    int interp, int border, const double *bval, int y0, int y1) nogil
    void ok_warp_f32(const float *src, ptrdiff_t sstep, int sw, int sh, int cn,
                     float *dst, ptrdiff_t dstep, int dw, int dh, const double *m, int perspective,
                     int interp, int border, const double *bval, int y0, int y1) nogil


cdef struct args_t:
    const void *src
    void *dst
    int sw, sh, cn, dw, dh, perspective, interp, border
    const double *m
    const double *bval


cdef int _u8(const void *p, int y0, int y1) noexcept nogil:
    cdef const args_t *a = <const args_t *>p
    ok_warp_u8(<const uint8_t *>a.src, a.sw * a.cn, a.sw, a.sh, a.cn, <uint8_t *>a.dst, a.dw * a.cn,
               a.dw, a.dh, a.m, a.perspective, a.interp, a.border, a.bval, y0, y1)
    return 0


cdef int _f32(const void *p, int y0, int y1) noexcept nogil:
    cdef const args_t *a = <const args_t *>p
    ok_warp_f32(<const float *>a.src, a.sw * a.cn, a.sw, a.sh, a.cn, <float *>a.dst, a.dw * a.cn,
                a.dw, a.dh, a.m, a.perspective, a.interp, a.border, a.bval, y0, y1)
    return 0


cdef void _run(rows_fn fn, const void *src, void *dst, const Py_ssize_t *sshape,
               const Py_ssize_t *dshape, const double *m, bint perspective, int interp,
               int border, const double *bval, int nthreads) noexcept:
    cdef args_t a = args_t(src, dst, <int>sshape[1], <int>sshape[0], <int>sshape[2],
                           <int>dshape[1], <int>dshape[0], perspective, interp, border, m, bval)
    with nogil:
        run_rows(fn, &a, a.dh, split_bands(a.dh, nthreads), nthreads)


def warp_u8(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst, const double[::1] m,
            bint perspective, int interp, int border, const double[::1] bval, int nthreads):
    _run(_u8, &src[0, 0, 0], &dst[0, 0, 0], src.shape, dst.shape, &m[0], perspective, interp,
         border, &bval[0], nthreads)


def warp_f32(const float[:, :, ::1] src, float[:, :, ::1] dst, const double[::1] m,
             bint perspective, int interp, int border, const double[::1] bval, int nthreads):
    _run(_f32, &src[0, 0, 0], &dst[0, 0, 0], src.shape, dst.shape, &m[0], perspective, interp,
         border, &bval[0], nthreads)
