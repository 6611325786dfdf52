/* Douglas–Peucker polyline simplification as OpenCV 5's cv::approxPolyDP
 * (D. Douglas, T. Peucker, "Algorithms for the reduction of the number of
 * points required to represent a digitized line", 1973).
 *
 * OpenCV 5 measures a point's distance to the segment (not to its infinite
 * line), splits closed curves at two roughly farthest points found in three
 * sweeps, and finally drops points on nearly straight runs; all of it is
 * followed here, coordinate differences taken in the input's own type.
 */
#include "shapes.h"

#include <math.h>
#include <stdlib.h>

/* ------------------------------------------------------ Douglas–Peucker */

typedef struct {
    const int32_t *pi;
    const float *pf;
} pview;

/* Coordinate difference p[a] - p[b] along `axis`, subtracted in the input's
 * own type as OpenCV's template does, then widened. */
static inline double pdiff(const pview *v, int a, int b, int axis)
{
    if (v->pf)
        return (double)(v->pf[2 * a + axis] - v->pf[2 * b + axis]);
    return (double)(v->pi[2 * a + axis] - v->pi[2 * b + axis]);
}

static inline int pequal(const pview *v, int a, int b)
{
    if (v->pf)
        return v->pf[2 * a] == v->pf[2 * b] && v->pf[2 * a + 1] == v->pf[2 * b + 1];
    return v->pi[2 * a] == v->pi[2 * b] && v->pi[2 * a + 1] == v->pi[2 * b + 1];
}

/* (pt - s) . (e - pt) computed in the input type (int products wrap as
 * OpenCV's int arithmetic does on every platform we target). */
static inline double inner(const pview *v, int s, int pt, int e)
{
    if (v->pf) {
        const float *f = v->pf;
        return (double)((f[2 * pt] - f[2 * s]) * (f[2 * e] - f[2 * pt]) +
                        (f[2 * pt + 1] - f[2 * s + 1]) * (f[2 * e + 1] - f[2 * pt + 1]));
    }
    const int32_t *q = v->pi;
    uint32_t r = (uint32_t)(q[2 * pt] - q[2 * s]) * (uint32_t)(q[2 * e] - q[2 * pt]) +
                 (uint32_t)(q[2 * pt + 1] - q[2 * s + 1]) * (uint32_t)(q[2 * e + 1] - q[2 * pt + 1]);
    return (double)(int32_t)r;
}

/* Farthest point from the segment s-e among the points strictly between them
 * (cyclically), by squared distance to the segment times its squared length.
 * Returns the largest value (0 when none beats 0) and its index in *arg. The
 * int and float versions differ only in the type T the coordinates are
 * subtracted in, which OpenCV's template fixes; one body stamped out per
 * type keeps the per-point work free of type tests. */
#define DEFINE_SEG_SCAN(T, SUFFIX)                                                     \
static double seg_scan_##SUFFIX(const T *q, int count, int s, int e, int *arg)         \
{                                                                                       \
    const T sx = q[2 * s], sy = q[2 * s + 1];                                           \
    const double dx = (double)(q[2 * e] - sx), dy = (double)(q[2 * e + 1] - sy);        \
    const double len2 = dx * dx + dy * dy;                                              \
    const T ex = q[2 * e], ey = q[2 * e + 1];                                           \
    double best = 0;                                                                    \
    int i = s + 1 < count ? s + 1 : 0;                                                  \
    while (i != e) {                                                                    \
        int stop = e > i ? e : count;                                                   \
        for (; i < stop; i++) {                                                         \
            double px = (double)(q[2 * i] - sx), py = (double)(q[2 * i + 1] - sy);      \
            double t = px * dx + py * dy, d;                                            \
            if (t < 0) {                                                                \
                d = (px * px + py * py) * len2;                                         \
            } else if (t > len2) {                                                      \
                double qx = (double)(q[2 * i] - ex), qy = (double)(q[2 * i + 1] - ey);  \
                d = (qx * qx + qy * qy) * len2;                                         \
            } else {                                                                    \
                double c = py * dx - px * dy;                                           \
                d = c * c;                                                              \
            }                                                                           \
            if (d > best) {                                                             \
                best = d;                                                               \
                *arg = i;                                                               \
            }                                                                           \
        }                                                                               \
        if (i == count)                                                                 \
            i = 0;                                                                      \
    }                                                                                   \
    return best;                                                                        \
}

DEFINE_SEG_SCAN(int32_t, i32)
DEFINE_SEG_SCAN(float, f32)

typedef struct { int start, end; } range_t;

static int push_range(range_t **stack, int *top, int *cap, int start, int end)
{
    if (*top >= *cap) {
        int nc = *cap * 3 / 2 + 4;
        range_t *s = (range_t *)realloc(*stack, (size_t)nc * sizeof(range_t));
        if (!s)
            return -1;
        *stack = s;
        *cap = nc;
    }
    (*stack)[*top].start = start;
    (*stack)[*top].end = end;
    (*top)++;
    return 0;
}

int ok_approx_poly_dp(const void *pts, int is_float, int count, double eps, int closed0,
                      int32_t *dst)
{
    pview v = {is_float ? NULL : (const int32_t *)pts, is_float ? (const float *)pts : NULL};
    int init_iters = 3, pos = 0, new_count = 0, is_closed = closed0, le_eps = 0;
    int top = 0, cap = count + 4, err = 0;
    range_t slice = {0, 0}, right = {0, 0};
    int start_pt = -1, end_pt, pt;
    range_t *stack;

    if (count == 0)
        return 0;
    stack = (range_t *)malloc((size_t)cap * sizeof(range_t));
    if (!stack)
        return -1;
    eps *= eps;

    if (!is_closed) {
        right.start = count;
        if (!pequal(&v, count - 1, 0)) {
            slice.start = 0;
            slice.end = count - 1;
            err |= push_range(&stack, &top, &cap, slice.start, slice.end);
        } else {
            is_closed = 1;
            init_iters = 1;
        }
    }

    if (is_closed) {
        /* two roughly farthest points split the closed curve */
        right.start = 0;
        for (int i = 0; i < init_iters; i++) {
            double max_dist = 0;
            pos = (pos + right.start) % count;
            start_pt = pos;
            if (++pos >= count) pos = 0;
            for (int j = 1; j < count; j++) {
                pt = pos;
                if (++pos >= count) pos = 0;
                double dx = pdiff(&v, pt, start_pt, 0), dy = pdiff(&v, pt, start_pt, 1);
                double dist = dx * dx + dy * dy;
                if (dist > max_dist) {
                    max_dist = dist;
                    right.start = j;
                }
            }
            le_eps = max_dist <= eps;
        }
        if (!le_eps) {
            right.end = slice.start = pos % count;
            slice.end = right.start = (right.start + slice.start) % count;
            err |= push_range(&stack, &top, &cap, right.start, right.end);
            err |= push_range(&stack, &top, &cap, slice.start, slice.end);
        } else {
            dst[new_count++] = start_pt;
        }
    }

    while (top > 0 && !err) {
        slice = stack[--top];
        end_pt = slice.end;
        pos = slice.start;
        start_pt = pos;
        if (++pos >= count) pos = 0;
        if (pos != slice.end) {
            double dx = pdiff(&v, end_pt, start_pt, 0), dy = pdiff(&v, end_pt, start_pt, 1);
            double len2 = dx * dx + dy * dy;
            double max_dist = v.pf ? seg_scan_f32(v.pf, count, start_pt, end_pt, &right.start)
                                   : seg_scan_i32(v.pi, count, start_pt, end_pt, &right.start);
            le_eps = max_dist <= eps * len2;
        } else {
            le_eps = 1;
            start_pt = slice.start;
        }
        if (le_eps) {
            dst[new_count++] = start_pt;
        } else {
            right.end = slice.end;
            slice.end = right.start;
            err |= push_range(&stack, &top, &cap, right.start, right.end);
            err |= push_range(&stack, &top, &cap, slice.start, slice.end);
        }
    }
    free(stack);
    if (err)
        return -1;
    if (!is_closed)
        dst[new_count++] = count - 1;

    /* drop points on (nearly) straight runs left by the recursion */
    is_closed = closed0;
    count = new_count;
    pos = is_closed ? count - 1 : 0;
    start_pt = dst[pos];
    if (++pos >= count) pos = 0;
    int wpos = pos;
    pt = dst[pos];
    if (++pos >= count) pos = 0;
    for (int i = !is_closed; i < count - !is_closed && new_count > 2; i++) {
        end_pt = dst[pos];
        if (++pos >= count) pos = 0;
        double dx = pdiff(&v, end_pt, start_pt, 0), dy = pdiff(&v, end_pt, start_pt, 1);
        double dist = fabs(pdiff(&v, pt, start_pt, 0) * dy - pdiff(&v, pt, start_pt, 1) * dx);
        double sip = inner(&v, start_pt, pt, end_pt);
        if (dist * dist <= 0.5 * eps * (dx * dx + dy * dy) && dx != 0 && dy != 0 && sip >= 0) {
            new_count--;
            dst[wpos] = start_pt = end_pt;
            if (++wpos >= count) wpos = 0;
            pt = dst[pos];
            if (++pos >= count) pos = 0;
            i++;
            continue;
        }
        dst[wpos] = start_pt = pt;
        if (++wpos >= count) wpos = 0;
        pt = end_pt;
    }
    if (!is_closed)
        dst[wpos] = pt;
    return new_count;
}
