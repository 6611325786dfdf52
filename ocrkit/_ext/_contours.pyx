# distutils: sources = csrc/contours.c csrc/hull.c csrc/approx.c csrc/shapes.c
"""Bindings for csrc/contours.c, hull.c, approx.c and shapes.c (declared in shapes.h). Arguments arrive checked:
images uint8 C-contiguous 2-D, point sets C-contiguous n×2 int32 or float32, n >= 1."""
cimport numpy as cnp
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM
from cpython.ref cimport Py_INCREF
from libc.stdint cimport int8_t, int32_t, int64_t, uint8_t
from libc.stdlib cimport malloc, free
from libc.string cimport memcpy

import numpy as np

from ._rows cimport run_rows

cnp.import_array()

cdef extern from "contours.h" nogil:
    ctypedef struct ok_contour_set:
        int32_t *pts
        int64_t npts
        int64_t *start
        int32_t *count
        int32_t *hier
        int ncont
    int OK_CONTOURS_SLACK
    void ok_contours_binarize(const uint8_t *src, Py_ssize_t sstep, int width, int height,
                              int8_t *lab, Py_ssize_t lstep, int y0, int y1)
    int ok_find_contours(int8_t *lab, Py_ssize_t lstep, int width, int height, int mode,
                         int method, ok_contour_set *out)
    void ok_contour_set_free(ok_contour_set *cs)

cdef extern from "shapes.h" nogil:
    int ok_convex_hull(const void *pts, int is_float, int n, int clockwise, int return_points,
                       int32_t *hull)
    int ok_min_area_rect(const void *pts, int is_float, int n, float out[5])
    int ok_approx_poly_dp(const void *pts, int is_float, int n, double epsilon, int closed,
                          int32_t *keep)
    double ok_contour_area(const void *pts, int is_float, int n, int oriented)
    double ok_arc_length(const void *pts, int is_float, int n, int closed)
    void ok_bounding_rect(const void *pts, int is_float, int n, int32_t rect[4])


cdef struct binarize_args:
    const uint8_t *src
    Py_ssize_t sstep
    int w, h
    int8_t *lab
    Py_ssize_t lstep


cdef int _binarize(const void *p, int y0, int y1) noexcept nogil:
    cdef const binarize_args *a = <const binarize_args *>p
    ok_contours_binarize(a.src, a.sstep, a.w, a.h, a.lab, a.lstep, y0, y1)
    return 0


def find_contours(const uint8_t[:, ::1] src, int mode, int method, int nthreads):
    """(contours tuple of n×1×2 int32 views, hierarchy 1×n×4 int32 or None)."""
    cdef int h = <int>src.shape[0], w = <int>src.shape[1]
    cdef Py_ssize_t lstep = w + 2
    cdef int8_t *lab = <int8_t *>malloc(<size_t>((h + 2) * lstep + OK_CONTOURS_SLACK))
    if lab == NULL:
        raise MemoryError("ocrkit: out of memory for the contour label image")
    # The trace itself is sequential; binarising is one cheap pass, worth
    # threads only on very large images (a thread barrier costs more below).
    cdef int nchunks = max(1, min(nthreads, <int>(<long long>h * w // (1 << 22))))
    cdef int err
    cdef binarize_args a = binarize_args(&src[0, 0], src.strides[0], w, h, lab, lstep)
    cdef ok_contour_set cs
    with nogil:
        run_rows(_binarize, &a, h, nchunks, nchunks)
        err = ok_find_contours(lab, lstep, w, h, mode, method, &cs)
    free(lab)
    if err:
        raise MemoryError("ocrkit: out of memory while tracing contours")
    try:
        return _pack(&cs)
    finally:
        ok_contour_set_free(&cs)


cdef _pack(ok_contour_set *cs):
    cdef int n = cs.ncont, k
    if n == 0:
        return (), None
    cdef cnp.ndarray allpts = np.empty((cs.npts, 1, 2), np.int32)
    memcpy(cnp.PyArray_DATA(allpts), cs.pts, <size_t>cs.npts * 8)
    cdef cnp.ndarray hier = np.empty((1, n, 4), np.int32)
    memcpy(cnp.PyArray_DATA(hier), cs.hier, <size_t>n * 16)
    cdef tuple out = PyTuple_New(n)
    cdef object view
    cdef int64_t s
    for k in range(n):
        s = cs.start[k]
        view = allpts[s:s + cs.count[k]]
        Py_INCREF(view)
        PyTuple_SET_ITEM(out, k, view)
    return out, hier


cdef inline const void *_data(cnp.ndarray pts):
    return <const void *>cnp.PyArray_DATA(pts)


def convex_hull(cnp.ndarray pts, bint clockwise, bint return_points):
    """Hull indices (int32, OpenCV's order)."""
    cdef int n = <int>pts.shape[0], m
    cdef int is_float = cnp.PyArray_TYPE(pts) == cnp.NPY_FLOAT32
    cdef cnp.ndarray hull = np.empty(n, np.int32)
    cdef const void *p = _data(pts)
    cdef int32_t *hp = <int32_t *>cnp.PyArray_DATA(hull)
    with nogil:
        m = ok_convex_hull(p, is_float, n, clockwise, return_points, hp)
    if m < 0:
        raise MemoryError("ocrkit: out of memory in convex_hull")
    return hull[:m]


def min_area_rect(cnp.ndarray pts):
    cdef int n = <int>pts.shape[0], err
    cdef int is_float = cnp.PyArray_TYPE(pts) == cnp.NPY_FLOAT32
    cdef float out[5]
    cdef const void *p = _data(pts)
    with nogil:
        err = ok_min_area_rect(p, is_float, n, out)
    if err:
        raise MemoryError("ocrkit: out of memory in min_area_rect")
    return ((out[0], out[1]), (out[2], out[3]), out[4])


def approx_poly_dp(cnp.ndarray pts, double epsilon, bint closed):
    """Indices of the kept points."""
    cdef int n = <int>pts.shape[0], m
    cdef int is_float = cnp.PyArray_TYPE(pts) == cnp.NPY_FLOAT32
    cdef cnp.ndarray keep = np.empty(n, np.int32)
    cdef const void *p = _data(pts)
    cdef int32_t *kp = <int32_t *>cnp.PyArray_DATA(keep)
    with nogil:
        m = ok_approx_poly_dp(p, is_float, n, epsilon, closed, kp)
    if m < 0:
        raise MemoryError("ocrkit: out of memory in approx_poly_dp")
    return keep[:m]


def contour_area(cnp.ndarray pts, bint oriented):
    return ok_contour_area(_data(pts), cnp.PyArray_TYPE(pts) == cnp.NPY_FLOAT32, <int>pts.shape[0], oriented)


def arc_length(cnp.ndarray pts, bint closed):
    return ok_arc_length(_data(pts), cnp.PyArray_TYPE(pts) == cnp.NPY_FLOAT32, <int>pts.shape[0], closed)


def bounding_rect(cnp.ndarray pts):
    cdef int32_t r[4]
    ok_bounding_rect(_data(pts), cnp.PyArray_TYPE(pts) == cnp.NPY_FLOAT32, <int>pts.shape[0], r)
    return (r[0], r[1], r[2], r[3])
