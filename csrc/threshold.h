/* Thresholding kernels: fixed thresholds, histograms, Otsu/triangle, adaptive. */
#ifndef OK_THRESHOLD_H
#define OK_THRESHOLD_H

#include <stddef.h>
#include <stdint.h>

/* Threshold types, numbered as OpenCV's THRESH_* so they pass straight through. */
enum ok_thresh_type {
    OK_THRESH_BINARY = 0,
    OK_THRESH_BINARY_INV = 1,
    OK_THRESH_TRUNC = 2,
    OK_THRESH_TOZERO = 3,
    OK_THRESH_TOZERO_INV = 4
};

/* Element-wise threshold of n contiguous samples (callers flatten rows).
 * thresh/maxval are already clamped to the sample type by the caller. */
void ok_thresh_u8(const uint8_t *src, uint8_t *dst, ptrdiff_t n, int thresh, int maxval, int type);
void ok_thresh_s16(const int16_t *src, int16_t *dst, ptrdiff_t n, int thresh, int maxval, int type);
void ok_thresh_u16(const uint16_t *src, uint16_t *dst, ptrdiff_t n, int thresh, int maxval, int type);
void ok_thresh_f32(const float *src, float *dst, ptrdiff_t n, float thresh, float maxval, int type);

/* Add the counts of n samples to hist (256 or 65536 bins). */
void ok_hist_u8(const uint8_t *src, ptrdiff_t n, uint32_t *hist);
void ok_hist_u16(const uint16_t *src, ptrdiff_t n, uint32_t *hist);

/* Threshold from a histogram of `total` samples, as cv::threshold's THRESH_OTSU
 * (nbins 256 or 65536) and THRESH_TRIANGLE (256 bins) compute it. */
double ok_otsu_from_hist(const uint32_t *hist, int nbins, int64_t total);
int ok_triangle_from_hist(const uint32_t *hist);

/* Adaptive threshold of output rows [y0, y1) of a w×h uint8 image (row stride = w).
 * mean: box mean of a k×k block; gauss: separable float Gaussian with the k taps
 * `kern` (k >= 11 uses OpenCV's FMA accumulation order).  Borders replicate.
 * idelta is cvCeil(c) for binary, cvFloor(c) for binary_inv (inv != 0). */
int ok_adaptive_mean_u8(const uint8_t *src, uint8_t *dst, int w, int h, int y0, int y1,
                        int k, int idelta, int maxval, int inv);
int ok_adaptive_gauss_u8(const uint8_t *src, uint8_t *dst, int w, int h, int y0, int y1,
                         int k, const float *kern, int idelta, int maxval, int inv);

#endif
