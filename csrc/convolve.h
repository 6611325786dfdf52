/* Linear filtering: separable and 2-D convolution, box sums.
 *
 * Every entry point filters output rows [y0, y1) of an image so the caller can
 * split the rows between threads; each call keeps its own row buffers.
 * Images are interleaved (cn channels), rows `step` bytes apart.
 */
#ifndef OK_CONVOLVE_H
#define OK_CONVOLVE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *src;   /* first pixel of the source */
    ptrdiff_t sstep;      /* bytes between source rows */
    int stype;            /* OK_U8 or OK_F32 */
    uint8_t *dst;
    ptrdiff_t dstep;
    int dtype;            /* OK_U8, OK_S16, OK_U16 or OK_F32 */
    int width, height, cn;
    int border;           /* enum ok_border; constant borders are zero */
} ok_planes;

/* Separable filter in float: dst = cast(delta + sum ky[j] * sum kx[i] * src). */
int ok_sep_filter_f32(const ok_planes *p, const float *kx, int kw, int ax,
                      const float *ky, int kh, int ay, float delta, int y0, int y1);

/* 2-D filter in float over the kernel's nonzero taps (kernel row-major kh x kw). */
int ok_filter2d_f32(const ok_planes *p, const float *kernel, int kw, int kh, int ax, int ay,
                    float delta, int y0, int y1);

/* uint8 separable filter in fixed point, both kernels in Q8 (taps <= 256, each
 * kernel's positive sum * 255 must fit 16 bits): dst = sat((acc + delta_q16 + 2^15) >> 16).
 * This is OpenCV's bit-exact GaussianBlur / smoothing sepFilter2D arithmetic. */
int ok_sep_filter_u8_q8(const ok_planes *p, const uint16_t *kx, int kw, int ax,
                        const uint16_t *ky, int kh, int ay, int32_t delta_q16, int y0, int y1);

/* uint8 separable filter with small integer kernels, exact in int16
 * (sum|kx| * sum|ky| * 255 < 2^15): dst = cast(delta + exact sum). */
int ok_sep_filter_u8_i16(const ok_planes *p, const int16_t *kx, int kw, int ax,
                         const int16_t *ky, int kh, int ay, float delta, int y0, int y1);

/* uint8 2-D filter with a small integer kernel, exact in int16 (sum|k| * 255 < 2^15). */
int ok_filter2d_u8_i16(const ok_planes *p, const int16_t *kernel, int kw, int kh, int ax, int ay,
                       float delta, int y0, int y1);

/* uint8 box sums over kw x kh; normalize divides by the area with OpenCV's rounding. */
int ok_box_filter_u8(const ok_planes *p, int kw, int kh, int ax, int ay, int normalize,
                     int y0, int y1);

/* Unsharp-mask combine over n uint8 values (threshold 0 sharpens everywhere). */
void ok_unsharp_u8(const uint8_t *src, const uint8_t *blurred, uint8_t *dst, ptrdiff_t n,
                   float amount, float threshold);

#endif
