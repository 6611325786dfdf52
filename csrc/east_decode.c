/* EAST geometry decoding (see east_decode.h).  The score map is scanned row by row
 * and only cells above the threshold pay for the trigonometry, so the cost follows
 * the amount of text, not the image size. */
#include <math.h>

#include "east_decode.h"

int ok_east_decode(const float *score, ptrdiff_t s_row, ptrdiff_t s_col,
                   const float *geo, ptrdiff_t g_row, ptrdiff_t g_col, ptrdiff_t g_ch,
                   int h, int w, float thr, float cell,
                   float dist_scale, float angle_scale, float angle_offset,
                   double sx, double sy, double *quads, double *scores, int cap)
{
    int n = 0;
    for (int i = 0; i < h && n < cap; i++) {
        const float *srow = score + (ptrdiff_t)i * s_row;
        const float *grow = geo + (ptrdiff_t)i * g_row;
        for (int j = 0; j < w; j++) {
            float s = srow[(ptrdiff_t)j * s_col];
            if (!(s > thr))
                continue;
            const float *g = grow + (ptrdiff_t)j * g_col;
            double t = (double)g[0] * dist_scale;
            double r = (double)g[g_ch] * dist_scale;
            double b = (double)g[2 * g_ch] * dist_scale;
            double l = (double)g[3 * g_ch] * dist_scale;
            double a = (double)g[4 * g_ch] * angle_scale + angle_offset;
            if (!isfinite(t + r + b + l + a))
                continue;   /* a broken model must not hand NaN corners to the NMS */
            double ca = cos(a), sa = sin(a);
            /* text's right-hand direction R = (ca, -sa), downward direction D = (sa, ca) */
            double px = (double)cell * j, py = (double)cell * i;
            double xs[4], ys[4];
            xs[0] = px - l * ca - t * sa;  ys[0] = py + l * sa - t * ca;   /* top-left */
            xs[1] = px + r * ca - t * sa;  ys[1] = py - r * sa - t * ca;   /* top-right */
            xs[2] = px + r * ca + b * sa;  ys[2] = py - r * sa + b * ca;   /* bottom-right */
            xs[3] = px - l * ca + b * sa;  ys[3] = py + l * sa + b * ca;   /* bottom-left */
            double *q = quads + (ptrdiff_t)n * 8;
            for (int k = 0; k < 4; k++) {
                q[2 * k] = (xs[k] + 0.5) * sx - 0.5;
                q[2 * k + 1] = (ys[k] + 0.5) * sy - 0.5;
            }
            scores[n++] = s;
            if (n >= cap)
                break;
        }
    }
    return n;
}

int ok_east_quad_scores(const float *score, ptrdiff_t s_row, ptrdiff_t s_col, int h, int w,
                        float thr, const float *polys, int n, double sx, double sy,
                        double cell, double *means)
{
    int kept = 0;
    for (int p = 0; p < n; p++) {
        const float *q = polys + (ptrdiff_t)p * 8;
        double cx[4], cy[4];
        double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
        for (int k = 0; k < 4; k++) {
            cx[k] = (((double)q[2 * k] + 0.5) / sx - 0.5) / cell;
            cy[k] = (((double)q[2 * k + 1] + 0.5) / sy - 0.5) / cell;
            xmin = fmin(xmin, cx[k]); xmax = fmax(xmax, cx[k]);
            ymin = fmin(ymin, cy[k]); ymax = fmax(ymax, cy[k]);
        }
        means[p] = NAN;
        if (!isfinite(xmin + xmax + ymin + ymax))
            continue;
        /* the cells of the quad's bounding box (one cell of margin past the
         * ceiling, as ocrkit.east always did), clipped to the map */
        double j0 = fmax(floor(xmin), 0.0), j1 = fmin(ceil(xmax) + 1.0, (double)w);
        double i0 = fmax(floor(ymin), 0.0), i1 = fmin(ceil(ymax) + 1.0, (double)h);
        double sum = 0.0;
        long cnt = 0;
        for (int i = (int)i0; i < (int)i1; i++) {
            const float *srow = score + (ptrdiff_t)i * s_row;
            for (int j = (int)j0; j < (int)j1; j++) {
                float s = srow[(ptrdiff_t)j * s_col];
                if (!(s > thr))
                    continue;
                int in = 1;
                for (int k = 0; k < 4 && in; k++) {   /* clockwise: inside is on the right */
                    double ax = cx[k], ay = cy[k], bx = cx[(k + 1) & 3], by = cy[(k + 1) & 3];
                    in = (bx - ax) * (i - ay) - (by - ay) * (j - ax) >= 0.0;
                }
                if (in) {
                    sum += s;
                    cnt++;
                }
            }
        }
        if (cnt) {
            means[p] = sum / (double)cnt;
            kept++;
        }
    }
    return kept;
}
