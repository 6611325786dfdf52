/* Affine and perspective warps matching cv::warpAffine / cv::warpPerspective.
 *
 * `m` is the destination-to-source map (already inverted, as OpenCV does
 * unless WARP_INVERSE_MAP): 6 doubles for affine, 9 for perspective.
 * Images are interleaved rows of `cn` channels, steps in elements; kernels
 * write destination rows [y0, y1).  Borders: OK_BORDER_CONSTANT (with
 * `bval`, one value per channel) or OK_BORDER_REPLICATE.
 */
#ifndef OK_WARP_H
#define OK_WARP_H

#include <stddef.h>
#include <stdint.h>

enum ok_warp_interp { OK_WARP_NEAREST = 0, OK_WARP_LINEAR = 1, OK_WARP_CUBIC = 2 };

void ok_warp_u8(const uint8_t *src, ptrdiff_t sstep, int sw, int sh, int cn,
                uint8_t *dst, ptrdiff_t dstep, int dw, int dh, const double *m, int perspective,
                int interp, int border, const double *bval, int y0, int y1);
void ok_warp_f32(const float *src, ptrdiff_t sstep, int sw, int sh, int cn,
                 float *dst, ptrdiff_t dstep, int dw, int dh, const double *m, int perspective,
                 int interp, int border, const double *bval, int y0, int y1);

#endif
