/* Convex hull (Sklansky) and minimum-area rectangle (rotating calipers), as
 * OpenCV 5's convhull.cpp and rotcalipers.cpp compute them.
 *
 * Equal points are not skipped while scanning (OpenCV 5 does not), which
 * decides which of several duplicates a hull reports; float turns use
 * OpenCV's normalised edge vectors wherever that could change the sign.
 */
#include "shapes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SIGN(a) (((a) > 0) - ((a) < 0))

/* ---------------------------------------------------------------- sorting */

/* Order-preserving unsigned image of a float (+0 and -0 compare equal). */
static inline uint32_t float_key(float v)
{
    union { float f; uint32_t u; } c;
    c.f = v + 0.0f;
    return (c.u & 0x80000000u) ? ~c.u : (c.u | 0x80000000u);
}

/* Sort point indices by (x, y), equal points by index: OpenCV sorts pointers
 * with that comparator, and a total order has one answer, so a stable LSD
 * radix sort on the packed 64-bit (x, y) key gives the same permutation.
 * Byte passes in which every key agrees are skipped. */
static int sort_points(const void *pts, int is_float, int n, int32_t *order)
{
    uint64_t *key = (uint64_t *)malloc((size_t)n * 2 * sizeof(uint64_t));
    int32_t *tmp = (int32_t *)malloc((size_t)n * sizeof(int32_t));
    uint32_t (*hist)[256] = (uint32_t (*)[256])calloc(8 * 256, sizeof(uint32_t));
    if (!key || !tmp || !hist) {
        free(key);
        free(tmp);
        free(hist);
        return -1;
    }
    uint64_t *key2 = key + n;
    for (int i = 0; i < n; i++) {
        uint32_t kx, ky;
        if (is_float) {
            kx = float_key(((const float *)pts)[2 * i]);
            ky = float_key(((const float *)pts)[2 * i + 1]);
        } else {
            kx = (uint32_t)((const int32_t *)pts)[2 * i] ^ 0x80000000u;
            ky = (uint32_t)((const int32_t *)pts)[2 * i + 1] ^ 0x80000000u;
        }
        uint64_t k = ((uint64_t)kx << 32) | ky;
        key[i] = k;
        order[i] = i;
        for (int b = 0; b < 8; b++)
            hist[b][(k >> (8 * b)) & 255]++;
    }
    for (int b = 0; b < 8; b++) {
        uint32_t *h = hist[b];
        if (h[(key[0] >> (8 * b)) & 255] == (uint32_t)n)
            continue;
        uint32_t sum = 0;
        for (int v = 0; v < 256; v++) {
            uint32_t c = h[v];
            h[v] = sum;
            sum += c;
        }
        for (int i = 0; i < n; i++) {
            uint32_t d = h[(key[i] >> (8 * b)) & 255]++;
            key2[d] = key[i];
            tmp[d] = order[i];
        }
        memcpy(key, key2, (size_t)n * sizeof(uint64_t));
        memcpy(order, tmp, (size_t)n * sizeof(int32_t));
    }
    free(key);
    free(tmp);
    free(hist);
    return 0;
}

/* ------------------------------------------------------------ convex hull */

typedef struct {
    const int32_t *pi;
    const float *pf;
    const int32_t *ord;   /* sorted position -> point index */
} psort;

static inline int same_point(const psort *p, int a, int b)
{
    int ia = p->ord[a], ib = p->ord[b];
    if (p->pf)
        return p->pf[2 * ia] == p->pf[2 * ib] && p->pf[2 * ia + 1] == p->pf[2 * ib + 1];
    return p->pi[2 * ia] == p->pi[2 * ib] && p->pi[2 * ia + 1] == p->pi[2 * ib + 1];
}

/* sign(y[pnext] - y[pcur]), the direction test Sklansky_ makes first. */
static inline int dy_sign(const psort *p, int pcur, int pnext)
{
    int b = p->ord[pcur], c = p->ord[pnext];
    if (p->pf)
        return SIGN(p->pf[2 * c + 1] - p->pf[2 * b + 1]);
    return SIGN(p->pi[2 * c + 1] - p->pi[2 * b + 1]);
}

/* Sign of the turn pprev -> pcur -> pnext as OpenCV's Sklansky_ computes it,
 * or 2 when the first edge has zero length. */
static inline int turn(const psort *p, int pprev, int pcur, int pnext)
{
    int a = p->ord[pprev], b = p->ord[pcur], c = p->ord[pnext];
    if (p->pf) {
        const float *f = p->pf;
        float by = f[2 * c + 1] - f[2 * b + 1];
        float ax = f[2 * b] - f[2 * a], ay = f[2 * b + 1] - f[2 * a + 1];
        float bx = f[2 * c] - f[2 * b];
        /* OpenCV normalises float edges (cv::normalize: double norm, float
         * result) before the cross product.  Products of floats are exact in
         * double, so the plain cross product has the true sign, and away from
         * zero the normalised one cannot differ: skip the square roots there. */
        double a2 = (double)ax * ax + (double)ay * ay, b2 = (double)bx * bx + (double)by * by;
        double exact = (double)ay * bx - (double)ax * by;
        if (a2 > 0 && exact * exact > 1e-10 * a2 * b2)
            return SIGN(exact);
        double na = sqrt((double)ax * ax + (double)ay * ay);
        double nb = sqrt((double)bx * bx + (double)by * by);
        double sa = na != 0 ? 1. / na : 0., sb = nb != 0 ? 1. / nb : 0.;
        float nax = (float)(ax * sa), nay = (float)(ay * sa);
        float nbx = (float)(bx * sb), nby = (float)(by * sb);
        double conv = (double)nay * nbx - (double)nax * nby;
        if (nax == 0 && nay == 0)
            return 2;
        return SIGN(conv);
    } else {
        const int32_t *q = p->pi;
        int by = q[2 * c + 1] - q[2 * b + 1];
        int ax = q[2 * b] - q[2 * a], ay = q[2 * b + 1] - q[2 * a + 1];
        int bx = q[2 * c] - q[2 * b];
        int64_t conv = (int64_t)ay * bx - (int64_t)ax * by;
        if (ax == 0 && ay == 0)
            return 2;
        return SIGN(conv);
    }
}

/* Sklansky's scan of one quarter of the hull between sorted positions start
 * and end (A. Sklansky, "Finding the convex hull of a simple polygon", 1982),
 * with OpenCV's stack discipline. */
static int sklansky(const psort *p, int start, int end, int *stack, int nsign, int sign2)
{
    int incr = end > start ? 1 : -1;
    int pprev = start, pcur = pprev + incr, pnext = pcur + incr;
    int stacksize = 3;

    if (start == end || same_point(p, start, end)) {
        stack[0] = start;
        return 1;
    }
    stack[0] = pprev;
    stack[1] = pcur;
    stack[2] = pnext;
    end += incr;

    while (pnext != end) {
        if (dy_sign(p, pcur, pnext) != nsign) {
            if (turn(p, pprev, pcur, pnext) == sign2) {
                pprev = pcur;
                pcur = pnext;
                pnext += incr;
                stack[stacksize] = pnext;
                stacksize++;
            } else if (pprev == start) {
                pcur = pnext;
                stack[1] = pcur;
                pnext += incr;
                stack[2] = pnext;
            } else {
                stack[stacksize - 2] = pnext;
                pcur = pprev;
                pprev = stack[stacksize - 4];
                stacksize--;
            }
        } else {
            pnext += incr;
            stack[stacksize - 1] = pnext;
        }
    }
    return --stacksize;
}

static inline int coord_lt(const psort *p, int a, int b, int axis)
{
    int ia = p->ord[a], ib = p->ord[b];
    if (p->pf)
        return p->pf[2 * ia + axis] < p->pf[2 * ib + axis];
    return p->pi[2 * ia + axis] < p->pi[2 * ib + axis];
}

int ok_convex_hull(const void *pts, int is_float, int n, int clockwise, int return_points,
                   int32_t *hull)
{
    int32_t *ord = (int32_t *)malloc((size_t)n * sizeof(int32_t));
    int *stack = (int *)malloc((size_t)(n + 2) * sizeof(int));
    if (!ord || !stack || sort_points(pts, is_float, n, ord)) {
        free(ord);
        free(stack);
        return -1;
    }
    psort p = {is_float ? NULL : (const int32_t *)pts, is_float ? (const float *)pts : NULL, ord};
    int miny = 0, maxy = 0, nout = 0;
    for (int i = 1; i < n; i++) {
        if (coord_lt(&p, i, miny, 1))
            miny = i;
        if (coord_lt(&p, maxy, i, 1))
            maxy = i;
    }

    if (same_point(&p, 0, n - 1)) {
        hull[nout++] = 0;   /* OpenCV reports index 0 here, not the sorted first */
    } else {
        /* upper half */
        int *tl = stack;
        int tl_count = sklansky(&p, 0, maxy, tl, -1, 1);
        int *tr = stack + tl_count;
        int tr_count = sklansky(&p, n - 1, maxy, tr, -1, -1);
        if (!clockwise) {
            int *t = tl; tl = tr; tr = t;
            int c = tl_count; tl_count = tr_count; tr_count = c;
        }
        for (int i = 0; i < tl_count - 1; i++)
            hull[nout++] = tl[i];
        for (int i = tr_count - 1; i > 0; i--)
            hull[nout++] = tr[i];
        int stop_idx = tr_count > 2 ? tr[1] : tl_count > 2 ? tl[tl_count - 2] : -1;

        /* lower half */
        int *bl = stack;
        int bl_count = sklansky(&p, 0, miny, bl, 1, -1);
        int *br = stack + bl_count;
        int br_count = sklansky(&p, n - 1, miny, br, 1, 1);
        if (clockwise) {
            int *t = bl; bl = br; br = t;
            int c = bl_count; bl_count = br_count; br_count = c;
        }
        if (stop_idx >= 0) {
            int check_idx = bl_count > 2 ? bl[1] : bl_count + br_count > 2 ? br[2 - bl_count] : -1;
            if (check_idx == stop_idx || (check_idx >= 0 && same_point(&p, check_idx, stop_idx))) {
                /* all points on one line: the lower half mirrors the upper */
                if (bl_count > 2) bl_count = 2;
                if (br_count > 2) br_count = 2;
            }
        }
        for (int i = 0; i < bl_count - 1; i++)
            hull[nout++] = bl[i];
        for (int i = br_count - 1; i > 0; i--)
            hull[nout++] = br[i];

        if (!return_points) {
            /* among equal points prefer one whose index lies between its
             * neighbours' (OpenCV keeps indices monotonic for self-crossing contours) */
            for (int i = 0; i < nout; i++) {
                int prev = ord[hull[(i == 0 ? nout : i) - 1]], next = ord[hull[(i + 1) % nout]];
                int cur = ord[hull[i]];
                if ((prev < cur && cur < next) || (prev > cur && cur > next))
                    continue;
                for (int j = hull[i] + 1; j < n && same_point(&p, hull[i], j); j++) {
                    cur = ord[j];
                    if ((prev < cur && cur < next) || (prev > cur && cur > next)) {
                        hull[i] = j;
                        break;
                    }
                }
            }
        }
        for (int i = 0; i < nout; i++)
            hull[i] = ord[hull[i]];

        /* rotate the output so the indices run monotonically when they can */
        if (nout >= 3) {
            int min_idx = 0, max_idx = 0, lt = 0, i;
            for (i = 1; i < nout; i++) {
                int idx = hull[i];
                lt += hull[i - 1] < idx;
                if (lt > 1 && lt <= i - 2)
                    break;
                if (idx < hull[min_idx])
                    min_idx = i;
                if (idx > hull[max_idx])
                    max_idx = i;
            }
            int mmdist = abs(max_idx - min_idx);
            if ((mmdist == 1 || mmdist == nout - 1) && (lt <= 1 || lt >= nout - 2)) {
                int ascending = (max_idx + 1) % nout == min_idx;
                int i0 = ascending ? min_idx : max_idx, j = i0;
                if (i0 > 0) {
                    for (i = 0; i < nout; i++) {
                        int curr = stack[i] = hull[j];
                        int next_j = j + 1 < nout ? j + 1 : 0;
                        if (i < nout - 1 && (ascending != (curr < hull[next_j])))
                            break;
                        j = next_j;
                    }
                    if (i == nout)
                        memcpy(hull, stack, (size_t)nout * sizeof(int32_t));
                }
            }
        }
    }
    free(ord);
    free(stack);
    return nout;
}

/* ------------------------------------------------------ minimum-area box */

/* OpenCV's rotating calipers on a convex polygon (G. Toussaint, "Solving
 * geometric problems with the rotating calipers", 1983), choosing the next
 * edge by the sign of a cross product as OpenCV >= 4.5.4 does. */
static void calipers_min_area(const float *pt, int n, float *vect, float *inv_len, float out[6])
{
    float minarea = 3.402823466e+38f;
    int left = 0, bottom = 0, right = 0, top = 0, seq[4];
    float base_a, base_b = 0, orientation = 0;
    float left_x = pt[0], right_x = pt[0], top_y = pt[1], bottom_y = pt[1];
    float p0x = pt[0], p0y = pt[1];
    int best_left = 0, best_bottom = 0;
    float best_a = 0, best_b = 0, best_w = 0, best_h = 0;

    for (int i = 0; i < n; i++) {
        if (p0x < left_x) left_x = p0x, left = i;
        if (p0x > right_x) right_x = p0x, right = i;
        if (p0y > top_y) top_y = p0y, top = i;
        if (p0y < bottom_y) bottom_y = p0y, bottom = i;
        int j = i + 1 < n ? i + 1 : 0;
        double dx = pt[2 * j] - p0x, dy = pt[2 * j + 1] - p0y;
        vect[2 * i] = (float)dx;
        vect[2 * i + 1] = (float)dy;
        inv_len[i] = (float)(1. / sqrt(dx * dx + dy * dy));
        p0x = pt[2 * j];
        p0y = pt[2 * j + 1];
    }
    {
        double ax = vect[2 * (n - 1)], ay = vect[2 * (n - 1) + 1];
        for (int i = 0; i < n; i++) {
            double bx = vect[2 * i], by = vect[2 * i + 1];
            double conv = ax * by - ay * bx;
            if (conv != 0) {
                orientation = conv > 0 ? 1.f : -1.f;
                break;
            }
            ax = bx;
            ay = by;
        }
    }
    base_a = orientation;
    seq[0] = bottom;
    seq[1] = right;
    seq[2] = top;
    seq[3] = left;

    for (int k = 0; k < n; k++) {
        /* caliper edges rotated into a common frame: (v), cw(v), -(v), ccw(v) */
        float rv[4][2] = {
            {vect[2 * seq[0]], vect[2 * seq[0] + 1]},
            {vect[2 * seq[1] + 1], -vect[2 * seq[1]]},
            {-vect[2 * seq[2]], -vect[2 * seq[2] + 1]},
            {-vect[2 * seq[3] + 1], vect[2 * seq[3]]},
        };
        int main_el = 0;
        for (int i = 1; i < 4; i++) {
            /* rv[i] lies clockwise of rv[main_el] */
            float tx = rv[i][1], ty = -rv[i][0];
            if (tx * rv[main_el][0] + ty * rv[main_el][1] < 0)
                main_el = i;
        }
        int pi = seq[main_el];
        float lead_x = vect[2 * pi] * inv_len[pi];
        float lead_y = vect[2 * pi + 1] * inv_len[pi];
        switch (main_el) {
        case 0: base_a = lead_x; base_b = lead_y; break;
        case 1: base_a = lead_y; base_b = -lead_x; break;
        case 2: base_a = -lead_x; base_b = -lead_y; break;
        default: base_a = -lead_y; base_b = lead_x; break;
        }
        seq[main_el] += 1;
        if (seq[main_el] == n)
            seq[main_el] = 0;

        float dx = pt[2 * seq[1]] - pt[2 * seq[3]];
        float dy = pt[2 * seq[1] + 1] - pt[2 * seq[3] + 1];
        float width = dx * base_a + dy * base_b;
        dx = pt[2 * seq[2]] - pt[2 * seq[0]];
        dy = pt[2 * seq[2] + 1] - pt[2 * seq[0] + 1];
        float height = -dx * base_b + dy * base_a;
        float area = width * height;
        if (area <= minarea) {
            minarea = area;
            best_left = seq[3];
            best_a = base_a;
            best_w = width;
            best_b = base_b;
            best_h = height;
            best_bottom = seq[0];
        }
    }
    float A1 = best_a, B1 = best_b, A2 = -best_b, B2 = best_a;
    float C1 = A1 * pt[2 * best_left] + pt[2 * best_left + 1] * B1;
    float C2 = A2 * pt[2 * best_bottom] + pt[2 * best_bottom + 1] * B2;
    float idet = 1.f / (A1 * B2 - A2 * B1);
    out[0] = (C1 * B2 - C2 * B1) * idet;
    out[1] = (A1 * C2 - A2 * C1) * idet;
    out[2] = A1 * best_w;
    out[3] = B1 * best_w;
    out[4] = A2 * best_h;
    out[5] = B2 * best_h;
}

/* (float)atan2 in degrees the way minAreaRect rounds it: float radians, a
 * float product by 180, a double division by pi. */
static float deg_of(double x, double y)
{
    float a = (float)atan2(y, x);
    return (float)((double)(a * 180.0f) / 3.14159265358979323846);
}

int ok_min_area_rect(const void *pts, int is_float, int n, float out[5])
{
    int32_t *hull = (int32_t *)malloc((size_t)n * sizeof(int32_t));
    float *buf = (float *)malloc((size_t)n * 5 * sizeof(float));
    if (!hull || !buf) {
        free(hull);
        free(buf);
        return -1;
    }
    int m = ok_convex_hull(pts, is_float, n, 0, 1, hull);   /* counter-clockwise */
    if (m < 0) {
        free(hull);
        free(buf);
        return -1;
    }
    float *h = buf, *vect = buf + 2 * n, *inv_len = buf + 4 * n;
    for (int i = 0; i < m; i++) {
        int k = hull[i];
        if (is_float) {
            h[2 * i] = ((const float *)pts)[2 * k];
            h[2 * i + 1] = ((const float *)pts)[2 * k + 1];
        } else {
            h[2 * i] = (float)((const int32_t *)pts)[2 * k];
            h[2 * i + 1] = (float)((const int32_t *)pts)[2 * k + 1];
        }
    }
    /* OpenCV 5 reports the angle in [-90, 0): out of range, the sides swap and
     * the angle moves a quarter turn, in double degrees, then rounds to float. */
    double vx = 0, vy = 0;
    out[0] = out[1] = out[2] = out[3] = 0;
    if (m > 2) {
        float o[6];
        calipers_min_area(h, m, vect, inv_len, o);
        out[0] = o[0] + (o[2] + o[4]) * 0.5f;
        out[1] = o[1] + (o[3] + o[5]) * 0.5f;
        out[2] = (float)sqrt((double)o[2] * o[2] + (double)o[3] * o[3]);
        out[3] = (float)sqrt((double)o[4] * o[4] + (double)o[5] * o[5]);
        vx = o[2]; vy = o[3];
    } else if (m == 2) {
        out[0] = (h[0] + h[2]) * 0.5f;
        out[1] = (h[1] + h[3]) * 0.5f;
        double dx = h[2] - h[0], dy = h[3] - h[1];
        out[2] = (float)sqrt(dx * dx + dy * dy);
        out[3] = 0;
        vx = dx; vy = dy;
    } else if (m == 1) {
        out[0] = h[0];
        out[1] = h[1];
    }
    float angle = deg_of(vx, vy);
    if (m <= 1) {
        angle = -90.f;
    } else {
        double d = atan2(vy, vx) * 180.0 / 3.14159265358979323846;
        for (int turns = 0; turns < 4 && (angle >= 0.f || angle < -90.f); turns++) {
            float t = out[2];
            out[2] = out[3];
            out[3] = t;
            d += angle >= 0.f ? -90.0 : 90.0;
            angle = (float)d;
        }
    }
    out[4] = angle;
    free(hull);
    free(buf);
    return 0;
}
