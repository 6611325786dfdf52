/* Convex-quad NMS and EAST's locality-aware NMS: exact polygon IoU by
 * Sutherland-Hodgman clipping in double, inside the greedy driver of nms.c.
 */
#include "nms.h"
#include "nms_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    double contain;      /* also suppress when inter / candidate's area > this (> 1: never) */
} poly_ctx;

static int poly_suppress(const void *ctx, int32_t cand, int32_t kept, float thr)
{
    const poly_ctx *c = ctx;
    (void)thr;
    double out[2 * 16];
    double aa = c->area[cand], ab = c->area[kept];
    int n = clip_convex(c->ccw + 8 * (size_t)cand, 4, c->ccw + 8 * (size_t)kept, 4, out);
    double inter = n >= 3 ? fabs(shoelace(out, n)) : 0.0;
    double uni = aa + ab - inter;
    double iou = uni > 0 ? inter / uni : 0.0;
    /* comparisons with a NaN (overflowing coordinates) are false: nothing suppressed */
    if (iou > c->thr)
        return 1;
    return c->contain <= 1.0 && aa > 0 && inter > c->contain * aa;
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
    return ok_nms_polygons_contained(polys, n, order, m, iou_threshold, 2.0, keep);
}

int ok_nms_polygons_contained(const double *polys, int n, const int32_t *order, int m,
                              double iou_threshold, double contain_threshold, int32_t *keep)
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
        poly_ctx ctx = {ccw, area, iou_threshold, contain_threshold};
        /* IoU > threshold needs a positive intersection; thresholds here are >= 0 */
        r = ok_nms_greedy(order, m, aabb, poly_suppress, &ctx, (float)iou_threshold, 1.0f, keep);
    }
    free(ccw);
    free(area);
    free(aabb);
    return r;
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
        if (ok_nms_sort_desc(key, order, nm) == 0) {
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
