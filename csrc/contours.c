/* Contour retrieval: Suzuki–Abe border following, as OpenCV 5 does it.
 *
 * S. Suzuki, K. Abe, "Topological structural analysis of digitized binary
 * images by border following", CVGIP 30(1), 1985.  The scan, the pixel
 * marking, the 7-bit border labels (which wrap after 125 contours) and the way
 * a new border finds its parent follow OpenCV 5's contours_new.cpp step for
 * step, because that decides which contours, which start points, which point
 * order and which hierarchy cv2.findContours reports.
 *
 * Label image values: 0 background, 1 unvisited foreground, otherwise the
 * label of the border that visited the pixel (bit 7 set when the pixel is on
 * the border's right side, i.e. the scan leaves the object there).
 */
#include "contours.h"

#include <stdlib.h>
#include <string.h>

#define RIGHT_BIT 0x80
#define LABEL_BITS 0x7F
#define LABEL_SIMPLE 2      /* EXTERNAL/LIST mark every border with one label */

/* Chain code directions 0..7: right, up-right, up, up-left, left, ... (y down). */
static const int CHAIN_DX[8] = {1, 1, 0, -1, -1, -1, 0, 1};
static const int CHAIN_DY[8] = {0, -1, -1, -1, 0, 1, 1, 1};

typedef struct {
    int parent, first_child, prev, next;
    int ctable_next;      /* older contour that got the same 7-bit label */
    int is_hole;
    int ox, oy;           /* start pixel, label-image coordinates */
    int bx, by, bw, bh;   /* bounding box of the border's corners, label coords */
    int64_t start;
    int32_t count;
} cnode;

typedef struct {
    int8_t *img;
    ptrdiff_t step;
    ptrdiff_t delta[16];  /* pixel offset of each direction, twice round */
    int mode, direct;
    cnode *nodes;
    int nnodes, ncap;
    int32_t *pts;
    int64_t npts, pcap;
    int ctable[128];      /* newest contour per label */
} scanner;

static int grow_points(scanner *sc)
{
    int64_t cap = sc->pcap ? sc->pcap * 2 : 4096;
    int32_t *p = (int32_t *)realloc(sc->pts, (size_t)cap * 2 * sizeof(int32_t));
    if (!p)
        return -1;
    sc->pts = p;
    sc->pcap = cap;
    return 0;
}

static int new_node(scanner *sc)
{
    if (sc->nnodes == sc->ncap) {
        int cap = sc->ncap ? sc->ncap * 2 : 256;
        cnode *n = (cnode *)realloc(sc->nodes, (size_t)cap * sizeof(cnode));
        if (!n)
            return -1;
        sc->nodes = n;
        sc->ncap = cap;
    }
    cnode *c = &sc->nodes[sc->nnodes];
    c->parent = c->first_child = c->prev = c->next = c->ctable_next = -1;
    c->is_hole = 0;
    c->start = sc->npts;
    c->count = 0;
    return sc->nnodes++;
}

/* The newest child goes first, as OpenCV's tree does. */
static void add_child(cnode *nodes, int parent, int child)
{
    cnode *p = &nodes[parent], *c = &nodes[child];
    if (p->first_child != -1) {
        nodes[p->first_child].prev = child;
        c->next = p->first_child;
    }
    p->first_child = child;
    c->parent = parent;
    c->prev = -1;
}

/* Follow the border that starts at label pixel (x, y), marking its pixels with
 * `nbd`, storing its points (image coordinates) and its bounding box. */
static int follow_border(scanner *sc, int x, int y, int nbd, cnode *node)
{
    const ptrdiff_t *delta = sc->delta;
    int8_t *i0 = sc->img + (ptrdiff_t)y * sc->step + x;
    int8_t *i1, *i3, *i4 = NULL;
    int px = x - 1, py = y - 1;
    int rx = px, ry = py, rx1 = px, ry1 = py;
    int s_end = node->is_hole ? 0 : 4, s = s_end;
    int64_t n0 = sc->npts;

    do {
        s = (s - 1) & 7;
        i1 = i0 + delta[s];
    } while (*i1 == 0 && s != s_end);

    if (s == s_end) {   /* a lone pixel */
        *i0 = (int8_t)(nbd | RIGHT_BIT);
        if (sc->npts == sc->pcap && grow_points(sc))
            return -1;
        sc->pts[2 * sc->npts] = px;
        sc->pts[2 * sc->npts + 1] = py;
        sc->npts++;
    } else {
        int prev_s = s ^ 4;
        i3 = i0;
        for (;;) {
            s_end = s;
            while (s < 15) {
                ++s;
                i4 = i3 + delta[s];
                if (*i4 != 0)
                    break;
            }
            s &= 7;
            /* the right neighbour was looked at and is background: right border */
            if ((unsigned)(s - 1) < (unsigned)s_end)
                *i3 = (int8_t)(nbd | RIGHT_BIT);
            else if (*i3 == 1)
                *i3 = (int8_t)nbd;

            if (s != prev_s || sc->direct) {
                if (sc->npts == sc->pcap && grow_points(sc))
                    return -1;
                sc->pts[2 * sc->npts] = px;
                sc->pts[2 * sc->npts + 1] = py;
                sc->npts++;
            }
            if (s != prev_s) {   /* OpenCV updates its box at corners only */
                if (px < rx)
                    rx = px;
                else if (px > rx1)
                    rx1 = px;
                if (py < ry)
                    ry = py;
                else if (py > ry1)
                    ry1 = py;
            }
            prev_s = s;
            px += CHAIN_DX[s];
            py += CHAIN_DY[s];
            if (i4 == i0 && i3 == i1)
                break;
            i3 = i4;
            s = (s + 4) & 7;
        }
    }
    node->start = n0;
    node->count = (int32_t)(sc->npts - n0);
    node->bx = rx + 1;
    node->by = ry + 1;
    node->bw = rx1 - rx + 1;
    node->bh = ry1 - ry + 1;
    return 0;
}

/* Walk a traced border again (reading only) and tell whether it passes through
 * the pixel `stop` the way OpenCV's icvTraceContour decides it. */
static int border_hits(const scanner *sc, const cnode *c, const int8_t *stop)
{
    const ptrdiff_t *delta = sc->delta;
    const int8_t *i0 = sc->img + (ptrdiff_t)c->oy * sc->step + c->ox;
    const int8_t *i1, *i3, *i4 = NULL;
    int s_end = c->is_hole ? 0 : 4, s = s_end;

    do {
        s = (s - 1) & 7;
        i1 = i0 + delta[s];
    } while (*i1 == 0 && s != s_end);

    i3 = i0;
    if (s == s_end)
        return i3 == stop;
    for (;;) {
        while (s < 15) {
            ++s;
            i4 = i3 + delta[s];
            if (*i4 != 0)
                break;
        }
        if (i3 == stop) {
            if (!(*i3 & RIGHT_BIT))
                return 1;
            int t = s;
            for (;;) {
                t = (t - 1) & 7;
                if (i3[delta[t]] != 0)
                    break;
                if (t == 0)
                    return 1;
            }
        }
        if (i4 == i0 && i3 == i1)
            break;
        i3 = i4;
        s = (s + 4) & 7;
    }
    return 0;
}

/* The contour whose label `lval` marks pixel (lx, y): among the contours with
 * that label whose box holds the pixel, OpenCV re-traces all but the last. */
static int find_labelled(const scanner *sc, int lx, int y, int lval)
{
    const int8_t *stop = sc->img + (ptrdiff_t)y * sc->step + lx;
    int res = -1, cur = sc->ctable[lval];
    while (cur != -1) {
        const cnode *c = &sc->nodes[cur];
        /* signed differences without a lower bound check, as OpenCV */
        if ((lx - c->bx) < c->bw && (y - c->by) < c->bh) {
            if (res != -1 && border_hits(sc, &sc->nodes[res], stop))
                break;
            res = cur;
        }
        cur = c->ctable_next;
    }
    return res;
}

/* First x in [x, xend) whose label differs from `prev`, or xend.  Reads whole
 * words past xend (the buffer has OK_CONTOURS_SLACK spare bytes). */
static inline int next_change(const int8_t *row, int x, int xend, int prev)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t pat = 0x0101010101010101ull * (uint8_t)prev;
    while (x < xend) {
        uint64_t a, b;
        memcpy(&a, row + x, 8);
        memcpy(&b, row + x + 8, 8);
        a ^= pat;
        b ^= pat;
        if (a | b) {
            x += a ? (__builtin_ctzll(a) >> 3) : 8 + (__builtin_ctzll(b) >> 3);
            return x < xend ? x : xend;
        }
        x += 16;
    }
    return xend;
#else
    while (x < xend && row[x] == prev)
        x++;
    return x;
#endif
}

void ok_contours_binarize(const uint8_t *src, ptrdiff_t sstep, int width, int height,
                          int8_t *lab, ptrdiff_t lstep, int y0, int y1)
{
    if (y0 == 0)
        memset(lab, 0, (size_t)lstep);
    for (int y = y0; y < y1; y++) {
        const uint8_t *s = src + (ptrdiff_t)y * sstep;
        int8_t *d = lab + (ptrdiff_t)(y + 1) * lstep;
        d[0] = 0;
        for (int x = 0; x < width; x++)
            d[x + 1] = (int8_t)(s[x] != 0);
        memset(d + width + 1, 0, (size_t)(lstep - width - 1));
    }
    if (y1 == height)
        memset(lab + (ptrdiff_t)(height + 1) * lstep, 0, (size_t)lstep + OK_CONTOURS_SLACK);
}

static int collect(scanner *sc, ok_contour_set *out)
{
    int n = sc->nnodes - 1;
    memset(out, 0, sizeof(*out));
    if (n <= 0)
        return 0;
    int *stack = (int *)malloc((size_t)sc->nnodes * sizeof(int));
    int *map = (int *)malloc((size_t)sc->nnodes * sizeof(int));
    int *order = (int *)malloc((size_t)n * sizeof(int));
    out->start = (int64_t *)malloc((size_t)n * sizeof(int64_t));
    out->count = (int32_t *)malloc((size_t)n * sizeof(int32_t));
    out->hier = (int32_t *)malloc((size_t)n * 4 * sizeof(int32_t));
    if (!stack || !map || !order || !out->start || !out->count || !out->hier) {
        free(stack);
        free(map);
        free(order);
        ok_contour_set_free(out);
        return -1;
    }
    /* depth-first, children newest first: OpenCV's TreeIterator order */
    const cnode *nodes = sc->nodes;
    int top = 0, k = 0;
    stack[top++] = 0;
    map[0] = -1;
    while (top > 0) {
        int idx = stack[--top];
        if (idx != 0) {
            map[idx] = k;
            order[k++] = idx;
        }
        int last = nodes[idx].first_child;
        if (last == -1)
            continue;
        while (nodes[last].next != -1)
            last = nodes[last].next;
        for (int c = last; c != -1; c = nodes[c].prev)
            stack[top++] = c;
    }
    for (int i = 0; i < n; i++) {
        const cnode *c = &nodes[order[i]];
        out->start[i] = c->start;
        out->count[i] = c->count;
        out->hier[4 * i + 0] = c->next == -1 ? -1 : map[c->next];
        out->hier[4 * i + 1] = c->prev == -1 ? -1 : map[c->prev];
        out->hier[4 * i + 2] = c->first_child == -1 ? -1 : map[c->first_child];
        out->hier[4 * i + 3] = c->parent == -1 ? -1 : map[c->parent];
    }
    out->ncont = n;
    out->pts = sc->pts;
    out->npts = sc->npts;
    sc->pts = NULL;
    free(stack);
    free(map);
    free(order);
    return 0;
}

int ok_find_contours(int8_t *lab, ptrdiff_t lstep, int width, int height, int mode,
                     int method, ok_contour_set *out)
{
    scanner sc;
    const int xend = width + 1, yend = height + 1;
    const int simple = mode == OK_RETR_EXTERNAL || mode == OK_RETR_LIST;
    int nbd = 2, err = 0;

    memset(&sc, 0, sizeof(sc));
    memset(out, 0, sizeof(*out));
    sc.img = lab;
    sc.step = lstep;
    sc.mode = mode;
    sc.direct = method == OK_CHAIN_NONE;
    for (int s = 0; s < 16; s++)
        sc.delta[s] = CHAIN_DX[s & 7] + CHAIN_DY[s & 7] * lstep;
    for (int i = 0; i < 128; i++)
        sc.ctable[i] = -1;
    if (new_node(&sc) < 0)
        return -1;
    sc.nodes[0].is_hole = 1;   /* the frame around the image */
    sc.nodes[0].bx = sc.nodes[0].by = 0;
    sc.nodes[0].bw = width + 2;
    sc.nodes[0].bh = height + 2;

    for (int y = 1; y < yend && !err; y++) {
        int8_t *row = lab + (ptrdiff_t)y * lstep;
        int prev = 0, lastx = 0;   /* lastx: last border pixel met on this row */
        for (int x = 1; x < xend; x++) {
            x = next_change(row, x, xend, prev);
            if (x >= xend)
                break;
            int p = row[x], is_hole = 0;
            if (!(prev == 0 && p == 1)) {
                if (p != 0 || prev < 1) {   /* not a border start */
                    prev = p;
                    if (prev & ~1)
                        lastx = x;
                    continue;
                }
                if (prev & ~1)
                    lastx = x - 1;
                is_hole = 1;
            }
            if (mode == OK_RETR_EXTERNAL && (is_hole || row[lastx] > 0)) {
                prev = p;
                if (prev & ~1)
                    lastx = x;
                continue;
            }

            int parent = 0;
            if (!(simple || (!is_hole && mode == OK_RETR_CCOMP) || lastx <= 0)) {
                parent = find_labelled(&sc, lastx, y, row[lastx] & LABEL_BITS);
                if (parent < 0)   /* cannot happen with a consistent label image */
                    parent = 0;
                if (sc.nodes[parent].is_hole == is_hole) {
                    parent = sc.nodes[parent].parent;
                    if (parent < 0)
                        parent = 0;
                }
            }
            lastx = x - is_hole;

            int lval = LABEL_SIMPLE;
            if (!simple) {
                lval = nbd;
                nbd = (nbd + 1) & LABEL_BITS;
                if (nbd == 0)
                    nbd = 3;   /* labels 0 (background) and 1, 2 are never reused */
            }
            int idx = new_node(&sc);
            if (idx < 0) {
                err = -1;
                break;
            }
            cnode *c = &sc.nodes[idx];
            c->is_hole = is_hole;
            c->ox = x - is_hole;
            c->oy = y;
            if (follow_border(&sc, x - is_hole, y, lval, c)) {
                err = -1;
                break;
            }
            if (!simple) {
                c->ctable_next = sc.ctable[lval];
                sc.ctable[lval] = idx;
            }
            add_child(sc.nodes, parent, idx);
            prev = row[x];
        }
    }
    if (!err)
        err = collect(&sc, out);
    free(sc.nodes);
    free(sc.pts);
    return err;
}

void ok_contour_set_free(ok_contour_set *cs)
{
    free(cs->pts);
    free(cs->start);
    free(cs->count);
    free(cs->hier);
    memset(cs, 0, sizeof(*cs));
}
