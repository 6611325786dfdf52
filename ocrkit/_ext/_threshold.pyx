# distutils: sources = csrc/threshold.c
"""Cython bindings for csrc/threshold.c: thin, unchecked, GIL released, row-parallel."""
from cython.parallel cimport prange
from libc.stdint cimport uint8_t, int16_t, uint16_t, uint32_t, int64_t

import numpy as np
cimport numpy as cnp

from ._rows cimport run_rows, sample_chunks

cnp.import_array()

cdef extern from "threshold.h":
    void ok_thresh_u8(const uint8_t *src, uint8_t *dst, Py_ssize_t n, int thresh, int maxval, int type) nogil
    void ok_thresh_s16(const int16_t *src, int16_t *dst, Py_ssize_t n, int thresh, int maxval, int type) nogil
    void ok_thresh_u16(const uint16_t *src, uint16_t *dst, Py_ssize_t n, int thresh, int maxval, int type) nogil
    void ok_thresh_f32(const float *src, float *dst, Py_ssize_t n, float thresh, float maxval, int type) nogil
    void ok_hist_u8(const uint8_t *src, Py_ssize_t n, uint32_t *hist) nogil
    void ok_hist_u16(const uint16_t *src, Py_ssize_t n, uint32_t *hist) nogil
    double ok_otsu_from_hist(const uint32_t *hist, int nbins, int64_t total) nogil
    int ok_triangle_from_hist(const uint32_t *hist) nogil
    int ok_adaptive_mean_u8(const uint8_t *src, uint8_t *dst, int w, int h, int y0, int y1,
                            int k, int idelta, int maxval, int inv) nogil
    int ok_adaptive_gauss_u8(const uint8_t *src, uint8_t *dst, int w, int h, int y0, int y1,
                             int k, const float *kern, int idelta, int maxval, int inv) nogil

ctypedef void (*thresh_fn)(const void *src, void *dst, Py_ssize_t n, double thresh, double maxval,
                           int type) noexcept nogil


cdef void _thresh_u8(const void *src, void *dst, Py_ssize_t n, double t, double m, int type) noexcept nogil:
    ok_thresh_u8(<const uint8_t *>src, <uint8_t *>dst, n, <int>t, <int>m, type)


cdef void _thresh_s16(const void *src, void *dst, Py_ssize_t n, double t, double m, int type) noexcept nogil:
    ok_thresh_s16(<const int16_t *>src, <int16_t *>dst, n, <int>t, <int>m, type)


cdef void _thresh_u16(const void *src, void *dst, Py_ssize_t n, double t, double m, int type) noexcept nogil:
    ok_thresh_u16(<const uint16_t *>src, <uint16_t *>dst, n, <int>t, <int>m, type)


cdef void _thresh_f32(const void *src, void *dst, Py_ssize_t n, double t, double m, int type) noexcept nogil:
    ok_thresh_f32(<const float *>src, <float *>dst, n, <float>t, <float>m, type)


def thresh(cnp.ndarray src, cnp.ndarray dst, double thresh, double maxval, int type, int nthreads):
    """Fixed threshold of a C-contiguous array into dst (same shape and dtype, C-contiguous)."""
    cdef Py_ssize_t n = cnp.PyArray_SIZE(src)
    cdef int nchunks = sample_chunks(n, nthreads)
    cdef int i, item = <int>cnp.PyArray_ITEMSIZE(src)
    cdef int num = cnp.PyArray_TYPE(src)
    cdef char *s = <char *>cnp.PyArray_DATA(src)
    cdef char *d = <char *>cnp.PyArray_DATA(dst)
    cdef Py_ssize_t a, b
    cdef thresh_fn fn
    if num == cnp.NPY_UINT8:
        fn = _thresh_u8
    elif num == cnp.NPY_INT16:
        fn = _thresh_s16
    elif num == cnp.NPY_UINT16:
        fn = _thresh_u16
    else:
        fn = _thresh_f32
    if nchunks == 1:
        with nogil:
            fn(s, d, n, thresh, maxval, type)
        return
    for i in prange(nchunks, nogil=True, num_threads=nchunks, schedule='static'):
        a = n * i // nchunks
        b = n * (i + 1) // nchunks
        fn(s + a * item, d + a * item, b - a, thresh, maxval, type)


def histogram(cnp.ndarray src, int nthreads):
    """Histogram of a C-contiguous uint8 (256 bins) or uint16 (65536 bins) array, as int64."""
    cdef Py_ssize_t n = cnp.PyArray_SIZE(src)
    cdef bint is8 = cnp.PyArray_TYPE(src) == cnp.NPY_UINT8
    cdef int nbins = 256 if is8 else 65536
    cdef int nchunks = sample_chunks(n, nthreads)
    cdef int i
    cdef Py_ssize_t a, b
    cdef cnp.ndarray parts_arr = np.zeros((nchunks, nbins), np.uint32)
    cdef uint32_t *parts = <uint32_t *>cnp.PyArray_DATA(parts_arr)
    cdef const uint8_t *s8 = <const uint8_t *>cnp.PyArray_DATA(src)
    cdef const uint16_t *s16 = <const uint16_t *>cnp.PyArray_DATA(src)
    if nchunks == 1:
        with nogil:
            if is8:
                ok_hist_u8(s8, n, parts)
            else:
                ok_hist_u16(s16, n, parts)
        return parts_arr[0].astype(np.int64)
    for i in prange(nchunks, nogil=True, num_threads=nchunks, schedule='static'):
        a = n * i // nchunks
        b = n * (i + 1) // nchunks
        if is8:
            ok_hist_u8(s8 + a, b - a, parts + i * nbins)
        else:
            ok_hist_u16(s16 + a, b - a, parts + i * nbins)
    return parts_arr.sum(axis=0, dtype=np.int64)


def otsu_from_hist(hist, Py_ssize_t total):
    cdef uint32_t[::1] h = np.ascontiguousarray(hist, dtype=np.uint32)
    return ok_otsu_from_hist(&h[0], <int>h.shape[0], total)


def triangle_from_hist(hist):
    cdef uint32_t[::1] h = np.ascontiguousarray(hist, dtype=np.uint32)
    return ok_triangle_from_hist(&h[0])


cdef struct adaptive_args:
    const uint8_t *src
    uint8_t *dst
    const float *kern
    int w, h, gaussian, k, idelta, maxval, inv


cdef int _adaptive(const void *p, int y0, int y1) noexcept nogil:
    cdef const adaptive_args *a = <const adaptive_args *>p
    if a.gaussian:
        return ok_adaptive_gauss_u8(a.src, a.dst, a.w, a.h, y0, y1, a.k, a.kern, a.idelta,
                                    a.maxval, a.inv)
    return ok_adaptive_mean_u8(a.src, a.dst, a.w, a.h, y0, y1, a.k, a.idelta, a.maxval, a.inv)


def adaptive(const uint8_t[:, ::1] src, uint8_t[:, ::1] dst, int gaussian, int k, kern,
             int idelta, int maxval, int inv, int nthreads):
    """Fused adaptive threshold (mean or Gaussian) of a 2-D uint8 image."""
    cdef int h = <int>src.shape[0], w = <int>src.shape[1]
    cdef int nchunks = sample_chunks(<Py_ssize_t>h * w, nthreads)
    cdef int err
    cdef float[::1] kv = np.ascontiguousarray(kern if kern is not None else np.zeros(1), dtype=np.float32)
    cdef adaptive_args a = adaptive_args(&src[0, 0], &dst[0, 0], &kv[0], w, h, gaussian, k, idelta,
                                         maxval, inv)
    if nchunks > h:
        nchunks = h
    with nogil:
        err = run_rows(_adaptive, &a, h, nchunks, nchunks)
    if err:
        raise MemoryError("adaptive_threshold: out of memory for row buffers")
