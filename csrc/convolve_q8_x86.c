/* AVX2 paths of the uint8 Q8 separable filter (convolve.c keeps the portable
 * loops and calls these when the CPU has AVX2).
 *
 * Vertical pass: the ring rows hold Q8 sums up to 65280, too wide for the
 * signed 16-bit lanes of pmaddwd. Biasing every value by -32768 makes them
 * fit; the bias adds -32768 * sum(k) to every output, a constant put back
 * with the rounding term. pmaddwd then does two taps (two source rows
 * interleaved) per instruction into 32-bit sums, and the whole column of
 * taps is summed in registers, where the portable loop has to pass its
 * 32-bit partial sums through memory.
 *
 * Horizontal pass (one channel, taps below 128): pmaddubsw multiplies uint8
 * pixels by int8 taps two at a time; even and odd outputs are summed
 * separately (their tap pairs start on even and odd bytes) and interleaved
 * at the end. A pair's products are exact while its taps sum to at most 128
 * (255 * 128 < 2^15); the 16-bit sums may wrap, which is harmless because
 * the true sum is below 2^16 and the arithmetic is modulo 2^16.
 */
#include "convolve_q8.h"

#if OK_Q8_X86

#include <immintrin.h>

#include <limits.h>

#define MAX_TAPS 64

int ok_q8_have_avx2(void)
{
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    return cached;
}

/* Two output rows from kh + 1 rows: row i is tap i of the first output and
 * tap i - 1 of the second, so each interleaved pair of rows is loaded once
 * and multiplied by two weight vectors. */
__attribute__((target("avx2")))
int ok_vline2_q8_avx2(const uint16_t *const *rows, uint8_t *dst0, uint8_t *dst1, int n,
                      const uint16_t *k, int kh, int32_t delta_q16)
{
    int nr = kh + 1;
    if (nr > MAX_TAPS || n < 16)
        return 0;
    const uint16_t *r[MAX_TAPS + 1];
    __m256i w0[MAX_TAPS / 2 + 1], w1[MAX_TAPS / 2 + 1];
    int64_t ksum = 0;
    for (int j = 0; j < nr; j++)
        r[j] = rows[j];
    for (int j = 0; j < kh; j++)
        ksum += k[j];
    r[nr] = rows[0];
    int npairs = (nr + 1) / 2;
    for (int p = 0; p < npairs; p++) {
        int i = 2 * p;
        uint32_t a0 = i < kh ? k[i] : 0, b0 = i + 1 < kh ? k[i + 1] : 0;
        uint32_t a1 = i >= 1 && i <= kh ? k[i - 1] : 0, b1 = i + 1 <= kh ? k[i] : 0;
        w0[p] = _mm256_set1_epi32((int)(a0 | (b0 << 16)));
        w1[p] = _mm256_set1_epi32((int)(a1 | (b1 << 16)));
    }
    int64_t c64 = 32768 * ksum + 32768 + (int64_t)delta_q16;
    if (c64 > INT32_MAX || c64 < INT32_MIN)
        return 0;
    const __m256i bias = _mm256_set1_epi16((short)0x8000), cst = _mm256_set1_epi32((int)c64);
    int x = 0;
    for (; x + 16 <= n; x += 16) {
        __m256i lo0 = cst, hi0 = cst, lo1 = cst, hi1 = cst;
        for (int p = 0; p < npairs; p++) {
            __m256i a = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(r[2 * p] + x)), bias);
            __m256i b = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(r[2 * p + 1] + x)), bias);
            __m256i l = _mm256_unpacklo_epi16(a, b), h = _mm256_unpackhi_epi16(a, b);
            lo0 = _mm256_add_epi32(lo0, _mm256_madd_epi16(l, w0[p]));
            hi0 = _mm256_add_epi32(hi0, _mm256_madd_epi16(h, w0[p]));
            lo1 = _mm256_add_epi32(lo1, _mm256_madd_epi16(l, w1[p]));
            hi1 = _mm256_add_epi32(hi1, _mm256_madd_epi16(h, w1[p]));
        }
        __m256i v0 = _mm256_packs_epi32(_mm256_srai_epi32(lo0, 16), _mm256_srai_epi32(hi0, 16));
        __m256i v1 = _mm256_packs_epi32(_mm256_srai_epi32(lo1, 16), _mm256_srai_epi32(hi1, 16));
        __m256i v8 = _mm256_permute4x64_epi64(_mm256_packus_epi16(v0, v1), 0xD8);
        _mm_storeu_si128((__m128i *)(dst0 + x), _mm256_castsi256_si128(v8));
        _mm_storeu_si128((__m128i *)(dst1 + x), _mm256_extracti128_si256(v8, 1));
    }
    return x;
}

/* Taps go to pmaddubsw two at a time, a pair when their sum stays within 128,
 * else one with a zero partner: (offset, low tap, high tap) per group. */
static int hline_groups(const uint16_t *k, int kw, int *off, int *w)
{
    int g = 0;
    for (int i = 0; i < kw;) {
        if (k[i] == 0) {
            i++;
            continue;
        }
        int next = i + 1 < kw ? k[i + 1] : 0;
        int pair = k[i] + next <= 128;
        off[g] = i;
        w[g] = k[i] | (pair ? next : 0) << 8;
        g++;
        i += pair ? 2 : 1;
    }
    return g;
}

int ok_hline_q8_fits_avx2(const uint16_t *k, int kw, int cn)
{
    if (cn != 1 || kw > MAX_TAPS)
        return 0;
    for (int i = 0; i < kw; i++)
        if (k[i] > 127)
            return 0;
    return 1;
}

/* src holds n + kw - 1 padded pixels; returns how many outputs were written */
__attribute__((target("avx2")))
int ok_hline_q8_avx2(const uint8_t *src, uint16_t *dst, int n, const uint16_t *k, int kw)
{
    int off[MAX_TAPS], wk[MAX_TAPS];
    __m256i w[MAX_TAPS];
    int ng = hline_groups(k, kw, off, wk);
    for (int g = 0; g < ng; g++)
        w[g] = _mm256_set1_epi16((short)wk[g]);
    /* a group's loads reach byte off + 32 past x; a lone last tap's zero
     * partner reads one byte past the padded row, into OK_Q8_SLACK */
    int x = 0;
    for (; x + 32 <= n; x += 32) {
        __m256i ev = _mm256_setzero_si256(), od = _mm256_setzero_si256();
        const uint8_t *s = src + x;
        for (int g = 0; g < ng; g++) {
            __m256i e = _mm256_loadu_si256((const __m256i *)(s + off[g]));
            __m256i o = _mm256_loadu_si256((const __m256i *)(s + off[g] + 1));
            ev = _mm256_add_epi16(ev, _mm256_maddubs_epi16(e, w[g]));
            od = _mm256_add_epi16(od, _mm256_maddubs_epi16(o, w[g]));
        }
        __m256i lo = _mm256_unpacklo_epi16(ev, od), hi = _mm256_unpackhi_epi16(ev, od);
        _mm256_storeu_si256((__m256i *)(dst + x), _mm256_permute2x128_si256(lo, hi, 0x20));
        _mm256_storeu_si256((__m256i *)(dst + x + 16), _mm256_permute2x128_si256(lo, hi, 0x31));
    }
    return x;
}

#endif
