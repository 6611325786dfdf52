/* Non-maximum suppression: axis-aligned boxes, rotated rectangles, convex quads,
 * soft-NMS and EAST's locality-aware merge.
 *
 * All functions trust their inputs (finite coordinates, non-negative sizes; the
 * Python layer checks).  Functions returning int give a count, or -1 when memory
 * could not be allocated.
 */
#ifndef OK_NMS_H
#define OK_NMS_H

#include <stdint.h>

/* Indices i with scores[i] > score_threshold, sorted by descending score with
 * ties in input order (std::stable_sort), cut to top_k when top_k > 0. */
int ok_nms_order(const float *scores, int n, float score_threshold, int top_k, int32_t *order);

/* Greedy NMS over `order[0..m)` as cv::dnn::NMSBoxes with Rect2d boxes
 * (n x 4 doubles: x, y, w, h).  Writes the kept indices, returns their count. */
int ok_nms_boxes(const double *boxes, int n, const int32_t *order, int m,
                 float iou_threshold, float eta, int32_t *keep);

/* Greedy NMS as cv::dnn::NMSBoxesRotated (n x 5 floats: cx, cy, w, h, angle in degrees). */
int ok_nms_rotated(const float *rects, int n, const int32_t *order, int m,
                   float iou_threshold, float eta, int32_t *keep);

/* Greedy NMS of convex quads (n x 8 doubles), exact polygon IoU; keep if IoU <= threshold. */
int ok_nms_polygons(const double *polys, int n, const int32_t *order, int m,
                    double iou_threshold, int32_t *keep);

/* As ok_nms_polygons, and a candidate is also dropped when more than
 * contain_threshold of its own area lies inside a kept quad (a fragment inside a
 * whole word, when `order` puts larger quads first); contain_threshold > 1 turns
 * that test off. */
int ok_nms_polygons_contained(const double *polys, int n, const int32_t *order, int m,
                              double iou_threshold, double contain_threshold, int32_t *keep);

/* cv::dnn::softNMSBoxes: method 1 = linear, 2 = gaussian.  Writes kept indices and
 * their updated scores, returns the count. */
int ok_soft_nms(const double *boxes, const float *scores, int n, float score_threshold,
                float nms_threshold, int top_k, float sigma, int method,
                int32_t *keep, float *kept_scores);

/* EAST locality-aware NMS: merge consecutive rows, then polygon NMS.  Writes up to n
 * merged quads (n x 8) and scores, returns their count. */
int ok_lanms(const double *polys, const double *scores, int n, double iou_threshold,
             double *out_polys, double *out_scores);

/* Exact IoU of two convex quads (x0, y0, ..., x3, y3), either orientation. */
double ok_quad_iou(const double *a, const double *b);

/* IoU of two rotated rectangles exactly as cv::dnn::NMSBoxesRotated computes it. */
float ok_rotated_iou(const float *a, const float *b);

/* cv::rotatedRectangleIntersection: -1 none, 0 full, else N partial points (x, y
 * pairs, at most 24 written to pts). */
int ok_rotated_intersection(const float *a, const float *b, float *pts);

/* IoU of two (x, y, w, h) boxes exactly as cv::dnn::NMSBoxes computes it. */
float ok_box_iou(const double *a, const double *b);

#endif
