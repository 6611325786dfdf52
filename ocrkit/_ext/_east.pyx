# distutils: sources = csrc/east_decode.c
"""Binding over csrc/east_decode.c. Inputs are trusted (checked in ocrkit.east)."""
import numpy as np

cdef extern from "east_decode.h":
    int ok_east_decode(const float *score, Py_ssize_t s_row, Py_ssize_t s_col,
                       const float *geo, Py_ssize_t g_row, Py_ssize_t g_col, Py_ssize_t g_ch,
                       int h, int w, float thr, float cell,
                       float dist_scale, float angle_scale, float angle_offset,
                       double sx, double sy, double *quads, double *scores, int cap) nogil
    int ok_east_quad_scores(const float *score, Py_ssize_t s_row, Py_ssize_t s_col, int h, int w,
                            float thr, const float *polys, int n, double sx, double sy,
                            double cell, double *means) nogil


def decode(const float[:, :] score, const float[:, :, :] geo, bint channels_first,
           float thr, float cell, float dist_scale, float angle_scale, float angle_offset,
           double sx, double sy):
    """score: H x W; geo: H x W x 5 (channels_first False) or 5 x H x W (True), any
    strides. Returns (quads N x 8 float64, scores N float64)."""
    cdef int h = <int>score.shape[0], w = <int>score.shape[1]
    cdef Py_ssize_t isz = sizeof(float)
    cdef Py_ssize_t g_row, g_col, g_ch
    if channels_first:
        g_ch, g_row, g_col = geo.strides[0] // isz, geo.strides[1] // isz, geo.strides[2] // isz
    else:
        g_row, g_col, g_ch = geo.strides[0] // isz, geo.strides[1] // isz, geo.strides[2] // isz
    cdef Py_ssize_t s_row = score.strides[0] // isz, s_col = score.strides[1] // isz
    cdef int cap = h * w
    if cap == 0:
        return np.empty((0, 8), np.float64), np.empty(0, np.float64)
    quads = np.empty((cap, 8), np.float64)
    scores = np.empty(cap, np.float64)
    cdef double[:, ::1] qv = quads
    cdef double[::1] sv = scores
    cdef int n
    with nogil:
        n = ok_east_decode(&score[0, 0], s_row, s_col, &geo[0, 0, 0], g_row, g_col, g_ch,
                           h, w, thr, cell, dist_scale, angle_scale, angle_offset,
                           sx, sy, &qv[0, 0], &sv[0], cap)
    return quads[:n], scores[:n]


def quad_scores(const float[:, :] score, const float[:, ::1] polys, float thr,
                double sx, double sy, double cell):
    """Mean above-threshold score inside each quad (N x 8 float32); NaN for none."""
    cdef int n = <int>polys.shape[0]
    means = np.empty(n, np.float64)
    if n == 0 or score.shape[0] == 0 or score.shape[1] == 0:
        means[:] = np.nan
        return means
    cdef double[::1] mv = means
    cdef Py_ssize_t isz = sizeof(float)
    cdef Py_ssize_t s_row = score.strides[0] // isz, s_col = score.strides[1] // isz
    with nogil:
        ok_east_quad_scores(&score[0, 0], s_row, s_col, <int>score.shape[0], <int>score.shape[1],
                            thr, &polys[0, 0], n, sx, sy, cell, &mv[0])
    return means
