/* Thresholding: fixed thresholds, histograms, Otsu/triangle, fused adaptive threshold.
 *
 * Semantics follow OpenCV's imgproc/src/thresh.cpp.  The adaptive threshold is
 * OpenCV's "blur, round to uint8, compare with a table" done in one pass per row
 * with the blur's rounding reproduced exactly (see the comments on each path).
 */
#include "threshold.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ok_common.h"

/* FMA emulation follows OpenCV's x86 AVX2 build where our AVX2 clone runs */
#define OK_X86_DISPATCH OK_HAVE_CLONES

/* ------------------------------------------------------------------------ */
/* Fixed thresholds.  Written as compare/select so GCC vectorises them; the
 * results equal OpenCV's table lookups for every input value. */

#define OK_THRESH_LOOP(T, src, dst, n, th, mv, type)                         \
    do {                                                                   \
        ptrdiff_t i_;                                                      \
        switch (type) {                                                    \
        case OK_THRESH_BINARY:                                             \
            for (i_ = 0; i_ < (n); i_++)                                   \
                (dst)[i_] = (src)[i_] > (th) ? (mv) : (T)0;                \
            break;                                                         \
        case OK_THRESH_BINARY_INV:                                         \
            for (i_ = 0; i_ < (n); i_++)                                   \
                (dst)[i_] = (src)[i_] > (th) ? (T)0 : (mv);                \
            break;                                                         \
        case OK_THRESH_TRUNC:                                              \
            for (i_ = 0; i_ < (n); i_++)                                   \
                (dst)[i_] = (src)[i_] > (th) ? (th) : (src)[i_];           \
            break;                                                         \
        case OK_THRESH_TOZERO:                                             \
            for (i_ = 0; i_ < (n); i_++)                                   \
                (dst)[i_] = (src)[i_] > (th) ? (src)[i_] : (T)0;           \
            break;                                                         \
        default:                                                           \
            for (i_ = 0; i_ < (n); i_++)                                   \
                (dst)[i_] = (src)[i_] > (th) ? (T)0 : (src)[i_];           \
            break;                                                         \
        }                                                                  \
    } while (0)

OK_HOT void ok_thresh_u8(const uint8_t *src, uint8_t *dst, ptrdiff_t n, int thresh, int maxval, int type)
{
    const uint8_t th = (uint8_t)thresh, mv = (uint8_t)maxval;
    OK_THRESH_LOOP(uint8_t, src, dst, n, th, mv, type);
}

OK_HOT void ok_thresh_s16(const int16_t *src, int16_t *dst, ptrdiff_t n, int thresh, int maxval, int type)
{
    const int16_t th = (int16_t)thresh, mv = (int16_t)maxval;
    OK_THRESH_LOOP(int16_t, src, dst, n, th, mv, type);
}

OK_HOT void ok_thresh_u16(const uint16_t *src, uint16_t *dst, ptrdiff_t n, int thresh, int maxval, int type)
{
    const uint16_t th = (uint16_t)thresh, mv = (uint16_t)maxval;
    OK_THRESH_LOOP(uint16_t, src, dst, n, th, mv, type);
}

/* Float comparisons are written as OpenCV's SIMD path has them (thresh < v,
 * v <= thresh), so a NaN sample gives 0 for binary, binary_inv and the tozero
 * types, as it does there. */
OK_HOT void ok_thresh_f32(const float *src, float *dst, ptrdiff_t n, float thresh, float maxval, int type)
{
    ptrdiff_t i;
    switch (type) {
    case OK_THRESH_BINARY:
        for (i = 0; i < n; i++)
            dst[i] = thresh < src[i] ? maxval : 0.0f;
        break;
    case OK_THRESH_BINARY_INV:
        for (i = 0; i < n; i++)
            dst[i] = src[i] <= thresh ? maxval : 0.0f;
        break;
    case OK_THRESH_TRUNC:
        for (i = 0; i < n; i++)
            dst[i] = thresh < src[i] ? thresh : src[i];
        break;
    case OK_THRESH_TOZERO:
        for (i = 0; i < n; i++)
            dst[i] = thresh < src[i] ? src[i] : 0.0f;
        break;
    default:
        for (i = 0; i < n; i++)
            dst[i] = src[i] <= thresh ? src[i] : 0.0f;
        break;
    }
}

/* ------------------------------------------------------------------------ */
/* Histograms.  Four sub-histograms break the store-to-load dependency when
 * neighbouring pixels share a value (flat regions), which otherwise serialises
 * the increments. */

void ok_hist_u8(const uint8_t *src, ptrdiff_t n, uint32_t *hist)
{
    uint32_t h[4][256];
    ptrdiff_t i = 0;
    int b;
    memset(h, 0, sizeof(h));
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, src + i, 8);
        h[0][v & 255]++;
        h[1][(v >> 8) & 255]++;
        h[2][(v >> 16) & 255]++;
        h[3][(v >> 24) & 255]++;
        h[0][(v >> 32) & 255]++;
        h[1][(v >> 40) & 255]++;
        h[2][(v >> 48) & 255]++;
        h[3][v >> 56]++;
    }
    for (; i < n; i++)
        h[0][src[i]]++;
    for (b = 0; b < 256; b++)
        hist[b] += h[0][b] + h[1][b] + h[2][b] + h[3][b];
}

void ok_hist_u16(const uint16_t *src, ptrdiff_t n, uint32_t *hist)
{
    ptrdiff_t i;
    for (i = 0; i < n; i++)
        hist[src[i]]++;
}

/* ------------------------------------------------------------------------ */
/* Otsu: the between-class variance maximised over the histogram with OpenCV's
 * exact double-precision recurrence (mu1 rescaled by q1 each step, classes with
 * weight below FLT_EPSILON skipped, first maximum kept), so ties and
 * near-ties resolve to the same bin. */
double ok_otsu_from_hist(const uint32_t *hist, int nbins, int64_t total)
{
    const double flt_eps = 1.1920928955078125e-07;
    double mu = 0.0, scale = 1.0 / (double)total;
    double mu1 = 0.0, q1 = 0.0, max_sigma = 0.0, max_val = 0.0;
    int i;
    for (i = 0; i < nbins; i++)
        mu += i * (double)hist[i];
    mu *= scale;
    for (i = 0; i < nbins; i++) {
        double p_i = hist[i] * scale, q2, mu2, sigma;
        mu1 *= q1;
        q1 += p_i;
        q2 = 1.0 - q1;
        if ((q1 < q2 ? q1 : q2) < flt_eps || (q1 > q2 ? q1 : q2) > 1.0 - flt_eps)
            continue;
        mu1 = (mu1 + i * p_i) / q1;
        mu2 = (mu - q1 * mu1) / q2;
        sigma = q1 * q2 * (mu1 - mu2) * (mu1 - mu2);
        if (sigma > max_sigma) {
            max_sigma = sigma;
            max_val = i;
        }
    }
    return max_val;
}

/* Triangle (Zack et al. 1977): the bin farthest from the line joining the
 * histogram peak to its far end, minus one, as OpenCV computes it (the
 * histogram is flipped when the long tail lies left of the peak). */
int ok_triangle_from_hist(const uint32_t *hist_in)
{
    const int N = 256;
    int h[256];
    int i, j, left = 0, right = 0, max_ind = 0, maxv = 0, flipped = 0;
    double thresh, a, b, dist = 0.0;
    for (i = 0; i < N; i++)
        h[i] = (int)hist_in[i];
    for (i = 0; i < N; i++)
        if (h[i] > 0) {
            left = i;
            break;
        }
    if (left > 0)
        left--;
    for (i = N - 1; i > 0; i--)
        if (h[i] > 0) {
            right = i;
            break;
        }
    if (right < N - 1)
        right++;
    for (i = 0; i < N; i++)
        if (h[i] > maxv) {
            maxv = h[i];
            max_ind = i;
        }
    if (max_ind - left < right - max_ind) {
        flipped = 1;
        for (i = 0, j = N - 1; i < j; i++, j--) {
            int t = h[i];
            h[i] = h[j];
            h[j] = t;
        }
        left = N - 1 - right;
        max_ind = N - 1 - max_ind;
    }
    thresh = left;
    a = maxv;
    b = left - max_ind;
    for (i = left + 1; i <= max_ind; i++) {
        double d = a * i + b * h[i];
        if (d > dist) {
            dist = d;
            thresh = i;
        }
    }
    thresh -= 1;
    if (flipped)
        thresh = N - 1 - thresh;
    return (int)thresh;
}

/* ------------------------------------------------------------------------ */
/* Adaptive threshold, "mean".
 *
 * OpenCV blurs with a normalised k×k box (BORDER_REPLICATE), rounds the mean to
 * uint8 and sets maxval where src - mean > -idelta (binary).  Its rounding is
 * 23-bit fixed point up to 15×15, then float(s) * float(1/k²) rounded half to even
 * in its vector loop (the first w & ~7 columns) and double in the scalar tail;
 * beyond k² = 2^23 the sums are double.  Up to k = 163 all of these equal
 * round(s / k²) for the window sum s (checked for every s), and k² is odd so
 * s / k² never ties at .5.  Hence, with X = src + idelta,
 *     mean < X  <=>  s / k² < X - 1/2  <=>  2 s < (2 X - 1) k²,
 * an exact integer test: no division and no mean image.  X outside [1, 255]
 * makes the test constant, so idelta is clamped to keep the products in int32.
 * For 165 <= k <= 2895 the float product can land on the other side of a .5
 * (s has more than 24 bits), so those columns compute OpenCV's float mean. */

/* Column sums live in a row padded by r on each side (BORDER_REPLICATE), so the
 * horizontal window of output x is cp[x .. x + k). */
static void colsum_add(uint32_t *cp, const uint8_t *row, int w)
{
    ptrdiff_t x;
    for (x = 0; x < w; x++)
        cp[x] += row[x];
}

OK_HOT static void colsum_slide(uint32_t *cp, const uint8_t *add, const uint8_t *sub, int w)
{
    ptrdiff_t x;
    for (x = 0; x < w; x++)
        cp[x] = cp[x] + add[x] - sub[x];
}

static void pad_replicate(uint32_t *cp, int w, int r)
{
    ptrdiff_t i;
    for (i = 0; i < r; i++) {
        cp[i] = cp[r];
        cp[r + w + i] = cp[r + w - 1];
    }
}

/* Window sums s[x] = sum(cp[x .. x + k)).  A running sum would be one serial add
 * per pixel; instead eight lanes run at once: with W8[i] = sum(cp[i .. i + 8)),
 *     s[x + 8] = s[x] + W8[x + k] - W8[x],
 * a recurrence of distance 8 that GCC vectorises, and W8 itself takes three
 * doubling passes.  Everything stays below 255 k^2 + 8 * 255 k, far inside uint32. */
OK_HOT static void row_box_sums(const uint32_t *cp, uint32_t *w2, uint32_t *w8, uint32_t *s, int w, int k)
{
    /* ptrdiff_t indices: Python builds with -fwrapv, and int index arithmetic that
     * may wrap stops GCC from vectorising these loops */
    const ptrdiff_t n = (ptrdiff_t)w + k - 1; /* padded length */
    const uint32_t *ahead = w2 + k;
    ptrdiff_t x, m;
    for (x = 0; x < 8 && x < w; x++) {
        uint32_t a = 0;
        for (m = 0; m < k; m++)
            a += cp[x + m];
        s[x] = a;
    }
    if (w <= 8)
        return;
    /* only W8[0 .. w - 9] and W8[k .. w + k - 9] are read */
    for (x = 0; x < n - 1; x++)
        w2[x] = cp[x] + cp[x + 1];
    for (x = 0; x < n - 3; x++)
        w8[x] = w2[x] + w2[x + 2];          /* W4 */
    for (x = 0; x < n - 7; x++)
        w2[x] = w8[x] + w8[x + 4];          /* W8, reusing w2 */
    for (x = 0; x < (ptrdiff_t)w - 8; x++)
        s[x + 8] = s[x] + ahead[x] - w2[x];
}

OK_HOT static void mean_compare_row(const uint8_t *src, const uint32_t *s, uint8_t *dst, int w,
                                    int32_t area2, int32_t c0, uint8_t yes, uint8_t no)
{
    ptrdiff_t x;
    /* 2 s < (2 src + 2 idelta - 1) area  <=>  2 s - 2 area src < c0 */
    for (x = 0; x < w; x++)
        dst[x] = (2 * (int32_t)s[x] - area2 * (int32_t)src[x] < c0) ? yes : no;
}

/* OpenCV's float mean for the vector-covered columns of large blocks */
OK_HOT static void mean_compare_row_f32(const uint8_t *src, const uint32_t *s, uint8_t *dst, int w,
                                        float scale, float fdelta, uint8_t yes, uint8_t no)
{
    ptrdiff_t x;
    for (x = 0; x < w; x++) {
        /* s < 2^31 here; the product is in [0, 255.5), so adding 2^23 rounds it */
        float m = ((float)(int32_t)s[x] * scale + 8388608.0f) - 8388608.0f;
        dst[x] = ((float)src[x] + fdelta > m) ? yes : no;
    }
}

static void mean_compare_row64(const uint8_t *src, const uint32_t *s, uint8_t *dst, int w,
                               int64_t area2, int64_t c0, uint8_t yes, uint8_t no)
{
    int x;
    for (x = 0; x < w; x++)
        dst[x] = (2 * (int64_t)s[x] - area2 * (int64_t)src[x] < c0) ? yes : no;
}

int ok_adaptive_mean_u8(const uint8_t *src, uint8_t *dst, int w, int h, int y0, int y1,
                        int k, int idelta, int maxval, int inv)
{
    const int r = k / 2;
    const int64_t area = (int64_t)k * k;
    /* int32 suffices while 2 * 255 * area and (2 * 257 + 1) * area stay below 2^31 */
    const int small = area < (1 << 21);
    /* int32 sums with a float scale in OpenCV: see above */
    const int fmean = k >= 165 && area <= (1 << 23);
    const float fscale = (float)(1.0 / (double)area);
    const size_t n = (size_t)w + 2 * (size_t)r;
    uint32_t *mem, *cp, *w2, *w8, *s;
    int y, i;
    uint8_t yes = (uint8_t)(inv ? 0 : maxval), no = (uint8_t)(inv ? maxval : 0);
    if (idelta > 257)
        idelta = 257;
    if (idelta < -256)
        idelta = -256;
    mem = (uint32_t *)calloc(3 * n + (size_t)w + 8, sizeof(uint32_t));
    if (!mem)
        return -1;
    cp = mem;
    w2 = cp + n;
    w8 = w2 + n;
    s = w8 + n;
    for (i = -r; i <= r; i++) {
        int yy = y0 + i;
        yy = yy < 0 ? 0 : yy >= h ? h - 1 : yy;
        colsum_add(cp + r, src + (size_t)yy * w, w);
    }
    for (y = y0; y < y1; y++) {
        pad_replicate(cp, w, r);
        row_box_sums(cp, w2, w8, s, w, k);
        if (fmean) {
            const int wf = w & ~7;
            mean_compare_row_f32(src + (size_t)y * w, s, dst + (size_t)y * w, wf, fscale,
                                 (float)idelta, yes, no);
            mean_compare_row64(src + (size_t)y * w + wf, s + wf, dst + (size_t)y * w + wf, w - wf,
                               2 * area, (2 * (int64_t)idelta - 1) * area, yes, no);
        } else if (small)
            mean_compare_row(src + (size_t)y * w, s, dst + (size_t)y * w, w, (int32_t)(2 * area),
                             (int32_t)((2 * idelta - 1) * area), yes, no);
        else
            mean_compare_row64(src + (size_t)y * w, s, dst + (size_t)y * w, w, 2 * area,
                               (2 * (int64_t)idelta - 1) * area, yes, no);
        if (y + 1 < y1) {
            int ya = y + 1 + r, ys = y - r;
            ya = ya >= h ? h - 1 : ya;
            ys = ys < 0 ? 0 : ys;
            if (ya != ys)
                colsum_slide(cp + r, src + (size_t)ya * w, src + (size_t)ys * w, w);
        }
    }
    free(mem);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Adaptive threshold, "gaussian".
 *
 * OpenCV converts the image to float32, runs its separable float GaussianBlur
 * (BORDER_REPLICATE) and rounds the result to uint8 (half to even).  To give the
 * same means, the float sums are formed in OpenCV's order: the row pass adds
 * the k taps left to right, the column pass starts from the centre tap and adds
 * tap_j * (row[+j] + row[-j]).  On x86 with AVX2 OpenCV's vector loops use fused
 * multiply-adds over the first (w & ~3) columns of the row pass and (w & ~7) of
 * the column pass, and plain multiply-then-add in the scalar tails; we mirror
 * that split when the CPU has FMA.  For k <= 9 the taps are dyadic and every sum
 * is exact, so any order agrees. */

/* Eight floats in a GCC vector (two SSE registers or one AVX register); loads and
 * stores go through memcpy so any alignment is fine. */
typedef float ok_v8f __attribute__((vector_size(32)));

#define OK_LD(p) ({ ok_v8f v_; memcpy(&v_, (p), sizeof(v_)); v_; })
#define OK_ST(p, v) do { ok_v8f v_ = (v); memcpy((p), &v_, sizeof(v_)); } while (0)

/* Row pass of the FMA path: out[x] = sum_j buf[x + j] * kern[j], taps added left
 * to right, four vectors of x accumulated in registers over all taps.  The
 * functions using it are compiled with fp-contract=fast, so `acc + v * kj` (also
 * in the scalar remainder, which OpenCV's 4-lane loop still covers) becomes one
 * fused multiply-add, as in OpenCV's vector loop. */
#define OK_GAUSS_ROW_BODY                                                          \
    do {                                                                           \
        int x_ = 0, j_;                                                            \
        for (; x_ + 32 <= wv; x_ += 32) {                                          \
            const float *b_ = buf + x_;                                            \
            ok_v8f k_ = {kern[0], kern[0], kern[0], kern[0], kern[0], kern[0], kern[0], kern[0]}; \
            ok_v8f a0_ = OK_LD(b_) * k_, a1_ = OK_LD(b_ + 8) * k_;                 \
            ok_v8f a2_ = OK_LD(b_ + 16) * k_, a3_ = OK_LD(b_ + 24) * k_;           \
            for (j_ = 1; j_ < k; j_++) {                                           \
                const float kj_ = kern[j_];                                        \
                ok_v8f q_ = {kj_, kj_, kj_, kj_, kj_, kj_, kj_, kj_};              \
                a0_ = a0_ + OK_LD(b_ + j_) * q_;                                   \
                a1_ = a1_ + OK_LD(b_ + j_ + 8) * q_;                               \
                a2_ = a2_ + OK_LD(b_ + j_ + 16) * q_;                              \
                a3_ = a3_ + OK_LD(b_ + j_ + 24) * q_;                              \
            }                                                                      \
            OK_ST(out + x_, a0_);                                                  \
            OK_ST(out + x_ + 8, a1_);                                              \
            OK_ST(out + x_ + 16, a2_);                                             \
            OK_ST(out + x_ + 24, a3_);                                             \
        }                                                                          \
        for (; x_ < wv; x_++) {                                                    \
            float s_ = buf[x_] * kern[0];                                          \
            for (j_ = 1; j_ < k; j_++)                                             \
                s_ = s_ + buf[x_ + j_] * kern[j_];                                 \
            out[x_] = s_;                                                          \
        }                                                                          \
    } while (0)

/* Column pass, 16 columns at a time in registers: acc = centre * kc, then
 * acc + (row[+j] + row[-j]) * kj for j = 1..r; the sum is rounded half to even
 * (adding 2^23 leaves no fraction bits, so the FPU's default rounding does it),
 * giving OpenCV's uint8 mean as a float.  No clamp is needed: the taps are
 * positive and sum to 1 within float rounding, so the mean stays in [0, 255.5). */
#define OK_GAUSS_COL_BODY                                                          \
    do {                                                                           \
        int x_ = 0, j_;                                                            \
        const ok_v8f magic_ = {8388608.f, 8388608.f, 8388608.f, 8388608.f,         \
                               8388608.f, 8388608.f, 8388608.f, 8388608.f};        \
        const float kc_ = kern[r];                                                 \
        const ok_v8f kcv_ = {kc_, kc_, kc_, kc_, kc_, kc_, kc_, kc_};              \
        for (; x_ + 16 <= wv; x_ += 16) {                                          \
            ok_v8f a0_ = OK_LD(rows[r] + x_) * kcv_, a1_ = OK_LD(rows[r] + x_ + 8) * kcv_; \
            for (j_ = 1; j_ <= r; j_++) {                                          \
                const float kj_ = kern[r + j_];                                    \
                const ok_v8f q_ = {kj_, kj_, kj_, kj_, kj_, kj_, kj_, kj_};        \
                const float *p_ = rows[r + j_] + x_, *m_ = rows[r - j_] + x_;      \
                a0_ = a0_ + (OK_LD(p_) + OK_LD(m_)) * q_;                          \
                a1_ = a1_ + (OK_LD(p_ + 8) + OK_LD(m_ + 8)) * q_;                  \
            }                                                                      \
            OK_ST(acc + x_, (a0_ + magic_) - magic_);                              \
            OK_ST(acc + x_ + 8, (a1_ + magic_) - magic_);                          \
        }                                                                          \
        for (; x_ < wv; x_++) {                                                    \
            float a_ = rows[r][x_] * kc_;                                          \
            for (j_ = 1; j_ <= r; j_++)                                            \
                a_ = a_ + (rows[r + j_][x_] + rows[r - j_][x_]) * kern[r + j_];    \
            acc[x_] = __builtin_rintf(a_);                                         \
        }                                                                          \
    } while (0)

/* Without FMA: plain loops that GCC vectorises for any target (the register-
 * blocked generic vectors above lower poorly to bare SSE2).  Same roundings. */
static void gauss_row_plain(const float *buf, float *out, int wv, const float *kern, int k)
{
    int x, j;
    for (x = 0; x < wv; x++)
        out[x] = buf[x] * kern[0];
    for (j = 1; j < k; j++) {
        const float kj = kern[j];
        const float *b = buf + j;
        for (x = 0; x < wv; x++)
            out[x] = out[x] + b[x] * kj;
    }
}

static void gauss_col_plain(float *const *rows, float *acc, int wv, const float *kern, int r)
{
    int x, j;
    const float kc = kern[r];
    const float *c = rows[r];
    for (x = 0; x < wv; x++)
        acc[x] = c[x] * kc;
    for (j = 1; j <= r; j++) {
        const float kj = kern[r + j];
        const float *p = rows[r + j], *m = rows[r - j];
        for (x = 0; x < wv; x++)
            acc[x] = acc[x] + (p[x] + m[x]) * kj;
    }
    /* the taps are positive and sum to 1 within float rounding, so the mean of
     * uint8 samples stays within [0, 255.5) and needs no clamp before rounding */
    for (x = 0; x < wv; x++)
        acc[x] = (acc[x] + 8388608.0f) - 8388608.0f;
}

#if OK_X86_DISPATCH
#define OK_FMA_FN __attribute__((target("avx2,fma"), optimize("fp-contract=fast")))
#elif defined(__aarch64__)
/* NEON: OpenCV's vector loops fuse every multiply-add (vfmaq_f32) */
#define OK_FMA_FN __attribute__((optimize("fp-contract=fast")))
#endif

#ifdef OK_FMA_FN
OK_FMA_FN static void gauss_row_fma(const float *buf, float *out, int wv, const float *kern, int k)
{
    OK_GAUSS_ROW_BODY;
}

OK_FMA_FN static void gauss_col_fma(float *const *rows, float *acc, int wv, const float *kern, int r)
{
    OK_GAUSS_COL_BODY;
}

static int cpu_has_fma(void)
{
#if defined(OK_NO_FMA)
    return 0; /* build-time switch to exercise the plain path */
#elif OK_X86_DISPATCH
    __builtin_cpu_init();
    return __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2");
#else
    return 1;
#endif
}
#else
#define gauss_row_fma gauss_row_plain
#define gauss_col_fma gauss_col_plain
static int cpu_has_fma(void) { return 0; }
#endif

/* The scalar tails of OpenCV's passes (columns its vector loops leave over) use
 * separate multiply and add: plain code, with fp-contract=off from setup.py. */
static void gauss_row_tail(const float *buf, float *out, int x0, int w, const float *kern, int k)
{
    int x, j;
    for (x = x0; x < w; x++) {
        float s = buf[x] * kern[0];
        for (j = 1; j < k; j++)
            s = s + buf[x + j] * kern[j];
        out[x] = s;
    }
}

static void gauss_col_tail(float *const *rows, float *acc, int x0, int w, const float *kern, int r)
{
    int x, j;
    for (x = x0; x < w; x++) {
        float a = rows[r][x] * kern[r];
        for (j = 1; j <= r; j++)
            a = a + (rows[r + j][x] + rows[r - j][x]) * kern[r + j];
        acc[x] = __builtin_rintf(a);
    }
}

/* mean is OpenCV's rounded uint8 mean (held as a float): src - mean > -idelta
 * <=> src + idelta > mean, exact in float for these small integers. */
OK_HOT static void gauss_compare_row(const uint8_t *src, const float *mean, uint8_t *dst, int w,
                                     float fdelta, uint8_t yes, uint8_t no)
{
    int x;
    for (x = 0; x < w; x++)
        dst[x] = ((float)src[x] + fdelta > mean[x]) ? yes : no;
}

OK_HOT static void load_row_f32(const uint8_t *row, float *buf, int w, int r)
{
    float *mid = buf + r, *right = buf + r + w;
    const float first = (float)row[0], last = (float)row[w - 1];
    ptrdiff_t x;
    for (x = 0; x < r; x++)
        buf[x] = first;
    for (x = 0; x < w; x++)
        mid[x] = (float)row[x];
    for (x = 0; x < r; x++)
        right[x] = last;
}

static void gauss_row(const uint8_t *row, float *buf, float *out, int w, int wv, int use_fma,
                      const float *kern, int k)
{
    load_row_f32(row, buf, w, k / 2);
    if (use_fma)
        gauss_row_fma(buf, out, wv, kern, k);
    else
        gauss_row_plain(buf, out, wv, kern, k);
    gauss_row_tail(buf, out, wv, w, kern, k);
}

int ok_adaptive_gauss_u8(const uint8_t *src, uint8_t *dst, int w, int h, int y0, int y1,
                         int k, const float *kern, int idelta, int maxval, int inv)
{
    const int r = k / 2;
    /* for k <= 9 every sum is exact, so the fused path is taken whenever it exists */
    const int use_fma = cpu_has_fma();
    const int wv_row = use_fma ? (w & ~3) : w, wv_col = use_fma ? (w & ~7) : w;
    float *mem, *buf, *acc, *ring;
    float **rows;
    int y, i;
    uint8_t yes = (uint8_t)(inv ? 0 : maxval), no = (uint8_t)(inv ? maxval : 0);
    if (idelta > 512)
        idelta = 512;
    if (idelta < -512)
        idelta = -512;
    mem = (float *)malloc(sizeof(float) * ((size_t)(w + 2 * r) + (size_t)w + (size_t)k * w));
    rows = (float **)malloc(sizeof(float *) * (size_t)k);
    if (!mem || !rows) {
        free(mem);
        free(rows);
        return -1;
    }
    buf = mem;
    acc = buf + (w + 2 * r);
    ring = acc + w;
    /* ring slot for source row yy (unclamped) is (yy - y0 + r) mod k */
    for (i = -r; i <= r; i++) {
        int yy = y0 + i;
        int yc = yy < 0 ? 0 : yy >= h ? h - 1 : yy;
        gauss_row(src + (size_t)yc * w, buf, ring + (size_t)(i + r) * w, w, wv_row, use_fma, kern, k);
    }
    for (y = y0; y < y1; y++) {
        const uint8_t *srow = src + (size_t)y * w;
        uint8_t *drow = dst + (size_t)y * w;
        for (i = 0; i < k; i++)
            rows[i] = ring + (size_t)((y - y0 + i) % k) * w;
        if (use_fma)
            gauss_col_fma(rows, acc, wv_col, kern, r);
        else
            gauss_col_plain(rows, acc, wv_col, kern, r);
        gauss_col_tail(rows, acc, wv_col, w, kern, r);
        gauss_compare_row(srow, acc, drow, w, (float)idelta, yes, no);
        if (y + 1 < y1) {
            int yy = y + 1 + r;
            int yc = yy >= h ? h - 1 : yy;
            /* the slot of row y - r, no longer needed */
            gauss_row(src + (size_t)yc * w, buf, ring + (size_t)((y - y0) % k) * w, w, wv_row, use_fma,
                      kern, k);
        }
    }
    free(mem);
    free(rows);
    return 0;
}
