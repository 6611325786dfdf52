# distutils: sources = csrc/morphology.c
# distutils: depends = csrc/morphology.h csrc/morphology_impl.h csrc/ok_common.h
"""Cython bindings for csrc/morphology.c: row-parallel erosion and dilation.

Trusts its inputs (checked in ocrkit/morphology.py): C-contiguous H×W×C images,
a C-contiguous uint8 0/1 kernel, an anchor inside it, and one border value per
channel already cast to the pixel type.
"""
from cython.parallel cimport prange
from libc.stdint cimport int16_t, uint8_t, uint16_t


cdef extern from "ok_common.h":
    void ok_row_range(int h, int n, int i, int *y0, int *y1) nogil


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


cdef int _chunk(const pix_t *src, pix_t *dst, int h, int w, int cn,
                const uint8_t *kernel, int kw, int kh, int ax, int ay, int dilate,
                int border, const pix_t *bval, int i, int nchunks) noexcept nogil:
    cdef int y0, y1
    cdef Py_ssize_t step = <Py_ssize_t>w * cn
    ok_row_range(h, nchunks, i, &y0, &y1)
    if pix_t is uint8_t:
        return ok_morph_u8(src, step, dst, step, h, w, cn, kernel, kw, kh, ax, ay,
                           dilate, border, bval, y0, y1)
    elif pix_t is uint16_t:
        return ok_morph_u16(src, step, dst, step, h, w, cn, kernel, kw, kh, ax, ay,
                            dilate, border, bval, y0, y1)
    elif pix_t is int16_t:
        return ok_morph_s16(src, step, dst, step, h, w, cn, kernel, kw, kh, ax, ay,
                            dilate, border, bval, y0, y1)
    elif pix_t is float:
        return ok_morph_f32(src, step, dst, step, h, w, cn, kernel, kw, kh, ax, ay,
                            dilate, border, bval, y0, y1)
    else:
        return ok_morph_f64(src, step, dst, step, h, w, cn, kernel, kw, kh, ax, ay,
                            dilate, border, bval, y0, y1)


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
    cdef int i, failed = 0
    if nchunks > 1 and <const void *>&src[0, 0, 0] == <const void *>&dst[0, 0, 0]:
        src = src.copy()       # chunks would read rows another chunk already wrote
    if nchunks == 1:
        with nogil:
            failed = _chunk(&src[0, 0, 0], &dst[0, 0, 0], h, w, cn, &kernel[0, 0], kw, kh,
                            ax, ay, dilate, border, &bval[0], 0, 1)
        if failed:
            raise MemoryError("morphology: could not allocate row buffers")
        return
    for i in prange(nchunks, nogil=True, num_threads=nthreads, schedule='static'):
        failed += _chunk(&src[0, 0, 0], &dst[0, 0, 0], h, w, cn, &kernel[0, 0], kw, kh,
                         ax, ay, dilate, border, &bval[0], i, nchunks) != 0
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
