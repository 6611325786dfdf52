/* Bilateral filter matching cv::bilateralFilter (bilateral_filter.dispatch.cpp and
 * bilateral_filter.simd.hpp).
 *
 * What decides OpenCV's bits, and is reproduced here:
 *   - spatial weights exist only inside the disc r <= radius, computed as
 *     (float)exp(r*r*coeff) in double with r = sqrt(dy²+dx²) (so r*r is not always
 *     the exact integer), in dy-major, dx-minor order;
 *   - uint8: colour weight table of 256·cn floats exp(i²·coeff) indexed by the sum
 *     of absolute channel differences; float accumulation in that same neighbour
 *     order; gray output cvRound(sum / wsum), colour output cvRound(sum * (1/wsum));
 *   - float32: a 4096·cn-bin table over the image's value range, linearly
 *     interpolated; the centre pixel is left out of the loop and added with weight 1.
 * OpenCV's AVX2 build accumulates sum with fused multiply-adds; we keep separate
 * multiply and add (no FMA contraction, identical on every CPU), which moves a
 * result by 1 only when a sum lands within an ulp of a rounding tie.
 *
 * Layout: each row chunk first copies its rows, plus `radius` rows and columns of
 * border, into planar (one plane per channel) buffers, so the inner loops walk one
 * neighbour offset over a whole row with contiguous loads that GCC vectorises.
 */
#include "bilateral.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ok_common.h"


typedef struct {
    int maxk;
    int *dy, *dx;
    float *weight;
} space_kernel;

/* OpenCV's disc of neighbours; `skip_centre` for the float path. */
static int space_kernel_init(space_kernel *sk, int radius, double coeff, int skip_centre)
{
    int d = 2 * radius + 1;
    sk->dy = malloc((size_t)d * d * (2 * sizeof(int) + sizeof(float)));
    if (!sk->dy)
        return -1;
    sk->dx = sk->dy + (size_t)d * d;
    sk->weight = (float *)(sk->dx + (size_t)d * d);
    sk->maxk = 0;
    for (int i = -radius; i <= radius; i++)
        for (int j = -radius; j <= radius; j++) {
            double r = sqrt((double)i * i + (double)j * j);
            if (r > radius || (skip_centre && i == 0 && j == 0))
                continue;
            sk->weight[sk->maxk] = (float)exp(r * r * coeff);
            sk->dy[sk->maxk] = i;
            sk->dx[sk->maxk++] = j;
        }
    return 0;
}

/* Copy rows [y0 - r, y1 + r) with r border columns into cn planes of
 * (y1 - y0 + 2r) × (w + 2r); constant border is 0 like copyMakeBorder's default. */
#define OK_DEFINE_PLANES(SFX, T) \
static void build_planes_##SFX(const T *src, ptrdiff_t sstep, int w, int h, int cn, int r, \
                               int border, int y0, int y1, T *planes, ptrdiff_t *xmap) \
{ \
    ptrdiff_t pw = w + 2 * r, rows = y1 - y0 + 2 * r; \
    for (ptrdiff_t j = 0; j < pw; j++) \
        xmap[j] = ok_border_index(j - r, w, border); \
    for (ptrdiff_t i = 0; i < rows; i++) { \
        ptrdiff_t sy = ok_border_index(y0 - r + i, h, border); \
        for (int c = 0; c < cn; c++) { \
            T *out = planes + ((ptrdiff_t)c * rows + i) * pw; \
            if (sy < 0) { \
                memset(out, 0, (size_t)pw * sizeof(T)); \
                continue; \
            } \
            const T *row = src + sy * sstep + c; \
            for (ptrdiff_t j = 0; j < r; j++) \
                out[j] = xmap[j] < 0 ? (T)0 : row[xmap[j] * cn]; \
            for (ptrdiff_t j = 0; j < w; j++) \
                out[r + j] = row[j * cn]; \
            for (ptrdiff_t j = r + w; j < pw; j++) \
                out[j] = xmap[j] < 0 ? (T)0 : row[xmap[j] * cn]; \
        } \
    } \
}

OK_DEFINE_PLANES(u8, uint8_t)
OK_DEFINE_PLANES(f32, float)

/* ---- uint8 -------------------------------------------------------------------- */

/* cvRound for a weighted mean of bytes (so 0 <= v <= 255): adding and removing
 * 1.5·2^23 leaves v rounded half-to-even in the current (default) rounding mode,
 * the way cvRound/lrintf round, and unlike lrintf it vectorises. */
static inline uint8_t round_u8(float v)
{
    const float magic = 12582912.0f;
    int i = (int)((v + magic) - magic);
    return (uint8_t)(i < 0 ? 0 : i > 255 ? 255 : i);
}

OK_HOT
static void accum1_u8(const uint8_t *restrict kp, const uint8_t *restrict cp, const float *restrict ctab,
                      float sw, float *restrict wsum, float *restrict sum, ptrdiff_t n)
{
    for (ptrdiff_t x = 0; x < n; x++) {
        int v = kp[x], c = cp[x];
        /* |v - c| as a max-minus-min in its own variable: GCC vectorises this form
         * (with a gather) but not abs() inside the subscript */
        int d = v > c ? v - c : c - v;
        float wt = sw * ctab[d];
        wsum[x] += wt;
        sum[x] += (float)v * wt;
    }
}

OK_HOT
static void accum3_u8(const uint8_t *restrict kb, const uint8_t *restrict kg, const uint8_t *restrict kr,
                      const uint8_t *restrict cb, const uint8_t *restrict cg, const uint8_t *restrict cr,
                      const float *restrict ctab, float sw, float *restrict wsum,
                      float *restrict sb, float *restrict sg, float *restrict sr, ptrdiff_t n)
{
    for (ptrdiff_t x = 0; x < n; x++) {
        int b = kb[x], g = kg[x], r = kr[x];
        int db = b - cb[x], dg = g - cg[x], dr = r - cr[x];
        int d = (db < 0 ? -db : db) + (dg < 0 ? -dg : dg) + (dr < 0 ? -dr : dr);
        float wt = sw * ctab[d];
        wsum[x] += wt;
        sb[x] += (float)b * wt;
        sg[x] += (float)g * wt;
        sr[x] += (float)r * wt;
    }
}

OK_HOT
static void finish1_u8(const float *restrict wsum, const float *restrict sum, uint8_t *restrict out, ptrdiff_t n)
{
    for (ptrdiff_t x = 0; x < n; x++) {
        out[x] = round_u8(sum[x] / wsum[x]);
    }
}

OK_HOT
static void finish3_u8(const float *restrict wsum, const float *restrict sb, const float *restrict sg,
                       const float *restrict sr, uint8_t *restrict out, ptrdiff_t n)
{
    for (ptrdiff_t x = 0; x < n; x++) {
        float inv = 1.f / wsum[x];
        out[3 * x] = round_u8(sb[x] * inv);
        out[3 * x + 1] = round_u8(sg[x] * inv);
        out[3 * x + 2] = round_u8(sr[x] * inv);
    }
}

int ok_bilateral_u8(const uint8_t *src, ptrdiff_t sstep, uint8_t *dst, ptrdiff_t dstep,
                    int w, int h, int cn, int radius, float gauss_color_coeff,
                    float gauss_space_coeff, int border, int y0, int y1)
{
    if (y0 >= y1)
        return 0;
    space_kernel sk;
    if (space_kernel_init(&sk, radius, gauss_space_coeff, 0))
        return -1;
    ptrdiff_t pw = w + 2 * radius, rows = y1 - y0 + 2 * radius;
    size_t ntab = 256 * (size_t)cn;
    size_t nplanes = (size_t)cn * rows * pw;
    char *mem = malloc(ntab * sizeof(float) + 4 * (size_t)w * sizeof(float) +
                       (size_t)pw * sizeof(ptrdiff_t) + nplanes);
    if (!mem) {
        free(sk.dy);
        return -1;
    }
    float *ctab = (float *)mem;
    float *wsum = ctab + ntab, *s0 = wsum + w, *s1 = s0 + w, *s2 = s1 + w;
    ptrdiff_t *xmap = (ptrdiff_t *)(s2 + w);
    uint8_t *planes = (uint8_t *)(xmap + pw);

    /* i*i is exact in float for i < 768; OpenCV multiplies in float too */
    for (size_t i = 0; i < ntab; i++)
        ctab[i] = expf((float)(i * i) * gauss_color_coeff);
    build_planes_u8(src, sstep, w, h, cn, radius, border, y0, y1, planes, xmap);

    for (int y = y0; y < y1; y++) {
        ptrdiff_t cy = y - y0 + radius;
        memset(wsum, 0, 4 * (size_t)w * sizeof(float));
        if (cn == 1) {
            const uint8_t *c = planes + cy * pw + radius;
            for (int k = 0; k < sk.maxk; k++)
                accum1_u8(c + sk.dy[k] * pw + sk.dx[k], c, ctab, sk.weight[k], wsum, s0, w);
            finish1_u8(wsum, s0, dst + (ptrdiff_t)y * dstep, w);
        } else {
            const uint8_t *cb = planes + cy * pw + radius;
            const uint8_t *cg = cb + rows * pw, *cr = cg + rows * pw;
            for (int k = 0; k < sk.maxk; k++) {
                ptrdiff_t o = sk.dy[k] * pw + sk.dx[k];
                accum3_u8(cb + o, cg + o, cr + o, cb, cg, cr, ctab, sk.weight[k], wsum, s0, s1, s2, w);
            }
            finish3_u8(wsum, s0, s1, s2, dst + (ptrdiff_t)y * dstep, w);
        }
    }
    free(mem);
    free(sk.dy);
    return 0;
}

/* ---- float32 ------------------------------------------------------------------ */

/* Interpolated colour weight for a (non-negative) scaled distance; NaN neighbours
 * get weight 0 and a NaN centre gives colour weight 1, as OpenCV's scalar path. */
static inline float interp_weight(const float *restrict lut, float alpha)
{
    int idx = (int)alpha;
    float frac = alpha - (float)idx;
    return lut[idx] + frac * (lut[idx + 1] - lut[idx]);
}

OK_HOT
static void accum1_f32(const float *restrict kp, const float *restrict cp, const float *restrict lut,
                       float scale, float sw, float *restrict wsum, float *restrict sum, ptrdiff_t n)
{
    for (ptrdiff_t x = 0; x < n; x++) {
        float v = kp[x], c = cp[x];
        int ok = v == v;
        float alpha = (ok && c == c) ? fabsf(v - c) * scale : 0.f;
        float wt = ok ? sw * interp_weight(lut, alpha) : 0.f;
        wsum[x] += wt;
        sum[x] += (ok ? v : 0.f) * wt;
    }
}

OK_HOT
static void accum3_f32(const float *restrict kb, const float *restrict kg, const float *restrict kr,
                       const float *restrict cb, const float *restrict cg, const float *restrict cr,
                       const float *restrict lut, float scale, float sw, float *restrict wsum,
                       float *restrict sb, float *restrict sg, float *restrict sr, ptrdiff_t n)
{
    for (ptrdiff_t x = 0; x < n; x++) {
        float b = kb[x], g = kg[x], r = kr[x];
        int ok = b == b && g == g && r == r;
        int cok = cb[x] == cb[x] && cg[x] == cg[x] && cr[x] == cr[x];
        float dist = fabsf(b - cb[x]) + fabsf(g - cg[x]) + fabsf(r - cr[x]);
        float alpha = (ok && cok) ? dist * scale : 0.f;
        float wt = ok ? sw * interp_weight(lut, alpha) : 0.f;
        wsum[x] += wt;
        sb[x] += (ok ? b : 0.f) * wt;
        sg[x] += (ok ? g : 0.f) * wt;
        sr[x] += (ok ? r : 0.f) * wt;
    }
}

int ok_bilateral_f32(const float *src, ptrdiff_t sstep, float *dst, ptrdiff_t dstep,
                     int w, int h, int cn, int radius, double gauss_color_coeff,
                     double gauss_space_coeff, double min_val, double max_val,
                     int border, int y0, int y1)
{
    if (y0 >= y1)
        return 0;
    space_kernel sk;
    if (space_kernel_init(&sk, radius, gauss_space_coeff, 1))
        return -1;
    int nbins = 4096 * cn;
    float len = (float)(max_val - min_val) * (float)cn;
    float scale = (float)nbins / len;
    ptrdiff_t pw = w + 2 * radius, rows = y1 - y0 + 2 * radius;
    size_t nplanes = (size_t)cn * rows * pw;
    char *mem = malloc(((size_t)nbins + 2 + 4 * (size_t)w + nplanes) * sizeof(float) +
                       (size_t)pw * sizeof(ptrdiff_t));
    if (!mem) {
        free(sk.dy);
        return -1;
    }
    float *lut = (float *)mem;
    float *wsum = lut + nbins + 2, *s0 = wsum + w, *s1 = s0 + w, *s2 = s1 + w;
    float *planes = s2 + w;
    ptrdiff_t *xmap = (ptrdiff_t *)(planes + nplanes);

    float last = 1.f;
    for (int i = 0; i < nbins + 2; i++) {
        if (last > 0.f) {
            double v = i / scale;
            lut[i] = last = (float)exp(v * v * gauss_color_coeff);
        } else {
            lut[i] = 0.f;
        }
    }
    build_planes_f32(src, sstep, w, h, cn, radius, border, y0, y1, planes, xmap);

    for (int y = y0; y < y1; y++) {
        ptrdiff_t cy = y - y0 + radius;
        float *out = dst + (ptrdiff_t)y * dstep;
        memset(wsum, 0, 4 * (size_t)w * sizeof(float));
        if (cn == 1) {
            const float *c = planes + cy * pw + radius;
            for (int k = 0; k < sk.maxk; k++)
                accum1_f32(c + sk.dy[k] * pw + sk.dx[k], c, lut, scale, sk.weight[k], wsum, s0, w);
            for (int x = 0; x < w; x++)
                out[x] = c[x] == c[x] ? (s0[x] + c[x]) / (wsum[x] + 1.f) : s0[x] / wsum[x];
        } else {
            const float *cb = planes + cy * pw + radius;
            const float *cg = cb + rows * pw, *cr = cg + rows * pw;
            for (int k = 0; k < sk.maxk; k++) {
                ptrdiff_t o = sk.dy[k] * pw + sk.dx[k];
                accum3_f32(cb + o, cg + o, cr + o, cb, cg, cr, lut, scale, sk.weight[k],
                           wsum, s0, s1, s2, w);
            }
            for (int x = 0; x < w; x++) {
                int ok = cb[x] == cb[x] && cg[x] == cg[x] && cr[x] == cr[x];
                float inv = 1.f / (wsum[x] + (ok ? 1.f : 0.f));
                out[3 * x] = (s0[x] + (ok ? cb[x] : 0.f)) * inv;
                out[3 * x + 1] = (s1[x] + (ok ? cg[x] : 0.f)) * inv;
                out[3 * x + 2] = (s2[x] + (ok ? cr[x] : 0.f)) * inv;
            }
        }
    }
    free(mem);
    free(sk.dy);
    return 0;
}
