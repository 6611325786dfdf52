/* SIMD paths of the uint8 Q8 separable filter, chosen at run time. Each
 * returns how many leading outputs it wrote (0 when it does not apply); the
 * portable loops in convolve.c do the rest. */
#ifndef OK_CONVOLVE_Q8_H
#define OK_CONVOLVE_Q8_H

#include <stdint.h>

#if defined(__GNUC__) && defined(__x86_64__) && !defined(OK_NO_CLONES)
#define OK_Q8_X86 1
int ok_q8_have_avx2(void);
/* rows y .. y + kh (kh + 1 of them): output rows y (dst0) and y + 1 (dst1),
 * dst = sat((sum k[j] * rows[j] + delta_q16 + 2^15) >> 16) */
int ok_vline2_q8_avx2(const uint16_t *const *rows, uint8_t *dst0, uint8_t *dst1, int n,
                      const uint16_t *k, int kh, int32_t delta_q16);
/* one channel, every tap below 128 */
int ok_hline_q8_fits_avx2(const uint16_t *k, int kw, int cn);
/* src: n + kw - 1 padded pixels, readable OK_Q8_SLACK bytes further */
int ok_hline_q8_avx2(const uint8_t *src, uint16_t *dst, int n, const uint16_t *k, int kw);
#else
#define OK_Q8_X86 0
#endif

/* bytes past the padded source row that the SIMD loads may read (never used) */
#define OK_Q8_SLACK 64

#endif
