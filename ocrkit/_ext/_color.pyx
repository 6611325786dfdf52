# distutils: sources = csrc/color.c csrc/threshold.c
"""Cython bindings for csrc/color.c: thin, unchecked, GIL released, row-parallel."""
from cython.parallel cimport prange
from libc.stdint cimport uint8_t, uint32_t, int64_t

from libc.string cimport memset

import numpy as np
cimport numpy as cnp

from ._rows cimport run_rows, sample_chunks

cnp.import_array()

cdef extern from "threshold.h":
    void ok_hist_u8(const uint8_t *src, Py_ssize_t n, uint32_t *hist) nogil

cdef extern from "color.h":
    void ok_gray_u8(const uint8_t *src, uint8_t *dst, Py_ssize_t n, int cn, int bidx, int method) nogil
    void ok_gray_f32(const float *src, float *dst, Py_ssize_t n, int cn, int bidx, int method) nogil
    void ok_lut_u8(const uint8_t *src, uint8_t *dst, Py_ssize_t n, const uint8_t *lut) nogil
    void ok_equalize_lut(const uint32_t *hist, int64_t total, uint8_t *lut) nogil
    void ok_clahe_luts(const uint8_t *src, int w, int h, int tiles_x, int tw, int th,
                       int clip, float lut_scale, int t0, int t1, uint8_t *luts) nogil
    int ok_clahe_apply(const uint8_t *src, uint8_t *dst, int w, int y0, int y1,
                        const uint8_t *luts, int tiles_x, int tiles_y, int tw, int th) nogil

def gray(cnp.ndarray src, cnp.ndarray dst, int method, int bidx, int nthreads):
    """H×W×C (C = 3, 4) uint8/float32 C-contiguous src → H×W dst of the same dtype."""
    cdef Py_ssize_t n = cnp.PyArray_SIZE(dst)
    cdef int cn = <int>src.shape[2]
    cdef int nchunks = sample_chunks(n, nthreads)
    cdef int i
    cdef Py_ssize_t a, b
    cdef bint is8 = cnp.PyArray_TYPE(src) == cnp.NPY_UINT8
    cdef const uint8_t *s8 = <const uint8_t *>cnp.PyArray_DATA(src)
    cdef uint8_t *d8 = <uint8_t *>cnp.PyArray_DATA(dst)
    cdef const float *sf = <const float *>cnp.PyArray_DATA(src)
    cdef float *df = <float *>cnp.PyArray_DATA(dst)
    if nchunks == 1:
        with nogil:
            if is8:
                ok_gray_u8(s8, d8, n, cn, bidx, method)
            else:
                ok_gray_f32(sf, df, n, cn, bidx, method)
        return
    for i in prange(nchunks, nogil=True, num_threads=nchunks, schedule='static'):
        a = n * i // nchunks
        b = n * (i + 1) // nchunks
        if is8:
            ok_gray_u8(s8 + a * cn, d8 + a, b - a, cn, bidx, method)
        else:
            ok_gray_f32(sf + a * cn, df + a, b - a, cn, bidx, method)


def equalize(cnp.ndarray src, cnp.ndarray dst, int nthreads):
    """equalizeHist of a C-contiguous uint8 image into dst (same shape)."""
    cdef Py_ssize_t n = cnp.PyArray_SIZE(src)
    cdef int nchunks = sample_chunks(n, nthreads)
    cdef int i, b
    cdef Py_ssize_t a, e
    cdef const uint8_t *s = <const uint8_t *>cnp.PyArray_DATA(src)
    cdef uint8_t *d = <uint8_t *>cnp.PyArray_DATA(dst)
    cdef uint32_t parts[64][256]
    cdef uint32_t hist[256]
    cdef uint8_t lut[256]
    if nchunks > 64:
        nchunks = 64
    with nogil:
        memset(parts, 0, sizeof(parts))
        memset(hist, 0, sizeof(hist))
    for i in prange(nchunks, nogil=True, num_threads=nchunks, schedule='static'):
        a = n * i // nchunks
        e = n * (i + 1) // nchunks
        ok_hist_u8(s + a, e - a, &parts[i][0])
    with nogil:
        for i in range(nchunks):
            for b in range(256):
                hist[b] += parts[i][b]
        ok_equalize_lut(hist, n, lut)
    for i in prange(nchunks, nogil=True, num_threads=nchunks, schedule='static'):
        a = n * i // nchunks
        e = n * (i + 1) // nchunks
        ok_lut_u8(s + a, d + a, e - a, lut)


cdef struct clahe_args:
    const uint8_t *src
    uint8_t *dst
    uint8_t *luts
    int w, h, tiles_x, tiles_y, tw, th, clip
    float lut_scale


cdef int _clahe_luts(const void *p, int t0, int t1) noexcept nogil:
    cdef const clahe_args *a = <const clahe_args *>p
    ok_clahe_luts(a.src, a.w, a.h, a.tiles_x, a.tw, a.th, a.clip, a.lut_scale, t0, t1, a.luts)
    return 0


cdef int _clahe_apply(const void *p, int y0, int y1) noexcept nogil:
    cdef const clahe_args *a = <const clahe_args *>p
    ok_clahe_apply(a.src, a.dst, a.w, y0, y1, a.luts, a.tiles_x, a.tiles_y, a.tw, a.th)
    return 0


def clahe(const uint8_t[:, ::1] src, uint8_t[:, ::1] dst, int tiles_x, int tiles_y, int tw, int th,
          int clip, float lut_scale, int nthreads):
    """CLAHE of a 2-D uint8 image with a tiles_x × tiles_y grid of tw × th tiles."""
    cdef int h = <int>src.shape[0], w = <int>src.shape[1]
    cdef int ntiles = tiles_x * tiles_y
    cdef int nchunks = sample_chunks(<Py_ssize_t>h * w, nthreads)
    cdef uint8_t[:, ::1] luts = np.empty((ntiles, 256), np.uint8)
    cdef clahe_args a = clahe_args(&src[0, 0], &dst[0, 0], &luts[0, 0], w, h, tiles_x, tiles_y,
                                   tw, th, clip, lut_scale)
    cdef int tchunks = nchunks if nchunks < ntiles else ntiles
    if nchunks > h:
        nchunks = h
    with nogil:
        run_rows(_clahe_luts, &a, ntiles, tchunks, tchunks)
        run_rows(_clahe_apply, &a, h, nchunks, nchunks)
