# distutils: sources = csrc/convolve.c csrc/convolve_q8_x86.c
"""Bindings for csrc/convolve.c. Arrays arrive checked and C-contiguous as H×W×C."""
cimport numpy as cnp
from libc.stdint cimport int16_t, int32_t, uint8_t, uint16_t
from cython.parallel cimport prange

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
    int op
    const void *kx
    const void *ky
    int kw, kh, ax, ay
    float delta
    int32_t idelta
    int normalize

TYPES = {"uint8": 0, "int16": 1, "uint16": 2, "float32": 3}


cdef int _rows(const ok_planes *p, const args_t *a, int y0, int y1) noexcept nogil:
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


cdef void _run(cnp.ndarray src, cnp.ndarray dst, int border, args_t *a, int nthreads) except *:
    cdef ok_planes p
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
    cdef int i, err = 0
    cdef long long h = p.height
    with nogil:
        if nchunks == 1:
            # no thread team for one chunk: starting one costs more than small images take
            err = _rows(&p, a, 0, p.height)
        else:
            for i in prange(nchunks, num_threads=nchunks, schedule="static"):
                err += _rows(&p, a, <int>(h * i // nchunks), <int>(h * (i + 1) // nchunks))
    if err:
        raise MemoryError("ocrkit: out of memory for filter row buffers")


def sep_filter_f32(cnp.ndarray src, cnp.ndarray dst, const float[::1] kx, int ax,
                   const float[::1] ky, int ay, float delta, int border, int nthreads):
    cdef args_t a
    a.op = SEP_F32
    a.kx = &kx[0]; a.kw = <int>kx.shape[0]; a.ax = ax
    a.ky = &ky[0]; a.kh = <int>ky.shape[0]; a.ay = ay
    a.delta = delta
    _run(src, dst, border, &a, nthreads)


def filter2d_f32(cnp.ndarray src, cnp.ndarray dst, const float[:, ::1] k, int ax, int ay,
                 float delta, int border, int nthreads):
    cdef args_t a
    a.op = F2D_F32
    a.kx = &k[0, 0]; a.kh = <int>k.shape[0]; a.kw = <int>k.shape[1]; a.ax = ax; a.ay = ay
    a.delta = delta
    _run(src, dst, border, &a, nthreads)


def sep_filter_q8(cnp.ndarray src, cnp.ndarray dst, const uint16_t[::1] kx, int ax,
                  const uint16_t[::1] ky, int ay, int delta_q16, int border, int nthreads):
    cdef args_t a
    a.op = SEP_Q8
    a.kx = &kx[0]; a.kw = <int>kx.shape[0]; a.ax = ax
    a.ky = &ky[0]; a.kh = <int>ky.shape[0]; a.ay = ay
    a.idelta = delta_q16
    _run(src, dst, border, &a, nthreads)


def sep_filter_i16(cnp.ndarray src, cnp.ndarray dst, const int16_t[::1] kx, int ax,
                   const int16_t[::1] ky, int ay, float delta, int border, int nthreads):
    cdef args_t a
    a.op = SEP_I16
    a.kx = &kx[0]; a.kw = <int>kx.shape[0]; a.ax = ax
    a.ky = &ky[0]; a.kh = <int>ky.shape[0]; a.ay = ay
    a.delta = delta
    _run(src, dst, border, &a, nthreads)


def filter2d_i16(cnp.ndarray src, cnp.ndarray dst, const int16_t[:, ::1] k, int ax, int ay,
                 float delta, int border, int nthreads):
    cdef args_t a
    a.op = F2D_I16
    a.kx = &k[0, 0]; a.kh = <int>k.shape[0]; a.kw = <int>k.shape[1]; a.ax = ax; a.ay = ay
    a.delta = delta
    _run(src, dst, border, &a, nthreads)


def box_u8(cnp.ndarray src, cnp.ndarray dst, int kw, int kh, int ax, int ay, bint normalize,
           int border, int nthreads):
    cdef args_t a
    a.op = BOX_U8
    a.kw = kw; a.kh = kh; a.ax = ax; a.ay = ay; a.normalize = normalize
    _run(src, dst, border, &a, nthreads)


def unsharp_u8(const uint8_t[::1] src, const uint8_t[::1] blurred, uint8_t[::1] dst,
               float amount, float threshold, int nthreads):
    cdef Py_ssize_t n = src.shape[0], i, nchunks = max(1, min(nthreads, n // 65536))
    cdef Py_ssize_t a, b
    with nogil:
        for i in prange(nchunks, num_threads=nchunks, schedule="static"):
            a = n * i // nchunks
            b = n * (i + 1) // nchunks
            ok_unsharp_u8(&src[a], &blurred[a], &dst[a], b - a, amount, threshold)
