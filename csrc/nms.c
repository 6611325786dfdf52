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
 * Overlaps use OpenCV's own arithmetic (Rect2d in double rounded to float; the float
 * steps of cv::rotatedRectangleIntersection) so ties at the threshold fall the same
 * way; polygons (no OpenCV counterpart) use exact Sutherland-Hodgman clipping.
 */
#include "nms.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OK_PI 3.1415926535897932384626433832795

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

typedef int (*suppress_fn)(const void *ctx, int32_t cand, int32_t kept, float thr);

/* Kept boxes of one grid cell as structure-of-arrays: float bounds rounded outwards
 * for the vectorised reject test (a float test never misses a pair whose double
 * bounds touch), and for axis-aligned boxes the double (x, y, w, h) the exact test
 * needs, so a scan reads nothing outside the cell. */
typedef struct {
    float *x1, *y1, *x2, *y2;
    double *x, *y, *w, *h;
    int32_t *idx;
    int n, cap;
} cell_t;

static int cell_push(cell_t *c, const float *fb, const double *box, int32_t idx)
{
    if (c->n == c->cap) {
        int cap = c->cap ? 2 * c->cap : 16;
        char *blk = malloc((size_t)cap * (4 * sizeof(double) + 4 * sizeof(float) + sizeof(int32_t)));
        if (!blk)
            return -1;
        double *d = (double *)blk;
        float *f = (float *)(d + 4 * (size_t)cap);
        int32_t *ni = (int32_t *)(f + 4 * (size_t)cap);
        if (c->n) {
            const size_t nd = c->n * sizeof(double), nf = c->n * sizeof(float);
            memcpy(d, c->x, nd);
            memcpy(d + cap, c->y, nd);
            memcpy(d + 2 * cap, c->w, nd);
            memcpy(d + 3 * cap, c->h, nd);
            memcpy(f, c->x1, nf);
            memcpy(f + cap, c->y1, nf);
            memcpy(f + 2 * cap, c->x2, nf);
            memcpy(f + 3 * cap, c->y2, nf);
            memcpy(ni, c->idx, c->n * sizeof(int32_t));
        }
        free(c->x);
        c->x = d;
        c->y = d + cap;
        c->w = d + 2 * cap;
        c->h = d + 3 * cap;
        c->x1 = f;
        c->y1 = f + cap;
        c->x2 = f + 2 * cap;
        c->y2 = f + 3 * cap;
        c->idx = ni;
        c->cap = cap;
    }
    const int j = c->n++;
    c->x1[j] = fb[0];
    c->y1[j] = fb[1];
    c->x2[j] = fb[2];
    c->y2[j] = fb[3];
    if (box) {
        c->x[j] = box[0];
        c->y[j] = box[1];
        c->w[j] = box[2];
        c->h[j] = box[3];
    }
    c->idx[j] = idx;
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

enum { KIND_BOX = 0, KIND_OTHER = 1 };

typedef struct {
    int kind;
    const double *boxes;  /* KIND_BOX: n x 4 (x, y, w, h) */
    suppress_fn fn;       /* KIND_OTHER */
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
        const float *x1 = c->x1 + j0, *y1 = c->y1 + j0, *x2 = c->x2 + j0, *y2 = c->y2 + j0;
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
                const double kb[4] = {c->x[k], c->y[k], c->w[k], c->h[k]};
                if (box_exceeds(cb, kb, thr))
                    return 1;
            } else if (pt->fn(pt->ctx, cand, c->idx[k], thr)) {
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
    double ext_x = maxx - minx, ext_y = maxy - miny;
    double cell = fmax(sw, sh) / m;
    double floor_cell = fmax(ext_x, ext_y) / 2048.0;
    if (!(cell > floor_cell))
        cell = floor_cell;
    if (!(cell > 0.0))
        cell = 1.0;
    double limit = 2.0 * m + 64.0;  /* at most ~2 cells per candidate */
    double cells = (ext_x / cell + 1.0) * (ext_y / cell + 1.0);
    if (cells > limit)
        cell *= sqrt(cells / limit) * 1.01;
    const double inv = 1.0 / cell;
    const int gx = (int)fmin(ext_x * inv, 1e6) + 1, gy = (int)fmin(ext_y * inv, 1e6) + 1;
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
                sup = suppresses(pt, idx, tinyc.idx[t], thr);
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
        free(grid[c].x);
    free(grid);
    free(big.x);
    free(tinyc.x);
    return nk;
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

/* ------------------------------------------------------- rotated rectangles */

/* cv::RotatedRect::points, float for float. */
static void rect_points(float cx, float cy, float w, float h, float angle, float *pt)
{
    double ang = angle * OK_PI / 180.;
    float b = (float)cos(ang) * 0.5f;
    float a = (float)sin(ang) * 0.5f;
    pt[0] = cx - a * h - b * w;
    pt[1] = cy + b * h - a * w;
    pt[2] = cx + a * h - b * w;
    pt[3] = cy - b * h - a * w;
    pt[4] = 2 * cx - pt[0];
    pt[5] = 2 * cy - pt[1];
    pt[6] = 2 * cx - pt[2];
    pt[7] = 2 * cy - pt[3];
}

/* cv::rotatedRectangleIntersection(r1, r2): returns -1 (INTERSECT_NONE), 0
 * (INTERSECT_FULL) or the number N of points (INTERSECT_PARTIAL) written to fx, fy
 * (24 each).  The point set (edge crossings, then vertices inside
 * the other rect by a sign test, duplicates within samePointEps dropped, points
 * ordered by turning direction) is built with OpenCV's float steps.
 * Its quirks are kept: an empty size never intersects, corners within 1e-6 * max
 * area count as the same rect (overlap 1), and a non-empty intersection without any
 * edge crossing (one rect inside the other) is "full" and also counts as overlap 1. */
static int rotated_intersection(const float *r1, const float *r2, float *fx, float *fy)
{
    if (r1[2] <= 0 || r1[3] <= 0 || r2[2] <= 0 || r2[3] <= 0)
        return -1;
    /* both rects are moved so their mean centre is the origin */
    const float avx = (r1[0] + r2[0]) / 2.0f, avy = (r1[1] + r2[1]) / 2.0f;
    float p1[8], p2[8], v1[8], v2[8];
    rect_points(r1[0] - avx, r1[1] - avy, r1[2], r1[3], r1[4], p1);
    rect_points(r2[0] - avx, r2[1] - avy, r2[2], r2[3], r2[4], p2);
    const float a1 = r1[2] * r1[3], a2 = r2[2] * r2[3];
    float eps = 1e-6f * (a1 < a2 ? a2 : a1);
    int same = 1;
    for (int i = 0; i < 4 && same; i++)
        if (fabsf(p1[2 * i] - p2[2 * i]) > eps || fabsf(p1[2 * i + 1] - p2[2 * i + 1]) > eps)
            same = 0;
    if (same)
        return 0;
    for (int i = 0; i < 4; i++) {
        int j = (i + 1) & 3;
        v1[2 * i] = p1[2 * j] - p1[2 * i];
        v1[2 * i + 1] = p1[2 * j + 1] - p1[2 * i + 1];
        v2[2 * i] = p2[2 * j] - p2[2 * i];
        v2[2 * i + 1] = p2[2 * j + 1] - p2[2 * i + 1];
    }
    for (int i = 0; i < 4; i++) {
        float l1 = sqrtf(v1[2 * i] * v1[2 * i] + v1[2 * i + 1] * v1[2 * i + 1]);
        if (l1 < eps)
            eps = l1;
        float l2 = sqrtf(v2[2 * i] * v2[2 * i] + v2[2 * i + 1] * v2[2 * i + 1]);
        if (l2 < eps)
            eps = l2;
    }
    if (eps < 1e-16f)
        eps = 1e-16f;

    float pts[2 * 24];
    int np = 0;
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            const float x21 = p2[2 * j] - p1[2 * i];
            const float y21 = p2[2 * j + 1] - p1[2 * i + 1];
            const float vx1 = v1[2 * i], vy1 = v1[2 * i + 1];
            const float vx2 = v2[2 * j], vy2 = v2[2 * j + 1];
            const float det = vx2 * vy1 - vx1 * vy2;
            if (fabs((double)det) < 1e-12)
                continue;
            const float dis = 1.f / det;
            const float t1 = (vx2 * y21 - vy2 * x21) * dis;
            const float t2 = (vx1 * y21 - vy1 * x21) * dis;
            if (!isfinite(t1) || !isfinite(t2))
                continue;
            if (t1 >= 0.0f && t1 <= 1.0f && t2 >= 0.0f && t2 <= 1.0f) {
                pts[2 * np] = p1[2 * i] + v1[2 * i] * t1;
                pts[2 * np + 1] = p1[2 * i + 1] + v1[2 * i + 1] * t1;
                np++;
            }
        }
    }
    const int partial = np > 0;
    /* vertices of one rect on the same side of every edge of the other */
    for (int pass = 0; pass < 2; pass++) {
        const float *pp = pass ? p2 : p1, *lp = pass ? p1 : p2, *lv = pass ? v1 : v2;
        for (int i = 0; i < 4; i++) {
            int pos = 0;
            const float x = pp[2 * i], y = pp[2 * i + 1];
            for (int j = 0; j < 4; j++)
                pos += lv[2 * j + 1] * (lp[2 * j] - x) >= lv[2 * j] * (lp[2 * j + 1] - y);
            if (pos == 4 || pos == 0) {
                pts[2 * np] = x;
                pts[2 * np + 1] = y;
                np++;
            }
        }
    }
    if (np == 0)
        return -1;
    if (!partial)
        return 0;

    /* drop duplicates, remembering squared distances as OpenCV does */
    const int stride = np;
    float dist[24 * 24];
    int remap[24];
    int N = np;
    if (np > 8)  /* the N > 8 pass can read pairs it never stored; make them harmless */
        for (int i = 0; i < np * np; i++)
            dist[i] = FLT_MAX;
    for (int i = 0; i < N; i++) {
        const float x0 = pts[2 * i], y0 = pts[2 * i + 1];
        remap[i] = i;
        for (int j = i + 1; j < N;) {
            const float dx = pts[2 * j] - x0, dy = pts[2 * j + 1] - y0;
            const float d2 = dx * dx + dy * dy;
            if (d2 <= eps) {
                if (j < N - 1) {
                    pts[2 * j] = pts[2 * (N - 1)];
                    pts[2 * j + 1] = pts[2 * (N - 1) + 1];
                }
                N--;
                continue;
            }
            dist[i * stride + j] = d2;
            ++j;
        }
    }
    while (N > 8) {
        int mj = 1;
        float md = dist[1];
        for (int i = 0; i < N - 1; i++) {
            const float *pd = dist + stride * remap[i];
            for (int j = i + 1; j < N; j++) {
                const float d = pd[remap[j]];
                if (d < md) {
                    md = d;
                    mj = j;
                }
            }
        }
        if (mj < N - 1) {
            pts[2 * mj] = pts[2 * (N - 1)];
            pts[2 * mj + 1] = pts[2 * (N - 1) + 1];
            remap[mj] = remap[N - 1];
        }
        N--;
    }
    for (int i = 0; i < N - 1; i++) {
        float dix = pts[2 * (i + 1)] - pts[2 * i], diy = pts[2 * (i + 1) + 1] - pts[2 * i + 1];
        for (int j = i + 2; j < N; j++) {
            float djx = pts[2 * j] - pts[2 * i], djy = pts[2 * j + 1] - pts[2 * i + 1];
            /* Point_::cross is evaluated in double */
            if ((double)dix * djy - (double)diy * djx < 0) {
                float tx = pts[2 * (i + 1)], ty = pts[2 * (i + 1) + 1];
                pts[2 * (i + 1)] = pts[2 * j];
                pts[2 * (i + 1) + 1] = pts[2 * j + 1];
                pts[2 * j] = tx;
                pts[2 * j + 1] = ty;
                dix = djx;
                diy = djy;
            }
        }
    }
    for (int i = 0; i < N; i++) {
        fx[i] = pts[2 * i] + avx;
        fy[i] = pts[2 * i + 1] + avy;
    }
    return N;
}

/* Overlap as rotatedRectIOU: 0 for no intersection, 1 for "full", else
 * contourArea(points) / (area_a + area_b - intersection) in float. */
static float rotated_overlap(const float *r1, const float *r2)
{
    float fx[24], fy[24];
    int N = rotated_intersection(r1, r2, fx, fy);
    if (N < 0)
        return 0.0f;
    if (N == 0)
        return 1.0f;
    const float a1 = r1[2] * r1[3], a2 = r2[2] * r2[3];
    double area = 0.0;
    float px = fx[N - 1], py = fy[N - 1];
    for (int i = 0; i < N; i++) {
        area += (double)px * fy[i] - (double)py * fx[i];
        px = fx[i];
        py = fy[i];
    }
    area = fabs(area * 0.5);
    const float inter = (float)area;
    return inter / (a1 + a2 - inter);
}

int ok_rotated_intersection(const float *a, const float *b, float *pts)
{
    float fx[24], fy[24];
    int n = rotated_intersection(a, b, fx, fy);
    for (int i = 0; i < n; i++) {
        pts[2 * i] = fx[i];
        pts[2 * i + 1] = fy[i];
    }
    return n;
}

float ok_rotated_iou(const float *a, const float *b)
{
    return rotated_overlap(a, b);
}

static int rotated_suppress(const void *ctx, int32_t cand, int32_t kept, float thr)
{
    const float *r = ctx;
    return !(rotated_overlap(r + 5 * (size_t)cand, r + 5 * (size_t)kept) <= thr);
}

int ok_nms_rotated(const float *rects, int n, const int32_t *order, int m,
                   float iou_threshold, float eta, int32_t *keep)
{
    double *aabb = malloc(sizeof(double) * 4 * (size_t)(n > 0 ? n : 1));
    if (!aabb)
        return -1;
    for (int p = 0; p < m; p++) {
        int i = order[p];
        const float *r = rects + 5 * (size_t)i;
        float pt[8];
        rect_points(r[0], r[1], r[2], r[3], r[4], pt);
        double x1 = pt[0], x2 = pt[0], y1 = pt[1], y2 = pt[1];
        for (int k = 1; k < 4; k++) {
            x1 = fmin(x1, pt[2 * k]);
            x2 = fmax(x2, pt[2 * k]);
            y1 = fmin(y1, pt[2 * k + 1]);
            y2 = fmax(y2, pt[2 * k + 1]);
        }
        /* Widen by OpenCV's "same rect" tolerance (1e-6 * area, tested before it is
         * tightened) plus float rounding of the shifted corners, so every pair the
         * exact test could call overlapping is visited. */
        double mag = fabs((double)r[0]) + fabs((double)r[1]) + (double)r[2] + (double)r[3];
        double pad = 1e-6 * (double)r[2] * (double)r[3] + 1e-5 * (1.0 + mag);
        aabb[4 * i + 0] = x1 - pad;
        aabb[4 * i + 1] = y1 - pad;
        aabb[4 * i + 2] = x2 + pad;
        aabb[4 * i + 3] = y2 + pad;
    }
    pair_test pt = {KIND_OTHER, NULL, rotated_suppress, rects};
    int r = greedy_nms(order, m, aabb, NULL, &pt, iou_threshold, eta, keep);
    free(aabb);
    return r;
}

/* ----------------------------------------------------------- convex quads */

static double shoelace(const double *p, int n)
{
    double a = 0.0;
    for (int i = 0, j = n - 1; i < n; j = i++)
        a += p[2 * j] * p[2 * i + 1] - p[2 * i] * p[2 * j + 1];
    return 0.5 * a;
}

/* Sutherland-Hodgman: clip polygon `s` (ns vertices) by the counter-clockwise convex
 * polygon `c` (nc vertices).  Writes at most ns + nc vertices to `out`. */
static int clip_convex(const double *s, int ns, const double *c, int nc, double *out)
{
    double buf[2][2 * 32];
    const double *in = s;
    int nin = ns;
    for (int e = 0; e < nc && nin > 0; e++) {
        double *dst = (e == nc - 1) ? out : buf[e & 1];
        const double ax = c[2 * e], ay = c[2 * e + 1];
        const double ex = c[2 * ((e + 1) % nc)] - ax, ey = c[2 * ((e + 1) % nc) + 1] - ay;
        int nout = 0;
        double px = in[2 * (nin - 1)], py = in[2 * (nin - 1) + 1];
        double ps = ex * (py - ay) - ey * (px - ax);
        for (int i = 0; i < nin; i++) {
            double qx = in[2 * i], qy = in[2 * i + 1];
            double qs = ex * (qy - ay) - ey * (qx - ax);
            if (qs >= 0) {
                if (ps < 0) {
                    double t = ps / (ps - qs);
                    dst[2 * nout] = px + t * (qx - px);
                    dst[2 * nout + 1] = py + t * (qy - py);
                    nout++;
                }
                dst[2 * nout] = qx;
                dst[2 * nout + 1] = qy;
                nout++;
            } else if (ps >= 0) {
                double t = ps / (ps - qs);
                dst[2 * nout] = px + t * (qx - px);
                dst[2 * nout + 1] = py + t * (qy - py);
                nout++;
            }
            px = qx;
            py = qy;
            ps = qs;
        }
        in = dst;
        nin = nout;
        if (e == nc - 1)
            return nout;
    }
    return 0;
}

/* Quad as counter-clockwise vertices (reversed when given clockwise); returns |area|. */
static double quad_ccw(const double *q, double *out)
{
    double a = shoelace(q, 4);
    if (a >= 0) {
        memcpy(out, q, 8 * sizeof(double));
        return a;
    }
    for (int i = 0; i < 4; i++) {
        out[2 * i] = q[2 * (3 - i)];
        out[2 * i + 1] = q[2 * (3 - i) + 1];
    }
    return -a;
}

static double quad_iou_ccw(const double *a, double area_a, const double *b, double area_b)
{
    double out[2 * 16];
    int n = clip_convex(a, 4, b, 4, out);
    double inter = n >= 3 ? fabs(shoelace(out, n)) : 0.0;
    double uni = area_a + area_b - inter;
    return uni > 0 ? inter / uni : 0.0;
}

double ok_quad_iou(const double *a, const double *b)
{
    double ca[8], cb[8];
    double aa = quad_ccw(a, ca), ab = quad_ccw(b, cb);
    return quad_iou_ccw(ca, aa, cb, ab);
}

typedef struct {
    const double *ccw;   /* n x 8 counter-clockwise quads */
    const double *area;  /* n */
    double thr;          /* the caller's double threshold (float thr is unused) */
} poly_ctx;

static int poly_suppress(const void *ctx, int32_t cand, int32_t kept, float thr)
{
    const poly_ctx *c = ctx;
    (void)thr;
    double iou = quad_iou_ccw(c->ccw + 8 * (size_t)cand, c->area[cand],
                              c->ccw + 8 * (size_t)kept, c->area[kept]);
    return !(iou <= c->thr);
}

static void quad_aabb(const double *q, double *b)
{
    b[0] = b[2] = q[0];
    b[1] = b[3] = q[1];
    for (int k = 1; k < 4; k++) {
        b[0] = fmin(b[0], q[2 * k]);
        b[2] = fmax(b[2], q[2 * k]);
        b[1] = fmin(b[1], q[2 * k + 1]);
        b[3] = fmax(b[3], q[2 * k + 1]);
    }
}

int ok_nms_polygons(const double *polys, int n, const int32_t *order, int m,
                    double iou_threshold, int32_t *keep)
{
    size_t nn = (size_t)(n > 0 ? n : 1);
    double *ccw = malloc(sizeof(double) * 8 * nn);
    double *area = malloc(sizeof(double) * nn);
    double *aabb = malloc(sizeof(double) * 4 * nn);
    int r = -1;
    if (ccw && area && aabb) {
        for (int p = 0; p < m; p++) {
            int i = order[p];
            area[i] = quad_ccw(polys + 8 * (size_t)i, ccw + 8 * (size_t)i);
            quad_aabb(polys + 8 * (size_t)i, aabb + 4 * (size_t)i);
        }
        poly_ctx ctx = {ccw, area, iou_threshold};
        /* IoU > threshold needs a positive intersection; thresholds here are >= 0 */
        pair_test pt = {KIND_OTHER, NULL, poly_suppress, &ctx};
        r = greedy_nms(order, m, aabb, NULL, &pt, (float)iou_threshold, 1.0f, keep);
    }
    free(ccw);
    free(area);
    free(aabb);
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
    const double ext_x = maxx - minx, ext_y = maxy - miny;
    double cell = n > 0 ? fmax(sw, sh) / n : 1.0;
    if (!(cell > fmax(ext_x, ext_y) / 2048.0))
        cell = fmax(ext_x, ext_y) / 2048.0;
    if (!(cell > 0.0))
        cell = 1.0;
    const double cells = (ext_x / cell + 1.0) * (ext_y / cell + 1.0), limit = 2.0 * n + 64.0;
    if (cells > limit)
        cell *= sqrt(cells / limit) * 1.01;
    const double inv = 1.0 / cell, big_side = OK_BIG_CELLS * cell;
    const int gx = (int)fmin(ext_x * inv, 1e6) + 1, gy = (int)fmin(ext_y * inv, 1e6) + 1;
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

/* ------------------------------------------------- locality-aware NMS (EAST) */

int ok_lanms(const double *polys, const double *scores, int n, double iou_threshold,
             double *out_polys, double *out_scores)
{
    if (n <= 0)
        return 0;
    /* pass 1: fold each row into the running quad while IoU > threshold */
    double cur[8], cur_ccw[8], cur_area, cur_box[4], g_ccw[8], g_box[4];
    double cur_s = scores[0];
    int nm = 0;
    memcpy(cur, polys, sizeof cur);
    cur_area = quad_ccw(cur, cur_ccw);
    quad_aabb(cur, cur_box);
    for (int i = 1; i < n; i++) {
        const double *g = polys + 8 * (size_t)i;
        double gs = scores[i];
        quad_aabb(g, g_box);
        int merge = 0;
        if (!(g_box[0] > cur_box[2] || g_box[2] < cur_box[0] || g_box[1] > cur_box[3] ||
              g_box[3] < cur_box[1])) {
            double ga = quad_ccw(g, g_ccw);
            merge = quad_iou_ccw(g_ccw, ga, cur_ccw, cur_area) > iou_threshold;
        }
        if (merge) {
            double tot = gs + cur_s;
            for (int k = 0; k < 8; k++)
                cur[k] = (gs * g[k] + cur_s * cur[k]) / tot;
            cur_s = tot;
        } else {
            memcpy(out_polys + 8 * (size_t)nm, cur, sizeof cur);
            out_scores[nm++] = cur_s;
            memcpy(cur, g, sizeof cur);
            cur_s = gs;
        }
        cur_area = quad_ccw(cur, cur_ccw);
        quad_aabb(cur, cur_box);
    }
    memcpy(out_polys + 8 * (size_t)nm, cur, sizeof cur);
    out_scores[nm++] = cur_s;

    /* pass 2: standard polygon NMS over the merged quads */
    float *key = malloc(sizeof(float) * (size_t)nm);
    int32_t *order = malloc(sizeof(int32_t) * (size_t)nm);
    int32_t *keep = malloc(sizeof(int32_t) * (size_t)nm);
    double *tmp_p = malloc(sizeof(double) * 8 * (size_t)nm);
    double *tmp_s = malloc(sizeof(double) * (size_t)nm);
    int nk = -1;
    if (key && order && keep && tmp_p && tmp_s) {
        for (int i = 0; i < nm; i++) {
            key[i] = (float)out_scores[i];
            order[i] = i;
        }
        if (radix_sort_desc(key, order, nm) == 0) {
            nk = ok_nms_polygons(out_polys, nm, order, nm, iou_threshold, keep);
            if (nk >= 0) {
                for (int i = 0; i < nk; i++) {
                    memcpy(tmp_p + 8 * (size_t)i, out_polys + 8 * (size_t)keep[i], 8 * sizeof(double));
                    tmp_s[i] = out_scores[keep[i]];
                }
                memcpy(out_polys, tmp_p, sizeof(double) * 8 * (size_t)nk);
                memcpy(out_scores, tmp_s, sizeof(double) * (size_t)nk);
            }
        }
    }
    free(key);
    free(order);
    free(keep);
    free(tmp_p);
    free(tmp_s);
    return nk;
}
