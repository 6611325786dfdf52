/* Canny edge detection, bit-exact with OpenCV (modules/imgproc/src/canny.cpp).
 *
 * The facts that decide parity, all taken from OpenCV's implementation:
 *  - gradients are Sobel to int16 with BORDER_REPLICATE; aperture 7 is computed
 *    with scale 1/16 (the unscaled sums overflow int16), i.e. the exact integer
 *    sum divided by 16 and rounded half to even, as OpenCV's float filter path does;
 *  - magnitude |dx| + |dy| or dx^2 + dy^2 in int (wrapping like OpenCV's int
 *    arithmetic for extreme given gradients), zero outside the image;
 *  - colour images: per pixel the channel with the largest magnitude wins (first
 *    one on ties) and its dx, dy are used for the direction;
 *  - direction from tan(22.5 deg) in Q15 (TG22 = 13573): |dy| << 15 < |dx| * TG22
 *    is horizontal, > |dx| * (TG22 + 2^16) vertical, else diagonal by the signs;
 *  - a maximum needs m > the "before" neighbour and m >= the "after" one along a
 *    horizontal or vertical direction, strictly greater than both diagonally;
 *  - candidates need m > low; strong ones m > high; the result is every candidate
 *    8-connected to a strong one, so any traversal order gives OpenCV's bits.
 */
#include "canny.h"

#include <stdlib.h>
#include <string.h>

#include "ok_common.h"

#define TG22_Q15 13573  /* (int)(tan(22.5 deg) * 2^15 + 0.5) */

static const int SMOOTH[3][7] = {{1, 2, 1}, {1, 4, 6, 4, 1}, {1, 6, 15, 20, 15, 6, 1}};
static const int DERIV[3][7] = {{-1, 0, 1}, {-1, -2, 0, 2, 1}, {-1, -4, -5, 0, 5, 4, 1}};

/* One gradient row: dx, dy of the winning channel and its magnitude (with a zero on
 * each side so the neighbour reads of the suppression need no bounds checks). */
typedef struct {
    const int16_t *dx, *dy;
    int16_t *dxbuf, *dybuf;
    int32_t *mag;   /* mag[-1] .. mag[width] valid */
} grad_row;

typedef struct {
    int32_t *vs, *vd;        /* vertical smooth / derivative sums, padded by r*cn */
    int16_t *vs16, *vd16;    /* same for the 3x3 gray int16 path, padded by 1 */
    int16_t *cdx, *cdy;      /* per-channel gradients (colour) */
    int32_t *cmag;
} scratch;

/* 3x3 gray Sobel of one row with all sums in int16 (|values| <= 1020). */
static OK_HOT void sobel3_gray(const uint8_t *r0, const uint8_t *r1, const uint8_t *r2, int w,
                               int16_t *restrict vs, int16_t *restrict vd,
                               int16_t *restrict dx, int16_t *restrict dy)
{
    for (int x = 0; x < w; x++) {
        vs[x] = (int16_t)(r0[x] + 2 * r1[x] + r2[x]);
        vd[x] = (int16_t)(r2[x] - r0[x]);
    }
    vs[-1] = vs[0];
    vd[-1] = vd[0];
    vs[w] = vs[w - 1];
    vd[w] = vd[w - 1];
    for (int x = 0; x < w; x++) {
        dx[x] = (int16_t)(vs[x + 1] - vs[x - 1]);
        dy[x] = (int16_t)(vd[x - 1] + 2 * vd[x] + vd[x + 1]);
    }
}

/* Any aperture, any channel count, int32 sums. n = width * cn values. Inlined
 * into one copy per aperture below so the tap loops unroll and vectorise. */
static inline void sobel_generic(const uint8_t *const *rows, int ksize, int n, int cn,
                                 int32_t *restrict vs, int32_t *restrict vd,
                                 int16_t *restrict dx, int16_t *restrict dy)
{
    int r = ksize / 2, ki = r - 1;
    const int *sm = SMOOTH[ki], *de = DERIV[ki];
    for (int i = 0; i < n; i++) {
        vs[i] = sm[r] * rows[r][i];
        vd[i] = 0;
    }
    for (int t = 0; t < r; t++) {
        const uint8_t *a = rows[t], *b = rows[ksize - 1 - t];
        int s = sm[t], d = de[ksize - 1 - t];   /* deriv is odd: de[t] = -d */
        for (int i = 0; i < n; i++) {
            vs[i] += s * (a[i] + b[i]);
            vd[i] += d * (b[i] - a[i]);
        }
    }
    /* replicate each channel's first/last value into the padding */
    for (int p = 1; p <= r; p++)
        for (int c = 0; c < cn; c++) {
            vs[-p * cn + c] = vs[c];
            vd[-p * cn + c] = vd[c];
            vs[n - cn + p * cn + c] = vs[n - cn + c];
            vd[n - cn + p * cn + c] = vd[n - cn + c];
        }
    for (int i = 0; i < n; i++) {
        int sx = 0, sy = sm[r] * vd[i];
        for (int t = 0; t < r; t++) {
            int o = (r - t) * cn;
            sx += de[ksize - 1 - t] * (vs[i + o] - vs[i - o]);
            sy += sm[t] * (vd[i + o] + vd[i - o]);
        }
        if (ksize == 7) {
            /* OpenCV filters aperture 7 with scale 1/16 in float: exact, then
             * rounded half to even. */
            int qx = sx >> 4, rx = sx & 15, qy = sy >> 4, ry = sy & 15;
            sx = qx + (rx > 8 || (rx == 8 && (qx & 1)));
            sy = qy + (ry > 8 || (ry == 8 && (qy & 1)));
        }
        dx[i] = (int16_t)sx;
        dy[i] = (int16_t)sy;
    }
}

#define OK_SOBEL_K(k)                                                                    \
    static OK_HOT void sobel_k##k(const uint8_t *const *rows, int n, int cn, int32_t *vs,       \
                                  int32_t *vd, int16_t *dx, int16_t *dy)                       \
    {                                                                                          \
        sobel_generic(rows, k, n, cn, vs, vd, dx, dy);                                         \
    }
OK_SOBEL_K(3)
OK_SOBEL_K(5)
OK_SOBEL_K(7)

static OK_HOT void magnitude(const int16_t *restrict dx, const int16_t *restrict dy, int n, int l2,
                             int32_t *restrict mag)
{
    if (l2) {
        /* unsigned so that -32768^2 * 2 wraps as OpenCV's int arithmetic does */
        for (int i = 0; i < n; i++)
            mag[i] = (int32_t)((uint32_t)(dx[i] * dx[i]) + (uint32_t)(dy[i] * dy[i]));
    } else {
        /* OpenCV's 128-bit SIMD loop (8 values at a time) takes |dx| in int16 and
         * sign-extends it, so |-32768| counts as -32768 there; its scalar tail for
         * the last n % 8 values does not. Only given gradients can hold -32768. */
        int n8 = n & ~7, i = 0;
        for (; i < n8; i++)
            mag[i] = (int16_t)abs(dx[i]) + (int16_t)abs(dy[i]);
        for (; i < n; i++)
            mag[i] = abs(dx[i]) + abs(dy[i]);
    }
}

/* Colour: keep the channel with the largest magnitude (first on ties). */
static void pick_channel(const int16_t *cdx, const int16_t *cdy, const int32_t *cmag, int w, int cn,
                         int16_t *dx, int16_t *dy, int32_t *mag)
{
    for (int j = 0; j < w; j++) {
        int best = j * cn;
        for (int k = 1; k < cn; k++)
            if (cmag[j * cn + k] > cmag[best])
                best = j * cn + k;
        mag[j] = cmag[best];
        dx[j] = cdx[best];
        dy[j] = cdy[best];
    }
}

static void compute_row(const ok_canny_args *a, scratch *s, int y, grad_row *g)
{
    int w = a->width, cn = a->cn, n = w * cn;
    int16_t *cdx = cn == 1 ? g->dxbuf : s->cdx, *cdy = cn == 1 ? g->dybuf : s->cdy;
    int32_t *cmag = cn == 1 ? g->mag : s->cmag;
    if (a->src == NULL) {
        cdx = (int16_t *)(a->dx + (ptrdiff_t)y * a->gstep);
        cdy = (int16_t *)(a->dy + (ptrdiff_t)y * a->gstep);
    } else if (a->ksize == 3 && cn == 1) {
        const uint8_t *r1 = a->src + (ptrdiff_t)y * a->sstep;
        const uint8_t *r0 = y > 0 ? r1 - a->sstep : r1;
        const uint8_t *r2 = y < a->height - 1 ? r1 + a->sstep : r1;
        sobel3_gray(r0, r1, r2, w, s->vs16, s->vd16, cdx, cdy);
    } else {
        const uint8_t *rows[7];
        int r = a->ksize / 2;
        for (int t = 0; t < a->ksize; t++) {
            int yy = y + t - r;
            yy = yy < 0 ? 0 : yy >= a->height ? a->height - 1 : yy;
            rows[t] = a->src + (ptrdiff_t)yy * a->sstep;
        }
        if (a->ksize == 3)
            sobel_k3(rows, n, cn, s->vs, s->vd, cdx, cdy);
        else if (a->ksize == 5)
            sobel_k5(rows, n, cn, s->vs, s->vd, cdx, cdy);
        else
            sobel_k7(rows, n, cn, s->vs, s->vd, cdx, cdy);
    }
    magnitude(cdx, cdy, n, a->l2, cmag);
    if (cn > 1) {
        pick_channel(cdx, cdy, cmag, w, cn, g->dxbuf, g->dybuf, g->mag);
        g->dx = g->dxbuf;
        g->dy = g->dybuf;
    } else {
        g->dx = cdx;
        g->dy = cdy;
    }
    g->mag[-1] = g->mag[w] = 0;
}

/* Suppression of one row: map[j] = 1 (no edge), 0 (weak candidate) or 2 (strong).
 * Written branch-free so it vectorises; the neighbour choice is a select. */
static OK_HOT void nms_row(const int32_t *restrict mp, const int32_t *restrict ma,
                           const int32_t *restrict mn, const int16_t *restrict dx,
                           const int16_t *restrict dy, int w, int low, int high,
                           uint8_t *restrict map)
{
    for (int j = 0; j < w; j++) {
        /* every neighbour loaded unconditionally, then selected: no control flow */
        int m = ma[j], mal = ma[j - 1], mar = ma[j + 1];
        int mpl = mp[j - 1], mpc = mp[j], mpr = mp[j + 1];
        int mnl = mn[j - 1], mnc = mn[j], mnr = mn[j + 1];
        int xs = dx[j], ys = dy[j];
        int x = xs < 0 ? -xs : xs;
        int y = (ys < 0 ? -ys : ys) << 15;
        int tg22x = x * TG22_Q15;
        /* wraps for |dx| > 27146 (given gradients only), as OpenCV's own int code
         * does (its IPP route, taken on x86 at one thread, does not) */
        int tg67x = (int)((uint32_t)tg22x + ((uint32_t)x << 16));
        int hor = y < tg22x;
        int ver = (y > tg67x) & !hor;
        int anti = (xs ^ ys) < 0;   /* signs differ: the other diagonal */
        int pa = hor ? mal : ver ? mpc : anti ? mpr : mpl;
        int na = hor ? mar : ver ? mnc : anti ? mnl : mnr;
        /* along an axis the "after" neighbour may tie, diagonally neither may */
        int keep = (m > low) & (m > pa) & ((m > na) | ((hor | ver) & (m == na)));
        map[j] = (uint8_t)(1 - keep + 2 * (keep & (m > high)));
    }
}

static int stack_reserve(ok_canny_stack *st, ptrdiff_t extra)
{
    if (st->size + extra <= st->cap)
        return 0;
    ptrdiff_t cap = st->cap ? st->cap : 1024;
    while (cap < st->size + extra)
        cap *= 2;
    ptrdiff_t *p = (ptrdiff_t *)realloc(st->items, (size_t)cap * sizeof(ptrdiff_t));
    if (!p)
        return -1;
    st->items = p;
    st->cap = cap;
    return 0;
}

/* Append the strong pixels of a map row (value 2 is the only one with bit 1 set). */
static int push_strong(ok_canny_stack *st, const uint8_t *row, ptrdiff_t base, int w)
{
    int j = 0;
    for (; j + 8 <= w; j += 8) {
        uint64_t v;
        memcpy(&v, row + j, 8);
        if (!(v & 0x0202020202020202ull))
            continue;
        if (stack_reserve(st, 8))
            return -1;
        for (int k = j; k < j + 8; k++)
            if (row[k] == 2)
                st->items[st->size++] = base + k;
    }
    if (stack_reserve(st, 8))
        return -1;
    for (; j < w; j++)
        if (row[j] == 2)
            st->items[st->size++] = base + j;
    return 0;
}

int ok_canny_nms(const ok_canny_args *a, int y0, int y1, ok_canny_stack *st)
{
    int w = a->width, h = a->height, cn = a->cn;
    int pad = 3 * cn;
    size_t n = (size_t)w * cn;
    int err = -1;
    if (y0 >= y1)
        return 0;
    /* one block: 3 magnitude rows, 3 dx/dy rows, then the scratch rows */
    size_t mag_len = (size_t)w + 2;
    size_t bytes = 3 * mag_len * 4 + 6 * (size_t)w * 2 + 2 * (n + 2 * pad) * 4 +
                   2 * ((size_t)w + 2) * 2 + 2 * n * 2 + n * 4 + 64;
    char *blk = (char *)malloc(bytes);
    if (!blk)
        return -1;
    char *p = blk;
    grad_row rows[3];
    for (int k = 0; k < 3; k++) {
        rows[k].mag = (int32_t *)p + 1;
        p += mag_len * 4;
    }
    for (int k = 0; k < 3; k++) {
        rows[k].dxbuf = (int16_t *)p;
        p += (size_t)w * 2;
        rows[k].dybuf = (int16_t *)p;
        p += (size_t)w * 2;
    }
    scratch s;
    s.vs = (int32_t *)p + pad;
    p += (n + 2 * pad) * 4;
    s.vd = (int32_t *)p + pad;
    p += (n + 2 * pad) * 4;
    s.vs16 = (int16_t *)p + 1;
    p += ((size_t)w + 2) * 2;
    s.vd16 = (int16_t *)p + 1;
    p += ((size_t)w + 2) * 2;
    s.cdx = (int16_t *)p;
    p += n * 2;
    s.cdy = (int16_t *)p;
    p += n * 2;
    s.cmag = (int32_t *)p;

    grad_row *prev = &rows[0], *cur = &rows[1], *next = &rows[2];
    if (y0 > 0) {
        compute_row(a, &s, y0 - 1, prev);
    } else {
        memset(prev->mag - 1, 0, mag_len * 4);
    }
    compute_row(a, &s, y0, cur);
    for (int y = y0; y < y1; y++) {
        if (y + 1 < h)
            compute_row(a, &s, y + 1, next);
        else
            memset(next->mag - 1, 0, mag_len * 4);
        uint8_t *mrow = a->map + (ptrdiff_t)(y + 1) * a->mapstep + 1;
        nms_row(prev->mag, cur->mag, next->mag, cur->dx, cur->dy, w, a->low, a->high, mrow);
        mrow[-1] = mrow[w] = 1;
        if (push_strong(st, mrow, (ptrdiff_t)(y + 1) * a->mapstep + 1, w))
            goto done;
        grad_row *t = prev;
        prev = cur;
        cur = next;
        next = t;
    }
    err = 0;
done:
    free(blk);
    return err;
}

int ok_canny_hysteresis(const ok_canny_args *a, ok_canny_stack *stacks, int nstacks)
{
    uint8_t *map = a->map;
    ptrdiff_t ms = a->mapstep;
    const ptrdiff_t off[8] = {-1, 1, -ms - 1, -ms, -ms + 1, ms - 1, ms, ms + 1};
    for (int i = 0; i < nstacks; i++) {
        ok_canny_stack *st = &stacks[i];
        while (st->size > 0) {
            if (stack_reserve(st, 8))
                return -1;
            ptrdiff_t q = st->items[--st->size];
            for (int k = 0; k < 8; k++) {
                ptrdiff_t r = q + off[k];
                if (!map[r]) {
                    map[r] = 2;
                    st->items[st->size++] = r;
                }
            }
        }
    }
    return 0;
}

OK_HOT void ok_canny_output(const ok_canny_args *a, uint8_t *dst, ptrdiff_t dstep, int y0, int y1)
{
    int w = a->width;
    for (int y = y0; y < y1; y++) {
        const uint8_t *m = a->map + (ptrdiff_t)(y + 1) * a->mapstep + 1;
        uint8_t *d = dst + (ptrdiff_t)y * dstep;
        for (int x = 0; x < w; x++)
            d[x] = (uint8_t)-(m[x] >> 1);
    }
}

void ok_canny_map_frame(const ok_canny_args *a)
{
    memset(a->map, 1, (size_t)a->width + 2);
    memset(a->map + (ptrdiff_t)(a->height + 1) * a->mapstep, 1, (size_t)a->width + 2);
}

void ok_canny_stack_free(ok_canny_stack *st)
{
    free(st->items);
    st->items = NULL;
    st->size = st->cap = 0;
}
