/* Image resizing with OpenCV's (cv::resize) coefficients and rounding.
 *
 * Images are interleaved rows of `cn` channels; steps are in elements.  The
 * row kernels process destination rows [y0, y1) so callers can split rows
 * across threads.  Coefficient tables are built by ok_resize_tab() once per
 * call and shared read-only by every row range.
 */
#ifndef OK_RESIZE_H
#define OK_RESIZE_H

#include <stddef.h>
#include <stdint.h>

enum ok_resize_interp {
    OK_RESIZE_LINEAR = 1,
    OK_RESIZE_CUBIC = 2,
    OK_RESIZE_AREA = 3,      /* area "upscaling": OpenCV's bilinear-like weights */
    OK_RESIZE_LANCZOS4 = 4
};

/* Taps of one direction: ofs[d] = source pixel of tap ksize/2-1 (the one
 * left of the sample point), coef[d*ksize + k] = weight of tap k (float, and
 * int16 scaled by 2^11 when `icoef` is not NULL).  For the x direction
 * xmin and xmax bound the outputs whose taps all lie inside the source. */
int ok_resize_ksize(int interp);
void ok_resize_tab(int interp, int ssize, int dsize, double scale, double inv_scale,
                   int clamp, int *ofs, float *coef, int16_t *icoef, int *xmin, int *xmax);

void ok_resize_generic_u8(const uint8_t *src, ptrdiff_t sstep, int sw, int sh, int cn,
                          uint8_t *dst, ptrdiff_t dstep, int dw, int interp,
                          const int *xofs, const int16_t *ialpha, const float *alpha,
                          int xmin, int xmax, const int *yofs, const int16_t *ibeta,
                          const float *beta, int y0, int y1);
void ok_resize_generic_f32(const float *src, ptrdiff_t sstep, int sw, int sh, int cn,
                           float *dst, ptrdiff_t dstep, int dw, int interp,
                           const int *xofs, const float *alpha, int xmin, int xmax,
                           const int *yofs, const float *beta, int y0, int y1);

/* Nearest neighbour on raw bytes: xofs[dx] is a byte offset, yofs[dy] a row. */
void ok_resize_nn_tab(int ssize, int dsize, double inv_scale, int exact, int *ofs);
void ok_resize_nn(const uint8_t *src, ptrdiff_t sstep, int psize,
                  uint8_t *dst, ptrdiff_t dstep, int dw,
                  const int *xofs, const int *yofs, int y0, int y1);

/* INTER_AREA with integer factors (sx, sy). */
void ok_resize_area_fast_u8(const uint8_t *src, ptrdiff_t sstep, int sw, int sh, int cn,
                            uint8_t *dst, ptrdiff_t dstep, int dw, int fx, int fy, int y0, int y1);
void ok_resize_area_fast_f32(const float *src, ptrdiff_t sstep, int sw, int sh, int cn,
                             float *dst, ptrdiff_t dstep, int dw, int fx, int fy, int y0, int y1);

/* INTER_AREA with fractional factors >= 1: a sparse table of
 * (destination, source, weight) triples per direction. */
int ok_resize_area_tab(int ssize, int dsize, double scale, int *di, int *si, float *alpha);
void ok_resize_area_u8(const uint8_t *src, ptrdiff_t sstep, int cn, uint8_t *dst, ptrdiff_t dstep,
                       int dw, const int *xdi, const int *xsi, const float *xalpha, int xn,
                       const int *ydi, const int *ysi, const float *yalpha, const int *ytabofs,
                       int y0, int y1);
void ok_resize_area_f32(const float *src, ptrdiff_t sstep, int cn, float *dst, ptrdiff_t dstep,
                        int dw, const int *xdi, const int *xsi, const float *xalpha, int xn,
                        const int *ydi, const int *ysi, const float *yalpha, const int *ytabofs,
                        int y0, int y1);

#endif
