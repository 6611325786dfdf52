/* Bilateral filter (cv::bilateralFilter semantics) for uint8 and float32 images
 * with 1 or 3 interleaved channels.
 *
 * The caller computes the radius and passes OpenCV's Gaussian coefficients; the
 * kernels build OpenCV's weight tables themselves.  Entry points write output rows
 * [y0, y1) so callers can run row chunks in parallel; they return 0, or -1 when
 * scratch memory could not be allocated.  `border` is an ok_border code
 * (constant = 0, replicate, reflect, reflect101; wrap is not supported).
 */
#ifndef OK_BILATERAL_H
#define OK_BILATERAL_H

#include <stddef.h>
#include <stdint.h>

/* gauss_color_coeff = -0.5/sigma_color², gauss_space_coeff = -0.5/sigma_space²,
 * both rounded to float as OpenCV's 8-bit path does. */
int ok_bilateral_u8(const uint8_t *src, ptrdiff_t sstep, uint8_t *dst, ptrdiff_t dstep,
                    int w, int h, int cn, int radius, float gauss_color_coeff,
                    float gauss_space_coeff, int border, int y0, int y1);

/* Float path: the colour weight is a 4096·cn-bin table over [0, (max - min)·cn],
 * linearly interpolated; min/max are the image's range (computed by the caller);
 * coefficients in double as OpenCV's 32f path keeps them. */
int ok_bilateral_f32(const float *src, ptrdiff_t sstep, float *dst, ptrdiff_t dstep,
                     int w, int h, int cn, int radius, double gauss_color_coeff,
                     double gauss_space_coeff, double min_val, double max_val,
                     int border, int y0, int y1);

#endif
