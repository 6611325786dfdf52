/* Connected-component labelling by runs, numbered as OpenCV numbers them.
 *
 * OpenCV's default algorithms (Spaghetti/BBDT for 8-connectivity, SAUF for 4)
 * give provisional labels in scan order and keep the smallest one of each
 * component, so the final numbering follows the first scan unit of each
 * component: the first pixel in raster order for SAUF, the first 2x2 block
 * (block rows of two image rows, blocks left to right) for the block-based
 * 8-connectivity scan. Any two pixels of one 2x2 block are 8-connected, so no
 * block is shared by two components and that order is well defined.
 *
 * We reproduce it with runs: each run gets an id in that order (for 8-connectivity
 * the runs of a row pair are merged by their first block, xs >> 1), union-find
 * keeps the smallest id as the root, and a pass in id order numbers the roots.
 */
#include "components.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ok_common.h"

static inline int ctz64(uint64_t v)
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_ctzll(v);
#else
    int n = 0;
    while (!(v & 1)) {
        v >>= 1;
        n++;
    }
    return n;
#endif
}

/* Eight pixels to eight bits (bit i: byte i nonzero). Setting bit 7 of each
 * nonzero byte without carries between bytes, then gathering the bit-7s into the
 * top byte with one multiply (the partial products land on distinct bits). */
static inline unsigned mask8(const uint8_t *p)
{
    const uint64_t lo7 = 0x7f7f7f7f7f7f7f7full;
    uint64_t v;
    memcpy(&v, p, 8);
    uint64_t t = ((((v & lo7) + lo7) | v) >> 7) & 0x0101010101010101ull;
    return (unsigned)((t * 0x0102040810204080ull) >> 56);
}

static void row_mask(const uint8_t *p, int w, uint64_t *words)
{
    int x = 0, k = 0;
    for (; x + 64 <= w; x += 64, k++) {
        uint64_t m = 0;
        for (int b = 0; b < 8; b++)
            m |= (uint64_t)mask8(p + x + 8 * b) << (8 * b);
        words[k] = m;
    }
    if (x < w) {
        uint64_t m = 0;
        for (int i = x; i < w; i++)
            m |= (uint64_t)(p[i] != 0) << (i - x);
        words[k] = m;
    }
}

/* Runs of a row from its bit mask: one step per run boundary, not per pixel. */
static ptrdiff_t row_runs(const uint64_t *words, int w, int32_t *xs, int32_t *xe)
{
    int nw = (w + 63) >> 6, in = 0;
    ptrdiff_t n = 0;
    uint64_t carry = 0;
    for (int k = 0; k < nw; k++) {
        uint64_t m = words[k];
        uint64_t e = m ^ ((m << 1) | carry);   /* bit i: pixel i differs from i - 1 */
        carry = m >> 63;
        while (e) {
            int32_t pos = (int32_t)(k << 6) + ctz64(e);
            e &= e - 1;
            if (in)
                xe[n++] = pos;
            else
                xs[n] = pos;
            in ^= 1;
        }
    }
    if (in)
        xe[n++] = w;
    return n;
}

static inline int32_t uf_find(int32_t *parent, int32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Join the runs [c0, c1) of a row with the touching runs [p0, p1) of the row above;
 * diag = 1 lets runs touch at a corner (8-connectivity). A current-row run has no
 * links before this join, so its root is tracked in `ri` instead of searched for. */
static void join_rows(const int32_t *xs, const int32_t *xe, const int32_t *id, int32_t *parent,
                      ptrdiff_t p0, ptrdiff_t p1, ptrdiff_t c0, ptrdiff_t c1, int diag)
{
    ptrdiff_t i = c0, j = p0;
    int32_t ri = -1;
    while (i < c1 && j < p1) {
        if (xe[j] + diag <= xs[i]) {
            j++;
        } else if (xe[i] + diag <= xs[j]) {
            i++;
            ri = -1;
        } else {
            int32_t rj = uf_find(parent, id[j]);
            if (ri < 0)
                ri = id[i];
            if (rj < ri) {
                parent[ri] = rj;
                ri = rj;
            } else if (ri < rj) {
                parent[rj] = ri;
            }
            if (xe[j] < xe[i]) {
                j++;
            } else {
                i++;
                ri = -1;
            }
        }
    }
}

/* Join across a stripe boundary, where runs on both sides already have links. */
static void join_rows_linked(const int32_t *xs, const int32_t *xe, const int32_t *id, int32_t *parent,
                             ptrdiff_t p0, ptrdiff_t p1, ptrdiff_t c0, ptrdiff_t c1, int diag)
{
    ptrdiff_t i = c0, j = p0;
    while (i < c1 && j < p1) {
        if (xe[j] + diag <= xs[i]) {
            j++;
        } else if (xe[i] + diag <= xs[j]) {
            i++;
        } else {
            int32_t a = uf_find(parent, id[i]), b = uf_find(parent, id[j]);
            if (a < b)
                parent[b] = a;
            else if (b < a)
                parent[a] = b;
            if (xe[j] < xe[i])
                j++;
            else
                i++;
        }
    }
}

void ok_cc_stripe_rows(int h, int n, int i, int connectivity, int *y0, int *y1)
{
    ok_row_range(h, n, i, y0, y1);
    if (connectivity == 8) {
        /* 2x2 blocks must not straddle stripes: cut at even rows */
        *y0 &= ~1;
        if (*y1 < h)
            *y1 &= ~1;
    }
}

/* Room for the most runs a stripe can have ((w + 1) / 2 a row), allocated once:
 * only the pages the runs really use get touched, and nothing is ever copied. */
static int reserve(ok_cc_ctx *c, ptrdiff_t cap)
{
    size_t sz = (size_t)(cap > 0 ? cap : 1) * sizeof(int32_t);
    c->xs = (int32_t *)malloc(sz);
    c->xe = (int32_t *)malloc(sz);
    c->label = (int32_t *)malloc(sz);
    c->parent = (int32_t *)malloc(sz);
    c->cap = cap;
    return c->xs && c->xe && c->label && c->parent ? 0 : -1;
}

int ok_cc_scan(ok_cc_ctx *c, const uint8_t *src, ptrdiff_t sstep, int w, int y0, int y1,
               int connectivity)
{
    int diag = connectivity == 8;
    int step = diag ? 2 : 1, h = y1 - y0;
    uint64_t *words = NULL;
    memset(c, 0, sizeof(*c));
    c->width = w;
    c->height = h;
    c->y0 = y0;
    c->row_start = (int32_t *)malloc(((size_t)h + 1) * sizeof(int32_t));
    words = (uint64_t *)malloc((((size_t)w + 63) >> 6) * sizeof(uint64_t));
    if (!c->row_start || !words || reserve(c, (ptrdiff_t)h * ((w + 1) / 2))) {
        free(words);
        ok_cc_free(c);
        return -1;
    }
    int32_t *xs = c->xs, *xe = c->xe, *id = c->label, *parent = c->parent;
    ptrdiff_t n = 0;
    for (int y = 0; y < h; y += step) {
        int rows = h - y < step ? h - y : step;
        for (int t = 0; t < rows; t++) {
            c->row_start[y + t] = (int32_t)n;
            row_mask(src + (ptrdiff_t)(y0 + y + t) * sstep, w, words);
            n += row_runs(words, w, xs + n, xe + n);
        }
        ptrdiff_t a0 = c->row_start[y], b0 = rows == 2 ? c->row_start[y + 1] : n, i = a0, j = b0;
        if (rows == 2) {
            /* ids in order of each run's first 2x2 block; equal blocks are the same
             * component, so their relative order does not matter */
            int32_t next = (int32_t)a0;
            while (i < b0 || j < n) {
                if (j >= n || (i < b0 && (xs[i] >> 1) <= (xs[j] >> 1)))
                    id[i++] = next++;
                else
                    id[j++] = next++;
            }
        } else {
            for (; i < n; i++)
                id[i] = (int32_t)i;
        }
        for (i = a0; i < n; i++)
            parent[i] = (int32_t)i;
        if (y > 0)
            join_rows(xs, xe, id, parent, c->row_start[y - 1], a0, a0, b0, diag);
        if (rows == 2)
            join_rows(xs, xe, id, parent, a0, b0, b0, n, diag);
    }
    c->row_start[h] = (int32_t)n;
    c->nruns = n;
    free(words);
    return 0;
}

int ok_cc_merge(ok_cc_ctx *c, ok_cc_ctx *stripes, int ns, int connectivity)
{
    int diag = connectivity == 8;
    memset(c, 0, sizeof(*c));
    if (ns == 1) {
        *c = stripes[0];
        memset(&stripes[0], 0, sizeof(stripes[0]));
    } else {
        ptrdiff_t n = 0;
        int h = 0;
        for (int s = 0; s < ns; s++) {
            n += stripes[s].nruns;
            h += stripes[s].height;
        }
        c->width = stripes[0].width;
        c->height = h;
        c->row_start = (int32_t *)malloc(((size_t)h + 1) * sizeof(int32_t));
        if (!c->row_start || reserve(c, n)) {
            ok_cc_free(c);
            for (int s = 0; s < ns; s++)
                ok_cc_free(&stripes[s]);
            return -1;
        }
        ptrdiff_t o = 0;
        for (int s = 0; s < ns; s++) {
            ok_cc_ctx *t = &stripes[s];
            memcpy(c->xs + o, t->xs, (size_t)t->nruns * sizeof(int32_t));
            memcpy(c->xe + o, t->xe, (size_t)t->nruns * sizeof(int32_t));
            for (ptrdiff_t k = 0; k < t->nruns; k++) {
                c->label[o + k] = t->label[k] + (int32_t)o;
                c->parent[o + k] = t->parent[k] + (int32_t)o;
            }
            for (int r = 0; r < t->height; r++)
                c->row_start[t->y0 + r] = t->row_start[r] + (int32_t)o;
            o += t->nruns;
            ok_cc_free(t);
        }
        c->row_start[h] = (int32_t)n;
        c->nruns = n;
        /* stripe ids keep their order (stripes are in scan order), so joining the
         * boundary rows with the smaller root winning keeps the numbering */
        for (int s = 1; s < ns; s++) {
            int y = stripes[s].y0;
            if (stripes[s].height == 0)
                continue;
            join_rows_linked(c->xs, c->xe, c->label, c->parent, c->row_start[y - 1], c->row_start[y],
                             c->row_start[y], c->row_start[y + 1], diag);
        }
    }
    /* number the roots in id order; a non-root's parent id is smaller, so it
     * already holds its final label when we reach it */
    int32_t *parent = c->parent, *id = c->label, next = 1;
    for (ptrdiff_t k = 0; k < c->nruns; k++)
        parent[k] = parent[k] == (int32_t)k ? next++ : parent[parent[k]];
    for (ptrdiff_t k = 0; k < c->nruns; k++)
        id[k] = parent[id[k]];
    c->nlabels = next;
    free(c->parent);
    c->parent = NULL;
    return 0;
}

int ok_cc_label(ok_cc_ctx *c, const uint8_t *src, ptrdiff_t sstep, int w, int h, int connectivity)
{
    ok_cc_ctx stripe;
    if (ok_cc_scan(&stripe, src, sstep, w, 0, h, connectivity))
        return -1;
    return ok_cc_merge(c, &stripe, 1, connectivity);
}

OK_HOT void ok_cc_write_labels(const ok_cc_ctx *c, int32_t *labels, ptrdiff_t lstep, int y0, int y1)
{
    int w = c->width;
    for (int y = y0; y < y1; y++) {
        int32_t *row = labels + (ptrdiff_t)y * lstep;
        /* one memset per row: per-gap zero fills become many tiny memset calls */
        memset(row, 0, (size_t)w * sizeof(int32_t));
        for (ptrdiff_t r = c->row_start[y]; r < c->row_start[y + 1]; r++) {
            int32_t lab = c->label[r];
            for (int x = c->xs[r]; x < c->xe[r]; x++)
                row[x] = lab;
        }
    }
}

typedef struct {
    int32_t left, top, right, bottom;
    uint64_t area, sx, sy;
} acc_t;

static inline void acc_span(acc_t *a, int y, int x0, int x1)
{
    uint64_t len = (uint64_t)(x1 - x0);
    a->area += len;
    a->sx += len * (uint64_t)(x0 + x1 - 1) / 2;   /* x0 + ... + (x1 - 1) */
    a->sy += len * (uint64_t)y;
    if (x0 < a->left)
        a->left = x0;
    if (x1 - 1 > a->right)
        a->right = x1 - 1;
    if (y < a->top)
        a->top = y;
    a->bottom = y;   /* rows arrive in order */
}

int ok_cc_stats(const ok_cc_ctx *c, int32_t *stats, double *centroids)
{
    int n = c->nlabels, w = c->width;
    acc_t *a = (acc_t *)malloc((size_t)n * sizeof(acc_t));
    if (!a)
        return -1;
    for (int l = 0; l < n; l++) {
        a[l].left = a[l].top = INT_MAX;
        a[l].right = a[l].bottom = INT_MIN;
        a[l].area = a[l].sx = a[l].sy = 0;
    }
    for (int y = 0; y < c->height; y++) {
        int x = 0;
        for (ptrdiff_t r = c->row_start[y]; r < c->row_start[y + 1]; r++) {
            if (c->xs[r] > x)
                acc_span(&a[0], y, x, c->xs[r]);
            acc_span(&a[c->label[r]], y, c->xs[r], c->xe[r]);
            x = c->xe[r];
        }
        if (x < w)
            acc_span(&a[0], y, x, w);
    }
    for (int l = 0; l < n; l++) {
        int32_t *s = stats + (ptrdiff_t)l * 5;
        double *cen = centroids + (ptrdiff_t)l * 2;
        if (a[l].area == 0) {
            /* only the background of an all-foreground image: OpenCV's values */
            s[0] = -1;
            s[1] = INT_MAX;
            s[2] = s[3] = s[4] = 0;
            cen[0] = cen[1] = NAN;
            continue;
        }
        s[0] = a[l].left;
        s[1] = a[l].top;
        s[2] = a[l].right - a[l].left + 1;
        s[3] = a[l].bottom - a[l].top + 1;
        s[4] = (int32_t)a[l].area;
        cen[0] = (double)a[l].sx / (double)a[l].area;
        cen[1] = (double)a[l].sy / (double)a[l].area;
    }
    free(a);
    return 0;
}

void ok_cc_free(ok_cc_ctx *c)
{
    free(c->xs);
    free(c->xe);
    free(c->label);
    free(c->parent);
    free(c->row_start);
    c->xs = c->xe = c->label = c->parent = c->row_start = NULL;
    c->nruns = c->cap = 0;
}
