/* Affine/perspective warps with OpenCV 5's sampling and rounding.
 *
 * Nearest and linear follow OpenCV 5's warp kernels (warp_kernels.simd.hpp):
 * the matrix is cast to float, source coordinates are computed in float with
 * a fused multiply-add per column, and bilinear blending is done in float
 * (also for uint8) and rounded half to even.  We emulate each fused
 * multiply-add exactly through double (a float product is exact in double),
 * which keeps results identical on machines without FMA.  OpenCV's scalar
 * tail (the last dw % 16 columns of a row on AVX2) uses unfused float
 * arithmetic; we do the same there.
 *
 * Cubic, too, samples at the exact float position in OpenCV 5 (tests show
 * no trace of the older 1/32-pixel INTER_BITS grid), with Keys weights
 * (A = -0.75) evaluated per pixel in float.
 */
#include "warp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ok_common.h"

#define UF 16               /* columns per vector step of OpenCV's AVX2 build */

/* x86's cvtps2dq answers INT_MIN for NaN and out-of-range values; OpenCV's
 * border tests then see a far-away pixel.  Reproduce that without UB. */
static inline int floor_i(float v)
{
    if (!(v >= -2147483648.f && v < 2147483648.f))
        return INT32_MIN;
    return (int)floorf(v);
}

static inline int round_i(float v)
{
    if (!(v >= -2147483648.f && v < 2147483648.f))
        return INT32_MIN;
    return (int)lrintf(v);
}

/* fmaf(a, b, c) through double: a*b is exact, only the sum rounds (twice,
 * which differs from one rounding only at exact float midpoints). */
static inline float fma_f(float a, float b, float c)
{
    return (float)((double)a * (double)b + (double)c);
}

static inline int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

/* ------------------------------------------------------ coordinates (float) */

typedef struct {
    float m[9];
    int persp;
} fmap;

/* Source position of destination (x, y).  `fused` selects OpenCV's vector
 * formula (fma on x, row terms precomputed) over its scalar tail formula. */
static inline void map_xy(const fmap *f, int x, int y, int fused, float *sx, float *sy)
{
    const float *M = f->m;
    float xf = (float)x, yf = (float)y;
    if (fused) {
        float mx = yf * M[1] + M[2], my = yf * M[4] + M[5];
        float X = fma_f(M[0], xf, mx), Y = fma_f(M[3], xf, my);
        if (f->persp) {
            float W = fma_f(M[6], xf, yf * M[7] + M[8]);
            X = X / W;
            Y = Y / W;
        }
        *sx = X;
        *sy = Y;
    } else {
        float X = xf * M[0] + yf * M[1] + M[2], Y = xf * M[3] + yf * M[4] + M[5];
        if (f->persp) {
            float W = xf * M[6] + yf * M[7] + M[8];
            X = X / W;
            Y = Y / W;
        }
        *sx = X;
        *sy = Y;
    }
}

/* --------------------------------------------------- nearest, linear, cubic */

static void cubic_coeffs(float x, float *c)
{
    const float A = -0.75f;
    c[0] = ((A * (x + 1) - 5 * A) * (x + 1) + 8 * A) * (x + 1) - 4 * A;
    c[1] = ((A + 2) * x - (A + 3)) * x * x + 1;
    c[2] = ((A + 2) * (1 - x) - (A + 3)) * (1 - x) * (1 - x) + 1;
    c[3] = 1.f - c[0] - c[1] - c[2];
}




/* OpenCV 5 samples cubic at the exact float position (no 1/32 grid):
 * Keys weights (A = -0.75) per axis, rows blended first, then columns. */
#define DEFINE_CUBIC_PX(T, STORE)                                                           \
static inline void cubic_px_##T(const T *src, ptrdiff_t sstep, int sw, int sh, int cn,      \
                                float sx, float sy, int border, const T *bv, T *D)          \
{                                                                                           \
    int ix = floor_i(sx), iy = floor_i(sy);                                                 \
    float wx[4], wy[4];                                                                     \
    cubic_coeffs(sx - (float)ix, wx);                                                       \
    cubic_coeffs(sy - (float)iy, wy);                                                       \
    if (ix == INT32_MIN || iy == INT32_MIN)                                                 \
        ix = iy = -16;  /* NaN or huge: far outside, without overflowing below */           \
    ix -= 1;                                                                                \
    iy -= 1;                                                                                \
    if (sw > 3 && sh > 3 && (unsigned)ix < (unsigned)(sw - 3) && (unsigned)iy < (unsigned)(sh - 3)) { \
        const T *S = src + (ptrdiff_t)iy * sstep + (ptrdiff_t)ix * cn;                      \
        for (int c = 0; c < cn; c++) {                                                      \
            float v = 0.f;                                                                  \
            for (int i = 0; i < 4; i++) {                                                   \
                const T *r = S + i * sstep + c;                                             \
                float h = r[0] * wx[0] + r[cn] * wx[1] + r[2 * cn] * wx[2] + r[3 * cn] * wx[3]; \
                v += h * wy[i];                                                             \
            }                                                                               \
            D[c] = STORE(v);                                                                \
        }                                                                                   \
        return;                                                                             \
    }                                                                                       \
    if (border == OK_BORDER_CONSTANT &&                                                     \
        (ix >= sw || ix + 4 <= 0 || iy >= sh || iy + 4 <= 0)) {                             \
        for (int c = 0; c < cn; c++)                                                        \
            D[c] = bv[c];                                                                   \
        return;                                                                             \
    }                                                                                       \
    for (int c = 0; c < cn; c++) {                                                          \
        float v = 0.f;                                                                      \
        for (int i = 0; i < 4; i++) {                                                       \
            float h = 0.f;                                                                  \
            int yy = iy + i;                                                                \
            for (int j = 0; j < 4; j++) {                                                   \
                int xx = ix + j;                                                            \
                float p;                                                                    \
                if ((unsigned)xx < (unsigned)sw && (unsigned)yy < (unsigned)sh)             \
                    p = src[(ptrdiff_t)yy * sstep + (ptrdiff_t)xx * cn + c];                \
                else if (border == OK_BORDER_CONSTANT)                                      \
                    p = bv[c];                                                              \
                else                                                                        \
                    p = src[(ptrdiff_t)clampi(yy, 0, sh - 1) * sstep                        \
                            + (ptrdiff_t)clampi(xx, 0, sw - 1) * cn + c];                   \
                h += p * wx[j];                                                             \
            }                                                                               \
            v += h * wy[i];                                                                 \
        }                                                                                   \
        D[c] = STORE(v);                                                                    \
    }                                                                                       \
}

#define DEFINE_WARP_FLOAT_PATH(NAME, T, STORE)                                               \
static void NAME(const T *src, ptrdiff_t sstep, int sw, int sh, int cn, T *dst,             \
                 ptrdiff_t dstep, int dw, const fmap *f, int interp, int border,            \
                 const T *bv, int y0, int y1)                                               \
{                                                                                           \
    int xe = dw - dw % UF;                                                                  \
    for (int y = y0; y < y1; y++) {                                                         \
        T *D = dst + (ptrdiff_t)y * dstep;                                                  \
        for (int x = 0; x < dw; x++, D += cn) {                                             \
            int fused = x < xe;                                                             \
            float sx, sy;                                                                   \
            map_xy(f, x, y, fused, &sx, &sy);                                               \
            if (interp == OK_WARP_NEAREST) {                                                \
                int ix = round_i(sx), iy = round_i(sy);                                     \
                if ((unsigned)ix < (unsigned)sw && (unsigned)iy < (unsigned)sh) {           \
                    const T *p = src + (ptrdiff_t)iy * sstep + (ptrdiff_t)ix * cn;          \
                    for (int c = 0; c < cn; c++)                                            \
                        D[c] = p[c];                                                        \
                } else if (border == OK_BORDER_CONSTANT) {                                  \
                    for (int c = 0; c < cn; c++)                                            \
                        D[c] = bv[c];                                                       \
                } else {                                                                    \
                    const T *p = src + (ptrdiff_t)clampi(iy, 0, sh - 1) * sstep             \
                                 + (ptrdiff_t)clampi(ix, 0, sw - 1) * cn;                   \
                    for (int c = 0; c < cn; c++)                                            \
                        D[c] = p[c];                                                        \
                }                                                                           \
                continue;                                                                   \
            }                                                                               \
            if (interp == OK_WARP_CUBIC) {                                                  \
                cubic_px_##T(src, sstep, sw, sh, cn, sx, sy, border, bv, D);                \
                continue;                                                                   \
            }                                                                               \
            int ix = floor_i(sx), iy = floor_i(sy);                                         \
            float ax = sx - (float)ix, ay = sy - (float)iy;                                 \
            float p00[4], p01[4], p10[4], p11[4];                                           \
            if ((unsigned)ix < (unsigned)(sw - 1) && (unsigned)iy < (unsigned)(sh - 1)) {   \
                const T *p = src + (ptrdiff_t)iy * sstep + (ptrdiff_t)ix * cn;              \
                for (int c = 0; c < cn; c++) {                                              \
                    p00[c] = p[c];                                                          \
                    p01[c] = p[c + cn];                                                     \
                    p10[c] = p[sstep + c];                                                  \
                    p11[c] = p[sstep + cn + c];                                             \
                }                                                                           \
            } else {                                                                        \
                if (border == OK_BORDER_CONSTANT &&                                         \
                    ((unsigned)(ix + 1) >= (unsigned)(sw + 1) ||                            \
                     (unsigned)(iy + 1) >= (unsigned)(sh + 1))) {                           \
                    for (int c = 0; c < cn; c++)                                            \
                        D[c] = bv[c];                                                       \
                    continue;                                                               \
                }                                                                           \
                float *pp[4] = {p00, p01, p10, p11};                                        \
                for (int k = 0; k < 4; k++) {                                               \
                    int xx = ix + (k & 1), yy = iy + (k >> 1);                              \
                    if ((unsigned)xx < (unsigned)sw && (unsigned)yy < (unsigned)sh) {       \
                        const T *p = src + (ptrdiff_t)yy * sstep + (ptrdiff_t)xx * cn;      \
                        for (int c = 0; c < cn; c++)                                        \
                            pp[k][c] = p[c];                                                \
                    } else if (border == OK_BORDER_CONSTANT) {                              \
                        for (int c = 0; c < cn; c++)                                        \
                            pp[k][c] = bv[c];                                               \
                    } else {                                                                \
                        const T *p = src + (ptrdiff_t)clampi(yy, 0, sh - 1) * sstep         \
                                     + (ptrdiff_t)clampi(xx, 0, sw - 1) * cn;               \
                        for (int c = 0; c < cn; c++)                                        \
                            pp[k][c] = p[c];                                                \
                    }                                                                       \
                }                                                                           \
            }                                                                               \
            for (int c = 0; c < cn; c++) {                                                  \
                float v0, v1, v;                                                            \
                if (fused) {                                                                \
                    v0 = fma_f(ax, p01[c] - p00[c], p00[c]);                                \
                    v1 = fma_f(ax, p11[c] - p10[c], p10[c]);                                \
                    v = fma_f(ay, v1 - v0, v0);                                             \
                } else {                                                                    \
                    v0 = p00[c] + ax * (p01[c] - p00[c]);                                   \
                    v1 = p10[c] + ax * (p11[c] - p10[c]);                                   \
                    v = v0 + ay * (v1 - v0);                                                \
                }                                                                           \
                D[c] = STORE(v);                                                            \
            }                                                                               \
        }                                                                                   \
    }                                                                                       \
}

#define STORE_U8(v) ok_sat_u8(round_i(v))
#define STORE_F32(v) (v)
DEFINE_CUBIC_PX(uint8_t, STORE_U8)
DEFINE_CUBIC_PX(float, STORE_F32)
DEFINE_WARP_FLOAT_PATH(warp_float_u8, uint8_t, STORE_U8)
DEFINE_WARP_FLOAT_PATH(warp_float_f32, float, STORE_F32)

/* ------------------------------------------------------------------- entry */

static void to_fmap(const double *m, int persp, fmap *f)
{
    for (int i = 0; i < 9; i++)
        f->m[i] = i < 6 || persp ? (float)m[i] : 0.f;
    f->persp = persp;
}

void ok_warp_u8(const uint8_t *src, ptrdiff_t sstep, int sw, int sh, int cn,
                uint8_t *dst, ptrdiff_t dstep, int dw, int dh, const double *m, int perspective,
                int interp, int border, const double *bval, int y0, int y1)
{
    fmap f;
    uint8_t bv[4];
    (void)dh;
    to_fmap(m, perspective, &f);
    for (int c = 0; c < 4; c++)
        bv[c] = ok_sat_u8(ok_round_f64(bval[c]));
    warp_float_u8(src, sstep, sw, sh, cn, dst, dstep, dw, &f, interp, border, bv, y0, y1);
}

void ok_warp_f32(const float *src, ptrdiff_t sstep, int sw, int sh, int cn,
                 float *dst, ptrdiff_t dstep, int dw, int dh, const double *m, int perspective,
                 int interp, int border, const double *bval, int y0, int y1)
{
    fmap f;
    float bv[4];
    (void)dh;
    to_fmap(m, perspective, &f);
    for (int c = 0; c < 4; c++)
        bv[c] = (float)bval[c];
    warp_float_f32(src, sstep, sw, sh, cn, dst, dstep, dw, &f, interp, border, bv, y0, y1);
}
