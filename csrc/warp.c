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
/* Floating-point exceptions are never inspected; letting GCC assume so
 * allows branch-free (vectorised) clamps and selects.  Results are unchanged. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

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

/* fmaf(a, b, c), OpenCV's v_fma.  Without cheap hardware FMA: through double,
 * where a*b is exact and only the sum rounds (twice, which differs from one
 * rounding only at exact float midpoints). */
static inline float fma_f(float a, float b, float c)
{
#if OK_NATIVE_FMA
    return fmaf(a, b, c);
#else
    return (float)((double)a * (double)b + (double)c);
#endif
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
                 const T *bv, int y0, int y1, int xstart)                                   \
{                                                                                           \
    int xe = dw - dw % UF;                                                                  \
    for (int y = y0; y < y1; y++) {                                                         \
        T *D = dst + (ptrdiff_t)y * dstep + (ptrdiff_t)xstart * cn;                         \
        for (int x = xstart; x < dw; x++, D += cn) {                                        \
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


/* ---------------------------------------------------------- blocked fast path */

/* The same arithmetic as the per-pixel path for OpenCV's vector columns,
 * reorganised for speed: coordinates of BLK columns at once (vectorisable),
 * then a gather of the 2x2 neighbourhoods into channel-planar buffers, then
 * a vectorisable blend.  Pixels needing the border are fetched one by one;
 * a pixel wholly outside a constant border gets four copies of the border
 * value, which the blend returns unchanged. */
#define BLK 64
#define TILE_W (4 * BLK)
#define TILE_H 32

#define FAR 1073741824.f    /* clamp before int conversion: keeps NaN/huge defined */
#define FAR_NN 4194304.f    /* nearest: sources narrower than 2^21 (else slow path) */

static inline float clamp_far(float v)
{
    v = v > -FAR ? v : -FAR;   /* NaN compares false: becomes -FAR, i.e. outside */
    return v < FAR ? v : FAR;
}

static inline __attribute__((always_inline)) void block_coords(const fmap *f, int x0, int n, int y, float *sx, float *sy)
{
    const float *M = f->m;
    float yf = (float)y;
    float mx = yf * M[1] + M[2], my = yf * M[4] + M[5];
    if (!f->persp) {
        for (int i = 0; i < n; i++) {
            float xf = (float)(x0 + i);
            sx[i] = fma_f(M[0], xf, mx);
            sy[i] = fma_f(M[3], xf, my);
        }
    } else {
        float mw = yf * M[7] + M[8];
        for (int i = 0; i < n; i++) {
            float xf = (float)(x0 + i);
            float X = fma_f(M[0], xf, mx);
            float Y = fma_f(M[3], xf, my);
            float W = fma_f(M[6], xf, mw);
            sx[i] = X / W;
            sy[i] = Y / W;
        }
    }
}

static inline uint8_t store_u8(float v)
{
    const float magic = 12582912.0f;
    v = (v + magic) - magic;                   /* half to even, like cvtps2dq */
    v = v < 0.f ? 0.f : v > 255.f ? 255.f : v;
    return (uint8_t)(int)v;
}

static inline float store_f32(float v) { return v; }

/* Each pixel's element offset when its whole neighbourhood lies inside
 * (else -1); returns whether all of them do. */
static inline __attribute__((always_inline)) int block_offsets(
    const int *ix, const int *iy, int n, int lim_x, int lim_y, int sstep, int cn, int *ofs)
{
    int inside = 1;
    for (int i = 0; i < n; i++) {
        int jx = ix[i], jy = iy[i];
        int in = ((unsigned)jx < (unsigned)lim_x) & ((unsigned)jy < (unsigned)lim_y);
        ofs[i] = in ? jy * sstep + jx * cn : -1;
        inside &= in;
    }
    return inside;
}

/* Stage 1 (vectorised): integer positions, fractions, and each pixel's
 * element offset when its whole neighbourhood lies inside (else -1). */
static inline __attribute__((always_inline)) int block_index_linear(
    const float *sx, const float *sy, int n, int lim_x, int lim_y, int sstep, int cn,
    int *ix, int *iy, float *ax, float *ay, int *ofs)
{
    for (int i = 0; i < n; i++) {
        float fx = floorf(clamp_far(sx[i])), fy = floorf(clamp_far(sy[i]));
        ix[i] = (int)fx;
        iy[i] = (int)fy;
        ax[i] = sx[i] - fx;
        ay[i] = sy[i] - fy;
    }
    return block_offsets(ix, iy, n, lim_x, lim_y, sstep, cn, ofs);
}

static inline __attribute__((always_inline)) int block_index_nearest(
    const float *sx, const float *sy, int n, int lim_x, int lim_y, int sstep, int cn,
    int *ix, int *iy, int *ofs)
{
    /* |v| <= 2^22 after the clamp (see FAR_NN), where adding 1.5*2^23 rounds
     * half to even like cvtps2dq */
    const float magic = 12582912.0f;
    for (int i = 0; i < n; i++) {
        float vx = sx[i], vy = sy[i];
        vx = vx > -FAR_NN ? vx : -FAR_NN;
        vx = vx < FAR_NN ? vx : FAR_NN;
        vy = vy > -FAR_NN ? vy : -FAR_NN;
        vy = vy < FAR_NN ? vy : FAR_NN;
        ix[i] = (int)((vx + magic) - magic);
        iy[i] = (int)((vy + magic) - magic);
    }
    return block_offsets(ix, iy, n, lim_x, lim_y, sstep, cn, ofs);
}

/* fmaf(a, d, p) for uint8 data without FMA or double: d and p are integers
 * of at most 9 bits, a in [0, 1] is split into a 12-bit head and the rest.
 * p + ah*d is exact in float (21 bits); for a >= 1/16 the tail product al*d
 * is exact too, so the one rounding of the sum is the fused result.  Below
 * 1/16 al*d is rounded first; that double rounding can only matter when the
 * sum lands within 2^-29 of a float midpoint (never seen in the tests). */
static inline int max_ofs(const int *ofs, int n)
{
    int m = 0;
    for (int i = 0; i < n; i++)
        m = ofs[i] > m ? ofs[i] : m;
    return m;
}

static inline int little_endian(void)
{
    const uint16_t one = 1;
    uint8_t b;
    memcpy(&b, &one, 1);
    return b;
}

static inline __attribute__((always_inline)) void split_frac(const float *a, float *ah, float *al, int n)
{
    for (int i = 0; i < n; i++) {
        float v = a[i];
        v = v > 0.f ? v : 0.f;    /* NaN (from NaN coordinates) becomes 0 */
        v = v < 1.f ? v : 1.f;
        if (OK_NATIVE_FMA) {      /* only the clamp is needed */
            ah[i] = v;
            continue;
        }
        float h = floorf(v * 4096.f) * (1.f / 4096.f);
        ah[i] = h;
        al[i] = v - h;
    }
}

static inline float fma_u8_f(float ah, float al, float d, float p)
{
    return (p + ah * d) + al * d;
}

/* Parameters of the per-block kernels that fast_rows dispatches to: n <= BLK
 * destination pixels of row y0 from column x0, written to D. */
#define FAST_BLOCK_ARGS(T)                                                                  \
    const T *src, ptrdiff_t sstep, int sw, int sh, T *D, int n,                             \
    const fmap *f, int x0, int y0, int border, const T *bv

/* Pixel i's 2x2 neighbourhood, top-left element at p, into the planar P. */
#define GATHER_2X2(P, i, p, cn, sstep)                                                      \
    for (int c_ = 0; c_ < (cn); c_++) {                                                     \
        (P)[0][c_][i] = (p)[c_];                                                            \
        (P)[1][c_][i] = (p)[(cn) + c_];                                                     \
        (P)[2][c_][i] = (p)[(sstep) + c_];                                                  \
        (P)[3][c_][i] = (p)[(sstep) + (cn) + c_];                                           \
    }

#define DEFINE_FAST(T, SUFFIX, STORE, CN)                                                   \
OK_HOT_FMA static void fast_linear_##SUFFIX##CN(FAST_BLOCK_ARGS(T))                         \
{                                                                                           \
    const int cn = CN;                                                                      \
    float sx[BLK], sy[BLK];                                                                 \
    block_coords(f, x0, n, y0, sx, sy);                                                     \
    int ix[BLK], iy[BLK], ofs[BLK];                                                         \
    float ax[BLK], ay[BLK];                                                                 \
    T P[4][CN][BLK];        /* gathered as T; converted in the vectorised blend */          \
    int all = block_index_linear(sx, sy, n, sw - 1, sh - 1, (int)sstep, cn, ix, iy, ax, ay, ofs);    \
    if (all && CN == 1 && sizeof(T) == 1) {                                                 \
        /* gray uint8: each row pair is one 16-bit load, split when vectorised */           \
        uint16_t top[BLK], bot[BLK];                                                        \
        for (int i = 0; i < n; i++) {                                                       \
            const T *p = src + ofs[i];                                                      \
            memcpy(&top[i], p, 2);                                                          \
            memcpy(&bot[i], p + sstep, 2);                                                  \
        }                                                                                   \
        int lo = little_endian() ? 0 : 8, hi = 8 - lo;                                      \
        for (int i = 0; i < n; i++) {                                                       \
            P[0][0][i] = (T)((top[i] >> lo) & 255);                                         \
            P[1][0][i] = (T)((top[i] >> hi) & 255);                                         \
            P[2][0][i] = (T)((bot[i] >> lo) & 255);                                         \
            P[3][0][i] = (T)((bot[i] >> hi) & 255);                                         \
        }                                                                                   \
    } else if (all && CN == 3 && sizeof(T) == 1 && little_endian()                         \
               && max_ofs(ofs, n) + sstep + 8 <= (ptrdiff_t)sh * sstep) {                   \
        /* BGR uint8: each pixel is one 4-byte load (the spare byte is ignored);            \
         * the 1-byte overread is kept inside the image by the test above */                \
        uint32_t t0[BLK], t1[BLK], b0[BLK], b1[BLK];                                        \
        for (int i = 0; i < n; i++) {                                                       \
            const T *p = src + ofs[i];                                                      \
            memcpy(&t0[i], p, 4);                                                           \
            memcpy(&t1[i], p + 3, 4);                                                       \
            memcpy(&b0[i], p + sstep, 4);                                                   \
            memcpy(&b1[i], p + sstep + 3, 4);                                               \
        }                                                                                   \
        for (int c = 0; c < 3; c++) {                                                       \
            for (int i = 0; i < n; i++) {                                                   \
                P[0][c][i] = (T)((t0[i] >> (8 * c)) & 255);                                 \
                P[1][c][i] = (T)((t1[i] >> (8 * c)) & 255);                                 \
                P[2][c][i] = (T)((b0[i] >> (8 * c)) & 255);                                 \
                P[3][c][i] = (T)((b1[i] >> (8 * c)) & 255);                                 \
            }                                                                               \
        }                                                                                   \
    } else if (all) {                                                                       \
        for (int i = 0; i < n; i++) {                                                       \
            const T *p = src + ofs[i];                                                      \
            GATHER_2X2(P, i, p, cn, sstep);                                                 \
        }                                                                                   \
    } else {                                                                                \
        for (int i = 0; i < n; i++) {                                                       \
            int x = ix[i], y = iy[i];                                                       \
            if (ofs[i] >= 0) {                                                              \
                const T *p = src + ofs[i];                                                  \
                GATHER_2X2(P, i, p, cn, sstep);                                             \
                continue;                                                                   \
            }                                                                               \
            if (border == OK_BORDER_CONSTANT &&                                             \
                ((unsigned)(x + 1) >= (unsigned)(sw + 1) || (unsigned)(y + 1) >= (unsigned)(sh + 1))) { \
                for (int k = 0; k < 4; k++)                                                 \
                    for (int c = 0; c < cn; c++)                                            \
                        P[k][c][i] = bv[c];                                                 \
                continue;                                                                   \
            }                                                                               \
            for (int k = 0; k < 4; k++) {                                                   \
                int xx = x + (k & 1), yy = y + (k >> 1);                                    \
                const T *p;                                                                 \
                if ((unsigned)xx < (unsigned)sw && (unsigned)yy < (unsigned)sh)             \
                    p = src + (ptrdiff_t)yy * sstep + (ptrdiff_t)xx * cn;                   \
                else if (border == OK_BORDER_CONSTANT)                                      \
                    p = bv;                                                                 \
                else                                                                        \
                    p = src + (ptrdiff_t)clampi(yy, 0, sh - 1) * sstep                      \
                        + (ptrdiff_t)clampi(xx, 0, sw - 1) * cn;                            \
                for (int c = 0; c < cn; c++)                                                \
                    P[k][c][i] = p[c];                                                      \
            }                                                                               \
        }                                                                                   \
    }                                                                                       \
    float axh[BLK], axl[BLK];                                                               \
    if (sizeof(T) == 1)                                                                     \
        split_frac(ax, axh, axl, n);                                                        \
    for (int c = 0; c < cn; c++) {                                                          \
        float out[BLK];                                                                     \
        const T *q00 = P[0][c], *q01 = P[1][c], *q10 = P[2][c], *q11 = P[3][c];             \
        if (OK_NATIVE_FMA) {                                                                \
            /* axh holds the clamped fraction when FMA is native */                        \
            for (int i = 0; i < n; i++) {                                                   \
                float p00 = q00[i], p01 = q01[i], p10 = q10[i], p11 = q11[i];               \
                float a = sizeof(T) == 1 ? axh[i] : ax[i];                                  \
                float v0 = fma_f(a, p01 - p00, p00);                                        \
                float v1 = fma_f(a, p11 - p10, p10);                                        \
                out[i] = fma_f(ay[i], v1 - v0, v0);                                         \
            }                                                                               \
        } else if (sizeof(T) == 1) {                                                        \
            for (int i = 0; i < n; i++) {                                                   \
                float p00 = q00[i], p01 = q01[i], p10 = q10[i], p11 = q11[i];               \
                float v0 = fma_u8_f(axh[i], axl[i], p01 - p00, p00);                        \
                float v1 = fma_u8_f(axh[i], axl[i], p11 - p10, p10);                        \
                out[i] = (float)((double)ay[i] * (double)(v1 - v0) + (double)v0);           \
            }                                                                               \
        } else {                                                                            \
            for (int i = 0; i < n; i++) {                                                   \
                float p00 = q00[i], p01 = q01[i], p10 = q10[i], p11 = q11[i];               \
                float v0 = (float)((double)ax[i] * (double)(p01 - p00) + (double)p00);      \
                float v1 = (float)((double)ax[i] * (double)(p11 - p10) + (double)p10);      \
                out[i] = (float)((double)ay[i] * (double)(v1 - v0) + (double)v0);           \
            }                                                                               \
        }                                                                                   \
        for (int i = 0; i < n; i++)                                                         \
            D[i * cn + c] = STORE(out[i]);                                                  \
    }                                                                                       \
}                                                                                           \
OK_HOT_FMA static void fast_nearest_##SUFFIX##CN(FAST_BLOCK_ARGS(T))                        \
{                                                                                           \
    const int cn = CN;                                                                      \
    float sx[BLK], sy[BLK];                                                                 \
    block_coords(f, x0, n, y0, sx, sy);                                                     \
    int ix[BLK], iy[BLK], ofs[BLK];                                                         \
    int all = block_index_nearest(sx, sy, n, sw, sh, (int)sstep, cn, ix, iy, ofs);        \
    if (all) {                                                                              \
        for (int i = 0; i < n; i++)                                                         \
            for (int c = 0; c < cn; c++)                                                    \
                D[i * cn + c] = src[ofs[i] + c];                                            \
        return;                                                                             \
    }                                                                                       \
    for (int i = 0; i < n; i++) {                                                           \
        int x = ix[i], y = iy[i];                                                           \
        const T *p;                                                                         \
        if (ofs[i] >= 0)                                                                    \
            p = src + ofs[i];                                                               \
        else if (border == OK_BORDER_CONSTANT)                                              \
            p = bv;                                                                         \
        else                                                                                \
            p = src + (ptrdiff_t)clampi(y, 0, sh - 1) * sstep + (ptrdiff_t)clampi(x, 0, sw - 1) * cn; \
        for (int c = 0; c < cn; c++)                                                        \
            D[i * cn + c] = p[c];                                                           \
    }                                                                                       \
}

/* Cubic over BLK columns: weights for the whole block (vectorisable), the
 * 4x4 neighbourhoods gathered channel-planar, then the blend in the per-pixel
 * path's exact order (each row left to right, rows top to bottom from 0), so
 * results equal cubic_px's.  A block touching the border goes pixel by pixel. */
#define DEFINE_FAST_CUBIC(T, SUFFIX, STORE, CN)                                             \
OK_HOT_FMA static void fast_cubic_##SUFFIX##CN(FAST_BLOCK_ARGS(T))                          \
{                                                                                           \
    const int cn = CN;                                                                      \
    float sx[BLK], sy[BLK], wx[4][BLK], wy[4][BLK];                                         \
    int ofs[BLK], inside = sw > 3 && sh > 3;                                                \
    block_coords(f, x0, n, y0, sx, sy);                                                     \
    for (int i = 0; i < n; i++) {                                                           \
        float fx = floorf(clamp_far(sx[i])), fy = floorf(clamp_far(sy[i]));                 \
        float c[4];                                                                         \
        cubic_coeffs(sx[i] - fx, c);                                                        \
        wx[0][i] = c[0], wx[1][i] = c[1], wx[2][i] = c[2], wx[3][i] = c[3];                 \
        cubic_coeffs(sy[i] - fy, c);                                                        \
        wy[0][i] = c[0], wy[1][i] = c[1], wy[2][i] = c[2], wy[3][i] = c[3];                 \
        int jx = (int)fx - 1, jy = (int)fy - 1;                                             \
        int in = ((unsigned)jx < (unsigned)(sw - 3)) & ((unsigned)jy < (unsigned)(sh - 3)); \
        ofs[i] = in ? jy * (int)sstep + jx * cn : 0;                                        \
        inside &= in;                                                                       \
    }                                                                                       \
    if (!inside) {                                                                          \
        for (int i = 0; i < n; i++)                                                         \
            cubic_px_##T(src, sstep, sw, sh, cn, sx[i], sy[i], border, bv, D + i * cn);     \
        return;                                                                             \
    }                                                                                       \
    for (int c = 0; c < cn; c++) {                                                          \
        float v[BLK];                                                                       \
        for (int i = 0; i < n; i++)                                                         \
            v[i] = 0.f;                                                                     \
        for (int r = 0; r < 4; r++) {                                                       \
            float p[4][BLK];                                                                \
            for (int i = 0; i < n; i++) {                                                   \
                const T *q = src + ofs[i] + r * sstep + c;                                  \
                p[0][i] = q[0], p[1][i] = q[cn], p[2][i] = q[2 * cn], p[3][i] = q[3 * cn];  \
            }                                                                               \
            for (int i = 0; i < n; i++) {                                                   \
                float h = p[0][i] * wx[0][i] + p[1][i] * wx[1][i] + p[2][i] * wx[2][i]      \
                          + p[3][i] * wx[3][i];                                             \
                v[i] += h * wy[r][i];                                                       \
            }                                                                               \
        }                                                                                   \
        for (int i = 0; i < n; i++)                                                         \
            D[i * cn + c] = STORE(v[i]);                                                    \
    }                                                                                       \
}

#define DEFINE_FAST_ROWS(T, SUFFIX)                                                         \
static void fast_rows_##SUFFIX(const T *src, ptrdiff_t sstep, int sw, int sh, int cn,      \
                               T *dst, ptrdiff_t dstep, int xe, const fmap *f, int interp,  \
                               int border, const T *bv, int y0, int y1)                     \
{                                                                                           \
    /* tiles of TILE_H rows x TILE_W columns: a rotated row walks across many  \
     * source rows, and a tile keeps that footprint in L1 for the rows below */ \
    for (int ty = y0; ty < y1; ty += TILE_H)                                                \
    for (int tx = 0; tx < xe; tx += TILE_W)                                                 \
    for (int y = ty; y < (ty + TILE_H < y1 ? ty + TILE_H : y1); y++) {                      \
        T *D = dst + (ptrdiff_t)y * dstep;                                                  \
        int xend = tx + TILE_W < xe ? tx + TILE_W : xe;                                     \
        for (int x0 = tx; x0 < xend; x0 += BLK) {                                           \
            int n = xend - x0 < BLK ? xend - x0 : BLK;                                      \
            T *Dx = D + (ptrdiff_t)x0 * cn;                                                 \
            if (interp == OK_WARP_LINEAR) {                                                 \
                if (cn == 1) fast_linear_##SUFFIX##1(src, sstep, sw, sh, Dx, n, f, x0, y, border, bv); \
                else if (cn == 3) fast_linear_##SUFFIX##3(src, sstep, sw, sh, Dx, n, f, x0, y, border, bv); \
                else fast_linear_##SUFFIX##4(src, sstep, sw, sh, Dx, n, f, x0, y, border, bv); \
            } else if (interp == OK_WARP_CUBIC) {                                           \
                if (cn == 1) fast_cubic_##SUFFIX##1(src, sstep, sw, sh, Dx, n, f, x0, y, border, bv); \
                else if (cn == 3) fast_cubic_##SUFFIX##3(src, sstep, sw, sh, Dx, n, f, x0, y, border, bv); \
                else fast_cubic_##SUFFIX##4(src, sstep, sw, sh, Dx, n, f, x0, y, border, bv); \
            } else {                                                                        \
                if (cn == 1) fast_nearest_##SUFFIX##1(src, sstep, sw, sh, Dx, n, f, x0, y, border, bv); \
                else if (cn == 3) fast_nearest_##SUFFIX##3(src, sstep, sw, sh, Dx, n, f, x0, y, border, bv); \
                else fast_nearest_##SUFFIX##4(src, sstep, sw, sh, Dx, n, f, x0, y, border, bv); \
            }                                                                               \
        }                                                                                   \
    }                                                                                       \
}

DEFINE_FAST(uint8_t, u8, store_u8, 1)
DEFINE_FAST(uint8_t, u8, store_u8, 3)
DEFINE_FAST(uint8_t, u8, store_u8, 4)
DEFINE_FAST(float, f32, store_f32, 1)
DEFINE_FAST(float, f32, store_f32, 3)
DEFINE_FAST(float, f32, store_f32, 4)
DEFINE_FAST_CUBIC(uint8_t, u8, STORE_U8, 1)
DEFINE_FAST_CUBIC(uint8_t, u8, STORE_U8, 3)
DEFINE_FAST_CUBIC(uint8_t, u8, STORE_U8, 4)
DEFINE_FAST_CUBIC(float, f32, STORE_F32, 1)
DEFINE_FAST_CUBIC(float, f32, STORE_F32, 3)
DEFINE_FAST_CUBIC(float, f32, STORE_F32, 4)
DEFINE_FAST_ROWS(uint8_t, u8)
DEFINE_FAST_ROWS(float, f32)

/* ------------------------------------------------------------------- entry */

static void to_fmap(const double *m, int persp, fmap *f)
{
    for (int i = 0; i < 9; i++)
        f->m[i] = i < 6 || persp ? (float)m[i] : 0.f;
    f->persp = persp;
}

/* Border values arrive as doubles; BVAL stores them in T as OpenCV does. */
#define BVAL_U8(v) ok_sat_u8(ok_round_f64(v))
#define BVAL_F32(v) ((float)(v))

#define DEFINE_WARP_ENTRY(T, SUFFIX, BVAL)                                                  \
void ok_warp_##SUFFIX(const T *src, ptrdiff_t sstep, int sw, int sh, int cn,                \
                      T *dst, ptrdiff_t dstep, int dw, int dh, const double *m,             \
                      int perspective, int interp, int border, const double *bval,          \
                      int y0, int y1)                                                       \
{                                                                                           \
    fmap f;                                                                                 \
    T bv[4];                                                                                \
    (void)dh;                                                                               \
    to_fmap(m, perspective, &f);                                                            \
    for (int c = 0; c < 4; c++)                                                             \
        bv[c] = BVAL(bval[c]);                                                              \
    int xs = 0;                                                                             \
    if (interp == OK_WARP_LINEAR || interp == OK_WARP_CUBIC ||                              \
        (interp == OK_WARP_NEAREST && sw < (1 << 21) && sh < (1 << 21))) {                  \
        xs = dw - dw % UF;                                                                  \
        fast_rows_##SUFFIX(src, sstep, sw, sh, cn, dst, dstep, xs, &f, interp, border, bv,  \
                           y0, y1);                                                         \
    }                                                                                       \
    warp_float_##SUFFIX(src, sstep, sw, sh, cn, dst, dstep, dw, &f, interp, border, bv,     \
                        y0, y1, xs);                                                        \
}

DEFINE_WARP_ENTRY(uint8_t, u8, BVAL_U8)
DEFINE_WARP_ENTRY(float, f32, BVAL_F32)
