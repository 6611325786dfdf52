# distutils: sources = csrc/convolve.c csrc/convolve_q8_x86.c
"""Bindings for csrc/convolve.c. Arrays arrive checked and C-contiguous as H×W×C."""
cimport numpy as cnp
from libc.stdint cimport int16_t, int32_t, uint8_t, uint16_t
from cython.parallel cimport prange

from ._rows cimport run_rows

cnp.import_array()

cdef extern from "convolve.h" nogil:
    ctypedef struct ok_planes:
        const uint8_t *src
        Py_ssize_t sstep
        int stype
        uint8_t *dst
        Py_ssize_t dstep
        int dtype
        int width, height, cn
        int border
    int ok_sep_filter_f32(const ok_planes *p, const float *kx, int kw, int ax,
                          const float *ky, int kh, int ay, float delta, int y0, int y1)
    int ok_filter2d_f32(const ok_planes *p, const float *kernel, int kw, int kh, int ax, int ay,
                        float delta, int y0, int y1)
    int ok_sep_filter_u8_q8(const ok_planes *p, const uint16_t *kx, int kw, int ax,
                            const uint16_t *ky, int kh, int ay, int32_t delta_q16, int y0, int y1)
    int ok_sep_filter_u8_i16(const ok_planes *p, const int16_t *kx, int kw, int ax,
                             const int16_t *ky, int kh, int ay, float delta, int y0, int y1)
    int ok_filter2d_u8_i16(const ok_planes *p, const int16_t *kernel, int kw, int kh, int ax,
                           int ay, float delta, int y0, int y1)
    int ok_box_filter_u8(const ok_planes *p, int kw, int kh, int ax, int ay, int normalize,
                         int y0, int y1)
    void ok_unsharp_u8(const uint8_t *src, const uint8_t *blurred, uint8_t *dst, Py_ssize_t n,
                       float amount, float threshold)

# operations
cdef enum:
    SEP_F32 = 0
    F2D_F32 = 1
    SEP_Q8 = 2
    SEP_I16 = 3
    F2D_I16 = 4
    BOX_U8 = 5

cdef struct args_t:
    ok_planes p
    int op
    const void *kx
    const void *ky
    int kw, kh, ax, ay
    float delta
    int32_t idelta
    int normalize

TYPES = {"uint8": 0, "int16": 1, "uint16": 2, "float32": 3}


cdef int _rows(const void *args, int y0, int y1) noexcept nogil:
    cdef const args_t *a = <const args_t *>args
    cdef const ok_planes *p = &a.p
    if a.op == SEP_F32:
        return ok_sep_filter_f32(p, <const float *>a.kx, a.kw, a.ax, <const float *>a.ky, a.kh,
                                 a.ay, a.delta, y0, y1)
    if a.op == F2D_F32:
        return ok_filter2d_f32(p, <const float *>a.kx, a.kw, a.kh, a.ax, a.ay, a.delta, y0, y1)
    if a.op == SEP_Q8:
        return ok_sep_filter_u8_q8(p, <const uint16_t *>a.kx, a.kw, a.ax, <const uint16_t *>a.ky,
                                   a.kh, a.ay, a.idelta, y0, y1)
    if a.op == SEP_I16:
        return ok_sep_filter_u8_i16(p, <const int16_t *>a.kx, a.kw, a.ax, <const int16_t *>a.ky,
                                    a.kh, a.ay, a.delta, y0, y1)
    if a.op == F2D_I16:
        return ok_filter2d_u8_i16(p, <const int16_t *>a.kx, a.kw, a.kh, a.ax, a.ay, a.delta, y0, y1)
    if a.op == BOX_U8:
        return ok_box_filter_u8(p, a.kw, a.kh, a.ax, a.ay, a.normalize, y0, y1)
    return -1


cdef void _run(cnp.ndarray src, cnp.ndarray dst, int border, int op, const void *kx, int kw,
               int ax, const void *ky, int kh, int ay, float delta, int32_t idelta,
               bint normalize, int nthreads) except *:
    cdef args_t a
    a.op, a.kx, a.ky, a.kw, a.kh, a.ax, a.ay = op, kx, ky, kw, kh, ax, ay
    a.delta, a.idelta, a.normalize = delta, idelta, normalize
    cdef ok_planes *p = &a.p
    p.src = <const uint8_t *>cnp.PyArray_DATA(src)
    p.sstep = src.strides[0]
    p.stype = TYPES[src.dtype.name]
    p.dst = <uint8_t *>cnp.PyArray_DATA(dst)
    p.dstep = dst.strides[0]
    p.dtype = TYPES[dst.dtype.name]
    p.height = <int>src.shape[0]
    p.width = <int>src.shape[1]
    p.cn = <int>src.shape[2]
    p.border = border
    # a few rows per chunk at least, so halo rows stay a small overhead
    cdef int nchunks = max(1, min(nthreads, p.height // 32))
    cdef int err
    with nogil:
        err = run_rows(_rows, &a, p.height, nchunks, nchunks)
    if err:
        raise MemoryError("ocrkit: out of memory for filter row buffers")


def sep_filter_f32(cnp.ndarray src, cnp.ndarray dst, const float[::1] kx, int ax,
                   const float[::1] ky, int ay, float delta, int border, int nthreads):
    _run(src, dst, border, SEP_F32, &kx[0], kx.shape[0], ax, &ky[0], ky.shape[0], ay, delta, 0,
         False, nthreads)


def filter2d_f32(cnp.ndarray src, cnp.ndarray dst, const float[:, ::1] k, int ax, int ay,
                 float delta, int border, int nthreads):
    _run(src, dst, border, F2D_F32, &k[0, 0], k.shape[1], ax, NULL, k.shape[0], ay, delta, 0,
         False, nthreads)


def sep_filter_q8(cnp.ndarray src, cnp.ndarray dst, const uint16_t[::1] kx, int ax,
                  const uint16_t[::1] ky, int ay, int delta_q16, int border, int nthreads):
    _run(src, dst, border, SEP_Q8, &kx[0], kx.shape[0], ax, &ky[0], ky.shape[0], ay, 0, delta_q16,
         False, nthreads)


def sep_filter_i16(cnp.ndarray src, cnp.ndarray dst, const int16_t[::1] kx, int ax,
                   const int16_t[::1] ky, int ay, float delta, int border, int nthreads):
    _run(src, dst, border, SEP_I16, &kx[0], kx.shape[0], ax, &ky[0], ky.shape[0], ay, delta, 0,
         False, nthreads)


def filter2d_i16(cnp.ndarray src, cnp.ndarray dst, const int16_t[:, ::1] k, int ax, int ay,
                 float delta, int border, int nthreads):
    _run(src, dst, border, F2D_I16, &k[0, 0], k.shape[1], ax, NULL, k.shape[0], ay, delta, 0,
         False, nthreads)


def box_u8(cnp.ndarray src, cnp.ndarray dst, int kw, int kh, int ax, int ay, bint normalize,
           int border, int nthreads):
    _run(src, dst, border, BOX_U8, NULL, kw, ax, NULL, kh, ay, 0, 0, normalize, nthreads)


def unsharp_u8(const uint8_t[::1] src, const uint8_t[::1] blurred, uint8_t[::1] dst,
               float amount, float threshold, int nthreads):
    cdef Py_ssize_t n = src.shape[0], i, nchunks = max(1, min(nthreads, n // 65536))
    cdef Py_ssize_t a, b
    with nogil:
        for i in prange(nchunks, num_threads=nchunks, schedule="static"):
            a = n * i // nchunks
            b = n * (i + 1) // nchunks
            ok_unsharp_u8(&src[a], &blurred[a], &dst[a], b - a, amount, threshold)
