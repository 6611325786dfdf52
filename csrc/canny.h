/* Canny edge detection, bit-exact with OpenCV's cv::Canny.
 *
 * Three stages so the caller can run the first and last row-parallel:
 *   1. ok_canny_nms: gradients (Sobel with replicated borders, or given dx/dy),
 *      magnitude and non-maximum suppression for rows [y0, y1) into a byte map
 *      (0 weak candidate, 1 not an edge, 2 strong edge), collecting the strong
 *      pixels in a per-call stack;
 *   2. ok_canny_hysteresis: grows the strong pixels through 8-connected weak ones;
 *   3. ok_canny_output: 255 where the map says edge, else 0.
 */
#ifndef OK_CANNY_H
#define OK_CANNY_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *src;     /* image mode: uint8, cn interleaved channels */
    ptrdiff_t sstep;        /* bytes between source rows */
    const int16_t *dx;      /* gradient mode (src == NULL): given derivatives */
    const int16_t *dy;
    ptrdiff_t gstep;        /* elements between gradient rows */
    int width, height, cn;
    int ksize;              /* Sobel aperture 3, 5 or 7 (image mode) */
    int l2;                 /* magnitude dx^2 + dy^2 instead of |dx| + |dy| */
    int low, high;          /* thresholds already squared/floored as OpenCV does */
    uint8_t *map;           /* (height + 2) x (width + 2), mapstep bytes apart */
    ptrdiff_t mapstep;
} ok_canny_args;

/* A growable list of map offsets (strong pixels still to grow from). */
typedef struct {
    ptrdiff_t *items;
    ptrdiff_t size, cap;
} ok_canny_stack;

/* Stage 1 for rows [y0, y1). Returns 0, or -1 when out of memory. */
int ok_canny_nms(const ok_canny_args *a, int y0, int y1, ok_canny_stack *st);

/* Stage 2 from every stack in turn (they are emptied, not freed). 0 or -1 (memory). */
int ok_canny_hysteresis(const ok_canny_args *a, ok_canny_stack *stacks, int nstacks);

/* Stage 3 for rows [y0, y1). */
void ok_canny_output(const ok_canny_args *a, uint8_t *dst, ptrdiff_t dstep, int y0, int y1);

/* Sets the map's border frame (first/last rows) to 1. */
void ok_canny_map_frame(const ok_canny_args *a);

void ok_canny_stack_free(ok_canny_stack *st);

#endif
