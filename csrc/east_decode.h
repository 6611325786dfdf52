/* EAST geometry decoding: score + RBOX maps -> candidate quads. */
#ifndef OK_EAST_DECODE_H
#define OK_EAST_DECODE_H

#include <stddef.h>

/* Decode the cells of an h x w EAST score map whose score exceeds `thr`.
 *
 * score[i * s_row + j * s_col] is the score of cell (i, j); geometry channel c of
 * that cell is geo[i * g_row + j * g_col + c * g_ch] (element strides, so NHWC
 * TFLite maps and NCHW OpenCV blobs both pass without a copy).  Channels are
 * distances to the box's top, right, bottom and left, then the angle; each is
 * mapped through v * scale + offset first (dist_scale for the distances;
 * angle_scale, angle_offset for the angle; 1, 1, 0 for the original EAST model).
 *
 * Cell (i, j) stands for network-input pixel (cell * j, cell * i).  Corners are
 * mapped to the caller's image by x' = (x + 0.5) * sx - 0.5, y' likewise (the
 * pixel-centre convention of a resize by sx, sy), and written clockwise from the
 * box's own top-left as x0 y0 x1 y1 x2 y2 x3 y3 in row-major cell order.
 * `quads` has room for cap * 8 doubles and `scores` for cap doubles; returns the
 * number of quads written (at most cap). */
int ok_east_decode(const float *score, ptrdiff_t s_row, ptrdiff_t s_col,
                   const float *geo, ptrdiff_t g_row, ptrdiff_t g_col, ptrdiff_t g_ch,
                   int h, int w, float thr, float cell,
                   float dist_scale, float angle_scale, float angle_offset,
                   double sx, double sy, double *quads, double *scores, int cap);

/* Score merged quads against the h x w score map (strides as above): means[p] is
 * the mean score of the cells above `thr` whose centres lie inside quad p (polys:
 * n x 8 float32 in the caller's pixels, clockwise, mapped back to cells through
 * sx, sy and `cell`), or NaN when there is none.  Returns how many quads have one. */
int ok_east_quad_scores(const float *score, ptrdiff_t s_row, ptrdiff_t s_col, int h, int w,
                        float thr, const float *polys, int n, double sx, double sy,
                        double cell, double *means);

#endif
