/* Non-maximum suppression kernels (see nms.h).
 *
 * Greedy NMS keeps a candidate when its overlap with every kept box is at most the
 * threshold.  Only kept boxes whose bounds touch the candidate can overlap it, so the
 * kept set lives in a uniform grid (cell side about the mean box size, each kept box
 * in the cell of its centre) and a candidate scans only the cells within reach.  The
 * decision per candidate is "does any kept box exceed the threshold", which does not
 * depend on the order the kept boxes are visited in, so the grid gives exactly the
 * kept set of OpenCV's all-pairs loop, at a cost that grows with local density
 * instead of with the number of kept boxes.
 *
 * This file holds the driver, axis-aligned boxes (cv::dnn::NMSBoxes, Rect2d IoU in
 * double rounded to float as OpenCV does, so ties at the threshold fall the same way)
 * and soft-NMS; nms_rotated.c and nms_poly.c hold the other overlap tests.
 */
#include "nms.h"
#include "nms_internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ ordering */

/* Map a float to a key whose unsigned order is descending float order; -0 is +0
 * because std::stable_sort with `>` treats them as equal. */
static inline uint32_t desc_key(float f)
{
    uint32_t u;
    if (f == 0.0f)
        f = 0.0f;
    memcpy(&u, &f, sizeof u);
    u = (u & 0x80000000u) ? ~u : (u | 0x80000000u);
    return ~u;
}

/* Stable LSD radix sort of (key, index) pairs: 3 passes of 11 bits. */
static int radix_sort_desc(const float *keys_f, int32_t *idx, int m)
{
    uint32_t *k0 = malloc(sizeof(uint32_t) * (size_t)m * 2);
    int32_t *i1 = malloc(sizeof(int32_t) * (size_t)m);
    size_t cnt[2048];
    if (!k0 || !i1) {
        free(k0);
        free(i1);
        return -1;
    }
    uint32_t *k1 = k0 + m;
    for (int i = 0; i < m; i++)
        k0[i] = desc_key(keys_f[idx[i]]);
    uint32_t *ks = k0, *kd = k1;
    int32_t *is = idx, *id = i1;
    for (int pass = 0; pass < 3; pass++) {
        int shift = pass * 11;
        memset(cnt, 0, sizeof cnt);
        for (int i = 0; i < m; i++)
            cnt[(ks[i] >> shift) & 2047u]++;
        size_t sum = 0;
        for (int b = 0; b < 2048; b++) {
            size_t c = cnt[b];
            cnt[b] = sum;
            sum += c;
        }
        for (int i = 0; i < m; i++) {
            size_t pos = cnt[(ks[i] >> shift) & 2047u]++;
            kd[pos] = ks[i];
            id[pos] = is[i];
        }
        uint32_t *tk = ks; ks = kd; kd = tk;
        int32_t *ti = is; is = id; id = ti;
    }
    if (is != idx)  /* odd number of passes: result sits in the scratch buffer */
        memcpy(idx, is, sizeof(int32_t) * (size_t)m);
    free(k0);
    free(i1);
    return 0;
}

int ok_nms_order(const float *scores, int n, float score_threshold, int top_k, int32_t *order)
{
    int m = 0;
    for (int i = 0; i < n; i++)
        if (scores[i] > score_threshold)
            order[m++] = i;
    if (m > 1 && radix_sort_desc(scores, order, m) < 0)
        return -1;
    if (top_k > 0 && top_k < m)
        m = top_k;
    return m;
}

/* ------------------------------------------------------- axis-aligned boxes */

/* 1 - jaccardDistance(a, b) for cv::Rect2d, with operator& exactly as OpenCV
 * writes it (the overflow-safe form: its rounding differs from min(x2) - max(x1)). */
/* Intersection area of two boxes with operator& exactly as OpenCV writes it (the
 * overflow-safe form: its rounding differs from min(x2) - max(x1)); 0 when empty. */
static inline double box_inter(const double *a, const double *b)
{
    if (a[2] <= 0 || a[3] <= 0 || b[2] <= 0 || b[3] <= 0)
        return 0.0;
    /* selects rather than branches: which box starts first is a coin toss */
    const int ax = a[0] < b[0], ay = a[1] < b[1];
    const double lx = ax ? a[0] : b[0], lw = ax ? a[2] : b[2];
    const double hx = ax ? b[0] : a[0], hw = ax ? b[2] : a[2];
    const double ly = ay ? a[1] : b[1], lh = ay ? a[3] : b[3];
    const double hy = ay ? b[1] : a[1], hh = ay ? b[3] : a[3];
    if ((lx < 0 && lx + lw < hx) || (ly < 0 && ly + lh < hy))
        return 0.0;
    double iw = lw - (hx - lx);
    iw = hw < iw ? hw : iw;
    double ih = lh - (hy - ly);
    ih = hh < ih ? hh : ih;
    return (iw > 0) & (ih > 0) ? iw * ih : 0.0;
}

/* 1 - jaccardDistance(a, b) for cv::Rect2d: double IoU rounded to float. */
static inline float box_overlap(const double *a, const double *b)
{
    const double aa = a[2] * a[3], ab = b[2] * b[3];
    if (aa + ab <= DBL_EPSILON)
        return 1.0f;  /* two (near) empty boxes: OpenCV calls them identical */
    const double inter = box_inter(a, b);
    const double d = 1.0 - inter / (aa + ab - inter);
    return 1.0f - (float)d;
}

/* box_overlap(a, b) > thr.  OpenCV's float overlap is within 1e-7 of the true IoU, so
 * when inter / union is further than 1e-6 from the threshold the answer is decided
 * without the division; only near-ties take OpenCV's exact steps. */
static inline int box_exceeds(const double *a, const double *b, float thr)
{
    const double aa = a[2] * a[3], ab = b[2] * b[3];
    if (aa + ab <= DBL_EPSILON)
        return 1.0f > thr;
    const double inter = box_inter(a, b);
    const double uni = aa + ab - inter;
    const double diff = inter - (double)thr * uni, margin = 1e-6 * uni;
    if (diff > margin)
        return 1;
    if (diff < -margin)
        return 0;
    const float ov = 1.0f - (float)(1.0 - inter / uni);
    return !(ov <= thr);
}

/* ------------------------------------------------------------ greedy driver */

/* Kept boxes of one grid cell as structure-of-arrays in one block of `cap` slots:
 * double x, y, w, h (the exact axis-aligned test reads nothing outside the cell),
 * then float bounds x1, y1, x2, y2 rounded outwards for the vectorised reject test
 * (a float test never misses a pair whose double bounds touch), then the indices.
 * 16 bytes per empty cell keeps a sparse grid cheap. */
typedef struct {
    double *d;
    int n, cap;
} cell_t;

static inline double *cell_box(const cell_t *c, int k) { return c->d + (size_t)k * c->cap; }
static inline float *cell_bound(const cell_t *c, int k)
{
    return (float *)(c->d + 4 * (size_t)c->cap) + (size_t)k * c->cap;
}
static inline int32_t *cell_idx(const cell_t *c) { return (int32_t *)cell_bound(c, 4); }

static int cell_push(cell_t *c, const float *fb, const double *box, int32_t idx)
{
    if (c->n == c->cap) {
        cell_t g = {NULL, c->n, c->cap ? 2 * c->cap : 16};
        g.d = malloc((size_t)g.cap * (4 * sizeof(double) + 4 * sizeof(float) + sizeof(int32_t)));
        if (!g.d)
            return -1;
        if (c->n) {
            for (int k = 0; k < 4; k++) {
                memcpy(cell_box(&g, k), cell_box(c, k), c->n * sizeof(double));
                memcpy(cell_bound(&g, k), cell_bound(c, k), c->n * sizeof(float));
            }
            memcpy(cell_idx(&g), cell_idx(c), c->n * sizeof(int32_t));
        }
        free(c->d);
        *c = g;
    }
    const int j = c->n++;
    for (int k = 0; k < 4; k++) {
        cell_bound(c, k)[j] = fb[k];
        if (box)
            cell_box(c, k)[j] = box[k];
    }
    cell_idx(c)[j] = idx;
    return 0;
}

static inline float f_down(double v)
{
    float f = (float)v;
    return (double)f > v ? nextafterf(f, -INFINITY) : f;
}

static inline float f_up(double v)
{
    float f = (float)v;
    return (double)f < v ? nextafterf(f, INFINITY) : f;
}

static inline int grid_cell(double v, double origin, double inv, int g)
{
    double t = (v - origin) * inv;
    if (!(t > 0.0))
        return 0;
    if (t >= (double)(g - 1))
        return g - 1;
    return (int)t;
}

/* Grid over extents (ext_x, ext_y) with cells about `side` wide, at most about one
 * cell per item (`m` items); one cell when the extents are not finite (x + w
 * overflowed). */
static void grid_geometry(double ext_x, double ext_y, double side, int m, double *cell,
                          double *inv, int *gx, int *gy)
{
    if (!isfinite(ext_x) || !isfinite(ext_y)) {
        *cell = INFINITY;
        *inv = 0.0;
        *gx = *gy = 1;
        return;
    }
    double c = side;
    if (!(c > fmax(ext_x, ext_y) / 2048.0))
        c = fmax(ext_x, ext_y) / 2048.0;
    if (!(c > 0.0) || !isfinite(c))
        c = 1.0;
    const double limit = m + 64.0;
    const double cells = (ext_x / c + 1.0) * (ext_y / c + 1.0);
    if (cells > limit)
        c *= sqrt(cells / limit) * 1.01;
    *cell = c;
    *inv = 1.0 / c;
    *gx = (int)fmin(ext_x * *inv, 1e6) + 1;
    *gy = (int)fmin(ext_y * *inv, 1e6) + 1;
}

enum { KIND_BOX = 0, KIND_OTHER = 1 };

typedef struct {
    int kind;
    const double *boxes;  /* KIND_BOX: n x 4 (x, y, w, h) */
    ok_suppress_fn fn;    /* KIND_OTHER */
    const void *ctx;
} pair_test;

/* Does any kept box of `c` whose bounds touch `b` exceed the threshold against the
 * candidate?  Bounds are tested 64 at a time in a branch-free loop GCC vectorises;
 * only the hits get the exact test, axis-aligned ones from the cell's own arrays. */
static inline int scan_cell(const cell_t *c, const float *b, const pair_test *pt, int32_t cand,
                            float thr)
{
    const float bx1 = b[0], by1 = b[1], bx2 = b[2], by2 = b[3];
    const double *cb = pt->kind == KIND_BOX ? pt->boxes + 4 * (size_t)cand : NULL;
    for (int j0 = 0; j0 < c->n; j0 += 64) {
        const int len = c->n - j0 < 64 ? c->n - j0 : 64;
        const float *x1 = cell_bound(c, 0) + j0, *y1 = cell_bound(c, 1) + j0;
        const float *x2 = cell_bound(c, 2) + j0, *y2 = cell_bound(c, 3) + j0;
        uint8_t hit[64];
        int any = 0;
        for (int j = 0; j < len; j++) {
            hit[j] = (x1[j] <= bx2) & (x2[j] >= bx1) & (y1[j] <= by2) & (y2[j] >= by1);
            any |= hit[j];
        }
        if (!any)
            continue;
        /* compact the hits without a branch per entry (hits are unpredictable) */
        int list[64], nh = 0;
        for (int j = 0; j < len; j++) {
            list[nh] = j;
            nh += hit[j];
        }
        for (int h = 0; h < nh; h++) {
            const int k = j0 + list[h];
            if (cb) {
                const double kb[4] = {cell_box(c, 0)[k], cell_box(c, 1)[k], cell_box(c, 2)[k],
                                      cell_box(c, 3)[k]};
                if (box_exceeds(cb, kb, thr))
                    return 1;
            } else if (pt->fn(pt->ctx, cand, cell_idx(c)[k], thr)) {
                return 1;
            }
        }
    }
    return 0;
}

static inline int suppresses(const pair_test *pt, int32_t cand, int32_t kept, float thr)
{
    if (pt->kind == KIND_BOX)
        return box_exceeds(pt->boxes + 4 * (size_t)cand, pt->boxes + 4 * (size_t)kept, thr);
    return pt->fn(pt->ctx, cand, kept, thr);
}

/* A kept box wider or taller than this many cells goes to a list every candidate scans. */
#define OK_BIG_CELLS 4.0

/* Greedy NMS over candidates order[0..m) with axis-aligned bounds `aabb` (4 doubles
 * per input index: x1, y1, x2, y2, already widened by any tolerance the exact test
 * needs).  Each kept box is stored once, in the cell holding the centre of its
 * bounds; a candidate scans the cells whose kept boxes could reach it (its bounds
 * grown by the largest half-size stored), its own centre cell first since that is
 * where a suppressor usually is.  `tiny` (may be NULL) flags inputs that exceed the
 * threshold against each other wherever they are (OpenCV's zero-area rule); they are
 * also checked against each other linearly.  The threshold adapts as in NMSFast_. */
static int greedy_nms(const int32_t *order, int m, const double *aabb,
                      const uint8_t *tiny, const pair_test *pt, float thr, float eta,
                      int32_t *keep)
{
    if (m <= 0)
        return 0;
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    double sw = 0.0, sh = 0.0;
    for (int p = 0; p < m; p++) {
        const double *b = aabb + 4 * (size_t)order[p];
        minx = fmin(minx, b[0]);
        miny = fmin(miny, b[1]);
        maxx = fmax(maxx, b[2]);
        maxy = fmax(maxy, b[3]);
        sw += b[2] - b[0];
        sh += b[3] - b[1];
    }
    double cell, inv;
    int gx, gy;
    grid_geometry(maxx - minx, maxy - miny, fmax(sw, sh) / m, m, &cell, &inv, &gx, &gy);
    const double big_side = OK_BIG_CELLS * cell;

    cell_t *grid = calloc((size_t)gx * (size_t)gy, sizeof(cell_t));
    cell_t big = {0}, tinyc = {0};
    int nk = 0;
    double hw = 0.0, hh = 0.0;  /* largest half-width / half-height stored in the grid */
    if (!grid)
        return -1;

    for (int p = 0; p < m; p++) {
        const int32_t idx = order[p];
        const double *d = aabb + 4 * (size_t)idx;
        const float b[4] = {f_down(d[0]), f_down(d[1]), f_up(d[2]), f_up(d[3])};
        const double *box = pt->kind == KIND_BOX ? pt->boxes + 4 * (size_t)idx : NULL;
        int sup = 0;
        if (tiny && tiny[idx])
            for (int t = 0; t < tinyc.n && !sup; t++)
                sup = suppresses(pt, idx, cell_idx(&tinyc)[t], thr);
        if (!sup)
            sup = scan_cell(&big, b, pt, idx, thr);
        if (!sup && nk > 0) {
            /* pad: the stored centres are rounded, so allow a hair beyond the reach */
            const double px = hw + 1e-6 * cell + 1e-12 * (fabs(d[0]) + fabs(d[2]));
            const double py = hh + 1e-6 * cell + 1e-12 * (fabs(d[1]) + fabs(d[3]));
            const int cx0 = grid_cell(d[0] - px, minx, inv, gx), cx1 = grid_cell(d[2] + px, minx, inv, gx);
            const int cy0 = grid_cell(d[1] - py, miny, inv, gy), cy1 = grid_cell(d[3] + py, miny, inv, gy);
            const int ccx = grid_cell(0.5 * (d[0] + d[2]), minx, inv, gx);
            const int ccy = grid_cell(0.5 * (d[1] + d[3]), miny, inv, gy);
            const cell_t *home = &grid[(size_t)ccy * gx + ccx];
            sup = scan_cell(home, b, pt, idx, thr);
            for (int cy = cy0; cy <= cy1 && !sup; cy++)
                for (int cx = cx0; cx <= cx1 && !sup; cx++) {
                    const cell_t *c = &grid[(size_t)cy * gx + cx];
                    if (c != home)
                        sup = scan_cell(c, b, pt, idx, thr);
                }
        }
        if (sup)
            continue;
        keep[nk++] = idx;
        int err = 0;
        if (tiny && tiny[idx])
            err |= cell_push(&tinyc, b, box, idx);
        if (d[2] - d[0] > big_side || d[3] - d[1] > big_side) {
            err |= cell_push(&big, b, box, idx);
        } else {
            const int ccx = grid_cell(0.5 * (d[0] + d[2]), minx, inv, gx);
            const int ccy = grid_cell(0.5 * (d[1] + d[3]), miny, inv, gy);
            err |= cell_push(&grid[(size_t)ccy * gx + ccx], b, box, idx);
            /* a box reaches up to its half-size (plus its centre's offset inside the
             * cell, covered by scanning whole cells) from its cell */
            hw = fmax(hw, 0.5 * (d[2] - d[0]));
            hh = fmax(hh, 0.5 * (d[3] - d[1]));
        }
        if (err) {
            nk = -1;
            break;
        }
        /* NMSFast_: the threshold shrinks after each keep while above 0.5 */
        if (eta < 1.0f && thr > 0.5f)
            thr *= eta;
    }
    for (size_t c = 0; c < (size_t)gx * (size_t)gy; c++)
        free(grid[c].d);
    free(grid);
    free(big.d);
    free(tinyc.d);
    return nk;
}

int ok_nms_greedy(const int32_t *order, int m, const double *aabb, ok_suppress_fn fn,
                  const void *ctx, float thr, float eta, int32_t *keep)
{
    pair_test pt = {KIND_OTHER, NULL, fn, ctx};
    return greedy_nms(order, m, aabb, NULL, &pt, thr, eta, keep);
}

int ok_nms_sort_desc(const float *keys, int32_t *idx, int m)
{
    return m > 1 ? radix_sort_desc(keys, idx, m) : 0;
}

float ok_box_iou(const double *a, const double *b)
{
    return box_overlap(a, b);
}

int ok_nms_boxes(const double *boxes, int n, const int32_t *order, int m,
                 float iou_threshold, float eta, int32_t *keep)
{
    double *aabb = malloc(sizeof(double) * 4 * (size_t)(n > 0 ? n : 1));
    uint8_t *tiny = malloc((size_t)(n > 0 ? n : 1));
    if (!aabb || !tiny) {
        free(aabb);
        free(tiny);
        return -1;
    }
    for (int p = 0; p < m; p++) {
        int i = order[p];
        const double *b = boxes + 4 * (size_t)i;
        aabb[4 * i + 0] = b[0];
        aabb[4 * i + 1] = b[1];
        aabb[4 * i + 2] = b[0] + b[2];
        aabb[4 * i + 3] = b[1] + b[3];
        tiny[i] = b[2] * b[3] <= DBL_EPSILON;
    }
    pair_test pt = {KIND_BOX, boxes, NULL, NULL};
    int r = greedy_nms(order, m, aabb, tiny, &pt, iou_threshold, eta, keep);
    free(aabb);
    free(tiny);
    return r;
}

/* ---------------------------------------------------------------- soft-NMS */

/* Max-heap entry: current score and index; OpenCV picks the highest score, ties to
 * the lowest index. */
typedef struct {
    float s;
    int32_t i;
} heap_item;

typedef struct {
    heap_item *h;
    size_t n, cap;
} heap_t;

static inline int heap_before(heap_item a, heap_item b)
{
    return a.s > b.s || (a.s == b.s && a.i < b.i);
}

static int heap_push(heap_t *hp, float s, int32_t i)
{
    if (hp->n == hp->cap) {
        size_t cap = hp->cap ? 2 * hp->cap : 64;
        heap_item *nh = realloc(hp->h, cap * sizeof(heap_item));
        if (!nh)
            return -1;
        hp->h = nh;
        hp->cap = cap;
    }
    heap_item x = {s, i};
    size_t k = hp->n++;
    while (k > 0) {
        size_t p = (k - 1) / 2;
        if (!heap_before(x, hp->h[p]))
            break;
        hp->h[k] = hp->h[p];
        k = p;
    }
    hp->h[k] = x;
    return 0;
}

static heap_item heap_pop(heap_t *hp)
{
    heap_item *h = hp->h, top = h[0], x = h[--hp->n];
    size_t k = 0, n = hp->n;
    for (;;) {
        size_t c = 2 * k + 1;
        if (c >= n)
            break;
        if (c + 1 < n && heap_before(h[c + 1], h[c]))
            c++;
        if (!heap_before(h[c], x))
            break;
        h[k] = h[c];
        k = c;
    }
    if (n > 0)
        h[k] = x;
    return top;
}

typedef struct {
    const double *boxes;
    float *s;
    uint8_t *done;
    int32_t *stamp;
    heap_t heap;
    float score_threshold, nms_threshold, sigma;
    int method;
} soft_state;

/* Decay the scores of the listed boxes by their overlap with the pick `bb`, exactly
 * as OpenCV's loop does for every remaining box (a box that does not overlap has
 * overlap 0 and keeps its score bit for bit, which is why only these are visited). */
static int soft_decay(soft_state *st, const double *bb, const int32_t *list, int len, int step)
{
    for (int t = 0; t < len; t++) {
        const int32_t i = list[t];
        if (st->done[i] || st->stamp[i] == step || st->s[i] < st->score_threshold)
            continue;
        st->stamp[i] = step;
        const double *ob = st->boxes + 4 * (size_t)i;
        float ov;
        if (ob[0] > bb[0] + bb[2] || bb[0] > ob[0] + ob[2] || ob[1] > bb[1] + bb[3] ||
            bb[1] > ob[1] + ob[3])
            ov = (bb[2] * bb[3] + ob[2] * ob[3] <= DBL_EPSILON) ? 1.0f : 0.0f;
        else
            ov = box_overlap(bb, ob);
        if (ov == 0.0f)
            continue;  /* both decays are then a factor of exactly 1 */
        const float before = st->s[i];
        if (st->method == 1) {
            if (ov > st->nms_threshold)
                st->s[i] *= 1.f - ov;
        } else {
            /* std::exp of OpenCV's float argument is the float expf */
            st->s[i] *= expf(-(ov * ov) / st->sigma);
        }
        if (st->s[i] != before && st->s[i] >= st->score_threshold &&
            heap_push(&st->heap, st->s[i], i) < 0)
            return -1;
    }
    return 0;
}

/* cv::dnn::softNMSBoxes.  OpenCV rescans every box for the maximum and decays every
 * remaining box at each pick.  The same picks and the same float decays come from a
 * heap (scores only fall, so an entry whose score has since changed is skipped when
 * popped) and a static grid of all boxes (by centre cell, like greedy_nms) that finds
 * the boxes a pick can overlap. */
int ok_soft_nms(const double *boxes, const float *scores, int n, float score_threshold,
                float nms_threshold, int top_k, float sigma, int method,
                int32_t *keep, float *kept_scores)
{
    const size_t nn = (size_t)(n > 0 ? n : 1);
    soft_state st = {boxes, malloc(sizeof(float) * nn), calloc(nn, 1), malloc(sizeof(int32_t) * nn),
                     {NULL, 0, 0}, score_threshold, nms_threshold, sigma, method};
    int32_t *tiny = malloc(sizeof(int32_t) * nn), *big = malloc(sizeof(int32_t) * nn);
    int32_t *cell_of = malloc(sizeof(int32_t) * nn), *members = malloc(sizeof(int32_t) * nn);
    int32_t *start = NULL;
    int nk = -1, ntiny = 0, nbig = 0;
    if (!st.s || !st.done || !st.stamp || !tiny || !big || !cell_of || !members)
        goto done;

    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY, sw = 0, sh = 0;
    for (int i = 0; i < n; i++) {
        const double *b = boxes + 4 * (size_t)i;
        minx = fmin(minx, b[0]);
        miny = fmin(miny, b[1]);
        maxx = fmax(maxx, b[0] + b[2]);
        maxy = fmax(maxy, b[1] + b[3]);
        sw += b[2];
        sh += b[3];
    }
    double cell, inv;
    int gx, gy;
    grid_geometry(maxx - minx, maxy - miny, n > 0 ? fmax(sw, sh) / n : 1.0, n, &cell, &inv, &gx, &gy);
    const double big_side = OK_BIG_CELLS * cell;
    const size_t ncell = (size_t)gx * (size_t)gy;
    start = calloc(ncell + 1, sizeof(int32_t));
    if (!start)
        goto done;
    double hw = 0.0, hh = 0.0;
    for (int i = 0; i < n; i++) {
        const double *b = boxes + 4 * (size_t)i;
        st.s[i] = scores[i];
        st.stamp[i] = -1;
        if (b[2] * b[3] <= DBL_EPSILON)
            tiny[ntiny++] = i;
        cell_of[i] = -1;
        if (b[2] > big_side || b[3] > big_side) {
            big[nbig++] = i;
            continue;
        }
        const int cx = grid_cell(b[0] + 0.5 * b[2], minx, inv, gx);
        const int cy = grid_cell(b[1] + 0.5 * b[3], miny, inv, gy);
        cell_of[i] = cy * gx + cx;
        start[cell_of[i] + 1]++;
        hw = fmax(hw, 0.5 * b[2]);
        hh = fmax(hh, 0.5 * b[3]);
    }
    for (size_t c = 0; c < ncell; c++)
        start[c + 1] += start[c];
    for (int i = n - 1; i >= 0; i--)  /* counting sort: fill each cell from its end */
        if (cell_of[i] >= 0)
            members[--start[cell_of[i] + 1]] = i;
    /* start[c + 1] now holds the first member of cell c: shift down by one */
    for (size_t c = 0; c < ncell; c++)
        start[c] = start[c + 1];
    start[ncell] = n - nbig;
    for (int i = 0; i < n; i++)
        if (st.s[i] >= score_threshold && heap_push(&st.heap, st.s[i], i) < 0)
            goto done;

    const int lim = (top_k <= 0 || top_k > n) ? n : top_k;
    nk = 0;
    while (nk < lim && st.heap.n > 0) {
        const heap_item top = heap_pop(&st.heap);
        if (st.done[top.i] || top.s != st.s[top.i])
            continue;  /* picked already, or decayed since this entry was pushed */
        const int32_t bi = top.i;
        st.done[bi] = 1;
        keep[nk] = bi;
        kept_scores[nk] = top.s;
        const int step = nk++;
        const double *bb = boxes + 4 * (size_t)bi;
        const double px = hw + 1e-6 * cell + 1e-12 * (fabs(bb[0]) + fabs(bb[2]));
        const double py = hh + 1e-6 * cell + 1e-12 * (fabs(bb[1]) + fabs(bb[3]));
        const int cx0 = grid_cell(bb[0] - px, minx, inv, gx);
        const int cx1 = grid_cell(bb[0] + bb[2] + px, minx, inv, gx);
        const int cy0 = grid_cell(bb[1] - py, miny, inv, gy);
        const int cy1 = grid_cell(bb[1] + bb[3] + py, miny, inv, gy);
        int err = 0;
        for (int cy = cy0; cy <= cy1; cy++)
            for (int cx = cx0; cx <= cx1; cx++) {
                const size_t c = (size_t)cy * gx + cx;
                err |= soft_decay(&st, bb, members + start[c], start[c + 1] - start[c], step);
            }
        err |= soft_decay(&st, bb, big, nbig, step);
        /* a near-empty pick is "identical" to every near-empty box, wherever it is */
        if (bb[2] * bb[3] <= DBL_EPSILON)
            err |= soft_decay(&st, bb, tiny, ntiny, step);
        if (err) {
            nk = -1;
            break;
        }
    }
done:
    free(st.s);
    free(st.done);
    free(st.stamp);
    free(st.heap.h);
    free(tiny);
    free(big);
    free(cell_of);
    free(members);
    free(start);
    return nk;
}

