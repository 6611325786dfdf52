/* Grayscale conversion, look-up tables, histogram equalisation and CLAHE.
 *
 * Rounding follows OpenCV: cvtColor's uint8 gray uses 15-bit fixed-point weights
 * (color.hpp: R2Y = 9798, G2Y = 19235, B2Y = 3735, i.e. 0.299/0.587/0.114 × 2^15,
 * summing to exactly 2^15) with a half-unit added before the shift; equalizeHist
 * and CLAHE scale cumulative counts by a float factor and round half to even.
 */
#include "color.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ok_common.h"


enum { GRAY_SHIFT = 15, GRAY_R = 9798, GRAY_G = 19235, GRAY_B = 3735 };

/* The channel stride is a compile-time constant in each instance so GCC can
 * vectorise the interleaved loads; the blue/red swap is folded into c0/c2.
 *
 * Luminosity in 16-bit lanes, still exact: split each weight c = 256 ch + cl.
 * Then hi = sum(v ch) <= 255 * 127 and lo = sum(v cl) <= 255 * 256 both fit in
 * uint16, and (256 hi + lo + 2^14) >> 15 == (hi + (lo >> 8) + 64) >> 7 because
 * 2^14 = 64 * 256 and the low 8 bits of lo cannot carry into bit 15.  This halves
 * the multiply width of the obvious 32-bit form. */
#define OK_GRAY_U8_BODY(CN)                                                      \
    do {                                                                         \
        ptrdiff_t i_;                                                            \
        if (method == OK_GRAY_LUMINOSITY) {                                      \
            const uint16_t h0_ = (uint16_t)(c0 >> 8), l0_ = (uint16_t)(c0 & 255);  \
            const uint16_t h2_ = (uint16_t)(c2 >> 8), l2_ = (uint16_t)(c2 & 255);  \
            for (i_ = 0; i_ < n; i_++) {                                         \
                const uint8_t *p_ = src + i_ * (CN);                             \
                uint16_t a_ = p_[0], g_ = p_[1], c_ = p_[2];                     \
                uint16_t hi_ = (uint16_t)(a_ * h0_ + g_ * (GRAY_G >> 8) + c_ * h2_);  \
                uint16_t lo_ = (uint16_t)(a_ * l0_ + g_ * (GRAY_G & 255) + c_ * l2_); \
                dst[i_] = (uint8_t)((uint16_t)(hi_ + (lo_ >> 8) + 64) >> 7);     \
            }                                                                    \
        } else if (method == OK_GRAY_AVERAGE) {                                  \
            /* a sum of three never ends in .5 after /3, so +1 rounds exactly */ \
            for (i_ = 0; i_ < n; i_++) {                                         \
                const uint8_t *p_ = src + i_ * (CN);                             \
                dst[i_] = (uint8_t)((p_[0] + p_[1] + p_[2] + 1) / 3);            \
            }                                                                    \
        } else {                                                                 \
            /* (max + min) / 2 with ties to even, like cvRound and numpy.rint */ \
            for (i_ = 0; i_ < n; i_++) {                                         \
                const uint8_t *p_ = src + i_ * (CN);                             \
                int a_ = p_[0], b_ = p_[1], c_ = p_[2];                          \
                int mx_ = a_ > b_ ? a_ : b_, mn_ = a_ < b_ ? a_ : b_;            \
                int s_, q_;                                                      \
                mx_ = mx_ > c_ ? mx_ : c_;                                       \
                mn_ = mn_ < c_ ? mn_ : c_;                                       \
                s_ = mx_ + mn_;                                                  \
                q_ = s_ >> 1;                                                    \
                dst[i_] = (uint8_t)(q_ + (s_ & q_ & 1));                         \
            }                                                                    \
        }                                                                        \
    } while (0)

OK_HOT static void gray_u8_c3(const uint8_t *src, uint8_t *dst, ptrdiff_t n, int c0, int c2, int method)
{
    OK_GRAY_U8_BODY(3);
}

OK_HOT static void gray_u8_c4(const uint8_t *src, uint8_t *dst, ptrdiff_t n, int c0, int c2, int method)
{
    OK_GRAY_U8_BODY(4);
}

void ok_gray_u8(const uint8_t *src, uint8_t *dst, ptrdiff_t n, int cn, int bidx, int method)
{
    int c0 = bidx == 0 ? GRAY_B : GRAY_R, c2 = bidx == 0 ? GRAY_R : GRAY_B;
    if (cn == 3)
        gray_u8_c3(src, dst, n, c0, c2, method);
    else
        gray_u8_c4(src, dst, n, c0, c2, method);
}

#define OK_GRAY_F32_BODY(CN)                                                     \
    do {                                                                         \
        ptrdiff_t i_;                                                            \
        if (method == OK_GRAY_LUMINOSITY) {                                      \
            for (i_ = 0; i_ < n; i_++) {                                         \
                const float *p_ = src + i_ * (CN);                               \
                dst[i_] = p_[0] * c0 + p_[1] * 0.587f + p_[2] * c2;              \
            }                                                                    \
        } else if (method == OK_GRAY_AVERAGE) {                                  \
            for (i_ = 0; i_ < n; i_++) {                                         \
                const float *p_ = src + i_ * (CN);                               \
                dst[i_] = (p_[0] + p_[1] + p_[2]) / 3.0f;                        \
            }                                                                    \
        } else {                                                                 \
            for (i_ = 0; i_ < n; i_++) {                                         \
                const float *p_ = src + i_ * (CN);                               \
                float a_ = p_[0], b_ = p_[1], c_ = p_[2];                        \
                float mx_ = a_ > b_ ? a_ : b_, mn_ = a_ < b_ ? a_ : b_;          \
                mx_ = mx_ > c_ ? mx_ : c_;                                       \
                mn_ = mn_ < c_ ? mn_ : c_;                                       \
                dst[i_] = (mx_ + mn_) * 0.5f;                                    \
            }                                                                    \
        }                                                                        \
    } while (0)

OK_HOT static void gray_f32_c3(const float *src, float *dst, ptrdiff_t n, float c0, float c2, int method)
{
    OK_GRAY_F32_BODY(3);
}

OK_HOT static void gray_f32_c4(const float *src, float *dst, ptrdiff_t n, float c0, float c2, int method)
{
    OK_GRAY_F32_BODY(4);
}

void ok_gray_f32(const float *src, float *dst, ptrdiff_t n, int cn, int bidx, int method)
{
    float c0 = bidx == 0 ? 0.114f : 0.299f, c2 = bidx == 0 ? 0.299f : 0.114f;
    if (cn == 3)
        gray_f32_c3(src, dst, n, c0, c2, method);
    else
        gray_f32_c4(src, dst, n, c0, c2, method);
}

void ok_lut_u8(const uint8_t *src, uint8_t *dst, ptrdiff_t n, const uint8_t *lut)
{
    ptrdiff_t i = 0;
    /* four independent loads per step keep the load ports busy */
    for (; i + 4 <= n; i += 4) {
        uint8_t a = lut[src[i]], b = lut[src[i + 1]], c = lut[src[i + 2]], d = lut[src[i + 3]];
        dst[i] = a;
        dst[i + 1] = b;
        dst[i + 2] = c;
        dst[i + 3] = d;
    }
    for (; i < n; i++)
        dst[i] = lut[src[i]];
}

/* histogram.cpp's equalizeHist: the first occupied bin maps to 0 and the rest to
 * cumsum * (255 / (total - count of the first bin)), the scale being a float; a
 * single-valued image keeps its value. */
void ok_equalize_lut(const uint32_t *hist, int64_t total, uint8_t *lut)
{
    int i = 0, j;
    int64_t sum = 0;
    float scale;
    while (i < 255 && hist[i] == 0)
        i++;
    if ((int64_t)hist[i] == total) {
        memset(lut, i, 256);
        return;
    }
    scale = 255.0f / (float)(total - (int64_t)hist[i]);
    for (j = 0; j <= i; j++)
        lut[j] = 0;
    for (j = i + 1; j < 256; j++) {
        sum += hist[j];
        lut[j] = ok_sat_u8_f32((float)sum * scale);
    }
}

/* ------------------------------------------------------------------------ */
/* CLAHE (clahe.cpp): per-tile histogram, clipped at `clip`, the excess spread
 * evenly and its remainder one count per `residual step` bins from bin 0; the
 * table is cumsum * lut_scale rounded. */

void ok_clahe_luts(const uint8_t *src, int w, int h, int tiles_x, int tw, int th,
                   int clip, float lut_scale, int t0, int t1, uint8_t *luts)
{
    int t;
    for (t = t0; t < t1; t++) {
        uint32_t hist[256];
        int tx = t % tiles_x, ty = t / tiles_x;
        int x0 = tx * tw, y0 = ty * th, x, y, i;
        uint8_t *lut = luts + (size_t)t * 256;
        int sum = 0;
        memset(hist, 0, sizeof(hist));
        if (x0 + tw <= w && y0 + th <= h) {
            for (y = y0; y < y0 + th; y++) {
                const uint8_t *row = src + (size_t)y * w;
                for (x = x0; x < x0 + tw; x++)
                    hist[row[x]]++;
            }
        } else {
            /* the tile reaches into OpenCV's BORDER_REFLECT_101 padding */
            for (y = y0; y < y0 + th; y++) {
                const uint8_t *row = src + (size_t)ok_border_index(y, h, OK_BORDER_REFLECT101) * w;
                for (x = x0; x < x0 + tw; x++)
                    hist[row[ok_border_index(x, w, OK_BORDER_REFLECT101)]]++;
            }
        }
        if (clip > 0) {
            int clipped = 0, batch, residual;
            for (i = 0; i < 256; i++)
                if ((int)hist[i] > clip) {
                    clipped += (int)hist[i] - clip;
                    hist[i] = (uint32_t)clip;
                }
            batch = clipped / 256;
            residual = clipped - batch * 256;
            for (i = 0; i < 256; i++)
                hist[i] += (uint32_t)batch;
            if (residual != 0) {
                int step = 256 / residual;
                if (step < 1)
                    step = 1;
                for (i = 0; i < 256 && residual > 0; i += step, residual--)
                    hist[i]++;
            }
        }
        for (i = 0; i < 256; i++) {
            sum += (int)hist[i];
            lut[i] = ok_sat_u8_f32((float)sum * lut_scale);
        }
    }
}

OK_HOT static void clahe_row(const uint8_t *srow, uint8_t *drow, int w, const uint8_t *plane1,
                              const uint8_t *plane2, const int32_t *ind1, const int32_t *ind2,
                              const float *xa, const float *xa1, float ya, float ya1)
{
    int x;
    for (x = 0; x < w; x++) {
        int v = srow[x];
        int i1 = ind1[x] + v, i2 = ind2[x] + v;
        float res = (plane1[i1] * xa1[x] + plane1[i2] * xa[x]) * ya1
                  + (plane2[i1] * xa1[x] + plane2[i2] * xa[x]) * ya;
        /* res lies in [0, 255]: a plain round-half-even conversion is cvRound here */
        drow[x] = (uint8_t)(int)__builtin_rintf(res);
    }
}

int ok_clahe_apply(const uint8_t *src, uint8_t *dst, int w, int y0, int y1,
                   const uint8_t *luts, int tiles_x, int tiles_y, int tw, int th)
{
    const float inv_tw = 1.0f / (float)tw, inv_th = 1.0f / (float)th;
    int x, y;
    int32_t *ind = (int32_t *)malloc(sizeof(int32_t) * 2 * (size_t)w);
    float *xw = (float *)malloc(sizeof(float) * 2 * (size_t)w);
    if (!ind || !xw) {
        free(ind);
        free(xw);
        return -1;
    }
    /* the horizontal tile pair and weight of each column, as clahe.cpp tabulates them */
    for (x = 0; x < w; x++) {
        float txf = (float)x * inv_tw - 0.5f;
        int tx1 = (int)floorf(txf), tx2 = tx1 + 1;
        xw[x] = txf - (float)tx1;
        xw[w + x] = 1.0f - xw[x];
        tx1 = tx1 < 0 ? 0 : tx1;
        tx2 = tx2 > tiles_x - 1 ? tiles_x - 1 : tx2;
        ind[x] = tx1 * 256;
        ind[w + x] = tx2 * 256;
    }
    for (y = y0; y < y1; y++) {
        float tyf = (float)y * inv_th - 0.5f;
        int ty1 = (int)floorf(tyf), ty2 = ty1 + 1;
        float ya = tyf - (float)ty1, ya1 = 1.0f - ya;
        ty1 = ty1 < 0 ? 0 : ty1;
        ty2 = ty2 > tiles_y - 1 ? tiles_y - 1 : ty2;
        clahe_row(src + (size_t)y * w, dst + (size_t)y * w, w, luts + (size_t)ty1 * tiles_x * 256,
                  luts + (size_t)ty2 * tiles_x * 256, ind, ind + w, xw, xw + w, ya, ya1);
    }
    free(ind);
    free(xw);
    return 0;
}
