/* Grayscale conversion, look-up tables and CLAHE. */
#ifndef OK_COLOR_H
#define OK_COLOR_H

#include <stddef.h>
#include <stdint.h>

enum ok_gray_method { OK_GRAY_LUMINOSITY = 0, OK_GRAY_AVERAGE = 1, OK_GRAY_DESATURATION = 2 };

/* n pixels of cn (3 or 4) interleaved channels to gray; bidx is the index of the
 * blue channel (0 for BGR order, 2 for RGB). */
void ok_gray_u8(const uint8_t *src, uint8_t *dst, ptrdiff_t n, int cn, int bidx, int method);
void ok_gray_f32(const float *src, float *dst, ptrdiff_t n, int cn, int bidx, int method);

/* dst[i] = lut[src[i]] for n samples. */
void ok_lut_u8(const uint8_t *src, uint8_t *dst, ptrdiff_t n, const uint8_t *lut);

/* equalizeHist's table from a 256-bin histogram of `total` pixels. */
void ok_equalize_lut(const uint32_t *hist, int64_t total, uint8_t *lut);

/* CLAHE on a w×h uint8 image.  Step 1: the clipped, equalised 256-entry table of
 * tiles [t0, t1) (row-major over a tiles_x × tiles_y grid of tw×th tiles; pixels
 * beyond the image are read with BORDER_REFLECT_101).  Step 2: rows [y0, y1) of
 * the output, bilinearly interpolated between the four nearest tiles' tables. */
void ok_clahe_luts(const uint8_t *src, int w, int h, int tiles_x, int tw, int th,
                   int clip, float lut_scale, int t0, int t1, uint8_t *luts);
int ok_clahe_apply(const uint8_t *src, uint8_t *dst, int w, int y0, int y1,
                    const uint8_t *luts, int tiles_x, int tiles_y, int tw, int th);

#endif
