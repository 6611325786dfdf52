/* Linear filtering kernels: separable/2-D convolution in float, OpenCV's
 * bit-exact uint8 fixed-point paths, and box sums.
 *
 * All paths share one structure (as OpenCV's FilterEngine): a source row is
 * copied into a buffer padded by the border rule, filtered horizontally into a
 * ring of kh rows, and the ring is combined vertically into each output row.
 * Inner loops run over whole rows (width * channels) so GCC vectorises them.
 */
#include "convolve.h"
#include "convolve_q8.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ok_common.h"

/* ---------------------------------------------------------------- helpers */

/* Source row y under the border rule, or NULL for a row of the (zero) constant. */
static const uint8_t *src_row(const ok_planes *p, int y)
{
    ptrdiff_t r = ok_border_index(y, p->height, p->border);
    return r < 0 ? NULL : p->src + r * p->sstep;
}

/* Source x (or -1 for the constant) of each padding pixel: `left` before the
 * row, then `right` after it. */
static int *make_xmap(const ok_planes *p, int left, int right)
{
    int *map = (int *)malloc(sizeof(int) * (size_t)(left + right + 1));
    if (!map)
        return NULL;
    for (int i = 0; i < left; i++)
        map[i] = (int)ok_border_index(i - left, p->width, p->border);
    for (int i = 0; i < right; i++)
        map[left + i] = (int)ok_border_index(p->width + i, p->width, p->border);
    return map;
}

/* Copy a uint8 row into buf with `left`/`right` padding pixels. */
static void pad_row_u8(const ok_planes *p, const uint8_t *row, uint8_t *buf,
                       int left, int right, const int *xmap)
{
    int cn = p->cn, n = p->width * cn;
    if (!row) {
        memset(buf, 0, (size_t)(n + (left + right) * cn));
        return;
    }
    memcpy(buf + left * cn, row, (size_t)n);
    for (int i = 0; i < left + right; i++) {
        uint8_t *d = buf + (i < left ? i : left + p->width + i - left) * cn;
        for (int c = 0; c < cn; c++)
            d[c] = xmap[i] < 0 ? 0 : row[xmap[i] * cn + c];
    }
}

/* Copy a uint8 or float32 row into a float buffer with padding. */
static void pad_row_f32(const ok_planes *p, const uint8_t *row, float *buf,
                        int left, int right, const int *xmap)
{
    int cn = p->cn, n = p->width * cn;
    if (!row) {
        memset(buf, 0, sizeof(float) * (size_t)(n + (left + right) * cn));
        return;
    }
    float *mid = buf + left * cn;
    if (p->stype == OK_U8) {
        for (int i = 0; i < n; i++)
            mid[i] = (float)row[i];
    } else {
        memcpy(mid, row, sizeof(float) * (size_t)n);
    }
    for (int i = 0; i < left + right; i++) {
        float *d = buf + (i < left ? i : left + p->width + i - left) * cn;
        for (int c = 0; c < cn; c++) {
            if (xmap[i] < 0)
                d[c] = 0.0f;
            else
                d[c] = p->stype == OK_U8 ? (float)row[xmap[i] * cn + c]
                                         : ((const float *)row)[xmap[i] * cn + c];
        }
    }
}

/* Round (half to even, as cvRound) and saturate a float row into the output type. */
OK_HOT void ok_store_f32(const float *acc, int n, int dtype, uint8_t *dst)
{
    int i;
    switch (dtype) {
    case OK_U8:
        for (i = 0; i < n; i++) {
            float v = acc[i];
            v = v < 0.0f ? 0.0f : v;    /* separate selects: GCC if-converts these */
            v = v > 255.0f ? 255.0f : v;
            dst[i] = (uint8_t)(int)ok_rint_small(v);
        }
        break;
    case OK_S16: {
        int16_t *d = (int16_t *)dst;
        for (i = 0; i < n; i++) {
            float v = acc[i];
            v = v < -32768.0f ? -32768.0f : v;    /* separate selects: GCC if-converts these */
            v = v > 32767.0f ? 32767.0f : v;
            d[i] = (int16_t)(int)ok_rint_small(v);
        }
        break;
    }
    case OK_U16: {
        uint16_t *d = (uint16_t *)dst;
        for (i = 0; i < n; i++) {
            float v = acc[i];
            v = v < 0.0f ? 0.0f : v;    /* separate selects: GCC if-converts these */
            v = v > 65535.0f ? 65535.0f : v;
            d[i] = (uint16_t)(int)ok_rint_small(v);
        }
        break;
    }
    default:
        memcpy(dst, acc, sizeof(float) * (size_t)n);
    }
}

/* ------------------------------------------------------- float separable */

/* Kernel symmetry about its centre tap: 1 symmetric, -1 antisymmetric, 0 neither.
 * OpenCV pairs the mirrored taps of such kernels before multiplying; doing the
 * same halves the multiplies and rounds like it does. */
static int kernel_symmetry(const float *k, int n, int anchor)
{
    int sym = 1, asym = 1;
    if (!(n & 1) || anchor != n / 2)
        return 0;
    for (int i = 0; i < n / 2; i++) {
        sym &= k[i] == k[n - 1 - i];
        asym &= k[i] == -k[n - 1 - i];
    }
    asym &= k[n / 2] == 0.0f;
    return sym ? 1 : asym ? -1 : 0;
}

/* src points at the padded row; the window of output x is src[x .. x + (kw-1)*cn]. */
OK_HOT void ok_hline_f32(const float *src, float *dst, int n, const float *k, int kw, int cn,
                         int symmetry)
{
    /* 3 and 5 taps in one pass over the row, same association as the general loops */
    if (kw == 3 && symmetry) {
        const float *a = src, *c = src + cn, *b = src + 2 * cn;
        float k0 = k[1], k1 = k[2];
        if (symmetry > 0)
            for (int x = 0; x < n; x++)
                dst[x] = k0 * c[x] + k1 * (b[x] + a[x]);
        else
            for (int x = 0; x < n; x++)
                dst[x] = 0.0f + k1 * (b[x] - a[x]);
        return;
    }
    if (kw == 5 && symmetry) {
        const float *s0 = src, *s1 = src + cn, *s2 = src + 2 * cn, *s3 = src + 3 * cn,
                    *s4 = src + 4 * cn;
        float k0 = k[2], k1 = k[3], k2 = k[4];
        if (symmetry > 0)
            for (int x = 0; x < n; x++)
                dst[x] = k0 * s2[x] + k1 * (s3[x] + s1[x]) + k2 * (s4[x] + s0[x]);
        else
            for (int x = 0; x < n; x++)
                dst[x] = 0.0f + k1 * (s3[x] - s1[x]) + k2 * (s4[x] - s0[x]);
        return;
    }
    if (symmetry) {
        int c = kw / 2;
        const float *sc = src + c * cn;
        if (symmetry > 0) {
            float kc = k[c];
            for (int x = 0; x < n; x++)
                dst[x] = kc * sc[x];
        } else {
            for (int x = 0; x < n; x++)
                dst[x] = 0.0f;
        }
        for (int i = 1; i <= c; i++) {
            float ki = k[c + i];
            const float *a = sc + i * cn, *b = sc - i * cn;
            if (symmetry > 0)
                for (int x = 0; x < n; x++)
                    dst[x] += ki * (a[x] + b[x]);
            else
                for (int x = 0; x < n; x++)
                    dst[x] += ki * (a[x] - b[x]);
        }
        return;
    }
    float k0 = k[0];
    for (int x = 0; x < n; x++)
        dst[x] = k0 * src[x];
    for (int i = 1; i < kw; i++) {
        float ki = k[i];
        const float *s = src + i * cn;
        if (ki == 0.0f)
            continue;
        for (int x = 0; x < n; x++)
            dst[x] += ki * s[x];
    }
}

OK_HOT void ok_vline_f32(const float *const *rows, float *acc, int n, const float *k, int kh,
                         float delta, int symmetry)
{
    if (kh == 3 && symmetry) {
        const float *a = rows[0], *c = rows[1], *b = rows[2];
        float k0 = k[1], k1 = k[2];
        if (symmetry > 0)
            for (int x = 0; x < n; x++)
                acc[x] = k0 * c[x] + delta + k1 * (b[x] + a[x]);
        else
            for (int x = 0; x < n; x++)
                acc[x] = delta + k1 * (b[x] - a[x]);
        return;
    }
    if (kh == 5 && symmetry) {
        const float *r0 = rows[0], *r1 = rows[1], *r2 = rows[2], *r3 = rows[3], *r4 = rows[4];
        float k0 = k[2], k1 = k[3], k2 = k[4];
        if (symmetry > 0)
            for (int x = 0; x < n; x++)
                acc[x] = k0 * r2[x] + delta + k1 * (r3[x] + r1[x]) + k2 * (r4[x] + r0[x]);
        else
            for (int x = 0; x < n; x++)
                acc[x] = delta + k1 * (r3[x] - r1[x]) + k2 * (r4[x] - r0[x]);
        return;
    }
    if (symmetry) {
        int c = kh / 2;
        if (symmetry > 0) {
            float kc = k[c];
            const float *r = rows[c];
            for (int x = 0; x < n; x++)
                acc[x] = kc * r[x] + delta;
        } else {
            for (int x = 0; x < n; x++)
                acc[x] = delta;
        }
        for (int j = 1; j <= c; j++) {
            float kj = k[c + j];
            const float *a = rows[c + j], *b = rows[c - j];
            if (symmetry > 0)
                for (int x = 0; x < n; x++)
                    acc[x] += kj * (a[x] + b[x]);
            else
                for (int x = 0; x < n; x++)
                    acc[x] += kj * (a[x] - b[x]);
        }
        return;
    }
    for (int x = 0; x < n; x++)
        acc[x] = delta;
    for (int j = 0; j < kh; j++) {
        float kj = k[j];
        const float *r = rows[j];
        if (kj == 0.0f)
            continue;
        for (int x = 0; x < n; x++)
            acc[x] += kj * r[x];
    }
}


/* -------------------------------------------------------------- float 2-D */

OK_HOT void ok_axpy_f32(float *restrict acc, const float *restrict s, float w, int n)
{
    for (int x = 0; x < n; x++)
        acc[x] += w * s[x];
}

/* A whole 3x3 float kernel in one pass, taps added in the general loop's order. */
OK_HOT void ok_conv3x3_f32(float *restrict acc, const float *restrict r0, const float *restrict r1,
                           const float *restrict r2, const float *k, float delta, int cn, int n)
{
    float k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4], k5 = k[5], k6 = k[6],
          k7 = k[7], k8 = k[8];
    const float *a1 = r0 + cn, *a2 = r0 + 2 * cn, *b1 = r1 + cn, *b2 = r1 + 2 * cn,
                *c1 = r2 + cn, *c2 = r2 + 2 * cn;
    for (int x = 0; x < n; x++) {
        float v = delta;
        v += k0 * r0[x]; v += k1 * a1[x]; v += k2 * a2[x];
        v += k3 * r1[x]; v += k4 * b1[x]; v += k5 * b2[x];
        v += k6 * r2[x]; v += k7 * c1[x]; v += k8 * c2[x];
        acc[x] = v;
    }
}

/* Up to five nonzero taps in one pass (sparse kernels such as sharpening or
 * the Laplacian), added in kernel order after delta as the general loop does. */
OK_HOT void ok_taps_f32(float *restrict acc, const float *const *s, const float *w, int ntaps,
                        float delta, int n)
{
    const float *s0 = s[0], *s1 = s[ntaps > 1], *s2 = s[ntaps > 2 ? 2 : 0],
                *s3 = s[ntaps > 3 ? 3 : 0], *s4 = s[ntaps > 4 ? 4 : 0];
    float w0 = w[0], w1 = w[ntaps > 1], w2 = w[ntaps > 2 ? 2 : 0], w3 = w[ntaps > 3 ? 3 : 0],
          w4 = w[ntaps > 4 ? 4 : 0];
    switch (ntaps) {
    case 1:
        for (int x = 0; x < n; x++)
            acc[x] = delta + w0 * s0[x];
        break;
    case 2:
        for (int x = 0; x < n; x++)
            acc[x] = (delta + w0 * s0[x]) + w1 * s1[x];
        break;
    case 3:
        for (int x = 0; x < n; x++)
            acc[x] = ((delta + w0 * s0[x]) + w1 * s1[x]) + w2 * s2[x];
        break;
    case 4:
        for (int x = 0; x < n; x++)
            acc[x] = (((delta + w0 * s0[x]) + w1 * s1[x]) + w2 * s2[x]) + w3 * s3[x];
        break;
    default:
        for (int x = 0; x < n; x++)
            acc[x] = ((((delta + w0 * s0[x]) + w1 * s1[x]) + w2 * s2[x]) + w3 * s3[x]) + w4 * s4[x];
    }
}

/* acc += w0*s[x] + w1*s[x+cn] + w2*s[x+2cn], added one tap at a time as the
 * general loop does, but in one pass over acc. */
OK_HOT void ok_axpy3_f32(float *restrict acc, const float *restrict s, const float *w, int cn, int n)
{
    const float *s1 = s + cn, *s2 = s + 2 * cn;
    float w0 = w[0], w1 = w[1], w2 = w[2];
    for (int x = 0; x < n; x++)
        acc[x] = ((acc[x] + w0 * s[x]) + w1 * s1[x]) + w2 * s2[x];
}


/* ------------------------------------------------- uint8 fixed point (Q8) */

/* Horizontal pass: Q8 taps times uint8 pixels, exact in 16 bits because the
 * taps of a smoothing kernel sum to 256 (caller checks sum * 255 < 2^16). */
static OK_HOT void hline_q8(const uint8_t *src, uint16_t *dst, int n, const uint16_t *k, int kw,
                            int cn)
{
    /* 16-bit arithmetic is exact modulo 2^16 and the true sum is below 2^16,
     * so intermediate wrap-around cannot change the result */
    if (kw == 3) {
        const uint8_t *s1 = src + cn, *s2 = src + 2 * cn;
        uint16_t k0 = k[0], k1 = k[1], k2 = k[2];
        for (int x = 0; x < n; x++)
            dst[x] = (uint16_t)(k0 * src[x] + k1 * s1[x] + k2 * s2[x]);
        return;
    }
    if (kw == 5) {
        const uint8_t *s1 = src + cn, *s2 = src + 2 * cn, *s3 = src + 3 * cn, *s4 = src + 4 * cn;
        uint16_t k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4];
        for (int x = 0; x < n; x++)
            dst[x] = (uint16_t)(k0 * src[x] + k1 * s1[x] + k2 * s2[x] + k3 * s3[x] + k4 * s4[x]);
        return;
    }
    int sym = kw & 1;
    for (int i = 0; i < kw / 2; i++)
        sym &= k[i] == k[kw - 1 - i];
    if (sym) {
        /* mirrored taps share a multiply; two pairs per pass over the row */
        int c = kw / 2, i = 0;
        const uint8_t *sc = src + c * cn;
        uint16_t kc = k[c];
        for (int x = 0; x < n; x++)
            dst[x] = (uint16_t)(kc * sc[x]);
        for (; i + 1 < c; i += 2) {
            const uint8_t *a0 = src + i * cn, *b0 = src + (kw - 1 - i) * cn;
            const uint8_t *a1 = a0 + cn, *b1 = b0 - cn;
            uint16_t k0 = k[i], k1 = k[i + 1];
            for (int x = 0; x < n; x++)
                dst[x] = (uint16_t)(dst[x] + k0 * (a0[x] + b0[x]) + k1 * (a1[x] + b1[x]));
        }
        for (; i < c; i++) {
            const uint8_t *a0 = src + i * cn, *b0 = src + (kw - 1 - i) * cn;
            uint16_t k0 = k[i];
            for (int x = 0; x < n; x++)
                dst[x] = (uint16_t)(dst[x] + k0 * (a0[x] + b0[x]));
        }
        return;
    }
    uint16_t k0 = k[0];
    for (int x = 0; x < n; x++)
        dst[x] = (uint16_t)(k0 * src[x]);
    for (int i = 1; i < kw; i++) {
        uint16_t ki = k[i];
        const uint8_t *s = src + i * cn;
        if (ki == 0)
            continue;
        for (int x = 0; x < n; x++)
            dst[x] = (uint16_t)(dst[x] + ki * s[x]);
    }
}

/* Vertical pass: Q8 x Q8 = Q16 sums in 32 bits, rounded half up once at the
 * end (OpenCV's ufixedpoint32 -> uint8 cast). Symmetric taps are paired so
 * the multiply count halves. */
static OK_HOT void vline_q8(const uint16_t *const *rows, uint32_t *acc, uint8_t *dst, int n,
                            const uint16_t *k, int kh, int32_t delta_q16)
{
    int sym = 1;
    for (int j = 0; j < kh / 2; j++)
        sym &= k[j] == k[kh - 1 - j];
    if (delta_q16 == 0 && (kh == 3 || kh == 5) && sym) {
        /* one pass straight to the output */
        const uint16_t *r0 = rows[0], *r1 = rows[1], *r2 = rows[2];
        uint32_t k0 = k[0], k1 = k[1], k2 = k[2];
        if (kh == 3) {
            for (int x = 0; x < n; x++) {
                uint32_t v = (k0 * ((uint32_t)r0[x] + r2[x]) + k1 * r1[x] + 32768u) >> 16;
                dst[x] = (uint8_t)(v > 255 ? 255 : v);
            }
        } else {
            const uint16_t *r3 = rows[3], *r4 = rows[4];
            for (int x = 0; x < n; x++) {
                uint32_t v = (k0 * ((uint32_t)r0[x] + r4[x]) + k1 * ((uint32_t)r1[x] + r3[x]) +
                              k2 * r2[x] + 32768u) >> 16;
                dst[x] = (uint8_t)(v > 255 ? 255 : v);
            }
        }
        return;
    }
    if (sym && (kh & 1) && delta_q16 == 0) {
        /* long symmetric kernels: three mirrored pairs per pass, the centre
         * folded into the first pass and the rounding into the last, so the
         * 32-bit partial sums go through memory as few times as possible */
        int c = kh / 2, j = 0;
        uint32_t kc = k[c];
        const uint16_t *rc = rows[c];
        for (int x = 0; x < n; x++)
            acc[x] = kc * rc[x];
        while (j < c) {
            int m = c - j < 3 ? c - j : 3, last = j + m == c;
            uint32_t k0 = k[j], k1 = m > 1 ? k[j + 1] : 0, k2 = m > 2 ? k[j + 2] : 0;
            const uint16_t *a0 = rows[j], *b0 = rows[kh - 1 - j];
            const uint16_t *a1 = m > 1 ? rows[j + 1] : a0, *b1 = m > 1 ? rows[kh - 2 - j] : b0;
            const uint16_t *a2 = m > 2 ? rows[j + 2] : a0, *b2 = m > 2 ? rows[kh - 3 - j] : b0;
            if (last) {
                for (int x = 0; x < n; x++) {
                    uint32_t v = acc[x] + k0 * ((uint32_t)a0[x] + b0[x]) +
                                 k1 * ((uint32_t)a1[x] + b1[x]) + k2 * ((uint32_t)a2[x] + b2[x]);
                    v = (v + 32768u) >> 16;
                    dst[x] = (uint8_t)(v > 255 ? 255 : v);
                }
                return;
            }
            for (int x = 0; x < n; x++)
                acc[x] += k0 * ((uint32_t)a0[x] + b0[x]) + k1 * ((uint32_t)a1[x] + b1[x]) +
                          k2 * ((uint32_t)a2[x] + b2[x]);
            j += m;
        }
    }
    if (sym && (kh & 1)) {
        int c = kh / 2;
        uint32_t kc = k[c];
        const uint16_t *rc = rows[c];
        for (int x = 0; x < n; x++)
            acc[x] = kc * rc[x];
        for (int j = 0; j < c; j++) {
            uint32_t kj = k[j];
            const uint16_t *a = rows[j], *b = rows[kh - 1 - j];
            for (int x = 0; x < n; x++)
                acc[x] += kj * ((uint32_t)a[x] + b[x]);
        }
    } else {
        for (int x = 0; x < n; x++)
            acc[x] = 0;
        for (int j = 0; j < kh; j++) {
            uint32_t kj = k[j];
            const uint16_t *a = rows[j];
            for (int x = 0; x < n; x++)
                acc[x] += kj * a[x];
        }
    }
    if (delta_q16 == 0) {
        for (int x = 0; x < n; x++) {
            uint32_t v = (acc[x] + 32768u) >> 16;
            dst[x] = (uint8_t)(v > 255 ? 255 : v);
        }
    } else {
        for (int x = 0; x < n; x++) {
            int64_t v = ((int64_t)acc[x] + delta_q16 + 32768) >> 16;
            dst[x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}


/* ------------------------------------------- uint8 small integer kernels */

OK_HOT void ok_hline_i16(const uint8_t *src, int16_t *dst, int n, const int16_t *k, int kw, int cn)
{
    if (kw == 3) {
        const uint8_t *s1 = src + cn, *s2 = src + 2 * cn;
        int16_t k0 = k[0], k1 = k[1], k2 = k[2];
        for (int x = 0; x < n; x++)
            dst[x] = (int16_t)(k0 * src[x] + k1 * s1[x] + k2 * s2[x]);
        return;
    }
    if (kw == 5) {
        const uint8_t *s1 = src + cn, *s2 = src + 2 * cn, *s3 = src + 3 * cn, *s4 = src + 4 * cn;
        int16_t k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4];
        for (int x = 0; x < n; x++)
            dst[x] = (int16_t)(k0 * src[x] + k1 * s1[x] + k2 * s2[x] + k3 * s3[x] + k4 * s4[x]);
        return;
    }
    for (int x = 0; x < n; x++)
        dst[x] = 0;
    for (int i = 0; i < kw; i++) {
        int16_t ki = k[i];
        const uint8_t *s = src + i * cn;
        if (ki == 0)
            continue;
        for (int x = 0; x < n; x++)
            dst[x] = (int16_t)(dst[x] + ki * s[x]);
    }
}

OK_HOT void ok_vline_i16(const int16_t *const *rows, int16_t *acc, int n, const int16_t *k, int kh)
{
    if (kh == 3) {
        const int16_t *r0 = rows[0], *r1 = rows[1], *r2 = rows[2];
        int16_t k0 = k[0], k1 = k[1], k2 = k[2];
        for (int x = 0; x < n; x++)
            acc[x] = (int16_t)(k0 * r0[x] + k1 * r1[x] + k2 * r2[x]);
        return;
    }
    if (kh == 5) {
        const int16_t *r0 = rows[0], *r1 = rows[1], *r2 = rows[2], *r3 = rows[3], *r4 = rows[4];
        int16_t k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4];
        for (int x = 0; x < n; x++)
            acc[x] = (int16_t)(k0 * r0[x] + k1 * r1[x] + k2 * r2[x] + k3 * r3[x] + k4 * r4[x]);
        return;
    }
    for (int x = 0; x < n; x++)
        acc[x] = 0;
    for (int j = 0; j < kh; j++) {
        int16_t kj = k[j];
        const int16_t *r = rows[j];
        if (kj == 0)
            continue;
        for (int x = 0; x < n; x++)
            acc[x] = (int16_t)(acc[x] + kj * r[x]);
    }
}

OK_HOT void ok_axpy_u8_i16(int16_t *restrict acc, const uint8_t *restrict s, int16_t w, int n)
{
    for (int x = 0; x < n; x++)
        acc[x] = (int16_t)(acc[x] + w * s[x]);
}

OK_HOT void ok_axpy3_u8_i16(int16_t *restrict acc, const uint8_t *restrict s, const int16_t *w,
                            int cn, int n)
{
    const uint8_t *s1 = s + cn, *s2 = s + 2 * cn;
    int16_t w0 = w[0], w1 = w[1], w2 = w[2];
    for (int x = 0; x < n; x++)
        acc[x] = (int16_t)(acc[x] + w0 * s[x] + w1 * s1[x] + w2 * s2[x]);
}

/* A whole 3x3 integer kernel in one pass: no accumulator round trips. */
OK_HOT void ok_conv3x3_u8_i16(int16_t *restrict dst, const uint8_t *restrict r0,
                              const uint8_t *restrict r1, const uint8_t *restrict r2,
                              const int16_t *k, int cn, int n)
{
    int16_t k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4], k5 = k[5], k6 = k[6],
            k7 = k[7], k8 = k[8];
    const uint8_t *a1 = r0 + cn, *a2 = r0 + 2 * cn, *b1 = r1 + cn, *b2 = r1 + 2 * cn,
                  *c1 = r2 + cn, *c2 = r2 + 2 * cn;
    for (int x = 0; x < n; x++)
        dst[x] = (int16_t)(k0 * r0[x] + k1 * a1[x] + k2 * a2[x] + k3 * r1[x] + k4 * b1[x] +
                           k5 * b2[x] + k6 * r2[x] + k7 * c1[x] + k8 * c2[x]);
}

/* Exact int16 sums to the output type; delta added as OpenCV does, in float. */
OK_HOT void ok_store_i16(const int16_t *acc, int n, int dtype, float delta, float *tmp,
                         uint8_t *dst)
{
    int x;
    if (dtype == OK_S16 && delta == 0.0f) {
        memcpy(dst, acc, sizeof(int16_t) * (size_t)n);
        return;
    }
    if (dtype == OK_U8 && delta == 0.0f) {
        for (x = 0; x < n; x++)
            dst[x] = (uint8_t)(acc[x] < 0 ? 0 : acc[x] > 255 ? 255 : acc[x]);
        return;
    }
    for (x = 0; x < n; x++)
        tmp[x] = (float)acc[x] + delta;
    ok_store_f32(tmp, n, dtype, dst);
}



/* ------------------------------------------------------ the row pipeline */

/* A filtering job as a pipeline: each source row becomes one ring row (`make`:
 * pad and filter horizontally, or only pad for 2-D kernels), and each output
 * row is made from the kh ring rows around it (`emit`). The ring keeps every
 * source row's result once per call, so a row is never filtered twice. */
typedef struct row_job row_job;
struct row_job {
    const ok_planes *p;
    int kw, ax, kh, ay;
    size_t ring_bytes;                 /* one ring row */
    size_t pad_bytes;                  /* the padded source row */
    size_t scratch_bytes;              /* emit's own buffer */
    void (*make)(row_job *job, const uint8_t *row, void *ring_row);  /* row NULL: zero border */
    void (*emit)(row_job *job, const void *const *rows, uint8_t *dst);
    /* optional: two output rows from kh + 1 ring rows, sharing their loads */
    void (*emit2)(row_job *job, const void *const *rows, uint8_t *dst0, uint8_t *dst1);
    const void *kx, *ky;               /* kernels, in the job's own type */
    float delta;
    int32_t idelta;
    int symx, symy;
    int simd_x, simd_y;                /* Q8: the AVX2 paths apply */
    /* owned by run_rows */
    void *pad, *scratch;
    int *xmap;
};

static int run_rows(row_job *job, int y0, int y1)
{
    const ok_planes *p = job->p;
    int kh = job->kh, nr = kh + (job->emit2 ? 1 : 0);   /* emit2 reads kh + 1 rows */
    uint8_t *ring = (uint8_t *)malloc(job->ring_bytes * (size_t)nr);
    const void **rows = (const void **)malloc(sizeof(void *) * (size_t)nr);
    int *tags = (int *)malloc(sizeof(int) * (size_t)nr);
    job->pad = malloc(job->pad_bytes);
    job->scratch = malloc(job->scratch_bytes ? job->scratch_bytes : 1);
    job->xmap = make_xmap(p, job->ax, job->kw - 1 - job->ax);
    int ok = ring && rows && tags && job->pad && job->scratch && job->xmap;
    if (ok) {
        for (int j = 0; j < nr; j++)
            tags[j] = INT_MIN;
        for (int y = y0; y < y1;) {
            int two = job->emit2 && y + 1 < y1, m = kh + two;
            for (int j = 0; j < m; j++) {
                int sy = y - job->ay + j, slot = ((sy % nr) + nr) % nr;
                uint8_t *r = ring + job->ring_bytes * (size_t)slot;
                if (tags[slot] != sy) {
                    job->make(job, src_row(p, sy), r);
                    tags[slot] = sy;
                }
                rows[j] = r;
            }
            uint8_t *d = p->dst + (ptrdiff_t)y * p->dstep;
            if (two)
                job->emit2(job, rows, d, d + p->dstep);
            else
                job->emit(job, rows, d);
            y += 1 + two;
        }
    }
    free(ring); free(rows); free(tags); free(job->pad); free(job->scratch); free(job->xmap);
    return ok ? 0 : -1;
}

static void init_job(row_job *job, const ok_planes *p, int kw, int ax, int kh, int ay,
                     size_t elem, size_t pad_elem)
{
    memset(job, 0, sizeof(*job));
    job->p = p;
    job->kw = kw; job->ax = ax; job->kh = kh; job->ay = ay;
    job->ring_bytes = elem * (size_t)p->width * p->cn;
    job->pad_bytes = pad_elem * (size_t)(p->width + kw - 1) * p->cn;
}

#define JOB_N(job) ((job)->p->width * (job)->p->cn)
#define JOB_RIGHT(job) ((job)->kw - 1 - (job)->ax)

/* float separable */
static void sep_f32_make(row_job *job, const uint8_t *row, void *out)
{
    if (!row) {
        memset(out, 0, job->ring_bytes);
        return;
    }
    pad_row_f32(job->p, row, (float *)job->pad, job->ax, JOB_RIGHT(job), job->xmap);
    ok_hline_f32((const float *)job->pad, (float *)out, JOB_N(job), (const float *)job->kx,
                 job->kw, job->p->cn, job->symx);
}

static void sep_f32_emit(row_job *job, const void *const *rows, uint8_t *dst)
{
    float *acc = (float *)job->scratch;
    ok_vline_f32((const float *const *)rows, acc, JOB_N(job), (const float *)job->ky, job->kh,
                 job->delta, job->symy);
    ok_store_f32(acc, JOB_N(job), job->p->dtype, dst);
}

int ok_sep_filter_f32(const ok_planes *p, const float *kx, int kw, int ax,
                      const float *ky, int kh, int ay, float delta, int y0, int y1)
{
    row_job job;
    init_job(&job, p, kw, ax, kh, ay, sizeof(float), sizeof(float));
    job.scratch_bytes = job.ring_bytes;
    job.make = sep_f32_make;
    job.emit = sep_f32_emit;
    job.kx = kx; job.ky = ky; job.delta = delta;
    job.symx = kernel_symmetry(kx, kw, ax);
    job.symy = kernel_symmetry(ky, kh, ay);
    return run_rows(&job, y0, y1);
}

/* float 2-D: the ring holds padded rows; each kernel row is added into acc */
static void pad_f32_make(row_job *job, const uint8_t *row, void *out)
{
    pad_row_f32(job->p, row, (float *)out, job->ax, JOB_RIGHT(job), job->xmap);
}

static void f2d_f32_emit(row_job *job, const void *const *rows, uint8_t *dst)
{
    int n = JOB_N(job), cn = job->p->cn, kw = job->kw;
    float *acc = (float *)job->scratch;
    if (kw == 3 && job->kh == 3) {
        const float *k = (const float *)job->kx, *src[9];
        float w[9];
        int nt = 0;
        for (int t = 0; t < 9; t++)
            if (k[t] != 0.0f) {
                src[nt] = (const float *)rows[t / 3] + (t % 3) * cn;
                w[nt++] = k[t];
            }
        if (nt >= 1 && nt <= 5)
            ok_taps_f32(acc, src, w, nt, job->delta, n);
        else
            ok_conv3x3_f32(acc, (const float *)rows[0], (const float *)rows[1],
                           (const float *)rows[2], k, job->delta, cn, n);
        ok_store_f32(acc, n, job->p->dtype, dst);
        return;
    }
    for (int x = 0; x < n; x++)
        acc[x] = job->delta;
    for (int j = 0; j < job->kh; j++) {
        const float *r = (const float *)rows[j], *kr = (const float *)job->kx + j * kw;
        if (kw == 3 && kr[0] != 0.0f && kr[1] != 0.0f && kr[2] != 0.0f) {
            ok_axpy3_f32(acc, r, kr, cn, n);
            continue;
        }
        for (int i = 0; i < kw; i++)
            if (kr[i] != 0.0f)
                ok_axpy_f32(acc, r + i * cn, kr[i], n);
    }
    ok_store_f32(acc, n, job->p->dtype, dst);
}

int ok_filter2d_f32(const ok_planes *p, const float *kernel, int kw, int kh, int ax, int ay,
                    float delta, int y0, int y1)
{
    row_job job;
    init_job(&job, p, kw, ax, kh, ay, sizeof(float), sizeof(float));
    job.ring_bytes = job.pad_bytes;
    job.scratch_bytes = sizeof(float) * (size_t)p->width * p->cn;
    job.make = pad_f32_make;
    job.emit = f2d_f32_emit;
    job.kx = kernel; job.delta = delta;
    return run_rows(&job, y0, y1);
}

/* uint8 Q8 separable */
static void q8_make(row_job *job, const uint8_t *row, void *out)
{
    if (!row) {
        memset(out, 0, job->ring_bytes);
        return;
    }
    pad_row_u8(job->p, row, (uint8_t *)job->pad, job->ax, JOB_RIGHT(job), job->xmap);
    const uint8_t *src = (const uint8_t *)job->pad;
    const uint16_t *k = (const uint16_t *)job->kx;
    int n = JOB_N(job), done = 0;
#if OK_Q8_X86
    if (job->simd_x)
        done = ok_hline_q8_avx2(src, (uint16_t *)out, n, k, job->kw);
#endif
    if (done < n)
        hline_q8(src + done, (uint16_t *)out + done, n - done, k, job->kw, job->p->cn);
}

static void q8_emit(row_job *job, const void *const *rows, uint8_t *dst)
{
    const uint16_t *const *r = (const uint16_t *const *)rows;
    const uint16_t *k = (const uint16_t *)job->ky;
    int n = JOB_N(job), kh = job->kh, done = 0;
#if OK_Q8_X86
    if (job->simd_y) {
        /* the two-row path with a throwaway second row (its last input row
         * repeats one of ours; its output goes to the scratch buffer) */
        const uint16_t *r2[65];
        for (int j = 0; j < kh; j++)
            r2[j] = r[j];
        r2[kh] = r[kh - 1];
        done = ok_vline2_q8_avx2(r2, dst, (uint8_t *)job->scratch, n, k, kh, job->idelta);
    }
#endif
    if (done == 0) {
        vline_q8(r, (uint32_t *)job->scratch, dst, n, k, kh, job->idelta);
    } else if (done < n) {
        const uint16_t *tail[64];       /* the SIMD path takes at most 64 rows */
        for (int j = 0; j < kh; j++)
            tail[j] = r[j] + done;
        vline_q8(tail, (uint32_t *)job->scratch, dst + done, n - done, k, kh, job->idelta);
    }
}

#if OK_Q8_X86
static void q8_emit2(row_job *job, const void *const *rows, uint8_t *dst0, uint8_t *dst1)
{
    const uint16_t *const *r = (const uint16_t *const *)rows;
    const uint16_t *k = (const uint16_t *)job->ky;
    int n = JOB_N(job), kh = job->kh;
    int done = ok_vline2_q8_avx2(r, dst0, dst1, n, k, kh, job->idelta);
    if (done < n) {
        const uint16_t *tail[65];
        for (int j = 0; j <= kh; j++)
            tail[j] = r[j] + done;
        vline_q8(tail, (uint32_t *)job->scratch, dst0 + done, n - done, k, kh, job->idelta);
        vline_q8(tail + 1, (uint32_t *)job->scratch, dst1 + done, n - done, k, kh, job->idelta);
    }
}
#endif

int ok_sep_filter_u8_q8(const ok_planes *p, const uint16_t *kx, int kw, int ax,
                        const uint16_t *ky, int kh, int ay, int32_t delta_q16, int y0, int y1)
{
    row_job job;
    init_job(&job, p, kw, ax, kh, ay, sizeof(uint16_t), 1);
    job.scratch_bytes = sizeof(uint32_t) * (size_t)p->width * p->cn;
    job.make = q8_make;
    job.emit = q8_emit;
    job.kx = kx; job.ky = ky; job.idelta = delta_q16;
#if OK_Q8_X86
    job.pad_bytes += OK_Q8_SLACK;
    if (ok_q8_have_avx2()) {
        job.simd_x = ok_hline_q8_fits_avx2(kx, kw, p->cn);
        job.simd_y = kh <= 63;
        if (job.simd_y)
            job.emit2 = q8_emit2;
    }
#endif
    return run_rows(&job, y0, y1);
}

/* uint8 small integer kernels in int16; scratch = int16 acc then float tmp */
static void i16_make(row_job *job, const uint8_t *row, void *out)
{
    if (!row) {
        memset(out, 0, job->ring_bytes);
        return;
    }
    pad_row_u8(job->p, row, (uint8_t *)job->pad, job->ax, JOB_RIGHT(job), job->xmap);
    ok_hline_i16((const uint8_t *)job->pad, (int16_t *)out, JOB_N(job), (const int16_t *)job->kx,
                 job->kw, job->p->cn);
}

static void i16_emit(row_job *job, const void *const *rows, uint8_t *dst)
{
    int n = JOB_N(job);
    int16_t *acc = (int16_t *)job->scratch;
    float *tmp = (float *)(acc + n + (n & 1));
    if (job->p->dtype == OK_S16 && job->delta == 0.0f) {
        ok_vline_i16((const int16_t *const *)rows, (int16_t *)dst, n, (const int16_t *)job->ky, job->kh);
        return;
    }
    ok_vline_i16((const int16_t *const *)rows, acc, n, (const int16_t *)job->ky, job->kh);
    ok_store_i16(acc, n, job->p->dtype, job->delta, tmp, dst);
}

static size_t i16_scratch(const ok_planes *p)
{
    size_t n = (size_t)p->width * p->cn;
    return sizeof(int16_t) * (n + (n & 1)) + sizeof(float) * n;
}

int ok_sep_filter_u8_i16(const ok_planes *p, const int16_t *kx, int kw, int ax,
                         const int16_t *ky, int kh, int ay, float delta, int y0, int y1)
{
    row_job job;
    init_job(&job, p, kw, ax, kh, ay, sizeof(int16_t), 1);
    job.scratch_bytes = i16_scratch(p);
    job.make = i16_make;
    job.emit = i16_emit;
    job.kx = kx; job.ky = ky; job.delta = delta;
    return run_rows(&job, y0, y1);
}

static void pad_u8_make(row_job *job, const uint8_t *row, void *out)
{
    pad_row_u8(job->p, row, (uint8_t *)out, job->ax, JOB_RIGHT(job), job->xmap);
}

static void f2d_i16_emit(row_job *job, const void *const *rows, uint8_t *dst)
{
    int n = JOB_N(job), cn = job->p->cn, kw = job->kw;
    int16_t *acc = (int16_t *)job->scratch;
    float *tmp = (float *)(acc + n + (n & 1));
    /* int16 output without delta: accumulate in place */
    int16_t *a = (job->p->dtype == OK_S16 && job->delta == 0.0f) ? (int16_t *)dst : acc;
    if (kw == 3 && job->kh == 3) {
        ok_conv3x3_u8_i16(a, (const uint8_t *)rows[0], (const uint8_t *)rows[1],
                          (const uint8_t *)rows[2], (const int16_t *)job->kx, cn, n);
        if (a == acc)
            ok_store_i16(acc, n, job->p->dtype, job->delta, tmp, dst);
        return;
    }
    memset(a, 0, sizeof(int16_t) * (size_t)n);
    for (int j = 0; j < job->kh; j++) {
        const uint8_t *r = (const uint8_t *)rows[j];
        const int16_t *kr = (const int16_t *)job->kx + j * kw;
        if (kw == 3) {
            if (kr[0] | kr[1] | kr[2])
                ok_axpy3_u8_i16(a, r, kr, cn, n);
            continue;
        }
        for (int i = 0; i < kw; i++)
            if (kr[i] != 0)
                ok_axpy_u8_i16(a, r + i * cn, kr[i], n);
    }
    if (a == acc)
        ok_store_i16(acc, n, job->p->dtype, job->delta, tmp, dst);
}

int ok_filter2d_u8_i16(const ok_planes *p, const int16_t *kernel, int kw, int kh, int ax, int ay,
                       float delta, int y0, int y1)
{
    row_job job;
    init_job(&job, p, kw, ax, kh, ay, 1, 1);
    job.ring_bytes = job.pad_bytes;
    job.scratch_bytes = i16_scratch(p);
    job.make = pad_u8_make;
    job.emit = f2d_i16_emit;
    job.kx = kernel; job.delta = delta;
    return run_rows(&job, y0, y1);
}

/* -------------------------------------------------------------- box sums */

/* Horizontal window sums: direct for narrow windows (vectorises across x),
 * a running sum for wide ones. */
OK_HOT void ok_hsum_u8(const uint8_t *src, uint32_t *dst, int n, int kw, int cn)
{
    if (kw <= 32) {
        for (int x = 0; x < n; x++)
            dst[x] = src[x];
        for (int i = 1; i < kw; i++) {
            const uint8_t *s = src + i * cn;
            for (int x = 0; x < n; x++)
                dst[x] += s[x];
        }
        return;
    }
    for (int c = 0; c < cn; c++) {
        uint32_t s = 0;
        for (int i = 0; i < kw; i++)
            s += src[i * cn + c];
        for (int x = c; x < n; x += cn) {
            dst[x] = s;
            s += (uint32_t)src[x + kw * cn] - src[x];
        }
    }
}

/* Column sums to output. For uint8 output with area <= 256 OpenCV divides in
 * fixed point, (s + dd) * ds >> 23 with ds ~ 2^23 / area, which rounds ties
 * upwards; larger areas and other outputs round s * (float)(1 / area). */
OK_HOT void ok_box_out(const uint32_t *sum, int n, int dtype, int area, int normalize,
                       float *tmp, uint8_t *dst)
{
    int x;
    if (dtype == OK_U8 && normalize && area > 1 && area <= 256) {
        double scalef = (double)(1 << 23) / area;
        uint32_t ds = (uint32_t)scalef, dd = (uint32_t)(area / 2);
        if (scalef - ds < 0.5)
            dd++;
        else
            ds++;
        for (x = 0; x < n; x++)
            dst[x] = (uint8_t)(((sum[x] + dd) * ds) >> 23);
        return;
    }
    if (!normalize || area == 1) {
        if (dtype == OK_F32) {
            float *d = (float *)dst;
            for (x = 0; x < n; x++)
                d[x] = (float)sum[x];
        } else {
            uint32_t hi = dtype == OK_U8 ? 255u : dtype == OK_S16 ? 32767u : 65535u;
            for (x = 0; x < n; x++) {
                uint32_t v = sum[x] > hi ? hi : sum[x];
                if (dtype == OK_U8)
                    dst[x] = (uint8_t)v;
                else if (dtype == OK_S16)
                    ((int16_t *)dst)[x] = (int16_t)v;
                else
                    ((uint16_t *)dst)[x] = (uint16_t)v;
            }
        }
        return;
    }
    /* OpenCV's vector loops scale in float, and so do we */
    float fscale = (float)(1.0 / area);
    if (dtype == OK_F32) {
        float *d = (float *)dst;
        for (x = 0; x < n; x++)
            d[x] = (float)sum[x] * fscale;
        return;
    }
    for (x = 0; x < n; x++)
        tmp[x] = (float)sum[x] * fscale;
    ok_store_f32(tmp, n, dtype, dst);
    (void)tmp;
}

OK_HOT void ok_col_add(uint32_t *acc, const uint32_t *a, int n)
{
    for (int x = 0; x < n; x++)
        acc[x] += a[x];
}

OK_HOT void ok_col_sub(uint32_t *acc, const uint32_t *a, int n)
{
    for (int x = 0; x < n; x++)
        acc[x] -= a[x];
}

/* 16-bit row sums (kw <= 257 keeps them exact). */
OK_HOT void ok_hsum16_u8(const uint8_t *src, uint16_t *dst, int n, int kw, int cn)
{
    if (kw == 3) {
        const uint8_t *s1 = src + cn, *s2 = src + 2 * cn;
        for (int x = 0; x < n; x++)
            dst[x] = (uint16_t)(src[x] + s1[x] + s2[x]);
        return;
    }
    if (kw == 5) {
        const uint8_t *s1 = src + cn, *s2 = src + 2 * cn, *s3 = src + 3 * cn, *s4 = src + 4 * cn;
        for (int x = 0; x < n; x++)
            dst[x] = (uint16_t)(src[x] + s1[x] + s2[x] + s3[x] + s4[x]);
        return;
    }
    for (int x = 0; x < n; x++)
        dst[x] = src[x];
    for (int i = 1; i < kw; i++) {
        const uint8_t *s = src + i * cn;
        for (int x = 0; x < n; x++)
            dst[x] = (uint16_t)(dst[x] + s[x]);
    }
}

OK_HOT void ok_pairsum16(const uint16_t *restrict a, uint16_t *restrict b, int len, int shift)
{
    const uint16_t *restrict a2 = a + shift;   /* a separate pointer keeps the loop vectorisable */
    for (int x = 0; x < len; x++)
        b[x] = (uint16_t)(a[x] + a2[x]);
}

OK_HOT void ok_add16(uint16_t *restrict dst, const uint16_t *restrict a, int n)
{
    for (int x = 0; x < n; x++)
        dst[x] = (uint16_t)(dst[x] + a[x]);
}

/* Wide windows: sums of 2, 4, 8, ... pixels built by doubling, and the window
 * split into the power-of-two blocks of kw's binary digits, so a kw-wide sum
 * costs about 2*log2(kw) passes instead of kw. bufs: two rows of npad uint16. */
static void hsum16_wide(const uint8_t *src, uint16_t *dst, int n, int kw, int cn, int npad,
                        uint16_t *lvl, uint16_t *next)
{
    int off = 0;
    for (int x = 0; x < npad; x++)
        lvl[x] = src[x];
    memset(dst, 0, sizeof(uint16_t) * (size_t)n);
    for (int k = 0; (1 << k) <= kw; k++) {
        int span = 1 << k, len = npad - (span - 1) * cn;
        if (kw & span) {
            ok_add16(dst, lvl + off * cn, n);
            off += span;
        }
        if ((span << 1) <= kw) {
            ok_pairsum16(lvl, next, len - span * cn, span * cn);
            uint16_t *t = lvl;
            lvl = next;
            next = t;
        }
    }
}

/* The column step of the uint8 mean: out = (s + dd) * ds >> 23 with s the
 * window sum, then drop the oldest row. 16-bit sums wrap harmlessly (the true
 * window sum is below 2^16); the product fits 32 bits because ds ~ 2^23/area. */
OK_HOT void ok_box_col16(uint16_t *restrict sum, const uint16_t *restrict add,
                         const uint16_t *restrict sub, uint8_t *restrict dst, int n,
                         uint32_t ds, uint32_t dd)
{
    for (int x = 0; x < n; x++) {
        uint16_t s = (uint16_t)(sum[x] + add[x]);
        dst[x] = (uint8_t)(((s + dd) * ds) >> 23);
        sum[x] = (uint16_t)(s - sub[x]);
    }
}

#define HSUM16(src_, dst_)                                                        \
    do {                                                                          \
        if (kw >= 8)                                                              \
            hsum16_wide(src_, dst_, n, kw, cn, (int)npad, lv, lv + npad);         \
        else                                                                      \
            ok_hsum16_u8(src_, dst_, n, kw, cn);                                  \
    } while (0)

/* Mean filter, uint8 in and out, area <= 256: OpenCV's ushort-sum path. */
static int box_mean_u8_small(const ok_planes *p, int kw, int kh, int ax, int ay, int y0, int y1)
{
    int cn = p->cn, n = p->width * cn, area = kw * kh;
    size_t npad = (size_t)(p->width + kw - 1) * cn;
    uint8_t *pad = (uint8_t *)malloc(npad);
    uint16_t *ring = (uint16_t *)malloc(sizeof(uint16_t) * (size_t)n * kh);
    uint16_t *sum = (uint16_t *)calloc((size_t)n, sizeof(uint16_t));
    uint16_t *lv = (uint16_t *)malloc(sizeof(uint16_t) * npad * 2);
    int *xmap = make_xmap(p, ax, kw - 1 - ax);
    int ok = pad && ring && sum && lv && xmap;
    double scalef = (double)(1 << 23) / area;
    uint32_t ds = (uint32_t)scalef, dd = (uint32_t)(area / 2);
    if (scalef - ds < 0.5)
        dd++;
    else
        ds++;
    if (ok) {
        /* rows y - ay .. y - ay + kh - 1 form the window; row r lives in slot r mod kh */
        for (int j = 0; j < kh; j++) {
            int sy = y0 - ay + j;
            uint16_t *h = ring + (size_t)(((sy % kh) + kh) % kh) * n;
            const uint8_t *row = src_row(p, sy);
            if (row) {
                pad_row_u8(p, row, pad, ax, kw - 1 - ax, xmap);
                HSUM16(pad, h);
            } else {
                memset(h, 0, sizeof(uint16_t) * (size_t)n);
            }
            if (j < kh - 1)
                for (int x = 0; x < n; x++)
                    sum[x] = (uint16_t)(sum[x] + h[x]);
        }
        for (int y = y0; y < y1; y++) {
            int newest = y - ay + kh - 1, oldest = y - ay;
            uint16_t *hn = ring + (size_t)(((newest % kh) + kh) % kh) * n;
            uint16_t *ho = ring + (size_t)(((oldest % kh) + kh) % kh) * n;
            if (y > y0) {
                const uint8_t *row = src_row(p, newest);
                if (row) {
                    pad_row_u8(p, row, pad, ax, kw - 1 - ax, xmap);
                    HSUM16(pad, hn);
                } else {
                    memset(hn, 0, sizeof(uint16_t) * (size_t)n);
                }
            }
            ok_box_col16(sum, hn, ho, p->dst + (ptrdiff_t)y * p->dstep, n, ds, dd);
        }
    }
    free(pad); free(ring); free(sum); free(lv); free(xmap);
    return ok ? 0 : -1;
}

int ok_box_filter_u8(const ok_planes *p, int kw, int kh, int ax, int ay, int normalize,
                     int y0, int y1)
{
    if (p->dtype == OK_U8 && normalize && kw * kh > 1 && kw * kh <= 256)
        return box_mean_u8_small(p, kw, kh, ax, ay, y0, y1);

    int cn = p->cn, n = p->width * cn, area = kw * kh;
    size_t npad = (size_t)(p->width + kw - 1) * cn;
    uint8_t *pad = (uint8_t *)malloc(npad);
    uint32_t *ring = (uint32_t *)malloc(sizeof(uint32_t) * (size_t)n * kh);
    uint32_t *sum = (uint32_t *)malloc(sizeof(uint32_t) * (size_t)n);
    float *tmp = (float *)malloc(sizeof(float) * (size_t)n);
    int *xmap = make_xmap(p, ax, kw - 1 - ax);
    int ok = pad && ring && sum && tmp && xmap;
    if (ok) {
        memset(sum, 0, sizeof(uint32_t) * (size_t)n);
        /* row sy lives in slot sy mod kh; the column sum covers rows y-ay .. y-ay+kh-1 */
        for (int j = 0; j < kh; j++) {
            int sy = y0 - ay + j, slot = ((sy % kh) + kh) % kh;
            uint32_t *h = ring + (size_t)slot * n;
            const uint8_t *row = src_row(p, sy);
            if (row) {
                pad_row_u8(p, row, pad, ax, kw - 1 - ax, xmap);
                ok_hsum_u8(pad, h, n, kw, cn);
            } else {
                memset(h, 0, sizeof(uint32_t) * (size_t)n);
            }
            ok_col_add(sum, h, n);
        }
        for (int y = y0; y < y1; y++) {
            ok_box_out(sum, n, p->dtype, area, normalize, tmp, p->dst + (ptrdiff_t)y * p->dstep);
            if (y + 1 == y1)
                break;
            int old = y - ay, nw = y - ay + kh;
            uint32_t *h = ring + (size_t)(((old % kh) + kh) % kh) * n;
            ok_col_sub(sum, h, n);
            const uint8_t *row = src_row(p, nw);
            if (row) {
                pad_row_u8(p, row, pad, ax, kw - 1 - ax, xmap);
                ok_hsum_u8(pad, h, n, kw, cn);
            } else {
                memset(h, 0, sizeof(uint32_t) * (size_t)n);
            }
            ok_col_add(sum, h, n);
        }
    }
    free(pad); free(ring); free(sum); free(tmp); free(xmap);
    return ok ? 0 : -1;
}

/* ------------------------------------------------------------ unsharp mask */

/* dst = src + amount * (src - blurred), or src where |src - blurred| < threshold. */
OK_HOT void ok_unsharp_u8(const uint8_t *src, const uint8_t *blurred, uint8_t *dst, ptrdiff_t n,
                          float amount, float threshold)
{
    if (threshold <= 0.0f) {
        for (ptrdiff_t i = 0; i < n; i++) {
            float s = (float)src[i];
            float v = s + amount * (s - (float)blurred[i]);
            v = v < 0.0f ? 0.0f : v;
            v = v > 255.0f ? 255.0f : v;
            dst[i] = (uint8_t)(int)ok_rint_small(v);
        }
        return;
    }
    for (ptrdiff_t i = 0; i < n; i++) {
        float s = (float)src[i], d = s - (float)blurred[i];
        float v = s + amount * d;
        if (fabsf(d) < threshold)
            v = s;
        v = v < 0.0f ? 0.0f : v;
        v = v > 255.0f ? 255.0f : v;
        dst[i] = (uint8_t)(int)ok_rint_small(v);
    }
}
