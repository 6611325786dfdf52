/* Grey-level erosion and dilation with any binary structuring element.
 *
 * One entry point per pixel type.  Each processes output rows [y0, y1) of an
 * h×w image with cn interleaved channels; steps are in elements.  `kernel` is
 * kh rows of kw bytes (non-zero = part of the element), (ax, ay) its anchor,
 * `dilate` selects max instead of min, `border` is an OpenCV border code other
 * than WRAP, and `bval` holds cn border values already cast to the pixel type.
 * dst may be src (same steps) when one call covers all rows [0, h).
 *
 * ok_morph_sub_*: a - b saturated to the type (cv::subtract), written to b
 * when into_b, else to a; a and b are distinct arrays of n elements.
 * Returns 0, or -1 when scratch memory could not be allocated.
 */
#ifndef OK_MORPHOLOGY_H
#define OK_MORPHOLOGY_H

#include <stddef.h>
#include <stdint.h>

#define OK_MORPH_DECL(T, SFX)                                                      \
    int ok_morph_##SFX(const T *src, ptrdiff_t sstep, T *dst, ptrdiff_t dstep,     \
                       int h, int w, int cn, const uint8_t *kernel, int kw, int kh, \
                       int ax, int ay, int dilate, int border, const T *bval,       \
                       int y0, int y1);                                             \
    void ok_morph_sub_##SFX(T *a, T *b, ptrdiff_t n, int into_b);

OK_MORPH_DECL(uint8_t, u8)
OK_MORPH_DECL(uint16_t, u16)
OK_MORPH_DECL(int16_t, s16)
OK_MORPH_DECL(float, f32)
OK_MORPH_DECL(double, f64)

#undef OK_MORPH_DECL

#endif
