# distutils: sources = csrc/threshold.c
"""Cython bindings for csrc/threshold.c: thin, unchecked, GIL released, row-parallel."""
from cython.parallel cimport prange
from libc.stdint cimport uint8_t, int16_t, uint16_t, uint32_t, int64_t

import numpy as np

cdef extern from "ok_common.h":
    void ok_row_range(int h, int n, int i, int *y0, int *y1) nogil

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

cdef enum:
    MIN_PER_THREAD = 1 << 16   # below this many samples a thread costs more than it saves


cdef int _chunks(Py_ssize_t total, int nthreads) noexcept nogil:
    cdef Py_ssize_t n = total // MIN_PER_THREAD
    if n < 1:
        n = 1
    if n > nthreads:
        n = nthreads
    return <int>n


def thresh(src, dst, double thresh, double maxval, int type, int nthreads):
    """Fixed threshold of a C-contiguous array into dst (same shape and dtype)."""
    cdef Py_ssize_t n = src.size
    cdef int nchunks = _chunks(n, nthreads)
    cdef int i, it = <int>thresh, im = <int>maxval
    cdef float ft = <float>thresh, fm = <float>maxval
    cdef Py_ssize_t a, b
    cdef const uint8_t[::1] s8
    cdef uint8_t[::1] d8
    cdef const int16_t[::1] s16
    cdef int16_t[::1] d16
    cdef const uint16_t[::1] su16
    cdef uint16_t[::1] du16
    cdef const float[::1] sf
    cdef float[::1] df
    flat_s = src.reshape(-1)
    flat_d = dst.reshape(-1)
    kind = src.dtype.char
    if kind == 'B':
        s8 = flat_s
        d8 = flat_d
        for i in prange(nchunks, nogil=True, num_threads=nchunks, schedule='static'):
            a = n * i // nchunks
            b = n * (i + 1) // nchunks
            ok_thresh_u8(&s8[0] + a, &d8[0] + a, b - a, it, im, type)
    elif kind == 'h':
        s16 = flat_s
        d16 = flat_d
        for i in prange(nchunks, nogil=True, num_threads=nchunks, schedule='static'):
            a = n * i // nchunks
            b = n * (i + 1) // nchunks
            ok_thresh_s16(&s16[0] + a, &d16[0] + a, b - a, it, im, type)
    elif kind == 'H':
        su16 = flat_s
        du16 = flat_d
        for i in prange(nchunks, nogil=True, num_threads=nchunks, schedule='static'):
            a = n * i // nchunks
            b = n * (i + 1) // nchunks
            ok_thresh_u16(&su16[0] + a, &du16[0] + a, b - a, it, im, type)
    else:
        sf = flat_s
        df = flat_d
        for i in prange(nchunks, nogil=True, num_threads=nchunks, schedule='static'):
            a = n * i // nchunks
            b = n * (i + 1) // nchunks
            ok_thresh_f32(&sf[0] + a, &df[0] + a, b - a, ft, fm, type)


def histogram(src, int nthreads):
    """Histogram of a C-contiguous uint8 (256 bins) or uint16 (65536 bins) array, as int64."""
    cdef Py_ssize_t n = src.size
    cdef int nbins = 256 if src.dtype.char == 'B' else 65536
    cdef int nchunks = _chunks(n, nthreads)
    cdef int i
    cdef Py_ssize_t a, b
    cdef uint32_t[:, ::1] parts = np.zeros((nchunks, nbins), np.uint32)
    cdef const uint8_t[::1] s8
    cdef const uint16_t[::1] s16
    flat = src.reshape(-1)
    if nbins == 256:
        s8 = flat
        for i in prange(nchunks, nogil=True, num_threads=nchunks, schedule='static'):
            a = n * i // nchunks
            b = n * (i + 1) // nchunks
            ok_hist_u8(&s8[0] + a, b - a, &parts[i, 0])
    else:
        s16 = flat
        for i in prange(nchunks, nogil=True, num_threads=nchunks, schedule='static'):
            a = n * i // nchunks
            b = n * (i + 1) // nchunks
            ok_hist_u16(&s16[0] + a, b - a, &parts[i, 0])
    return np.asarray(parts).sum(axis=0, dtype=np.int64)


def otsu_from_hist(hist, Py_ssize_t total):
    cdef uint32_t[::1] h = np.ascontiguousarray(hist, dtype=np.uint32)
    return ok_otsu_from_hist(&h[0], <int>h.shape[0], total)


def triangle_from_hist(hist):
    cdef uint32_t[::1] h = np.ascontiguousarray(hist, dtype=np.uint32)
    return ok_triangle_from_hist(&h[0])


def adaptive(const uint8_t[:, ::1] src, uint8_t[:, ::1] dst, int gaussian, int k, kern,
             int idelta, int maxval, int inv, int nthreads):
    """Fused adaptive threshold (mean or Gaussian) of a 2-D uint8 image."""
    cdef int h = <int>src.shape[0], w = <int>src.shape[1]
    cdef int nchunks = _chunks(<Py_ssize_t>h * w, nthreads)
    cdef int i, y0, y1, rc
    cdef int err = 0
    cdef float[::1] kv = np.ascontiguousarray(kern if kern is not None else np.zeros(1), dtype=np.float32)
    if nchunks > h:
        nchunks = h
    for i in prange(nchunks, nogil=True, num_threads=nchunks, schedule='static'):
        ok_row_range(h, nchunks, i, &y0, &y1)
        if gaussian:
            rc = ok_adaptive_gauss_u8(&src[0, 0], &dst[0, 0], w, h, y0, y1, k, &kv[0], idelta, maxval, inv)
        else:
            rc = ok_adaptive_mean_u8(&src[0, 0], &dst[0, 0], w, h, y0, y1, k, idelta, maxval, inv)
        if rc != 0:
            err += 1
    if err:
        raise MemoryError("adaptive_threshold: out of memory for row buffers")
