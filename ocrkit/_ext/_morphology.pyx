# distutils: sources = csrc/morphology.c
# distutils: depends = csrc/morphology.h csrc/morphology_impl.h csrc/ok_common.h
"""Cython bindings for csrc/morphology.c: row-parallel erosion and dilation.

Trusts its inputs (checked in ocrkit/morphology.py): C-contiguous H×W×C images,
a C-contiguous uint8 0/1 kernel, an anchor inside it, and one border value per
channel already cast to the pixel type.
"""
from libc.stdint cimport int16_t, uint8_t, uint16_t

from ._rows cimport run_rows


cdef extern from "morphology.h":
    int ok_morph_u8(const uint8_t *src, Py_ssize_t sstep, uint8_t *dst, Py_ssize_t dstep,
                    int h, int w, int cn, const uint8_t *kernel, int kw, int kh,
                    int ax, int ay, int dilate, int border, const uint8_t *bval,
                    int y0, int y1) nogil
    int ok_morph_u16(const uint16_t *src, Py_ssize_t sstep, uint16_t *dst, Py_ssize_t dstep,
                     int h, int w, int cn, const uint8_t *kernel, int kw, int kh,
                     int ax, int ay, int dilate, int border, const uint16_t *bval,
                     int y0, int y1) nogil
    int ok_morph_s16(const int16_t *src, Py_ssize_t sstep, int16_t *dst, Py_ssize_t dstep,
                     int h, int w, int cn, const uint8_t *kernel, int kw, int kh,
                     int ax, int ay, int dilate, int border, const int16_t *bval,
                     int y0, int y1) nogil
    int ok_morph_f32(const float *src, Py_ssize_t sstep, float *dst, Py_ssize_t dstep,
                     int h, int w, int cn, const uint8_t *kernel, int kw, int kh,
                     int ax, int ay, int dilate, int border, const float *bval,
                     int y0, int y1) nogil
    int ok_morph_f64(const double *src, Py_ssize_t sstep, double *dst, Py_ssize_t dstep,
                     int h, int w, int cn, const uint8_t *kernel, int kw, int kh,
                     int ax, int ay, int dilate, int border, const double *bval,
                     int y0, int y1) nogil
    void ok_morph_sub_u8(uint8_t *a, uint8_t *b, Py_ssize_t n, int into_b) nogil
    void ok_morph_sub_u16(uint16_t *a, uint16_t *b, Py_ssize_t n, int into_b) nogil
    void ok_morph_sub_s16(int16_t *a, int16_t *b, Py_ssize_t n, int into_b) nogil
    void ok_morph_sub_f32(float *a, float *b, Py_ssize_t n, int into_b) nogil
    void ok_morph_sub_f64(double *a, double *b, Py_ssize_t n, int into_b) nogil


ctypedef fused pix_t:
    uint8_t
    uint16_t
    int16_t
    float
    double


cdef enum:
    U8 = 0
    U16 = 1
    S16 = 2
    F32 = 3
    F64 = 4


cdef struct args_t:
    int type
    const void *src
    void *dst
    const void *bval
    const uint8_t *kernel
    int h, w, cn, kw, kh, ax, ay, dilate, border


cdef int _rows(const void *p, int y0, int y1) noexcept nogil:
    cdef const args_t *a = <const args_t *>p
    cdef Py_ssize_t step = <Py_ssize_t>a.w * a.cn
    if a.type == U8:
        return ok_morph_u8(<const uint8_t *>a.src, step, <uint8_t *>a.dst, step, a.h, a.w, a.cn,
                           a.kernel, a.kw, a.kh, a.ax, a.ay, a.dilate, a.border,
                           <const uint8_t *>a.bval, y0, y1)
    if a.type == U16:
        return ok_morph_u16(<const uint16_t *>a.src, step, <uint16_t *>a.dst, step, a.h, a.w, a.cn,
                            a.kernel, a.kw, a.kh, a.ax, a.ay, a.dilate, a.border,
                            <const uint16_t *>a.bval, y0, y1)
    if a.type == S16:
        return ok_morph_s16(<const int16_t *>a.src, step, <int16_t *>a.dst, step, a.h, a.w, a.cn,
                            a.kernel, a.kw, a.kh, a.ax, a.ay, a.dilate, a.border,
                            <const int16_t *>a.bval, y0, y1)
    if a.type == F32:
        return ok_morph_f32(<const float *>a.src, step, <float *>a.dst, step, a.h, a.w, a.cn,
                            a.kernel, a.kw, a.kh, a.ax, a.ay, a.dilate, a.border,
                            <const float *>a.bval, y0, y1)
    return ok_morph_f64(<const double *>a.src, step, <double *>a.dst, step, a.h, a.w, a.cn,
                        a.kernel, a.kw, a.kh, a.ax, a.ay, a.dilate, a.border,
                        <const double *>a.bval, y0, y1)


def morph(const pix_t[:, :, ::1] src, pix_t[:, :, ::1] dst, const uint8_t[:, ::1] kernel,
          int ax, int ay, bint dilate, int border, const pix_t[::1] bval, int nthreads):
    """dst = erosion (min) or dilation (max) of src over the set pixels of kernel;
    dst may be src itself."""
    cdef int h = src.shape[0], w = src.shape[1], cn = src.shape[2]
    cdef int kh = kernel.shape[0], kw = kernel.shape[1]
    # a chunk re-reads kh-1 rows and a parallel region costs tens of microseconds:
    # give each thread at least ~64K elements
    cdef Py_ssize_t work = <Py_ssize_t>h * w * cn
    cdef int nchunks = <int>max(1, min(<Py_ssize_t>min(nthreads, h), work // 65536))
    cdef int failed
    if nchunks > 1 and <const void *>&src[0, 0, 0] == <const void *>&dst[0, 0, 0]:
        src = src.copy()       # chunks would read rows another chunk already wrote
    cdef int t = (U8 if pix_t is uint8_t else U16 if pix_t is uint16_t else
                  S16 if pix_t is int16_t else F32 if pix_t is float else F64)
    cdef args_t a = args_t(t, &src[0, 0, 0], &dst[0, 0, 0], &bval[0], &kernel[0, 0],
                           h, w, cn, kw, kh, ax, ay, dilate, border)
    with nogil:
        failed = run_rows(_rows, &a, h, nchunks, nthreads)
    if failed:
        raise MemoryError("morphology: could not allocate row buffers")


def sub_sat(const pix_t[::1] a, const pix_t[::1] b, pix_t[::1] out):
    """out = a - b saturated to the dtype (cv::subtract); out is a or b itself,
    all three 1-D views of the same length."""
    cdef Py_ssize_t n = a.shape[0]
    cdef pix_t *pa = <pix_t *>&a[0]
    cdef pix_t *pb = <pix_t *>&b[0]
    cdef int into_b = <const void *>&out[0] == <const void *>pb
    with nogil:
        if pix_t is uint8_t:
            ok_morph_sub_u8(pa, pb, n, into_b)
        elif pix_t is uint16_t:
            ok_morph_sub_u16(pa, pb, n, into_b)
        elif pix_t is int16_t:
            ok_morph_sub_s16(pa, pb, n, into_b)
        elif pix_t is float:
            ok_morph_sub_f32(pa, pb, n, into_b)
        else:
            ok_morph_sub_f64(pa, pb, n, into_b)
