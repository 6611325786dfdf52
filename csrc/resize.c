/* Resize kernels matching cv::resize (modules/imgproc/src/resize.cpp).
 *
 * uint8 linear and lanczos4 use OpenCV's fixed point: weights are int16
 * scaled by 2^11 (INTER_RESIZE_COEF_BITS), the horizontal pass keeps int32
 * sums scaled by 2^11 and the vertical pass rounds away 22 bits, with the
 * SIMD path's intermediate rounding (vlinear_u8).  uint8 cubic is evaluated
 * in float, which is what OpenCV 5 agrees with (vcubic_u8).
 */
/* Floating-point exceptions are never inspected; letting GCC assume so
 * allows branch-free (vectorised) selects.  Results are unchanged. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

#include "resize.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ok_common.h"


#define COEF_BITS 11
#define COEF_SCALE (1 << COEF_BITS)

static inline int floor_f(float v) { return (int)floorf(v); }
static inline int floor_d(double v) { return (int)floor(v); }

/* Exact round-half-even of |v| < 2^22 without libm: adding 1.5*2^23 pushes
 * the fraction out of the mantissa under the default rounding mode.  Used in
 * vectorised loops where lrintf would be a library call. */
static inline float round_magic(float v)
{
    const float magic = 12582912.0f;
    return (v + magic) - magic;
}

static void cubic_coeffs(float x, float *c)
{
    const float A = -0.75f;  /* OpenCV's Keys cubic, not Catmull-Rom's -0.5 */
    c[0] = ((A * (x + 1) - 5 * A) * (x + 1) + 8 * A) * (x + 1) - 4 * A;
    c[1] = ((A + 2) * x - (A + 3)) * x * x + 1;
    c[2] = ((A + 2) * (1 - x) - (A + 3)) * (1 - x) * (1 - x) + 1;
    c[3] = 1.f - c[0] - c[1] - c[2];
}

static void lanczos4_coeffs(float x, float *c)
{
    /* sin(pi*t/4) for the 8 taps shares one sin/cos pair through the angle
     * addition table, as OpenCV does; results differ from a direct sinc in
     * the last float bits, which the int16 weights can see. */
    static const double s45 = 0.70710678118654752440084436210485;
    static const double cs[8][2] = {{1, 0}, {-s45, -s45}, {0, 1}, {s45, -s45},
                                    {-1, 0}, {s45, s45}, {0, -1}, {-s45, s45}};
    const double pi = 3.1415926535897932384626433832795;
    float sum = 0;
    double y0 = -(double)(x + 3) * pi * 0.25, s0 = sin(y0), c0 = cos(y0);
    for (int i = 0; i < 8; i++) {
        float y0_ = (x + 3 - i);
        if (fabsf(y0_) >= 1e-6f) {
            double y = -(double)y0_ * pi * 0.25;
            c[i] = (float)((cs[i][0] * s0 + cs[i][1] * c0) / (y * y));
        } else {
            c[i] = 1e30f;
        }
        sum += c[i];
    }
    sum = 1.f / sum;
    for (int i = 0; i < 8; i++)
        c[i] *= sum;
}

int ok_resize_ksize(int interp)
{
    return interp == OK_RESIZE_CUBIC ? 4 : interp == OK_RESIZE_LANCZOS4 ? 8 : 2;
}

void ok_resize_tab(int interp, int ssize, int dsize, double scale, double inv_scale,
                   int clamp, int *ofs, float *coef, int16_t *icoef, int *xmin, int *xmax)
{
    int ksize = ok_resize_ksize(interp), k2 = ksize / 2;
    int lin = interp == OK_RESIZE_LINEAR || interp == OK_RESIZE_AREA;
    float cbuf[8];
    *xmin = 0;
    *xmax = dsize;
    for (int d = 0; d < dsize; d++) {
        float f;
        int s;
        if (interp != OK_RESIZE_AREA) {
            f = (float)((d + 0.5) * scale - 0.5);
            s = floor_f(f);
            f -= s;
        } else {
            s = floor_d(d * scale);
            f = (float)((d + 1) - (s + 1) * inv_scale);
            f = f <= 0 ? 0.f : f - floor_f(f);
        }
        /* only the x direction clamps: OpenCV's vertical pass replicates
         * rows by clipping indices but keeps the unclamped weights */
        if (clamp) {
            if (s < k2 - 1) {
                *xmin = d + 1;
                if (s < 0 && lin)
                    f = 0, s = 0;
            }
            if (s + k2 >= ssize) {
                if (d < *xmax)
                    *xmax = d;
                if (s >= ssize - 1 && lin)
                    f = 0, s = ssize - 1;
            }
        }
        ofs[d] = s;
        if (interp == OK_RESIZE_CUBIC)
            cubic_coeffs(f, cbuf);
        else if (interp == OK_RESIZE_LANCZOS4)
            lanczos4_coeffs(f, cbuf);
        else
            cbuf[0] = 1.f - f, cbuf[1] = f;
        for (int k = 0; k < ksize; k++) {
            coef[d * ksize + k] = cbuf[k];
            if (icoef)
                icoef[d * ksize + k] = ok_sat_s16(ok_round_f32(cbuf[k] * COEF_SCALE));
        }
    }
}

/* ---------------------------------------------------------------- horizontal */

static inline int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Horizontal pass through per-element tables: for output element e (pixel
 * dx, channel c) and tap k, idx[k*n + e] is the source element, already
 * clamped to the row (OpenCV replicates the edge pixel of the same channel),
 * and w[k*n + e] its weight.  One uniform loop per row then serves every
 * channel count and border case, and vectorises with gathers. */
typedef struct {
    int n, ksize;
    int32_t *idx;
    int32_t *wi;    /* uint8 fixed point (2^11) */
    float *wf;
    /* gray linear with a 2-periodic table (2x upscale): outputs [p0, p0+2*np)
     * repeat the taps of p0 and p0+1 one source pixel further each period */
    int p0, np;
} etab;

/* Find a 2-periodic stretch, gray linear only: contiguous loads, pairs of
 * outputs per source step, which the compiler vectorises without gathers. */
static void etab_find_period(etab *t, int cn, const int *xofs, const int16_t *ia,
                             int xmin, int xmax)
{
    t->p0 = 0;
    t->np = 0;
    if (!ia || t->ksize != 2 || cn != 1 || xmax - xmin < 8)
        return;
    for (int dx = xmin; dx + 2 < xmax; dx++) {
        if (xofs[dx + 2] != xofs[dx] + 1 || ia[2 * dx + 4] != ia[2 * dx]
            || ia[2 * dx + 5] != ia[2 * dx + 1])
            return;
    }
    t->p0 = xmin;
    t->np = (xmax - xmin) / 2;
}

OK_HOT static void hrow_lin_x2_u8(const uint8_t *S, int32_t *D, const int *xofs,
                                  const int16_t *ia, int p0, int np)
{
    /* restrict: without it GCC assumes the int32 stores may hit the source
     * bytes and keeps the loop scalar */
    const uint8_t *restrict A = S + xofs[p0], *restrict B = S + xofs[p0 + 1];
    int a0 = ia[2 * p0], a1 = ia[2 * p0 + 1], b0 = ia[2 * p0 + 2], b1 = ia[2 * p0 + 3];
    int32_t *restrict E = D + p0;
    /* a moving pointer, not E[2 * j]: under Python's -fwrapv the wrapped int
     * index defeats the vectoriser */
    for (ptrdiff_t j = 0; j < np; j++, E += 2) {
        E[0] = A[j] * a0 + A[j + 1] * a1;
        E[1] = B[j] * b0 + B[j + 1] * b1;
    }
}

static int etab_init(etab *t, int sw, int cn, int dw, int ksize, const int *xofs,
                     const int16_t *ia, const float *fa)
{
    int n = dw * cn, k2 = ksize / 2;
    t->n = n;
    t->ksize = ksize;
    t->idx = (int32_t *)malloc(sizeof(int32_t) * (size_t)n * ksize);
    t->wi = (int32_t *)malloc(sizeof(int32_t) * (size_t)n * ksize);
    t->wf = (float *)malloc(sizeof(float) * (size_t)n * ksize);
    if (!t->idx || !t->wi || !t->wf)
        return 0;
    for (int dx = 0; dx < dw; dx++) {
        int p0 = xofs[dx] - k2 + 1;
        for (int c = 0; c < cn; c++) {
            int e = dx * cn + c;
            for (int k = 0; k < ksize; k++) {
                t->idx[k * n + e] = clampi(p0 + k, 0, sw - 1) * cn + c;
                t->wi[k * n + e] = ia ? ia[dx * ksize + k] : 0;
                t->wf[k * n + e] = fa[dx * ksize + k];
            }
        }
    }
    return 1;
}

static void etab_free(etab *t)
{
    free(t->idx);
    free(t->wi);
    free(t->wf);
}

/* Cubic, 3 or 4 channels, outputs [x0, x1) whose four taps are inside
 * the row: the taps of one output are 4 adjacent pixels, so each channel's
 * sum runs in one 4-lane vector (B, G, R, A/next) in OpenCV's order
 * ((p0*w0 + p1*w1) + p2*w2) + p3*w3 -- a 4-wide vector per output pixel
 * instead of 12 gathered scalar products.  Reads the row converted to float. */
typedef float v4f __attribute__((vector_size(16)));

OK_HOT static void hrow_cubic_px(const float *S, float *D, int cn, const int *xofs,
                                 const float *alpha, int x0, int x1)
{
    for (int dx = x0; dx < x1; dx++) {
        const float *p = S + (ptrdiff_t)(xofs[dx] - 1) * cn;
        const float *w = alpha + 4 * dx;
        v4f p0, p1, p2, p3;
        memcpy(&p0, p, 16);          /* 3 channels: the 4th lane is spare */
        memcpy(&p1, p + cn, 16);
        memcpy(&p2, p + 2 * cn, 16);
        memcpy(&p3, p + 3 * cn, 16);
        v4f acc = p0 * w[0] + p1 * w[1];
        acc = acc + p2 * w[2];
        acc = acc + p3 * w[3];
        /* one 16-byte store even for 3 channels: the spare lane lands on the
         * next pixel's first channel, rewritten right after (rows carry 16
         * bytes of padding for the last pixel) */
        memcpy(D + (ptrdiff_t)dx * cn, &acc, 16);
    }
}

/* Linear, 3 or 4 channels, outputs [x0, x1) with both taps inside the row:
 * one 4-lane vector per output pixel (B, G, R, A/spare) instead of a scalar
 * gather per element.  S is a padded copy of the row, so the spare lane's
 * byte past the last pixel is readable. */
typedef int32_t v4i __attribute__((vector_size(16)));

OK_HOT static void hrow_lin_px_u8(const uint8_t *S, int32_t *D, int cn, const int *xofs,
                                  const int16_t *ia, int x0, int x1)
{
    for (int dx = x0; dx < x1; dx++) {
        const uint8_t *p = S + (ptrdiff_t)xofs[dx] * cn;
        uint8_t q0[4], q1[4];
        memcpy(q0, p, 4);
        memcpy(q1, p + cn, 4);
        v4i a = {q0[0], q0[1], q0[2], q0[3]}, b = {q1[0], q1[1], q1[2], q1[3]};
        v4i r = a * ia[2 * dx] + b * ia[2 * dx + 1];
        int32_t *d = D + (ptrdiff_t)dx * cn;
        if (cn == 4) {
            memcpy(d, &r, 16);
        } else {
            d[0] = r[0];
            d[1] = r[1];
            d[2] = r[2];
        }
    }
}

OK_HOT static void row_u8_to_f32(const uint8_t *S, float *D, int n)
{
    for (int i = 0; i < n; i++)
        D[i] = S[i];
}

OK_HOT static void hrow_i32(const uint8_t *S, int32_t *D, const etab *t, int e0, int e1)
{
    int n = t->n;
    const int32_t *I = t->idx, *W = t->wi;
    if (t->ksize == 2) {
        for (int e = e0; e < e1; e++)
            D[e] = S[I[e]] * W[e] + S[I[n + e]] * W[n + e];
        return;
    }
    for (int e = e0; e < e1; e++) {      /* 8 taps; integer sums: order is free */
        int32_t v = 0;
        for (int k = 0; k < 8; k++)
            v += S[I[k * n + e]] * W[k * n + e];
        D[e] = v;
    }
}

OK_HOT static void hrow_f32_range(const float *S, float *D, const etab *t, int e0, int e1)
{
    int n = t->n;
    const int32_t *I = t->idx;
    const float *W = t->wf;
    for (int e = e0; e < e1; e++)
        D[e] = S[I[e]] * W[e] + S[I[n + e]] * W[n + e] + S[I[2 * n + e]] * W[2 * n + e]
               + S[I[3 * n + e]] * W[3 * n + e];
}

/* float taps summed left to right, as OpenCV's HResize* loops do */
OK_HOT static void hrow_f32(const float *S, float *D, const etab *t)
{
    int n = t->n;
    const int32_t *I = t->idx;
    const float *W = t->wf;
    if (t->ksize == 2) {
        for (int e = 0; e < n; e++)
            D[e] = S[I[e]] * W[e] + S[I[n + e]] * W[n + e];
    } else if (t->ksize == 4) {
        for (int e = 0; e < n; e++)
            D[e] = S[I[e]] * W[e] + S[I[n + e]] * W[n + e] + S[I[2 * n + e]] * W[2 * n + e]
                   + S[I[3 * n + e]] * W[3 * n + e];
    } else {
        for (int e = 0; e < n; e++)
            D[e] = 0.f + S[I[e]] * W[e];
        for (int k = 1; k < t->ksize; k++)
            for (int e = 0; e < n; e++)
                D[e] += S[I[k * n + e]] * W[k * n + e];
    }
}

/* ------------------------------------------------------------------ vertical */

/* OpenCV's VResizeLinearVec_32s8u: drops 4 bits, takes the high half of an
 * int16 product (floor), then rounds the last 2 bits.  An exact
 * (sum + 2^21) >> 22 differs by 1 LSB on some inputs; OpenCV 5 applies the
 * SIMD rounding to every column (tests confirm at all widths), so do we. */

OK_HOT static void vlinear_u8(const int32_t *S0, const int32_t *S1, const int16_t *beta,
                              uint8_t *D, int width)
{
    /* int16 lanes throughout (S >> 4 <= 32640), so the multiply is a
     * high-half int16 multiply and the clamp a saturating pack */
    int16_t b0 = beta[0], b1 = beta[1];
    for (int x = 0; x < width; x++) {
        int16_t s0 = (int16_t)(S0[x] >> 4), s1 = (int16_t)(S1[x] >> 4);
        int16_t m0 = (int16_t)((s0 * b0) >> 16), m1 = (int16_t)((s1 * b1) >> 16);
        int16_t v = (int16_t)((int16_t)(m0 + m1 + 2) >> 2);
        v = v < 0 ? 0 : v;
        v = v > 255 ? 255 : v;
        D[x] = (uint8_t)v;
    }
}

/* OpenCV 5's uint8 cubic resize agrees with a float evaluation of both
 * passes (float weights, round half to even at the end), not with the int16
 * fixed point of its linear path, so cubic runs in float throughout. */
OK_HOT static void vcubic_u8(const float *const *S, const float *beta, uint8_t *D, int width)
{
    float b0 = beta[0], b1 = beta[1], b2 = beta[2], b3 = beta[3];
    const float *S0 = S[0], *S1 = S[1], *S2 = S[2], *S3 = S[3];
    for (int x = 0; x < width; x++) {
        float v = round_magic(S0[x] * b0 + S1[x] * b1 + S2[x] * b2 + S3[x] * b3);
        D[x] = (uint8_t)(v < 0.f ? 0.f : v > 255.f ? 255.f : v);
    }
}

OK_HOT static void vlanczos4_u8(const int32_t *const *S, const int16_t *beta, uint8_t *D, int width)
{
    const int32_t *restrict S0 = S[0], *restrict S1 = S[1], *restrict S2 = S[2], *restrict S3 = S[3];
    const int32_t *restrict S4 = S[4], *restrict S5 = S[5], *restrict S6 = S[6], *restrict S7 = S[7];
    int b0 = beta[0], b1 = beta[1], b2 = beta[2], b3 = beta[3];
    int b4 = beta[4], b5 = beta[5], b6 = beta[6], b7 = beta[7];
    for (int x = 0; x < width; x++) {
        int v = S0[x] * b0 + S1[x] * b1 + S2[x] * b2 + S3[x] * b3
                + S4[x] * b4 + S5[x] * b5 + S6[x] * b6 + S7[x] * b7;
        v = (v + (1 << 21)) >> 22;
        D[x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
}

OK_HOT static void vresize_f32(const float *const *S, const float *beta, int ksize, float *D, int width)
{
    if (ksize == 2) {
        float b0 = beta[0], b1 = beta[1];
        for (int x = 0; x < width; x++)
            D[x] = S[0][x] * b0 + S[1][x] * b1;
    } else if (ksize == 4) {
        float b0 = beta[0], b1 = beta[1], b2 = beta[2], b3 = beta[3];
        for (int x = 0; x < width; x++)
            D[x] = S[0][x] * b0 + S[1][x] * b1 + S[2][x] * b2 + S[3][x] * b3;
    } else {
        for (int x = 0; x < width; x++) {
            float v = 0;
            for (int k = 0; k < ksize; k++)
                v += S[k][x] * beta[k];
            D[x] = v;
        }
    }
}

/* ------------------------------------------------------------ row scheduler */

/* Which of the ksize source rows needed by output row dy must be computed,
 * reusing rows kept from the previous output row (OpenCV's resizeGeneric_). */
static int plan_rows(int sy0, int ksize, int sh, int *tag, void **rows, size_t rowbytes,
                     int *need)
{
    int want[8], used[8] = {0}, first = ksize;
    void *fresh[8];
    int k2 = ksize / 2;
    for (int k = 0; k < ksize; k++) {
        int sy = sy0 - k2 + 1 + k;
        want[k] = sy < 0 ? 0 : sy >= sh ? sh - 1 : sy;
    }
    /* keep a row whose tag matches; duplicate tags share the data by copy */
    for (int k = 0; k < ksize; k++) {
        fresh[k] = NULL;
        need[k] = 1;
        for (int j = 0; j < ksize; j++) {
            if (!used[j] && tag[j] == want[k]) {
                used[j] = 1;
                fresh[k] = rows[j];
                need[k] = 0;
                break;
            }
        }
    }
    for (int k = 0; k < ksize; k++) {
        if (fresh[k])
            continue;
        /* same source row as an earlier slot: copy rather than recompute */
        for (int j = 0; j < k; j++) {
            if (want[j] == want[k]) {
                need[k] = 2 + j;
                break;
            }
        }
        for (int j = 0; j < ksize; j++) {
            if (!used[j]) {
                used[j] = 1;
                fresh[k] = rows[j];
                break;
            }
        }
    }
    for (int k = 0; k < ksize; k++) {
        rows[k] = fresh[k];
        tag[k] = want[k];
        if (need[k] && k < first)
            first = k;
    }
    (void)rowbytes;
    return first;
}

void ok_resize_generic_u8(const uint8_t *src, ptrdiff_t sstep, int sw, int sh, int cn,
                          uint8_t *dst, ptrdiff_t dstep, int dw, int interp,
                          const int *xofs, const int16_t *ialpha, const float *alpha,
                          int xmin, int xmax, const int *yofs, const int16_t *ibeta,
                          const float *beta, int y0, int y1)
{
    /* uint8 cubic runs in float (see vcubic_u8); linear/lanczos4 in int32 */
    int ksize = ok_resize_ksize(interp), fl = ksize == 4;
    int width = dw * cn, swidth = sw * cn;
    size_t rowbytes = (size_t)width * 4 + 16;   /* padding: see hrow_cubic_px */
    void *rows[8];
    int tag[8], need[8];
    etab t = {0};
    char *buf = (char *)malloc(rowbytes * ksize + (size_t)swidth * 4 + 16);
    if (!buf || !etab_init(&t, sw, cn, dw, ksize, xofs, ialpha, alpha)) {
        free(buf);
        etab_free(&t);
        return;
    }
    void *srow = buf + rowbytes * ksize;
    etab_find_period(&t, cn, xofs, ialpha, xmin, xmax);
    /* cubic outputs served by hrow_cubic_px: all four taps inside the row
     * (srow has 4 floats of padding for the spare lane) */
    int vx0 = 0, vx1 = 0;
    if (fl && (cn == 3 || cn == 4)) {
        vx0 = xmin;
        vx1 = xmax;
    }
    for (int k = 0; k < ksize; k++) {
        rows[k] = buf + rowbytes * k;
        tag[k] = -1;
    }
    for (int dy = y0; dy < y1; dy++) {
        plan_rows(yofs[dy], ksize, sh, tag, rows, rowbytes, need);
        for (int k = 0; k < ksize; k++) {
            if (need[k] == 1) {
                const uint8_t *S = src + (ptrdiff_t)tag[k] * sstep;
                if (fl && vx1 > vx0) {
                    row_u8_to_f32(S, (float *)srow, swidth);
                    hrow_f32_range((const float *)srow, (float *)rows[k], &t, 0, vx0 * cn);
                    hrow_cubic_px((const float *)srow, (float *)rows[k], cn, xofs, alpha, vx0, vx1);
                    hrow_f32_range((const float *)srow, (float *)rows[k], &t, vx1 * cn, width);
                } else if (fl) {
                    row_u8_to_f32(S, (float *)srow, swidth);
                    hrow_f32((const float *)srow, (float *)rows[k], &t);
                } else if (ksize == 2 && (cn == 3 || cn == 4) && xmax > xmin) {
                    memcpy(srow, S, (size_t)swidth);
                    hrow_i32(S, (int32_t *)rows[k], &t, 0, xmin * cn);
                    hrow_lin_px_u8((const uint8_t *)srow, (int32_t *)rows[k], cn, xofs, ialpha,
                                   xmin, xmax);
                    hrow_i32(S, (int32_t *)rows[k], &t, xmax * cn, width);
                } else if (t.np) {
                    int e1 = t.p0 + 2 * t.np;
                    hrow_i32(S, (int32_t *)rows[k], &t, 0, t.p0);
                    hrow_lin_x2_u8(S, (int32_t *)rows[k], xofs, ialpha, t.p0, t.np);
                    hrow_i32(S, (int32_t *)rows[k], &t, e1, width);
                } else {
                    hrow_i32(S, (int32_t *)rows[k], &t, 0, width);
                }
            } else if (need[k] >= 2) {
                memcpy(rows[k], rows[need[k] - 2], rowbytes);
            }
        }
        const int16_t *b = ibeta + (size_t)dy * ksize;
        uint8_t *D = dst + (ptrdiff_t)dy * dstep;
        if (ksize == 2)
            vlinear_u8((const int32_t *)rows[0], (const int32_t *)rows[1], b, D, width);
        else if (ksize == 4)
            vcubic_u8((const float *const *)rows, beta + (size_t)dy * ksize, D, width);
        else
            vlanczos4_u8((const int32_t *const *)rows, b, D, width);
    }
    etab_free(&t);
    free(buf);
}

void ok_resize_generic_f32(const float *src, ptrdiff_t sstep, int sw, int sh, int cn,
                           float *dst, ptrdiff_t dstep, int dw, int interp,
                           const int *xofs, const float *alpha, int xmin, int xmax,
                           const int *yofs, const float *beta, int y0, int y1)
{
    int ksize = ok_resize_ksize(interp);
    int width = dw * cn;
    size_t rowbytes = (size_t)width * sizeof(float);
    float *buf = (float *)malloc(rowbytes * ksize);
    void *rows[8];
    int tag[8], need[8];
    etab t = {0};
    (void)xmin;
    (void)xmax;
    if (!buf || !etab_init(&t, sw, cn, dw, ksize, xofs, NULL, alpha)) {
        free(buf);
        etab_free(&t);
        return;
    }
    for (int k = 0; k < ksize; k++) {
        rows[k] = buf + (size_t)k * width;
        tag[k] = -1;
    }
    for (int dy = y0; dy < y1; dy++) {
        plan_rows(yofs[dy], ksize, sh, tag, rows, rowbytes, need);
        for (int k = 0; k < ksize; k++) {
            if (need[k] == 1)
                hrow_f32(src + (ptrdiff_t)tag[k] * sstep, (float *)rows[k], &t);
            else if (need[k] >= 2)
                memcpy(rows[k], rows[need[k] - 2], rowbytes);
        }
        vresize_f32((const float *const *)rows, beta + (size_t)dy * ksize, ksize,
                    dst + (ptrdiff_t)dy * dstep, width);
    }
    etab_free(&t);
    free(buf);
}

/* ------------------------------------------------------------------ nearest */

void ok_resize_nn_tab(int ssize, int dsize, double inv_scale, int exact, int *ofs)
{
    if (!exact) {
        double ifx = 1. / inv_scale;
        for (int d = 0; d < dsize; d++) {
            int s = floor_d(d * ifx);
            ofs[d] = s < ssize - 1 ? s : ssize - 1;
        }
    } else {
        /* INTER_NEAREST_EXACT (OpenCV 5, like Pillow): start half a step in
         * and accumulate the step in double, truncating each position */
        double step = (double)ssize / dsize, f = step * 0.5;
        for (int d = 0; d < dsize; d++) {
            int s = floor_d(f);
            ofs[d] = s < ssize - 1 ? s : ssize - 1;
            f += step;
        }
    }
}

/* gray, every second pixel: a strided copy the compiler vectorises */
OK_HOT static void nn_row_half_u8(const uint8_t *restrict S, uint8_t *restrict D, int dw)
{
    for (ptrdiff_t dx = 0; dx < dw; dx++)
        D[dx] = S[2 * dx];
}

void ok_resize_nn(const uint8_t *src, ptrdiff_t sstep, int psize,
                  uint8_t *dst, ptrdiff_t dstep, int dw,
                  const int *xofs, const int *yofs, int y0, int y1)
{
    int half = psize == 1 && dw > 1;
    for (int dx = 0; half && dx < dw; dx++)
        half = xofs[dx] == xofs[0] + 2 * dx;
    for (int dy = y0; dy < y1; dy++) {
        const uint8_t *S = src + (ptrdiff_t)yofs[dy] * sstep;
        uint8_t *D = dst + (ptrdiff_t)dy * dstep;
        /* a destination row equal to the previous one is a plain copy */
        if (dy > y0 && yofs[dy] == yofs[dy - 1]) {
            memcpy(D, D - dstep, (size_t)dw * psize);
            continue;
        }
        if (half) {
            nn_row_half_u8(S + xofs[0], D, dw);
            continue;
        }
        switch (psize) {
        case 1:
            for (int dx = 0; dx < dw; dx++)
                D[dx] = S[xofs[dx]];
            break;
        case 3:
            for (int dx = 0; dx < dw; dx++) {
                const uint8_t *p = S + (ptrdiff_t)xofs[dx] * 3;
                D[3 * dx] = p[0];
                D[3 * dx + 1] = p[1];
                D[3 * dx + 2] = p[2];
            }
            break;
        case 4:
            for (int dx = 0; dx < dw; dx++) {
                uint32_t v;
                memcpy(&v, S + (ptrdiff_t)xofs[dx] * 4, 4);
                memcpy(D + 4 * dx, &v, 4);
            }
            break;
        default:
            for (int dx = 0; dx < dw; dx++)
                memcpy(D + (ptrdiff_t)dx * psize, S + (ptrdiff_t)xofs[dx] * psize, (size_t)psize);
        }
    }
}

/* -------------------------------------------------------------- area, fast */

OK_HOT static void pair_avg_u8(const uint16_t *restrict acc, uint8_t *restrict hb, int cn, int n)
{
    const uint16_t *restrict b = acc + cn;   /* 16-bit lanes: sums stay <= 1022 */
    for (int i = 0; i < n; i++)
        hb[i] = (uint8_t)((uint16_t)(acc[i] + b[i] + 2) >> 2);
}

/* Integer factors.  2x2 uint8 averages round half up ((a+b+c+d+2)>>2) like
 * OpenCV's SIMD path; other factors multiply by 1/area in float and round
 * half to even.  Cells cut by the right/bottom edge average what they hold. */
OK_HOT void ok_resize_area_fast_u8(const uint8_t *src, ptrdiff_t sstep, int sw, int sh, int cn,
                            uint8_t *dst, ptrdiff_t dstep, int dw, int fx, int fy, int y0, int y1)
{
    int area = fx * fy;
    float scale = 1.f / area;
    int full = (sw / fx);           /* output pixels whose cell is complete in x */
    int width = dw * cn;
    uint16_t *acc = (uint16_t *)malloc(sizeof(uint16_t) * ((size_t)sw * cn + 16));
    uint8_t *hb = (uint8_t *)malloc((size_t)sw * cn + 16);
    if (!acc || !hb) {
        free(acc);
        free(hb);
        return;
    }
    for (int dy = y0; dy < y1; dy++) {
        uint8_t *D = dst + (ptrdiff_t)dy * dstep;
        int sy0 = dy * fy;
        if (sy0 >= sh) {
            memset(D, 0, (size_t)width);
            continue;
        }
        int w = sy0 + fy <= sh ? (full < dw ? full : dw) * cn : 0;
        const uint8_t *S = src + (ptrdiff_t)sy0 * sstep;
        if (w > 0) {
            int n = (w / cn) * fx * cn;  /* source elements covered */
            if (fx == 2 && fy == 2) {
                const uint8_t *S1 = S + sstep;
                for (int i = 0; i < n; i++)
                    acc[i] = (uint16_t)(S[i] + S1[i]);
                if (cn == 1) {
                    for (int dx = 0; dx < w; dx++)
                        D[dx] = (uint8_t)((acc[2 * dx] + acc[2 * dx + 1] + 2) >> 2);
                } else {
                    /* pair sums at every element (vectorised), then keep the
                     * cn elements of every 2*cn: one 4-byte copy per pixel,
                     * each overwriting the previous copy's spare byte */
                    int np = w / cn;
                    pair_avg_u8(acc, hb, cn, n - cn);
                    for (int p = 0; p + 1 < np; p++)
                        memcpy(D + p * cn, hb + 2 * p * cn, 4);
                    memcpy(D + (np - 1) * cn, hb + 2 * (np - 1) * cn, (size_t)cn);
                }
            } else {
                /* column sums over fy rows (fits uint16 while fy*255 < 65536) */
                if (fy <= 257) {
                    for (int i = 0; i < n; i++)
                        acc[i] = S[i];
                    for (int r = 1; r < fy; r++) {
                        const uint8_t *Sr = S + (ptrdiff_t)r * sstep;
                        for (int i = 0; i < n; i++)
                            acc[i] = (uint16_t)(acc[i] + Sr[i]);
                    }
                }
                if (fy <= 257 && (size_t)fx * fy * 255 < 65536u && cn == 1 && fx == 3) {
                    for (int dx = 0; dx < w; dx++) {
                        float v = (float)(acc[3 * dx] + acc[3 * dx + 1] + acc[3 * dx + 2]) * scale;
                        D[dx] = (uint8_t)round_magic(v);
                    }
                } else {
                    for (int dx = 0; dx < w; dx++) {
                        int p = dx / cn, c = dx - p * cn;
                        int sum = 0;
                        const uint8_t *s = S + (ptrdiff_t)p * fx * cn + c;
                        for (int r = 0; r < fy; r++, s += sstep)
                            for (int k = 0; k < fx; k++)
                                sum += s[k * cn];
                        D[dx] = ok_sat_u8(ok_round_f32((float)sum * scale));
                    }
                }
            }
        }
        for (int dx = w; dx < width; dx++) {
            int p = dx / cn, c = dx - p * cn;
            int sx0 = p * fx * cn + c;
            int sum = 0, count = 0;
            if (sx0 >= sw * cn) {
                D[dx] = 0;
                continue;
            }
            for (int r = 0; r < fy && sy0 + r < sh; r++) {
                const uint8_t *s = S + (ptrdiff_t)r * sstep;
                for (int k = 0; k < fx && sx0 + k * cn < sw * cn; k++) {
                    sum += s[sx0 + k * cn];
                    count++;
                }
            }
            D[dx] = ok_sat_u8(ok_round_f32((float)sum / count));
        }
    }
    free(acc);
    free(hb);
}

void ok_resize_area_fast_f32(const float *src, ptrdiff_t sstep, int sw, int sh, int cn,
                             float *dst, ptrdiff_t dstep, int dw, int fx, int fy, int y0, int y1)
{
    float scale = 1.f / (fx * fy);
    int full = sw / fx;
    int width = dw * cn;
    for (int dy = y0; dy < y1; dy++) {
        float *D = dst + (ptrdiff_t)dy * dstep;
        int sy0 = dy * fy;
        if (sy0 >= sh) {
            for (int dx = 0; dx < width; dx++)
                D[dx] = 0.f;
            continue;
        }
        int w = sy0 + fy <= sh ? (full < dw ? full : dw) * cn : 0;
        const float *S = src + (ptrdiff_t)sy0 * sstep;
        for (int dx = 0; dx < w; dx++) {
            int p = dx / cn, c = dx - p * cn;
            float sum = 0;
            const float *s = S + (ptrdiff_t)p * fx * cn + c;
            for (int r = 0; r < fy; r++, s += sstep)
                for (int k = 0; k < fx; k++)
                    sum += s[k * cn];
            D[dx] = sum * scale;
        }
        for (int dx = w; dx < width; dx++) {
            int p = dx / cn, c = dx - p * cn;
            int sx0 = p * fx * cn + c;
            float sum = 0;
            int count = 0;
            if (sx0 >= sw * cn) {
                D[dx] = 0;
                continue;
            }
            for (int r = 0; r < fy && sy0 + r < sh; r++) {
                const float *s = S + (ptrdiff_t)r * sstep;
                for (int k = 0; k < fx && sx0 + k * cn < sw * cn; k++) {
                    sum += s[sx0 + k * cn];
                    count++;
                }
            }
            D[dx] = sum / count;
        }
    }
}

/* ------------------------------------------------------- area, fractional */

int ok_resize_area_tab(int ssize, int dsize, double scale, int *di, int *si, float *alpha)
{
    int k = 0;
    for (int dx = 0; dx < dsize; dx++) {
        double fsx1 = dx * scale;
        double fsx2 = fsx1 + scale;
        double cell = scale < ssize - fsx1 ? scale : ssize - fsx1;
        int sx1 = (int)ceil(fsx1), sx2 = floor_d(fsx2);
        sx2 = sx2 < ssize - 1 ? sx2 : ssize - 1;
        sx1 = sx1 < sx2 ? sx1 : sx2;
        /* partial cells under 1e-3 of a pixel are dropped, as OpenCV does */
        if (sx1 - fsx1 > 1e-3) {
            di[k] = dx;
            si[k] = sx1 - 1;
            alpha[k++] = (float)((sx1 - fsx1) / cell);
        }
        for (int sx = sx1; sx < sx2; sx++) {
            di[k] = dx;
            si[k] = sx;
            alpha[k++] = (float)(1.0 / cell);
        }
        if (fsx2 - sx2 > 1e-3) {
            double t = fsx2 - sx2;
            t = t < 1. ? t : 1.;
            t = t < cell ? t : cell;
            di[k] = dx;
            si[k] = sx2;
            alpha[k++] = (float)(t / cell);
        }
    }
    return k;
}

#define DEFINE_AREA(NAME, T, STORE)                                                        \
void NAME(const T *src, ptrdiff_t sstep, int cn, T *dst, ptrdiff_t dstep, int dw,          \
          const int *xdi, const int *xsi, const float *xalpha, int xn,                     \
          const int *ydi, const int *ysi, const float *yalpha, const int *ytabofs,         \
          int y0, int y1)                                                                  \
{                                                                                          \
    int width = dw * cn;                                                                   \
    float *buf = (float *)malloc(sizeof(float) * (size_t)width * 2);                       \
    float *sum = buf + width;                                                              \
    int j0 = ytabofs[y0], j1 = ytabofs[y1];                                                \
    int prev = ydi[j0];                                                                    \
    if (!buf)                                                                              \
        return;                                                                            \
    for (int i = 0; i < width; i++)                                                        \
        sum[i] = 0.f;                                                                      \
    for (int j = j0; j < j1; j++) {                                                        \
        float beta = yalpha[j];                                                            \
        int dy = ydi[j];                                                                   \
        const T *S = src + (ptrdiff_t)ysi[j] * sstep;                                      \
        for (int i = 0; i < width; i++)                                                    \
            buf[i] = 0.f;                                                                  \
        for (int k = 0; k < xn; k++) {                                                     \
            int d = xdi[k] * cn, s = xsi[k] * cn;                                          \
            float a = xalpha[k];                                                           \
            for (int c = 0; c < cn; c++)                                                   \
                buf[d + c] += S[s + c] * a;                                                \
        }                                                                                  \
        if (dy != prev) {                                                                  \
            T *D = dst + (ptrdiff_t)prev * dstep;                                          \
            for (int i = 0; i < width; i++) {                                              \
                D[i] = STORE(sum[i]);                                                      \
                sum[i] = beta * buf[i];                                                    \
            }                                                                              \
            prev = dy;                                                                     \
        } else {                                                                           \
            for (int i = 0; i < width; i++)                                                \
                sum[i] += beta * buf[i];                                                   \
        }                                                                                  \
    }                                                                                      \
    {                                                                                      \
        T *D = dst + (ptrdiff_t)prev * dstep;                                              \
        for (int i = 0; i < width; i++)                                                    \
            D[i] = STORE(sum[i]);                                                          \
    }                                                                                      \
    free(buf);                                                                             \
}

#define STORE_U8(v) ok_sat_u8_f32(v)
#define STORE_F32(v) (v)
DEFINE_AREA(ok_resize_area_u8, uint8_t, STORE_U8)
DEFINE_AREA(ok_resize_area_f32, float, STORE_F32)
