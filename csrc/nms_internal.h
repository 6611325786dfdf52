/* Internal interface shared by the NMS translation units (not part of nms.h). */
#ifndef OK_NMS_INTERNAL_H
#define OK_NMS_INTERNAL_H

#include <stdint.h>

/* Does kept box `kept` suppress candidate `cand` at threshold `thr`? */
typedef int (*ok_suppress_fn)(const void *ctx, int32_t cand, int32_t kept, float thr);

/* Greedy NMS over candidates order[0..m) (see nms.c): `aabb` holds 4 doubles per
 * input index (x1, y1, x2, y2) that contain every pair the exact test could call
 * overlapping; returns the number of kept indices written to `keep`, or -1. */
int ok_nms_greedy(const int32_t *order, int m, const double *aabb, ok_suppress_fn fn,
                  const void *ctx, float thr, float eta, int32_t *keep);

/* Stable sort of idx[0..m) by descending keys[idx[i]]; 0, or -1 without memory. */
int ok_nms_sort_desc(const float *keys, int32_t *idx, int m);

#endif
