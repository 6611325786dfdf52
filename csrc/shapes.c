/* Simple shape measures as OpenCV 5's shapedescr.cpp: contourArea (shoelace,
 * points widened to float, products in double), arcLength (float segment
 * lengths summed in double) and boundingRect of a point set.
 */
#include "shapes.h"

#include <math.h>

#include "ok_common.h"

/* ---------------------------------------------------------- measures */

static inline float fx(const void *pts, int is_float, int i, int axis)
{
    return is_float ? ((const float *)pts)[2 * i + axis] : (float)((const int32_t *)pts)[2 * i + axis];
}

double ok_contour_area(const void *pts, int is_float, int n, int oriented)
{
    if (n == 0)
        return 0.;
    double a = 0;
    float px = fx(pts, is_float, n - 1, 0), py = fx(pts, is_float, n - 1, 1);
    for (int i = 0; i < n; i++) {
        float x = fx(pts, is_float, i, 0), y = fx(pts, is_float, i, 1);
        a += (double)px * y - (double)py * x;
        px = x;
        py = y;
    }
    a *= 0.5;
    return oriented ? a : fabs(a);
}

double ok_arc_length(const void *pts, int is_float, int n, int closed)
{
    if (n <= 1)
        return 0.;
    double perim = 0;
    int last = closed ? n - 1 : 0;
    float px = fx(pts, is_float, last, 0), py = fx(pts, is_float, last, 1);
    for (int i = 0; i < n; i++) {
        float x = fx(pts, is_float, i, 0), y = fx(pts, is_float, i, 1);
        float dx = x - px, dy = y - py;
        perim += sqrtf(dx * dx + dy * dy);
        px = x;
        py = y;
    }
    return perim;
}

/* Min and max of x and y over interleaved pairs, eight lanes (four points) at
 * a time so the loop vectorises; even lanes hold x, odd lanes y.  One body per
 * element type T (int32_t, float). */
#define DEFINE_MINMAX(T, SUFFIX)                                        \
static OK_HOT void minmax_##SUFFIX(const T *q, int n, T out[4])         \
{                                                                       \
    T mn[8], mx[8];                                                     \
    for (int k = 0; k < 8; k++)                                         \
        mn[k] = mx[k] = q[k & 1];                                       \
    int i = 0, m = 2 * n;                                               \
    for (; i + 8 <= m; i += 8)                                          \
        for (int k = 0; k < 8; k++) {                                   \
            T v = q[i + k];                                             \
            mn[k] = v < mn[k] ? v : mn[k];                              \
            mx[k] = v > mx[k] ? v : mx[k];                              \
        }                                                               \
    for (; i < m; i++) {                                                \
        int k = i & 1;                                                  \
        mn[k] = q[i] < mn[k] ? q[i] : mn[k];                            \
        mx[k] = q[i] > mx[k] ? q[i] : mx[k];                            \
    }                                                                   \
    for (int k = 2; k < 8; k++) {                                       \
        int j = k & 1;                                                  \
        mn[j] = mn[k] < mn[j] ? mn[k] : mn[j];                          \
        mx[j] = mx[k] > mx[j] ? mx[k] : mx[j];                          \
    }                                                                   \
    out[0] = mn[0]; out[1] = mn[1]; out[2] = mx[0]; out[3] = mx[1];     \
}

DEFINE_MINMAX(int32_t, i32)
DEFINE_MINMAX(float, f32)

void ok_bounding_rect(const void *pts, int is_float, int n, int32_t rect[4])
{
    rect[0] = rect[1] = rect[2] = rect[3] = 0;
    if (n == 0)
        return;
    int32_t b[4];
    if (is_float) {
        float f[4];
        minmax_f32((const float *)pts, n, f);
        for (int k = 0; k < 4; k++)
            b[k] = (int32_t)floorf(f[k]);
    } else {
        minmax_i32((const int32_t *)pts, n, b);
    }
    rect[0] = b[0];
    rect[1] = b[1];
    rect[2] = b[2] - b[0] + 1;
    rect[3] = b[3] - b[1] + 1;
}
