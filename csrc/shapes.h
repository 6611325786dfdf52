/* Shape analysis on point sets: convex hull (Sklansky), minimum-area rectangle
 * (rotating calipers), Douglas–Peucker approximation, area, length, box.
 *
 * Implemented in hull.c (hull, box), approx.c (Douglas–Peucker) and shapes.c
 * (measures).  Points are interleaved x, y pairs, int32 or float32 (`is_float`),
 * passed as `const void *`.  Every function gives OpenCV 5's results: same
 * points, same order, same float arithmetic.
 */
#ifndef OK_SHAPES_H
#define OK_SHAPES_H

#include <stdint.h>

/* Hull of n >= 1 points as indices into pts, OpenCV's order; `hull` holds n
 * entries.  Returns the hull size, or -1 when out of memory. */
int ok_convex_hull(const void *pts, int is_float, int n, int clockwise, int return_points,
                   int32_t *hull);

/* cv::minAreaRect: out = cx, cy, w, h, angle (degrees).  0, or -1 on no memory. */
int ok_min_area_rect(const void *pts, int is_float, int n, float out[5]);

/* Douglas–Peucker as cv::approxPolyDP; writes indices of the kept points
 * (n entries of room) and returns their count, or -1 when out of memory. */
int ok_approx_poly_dp(const void *pts, int is_float, int n, double epsilon, int closed,
                      int32_t *keep);

double ok_contour_area(const void *pts, int is_float, int n, int oriented);
double ok_arc_length(const void *pts, int is_float, int n, int closed);

/* x, y, w, h as cv::boundingRect of a point set (zeros when n == 0). */
void ok_bounding_rect(const void *pts, int is_float, int n, int32_t rect[4]);

#endif
