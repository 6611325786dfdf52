/* Rotated-rectangle NMS (cv::dnn::NMSBoxesRotated): the overlap of two
 * cv::RotatedRect exactly as cv::rotatedRectangleIntersection + contourArea give it,
 * inside the greedy driver of nms.c.
 */
#include "nms.h"
#include "nms_internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#define OK_PI 3.1415926535897932384626433832795

/* ------------------------------------------------------- rotated rectangles */

/* cv::RotatedRect::points, float for float.  OpenCV 5 writes all four corners as
 * centre +- half-extents (4.x mirrored corners 0 and 1 through the centre, which
 * rounds differently); checked against cv2.boxPoints. */
static void rect_points(float cx, float cy, float w, float h, float angle, float *pt)
{
    double ang = angle * OK_PI / 180.;
    float b = (float)cos(ang) * 0.5f;
    float a = (float)sin(ang) * 0.5f;
    pt[0] = cx - a * h - b * w;
    pt[1] = cy + b * h - a * w;
    pt[2] = cx + a * h - b * w;
    pt[3] = cy - b * h - a * w;
    pt[4] = cx + a * h + b * w;
    pt[5] = cy - b * h + a * w;
    pt[6] = cx - a * h + b * w;
    pt[7] = cy + b * h + a * w;
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
    int r = ok_nms_greedy(order, m, aabb, rotated_suppress, rects, iou_threshold, eta, keep);
    free(aabb);
    return r;
}
