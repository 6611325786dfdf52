/* Median filtering with replicated borders (cv::medianBlur semantics).
 *
 * Images are interleaved H×W×cn arrays; steps are in elements.  Every entry
 * point writes output rows [y0, y1) so callers can split the image into row
 * chunks and run them in parallel.  Return 0, or -1 when scratch memory could
 * not be allocated.
 */
#ifndef OK_MEDIAN_H
#define OK_MEDIAN_H

#include <stddef.h>
#include <stdint.h>

/* ksize 3 or 5: sorting networks over whole rows. */
int ok_median_net_u8(const uint8_t *src, ptrdiff_t sstep, uint8_t *dst, ptrdiff_t dstep,
                     int w, int h, int cn, int ksize, int y0, int y1);
int ok_median_net_u16(const uint16_t *src, ptrdiff_t sstep, uint16_t *dst, ptrdiff_t dstep,
                      int w, int h, int cn, int ksize, int y0, int y1);
int ok_median_net_f32(const float *src, ptrdiff_t sstep, float *dst, ptrdiff_t dstep,
                      int w, int h, int cn, int ksize, int y0, int y1);

/* Any odd ksize >= 3, uint8 only: Perreault–Hébert constant-time histograms. */
int ok_median_hist_u8(const uint8_t *src, ptrdiff_t sstep, uint8_t *dst, ptrdiff_t dstep,
                      int w, int h, int cn, int ksize, int y0, int y1);

#endif
