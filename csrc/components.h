/* Connected-component labelling of binary images, label for label as OpenCV's
 * cv::connectedComponentsWithStats (default algorithms, CV_32S labels).
 *
 * Works on runs: each row's foreground runs are found from a bit mask, joined to
 * the overlapping runs of the row above with union-find, and numbered in the
 * order OpenCV numbers components. ok_cc_label does the sequential part; the
 * label image is then written row-parallel by ok_cc_write_labels.
 */
#ifndef OK_COMPONENTS_H
#define OK_COMPONENTS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int32_t *xs, *xe;        /* run i covers [xs[i], xe[i]) */
    int32_t *label;          /* final label of run i (>= 1); a stripe's run ids before merging */
    int32_t *parent;         /* union-find over run ids (stripes only) */
    int32_t *row_start;      /* runs of row y: row_start[y] .. row_start[y + 1] - 1 */
    ptrdiff_t nruns, cap;
    int width, height;
    int y0;                  /* first image row (stripes) */
    int nlabels;             /* components + 1 (the background) */
} ok_cc_ctx;

/* Rows [y0, y1) of stripe i of n; for 8-connectivity stripes start on even rows. */
void ok_cc_stripe_rows(int height, int n, int i, int connectivity, int *y0, int *y1);

/* Runs of rows [y0, y1) of `src` (nonzero = foreground) joined within the stripe.
 * Stripes are independent, so they can be scanned in parallel. 0, or -1 (memory). */
int ok_cc_scan(ok_cc_ctx *stripe, const uint8_t *src, ptrdiff_t sstep, int width, int y0, int y1,
               int connectivity);

/* Joins the stripes (in row order, covering the image) into `ctx` and numbers the
 * components; the stripes are freed. Returns 0, or -1 when out of memory. */
int ok_cc_merge(ok_cc_ctx *ctx, ok_cc_ctx *stripes, int nstripes, int connectivity);

/* Both steps on one thread. */
int ok_cc_label(ok_cc_ctx *ctx, const uint8_t *src, ptrdiff_t sstep, int width, int height,
                int connectivity);

/* Write rows [y0, y1) of the int32 label image (lstep elements between rows). */
void ok_cc_write_labels(const ok_cc_ctx *ctx, int32_t *labels, ptrdiff_t lstep, int y0, int y1);

/* nlabels x 5 stats [x, y, w, h, area] and nlabels x 2 centroids, as OpenCV.
 * Returns 0, or -1 when out of memory. */
int ok_cc_stats(const ok_cc_ctx *ctx, int32_t *stats, double *centroids);

void ok_cc_free(ok_cc_ctx *ctx);

#endif
