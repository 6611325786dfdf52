# distutils: sources = csrc/nms.c csrc/nms_rotated.c csrc/nms_poly.c
"""Thin bindings over csrc/nms.c, nms_rotated.c and nms_poly.c. Inputs are trusted
(checked in ocrkit.nms) and non-empty. Greedy NMS is sequential by nature (each
decision depends on the kept set so far), so unlike the row-parallel image kernels
these take no thread count: they run on one thread with the GIL released."""
import numpy as np

from libc.stdint cimport int32_t


cdef extern from "nms.h":
    int ok_nms_order(const float *scores, int n, float score_threshold, int top_k,
                     int32_t *order) nogil
    int ok_nms_boxes(const double *boxes, int n, const int32_t *order, int m,
                     float iou_threshold, float eta, int32_t *keep) nogil
    int ok_nms_rotated(const float *rects, int n, const int32_t *order, int m,
                       float iou_threshold, float eta, int32_t *keep) nogil
    int ok_nms_polygons(const double *polys, int n, const int32_t *order, int m,
                        double iou_threshold, int32_t *keep) nogil
    int ok_nms_polygons_contained(const double *polys, int n, const int32_t *order, int m,
                                  double iou_threshold, double contain_threshold,
                                  int32_t *keep) nogil
    int ok_soft_nms(const double *boxes, const float *scores, int n, float score_threshold,
                    float nms_threshold, int top_k, float sigma, int method,
                    int32_t *keep, float *kept_scores) nogil
    int ok_lanms(const double *polys, const double *scores, int n, double iou_threshold,
                 double *out_polys, double *out_scores) nogil
    double ok_quad_iou(const double *a, const double *b) nogil
    float ok_rotated_iou(const float *a, const float *b) nogil
    int ok_rotated_intersection(const float *a, const float *b, float *pts) nogil
    float ok_box_iou(const double *a, const double *b) nogil


cdef int _order(const float[::1] scores, float score_threshold, int top_k, int32_t[::1] order) except -2:
    cdef int m
    with nogil:
        m = ok_nms_order(&scores[0], <int>scores.shape[0], score_threshold, top_k, &order[0])
    if m < 0:
        raise MemoryError("nms: out of memory")
    return m


cdef enum:
    BOXES = 0
    ROTATED = 1
    POLYGONS = 2


cdef _suppress(int kind, const void *data, const float[::1] scores, float score_threshold,
               double iou_threshold, int top_k, float eta, str name):
    """Indices kept by the greedy suppression of `kind` over the scored candidates."""
    cdef int n = <int>scores.shape[0]
    cdef int m, k
    order = np.empty(n, np.int32)
    keep = np.empty(n, np.int32)
    cdef int32_t[::1] ov = order
    cdef int32_t[::1] kv = keep
    m = _order(scores, score_threshold, top_k, ov)
    with nogil:
        if kind == BOXES:
            k = ok_nms_boxes(<const double *>data, n, &ov[0], m, <float>iou_threshold, eta, &kv[0])
        elif kind == ROTATED:
            k = ok_nms_rotated(<const float *>data, n, &ov[0], m, <float>iou_threshold, eta, &kv[0])
        else:
            k = ok_nms_polygons(<const double *>data, n, &ov[0], m, iou_threshold, &kv[0])
    if k < 0:
        raise MemoryError(f"{name}: out of memory")
    return keep[:k].copy()


def nms_boxes(const double[:, ::1] boxes, const float[::1] scores, float score_threshold,
              float iou_threshold, int top_k, float eta):
    return _suppress(BOXES, &boxes[0, 0], scores, score_threshold, iou_threshold, top_k, eta,
                     "nms_boxes")


def nms_rotated(const float[:, ::1] rects, const float[::1] scores, float score_threshold,
                float iou_threshold, int top_k, float eta):
    return _suppress(ROTATED, &rects[0, 0], scores, score_threshold, iou_threshold, top_k, eta,
                     "nms_rotated")


def nms_polygons(const double[:, ::1] polys, const float[::1] scores, double iou_threshold):
    return _suppress(POLYGONS, &polys[0, 0], scores, <float>-np.inf, iou_threshold, 0, 0,
                     "nms_polygons")


def nms_polygons_contained(const double[:, ::1] polys, const float[::1] keys,
                           double iou_threshold, double contain_threshold):
    """Indices kept, highest key first: polygon NMS that also drops a quad with more
    than contain_threshold of its own area inside a kept one."""
    cdef int n = <int>keys.shape[0]
    cdef int m, k
    order = np.empty(n, np.int32)
    keep = np.empty(n, np.int32)
    cdef int32_t[::1] ov = order
    cdef int32_t[::1] kv = keep
    m = _order(keys, <float>-np.inf, 0, ov)
    with nogil:
        k = ok_nms_polygons_contained(&polys[0, 0], n, &ov[0], m, iou_threshold,
                                      contain_threshold, &kv[0])
    if k < 0:
        raise MemoryError("nms_polygons_contained: out of memory")
    return keep[:k].copy()


def soft_nms(const double[:, ::1] boxes, const float[::1] scores, float score_threshold,
             float nms_threshold, int top_k, float sigma, int method):
    cdef int n = <int>scores.shape[0]
    cdef int k
    keep = np.empty(n, np.int32)
    kept = np.empty(n, np.float32)
    cdef int32_t[::1] kv = keep
    cdef float[::1] sv = kept
    with nogil:
        k = ok_soft_nms(&boxes[0, 0], &scores[0], n, score_threshold, nms_threshold, top_k,
                        sigma, method, &kv[0], &sv[0])
    if k < 0:
        raise MemoryError("soft_nms: out of memory")
    return keep[:k].copy(), kept[:k].copy()


def locality_aware_nms(const double[:, ::1] polys, const double[::1] scores, double iou_threshold):
    cdef int n = <int>scores.shape[0]
    cdef int k
    out_p = np.empty((n, 8), np.float64)
    out_s = np.empty(n, np.float64)
    cdef double[:, ::1] pv = out_p
    cdef double[::1] sv = out_s
    with nogil:
        k = ok_lanms(&polys[0, 0], &scores[0], n, iou_threshold, &pv[0, 0], &sv[0])
    if k < 0:
        raise MemoryError("locality_aware_nms: out of memory")
    return out_p[:k].astype(np.float32), out_s[:k].astype(np.float32)


def quad_iou(const double[::1] a, const double[::1] b):
    return ok_quad_iou(&a[0], &b[0])


def rotated_iou(const float[::1] a, const float[::1] b):
    return ok_rotated_iou(&a[0], &b[0])


def box_iou(const double[::1] a, const double[::1] b):
    return ok_box_iou(&a[0], &b[0])


def rotated_intersection(const float[::1] a, const float[::1] b):
    """(kind, points): kind 0 none, 1 partial, 2 full like cv2.rotatedRectangleIntersection."""
    pts = np.zeros((24, 2), np.float32)
    cdef float[:, ::1] pv = pts
    cdef int n = ok_rotated_intersection(&a[0], &b[0], &pv[0, 0])
    if n < 0:
        return 0, pts[:0]
    if n == 0:
        return 2, pts[:0]
    return 1, pts[:n].copy()
