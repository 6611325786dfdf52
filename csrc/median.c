/* Median filtering, bit-exact with cv::medianBlur.
 *
 * The median of a window is fixed once the border rule is (OpenCV replicates
 * edge pixels for every ksize), so any selection algorithm gives OpenCV's bits;
 * what differs is speed:
 *   - ksize 3: sort each 3-row column once, then the median of the 3×3 window is
 *     med3(max of the column minima, med3 of the column medians, min of the column
 *     maxima) -- 18 min/max per pixel instead of a 19-exchange network (38).
 *   - ksize 5: a 99-exchange selection network for 25 values (J. L. Smith,
 *     "Implementing median filters in XC4000E FPGAs", 1996; as tabulated in
 *     N. Devillard's "Fast median search"), branch-free over whole rows.
 *   - larger (uint8): S. Perreault and P. Hébert, "Median filtering in constant
 *     time", IEEE TIP 16(9), 2007: per-column histograms updated once per row,
 *     a coarse (16-bin) window histogram slid along the row, and the fine
 *     16-bin sub-histograms refreshed lazily only where the median falls.
 * The 5×5 path pads rows into a small ring buffer and the 3×3 path pads its
 * sorted columns, so the inner loops need no border tests and GCC vectorises
 * them (min/max on whole rows).
 */
#include "median.h"

#include <stdlib.h>
#include <string.h>

#include "ok_common.h"


/* Smith's 25-input median network, as (i, j) pairs over p[row * 5 + col]:
 * after these compare-exchanges p[12] holds the median. */
#define OK_NET25(X) \
    X(1, 2) X(0, 1) X(1, 2) X(4, 5) X(3, 4) X(4, 5) X(0, 3) X(2, 5) X(2, 3) X(1, 4) \
    X(1, 2) X(3, 4) X(7, 8) X(6, 7) X(7, 8) X(10, 11) X(9, 10) X(10, 11) X(6, 9) X(8, 11) \
    X(8, 9) X(7, 10) X(7, 8) X(9, 10) X(0, 6) X(4, 10) X(4, 6) X(2, 8) X(2, 4) X(6, 8) \
    X(1, 7) X(5, 11) X(5, 7) X(3, 9) X(3, 5) X(7, 9) X(1, 2) X(3, 4) X(5, 6) X(7, 8) \
    X(9, 10) X(13, 14) X(12, 13) X(13, 14) X(16, 17) X(15, 16) X(16, 17) X(12, 15) X(14, 17) X(14, 15) \
    X(13, 16) X(13, 14) X(15, 16) X(19, 20) X(18, 19) X(19, 20) X(21, 22) X(23, 24) X(21, 23) X(22, 24) \
    X(22, 23) X(18, 21) X(20, 23) X(20, 21) X(19, 22) X(22, 24) X(19, 20) X(21, 22) X(23, 24) X(12, 18) \
    X(16, 22) X(16, 18) X(14, 20) X(20, 24) X(14, 16) X(18, 20) X(22, 24) X(13, 19) X(17, 23) X(17, 19) \
    X(15, 21) X(15, 17) X(19, 21) X(13, 14) X(15, 16) X(17, 18) X(19, 20) X(21, 22) X(23, 24) X(0, 12) \
    X(8, 20) X(8, 12) X(4, 16) X(16, 24) X(12, 16) X(2, 14) X(10, 22) X(10, 14) X(6, 18) X(6, 10) \
    X(10, 12) X(1, 13) X(9, 21) X(9, 13) X(5, 17) X(13, 17) X(3, 15) X(11, 23) X(11, 15) X(7, 19) \
    X(7, 11) X(11, 13) X(11, 12)

/* min/max written as `a < b ? a : b` so float lanes map onto minps/maxps (and
 * fminnm-free NEON min/max) exactly like OpenCV's v_min/v_max for non-NaN data. */
#define OK_MIN(a, b) ((a) < (b) ? (a) : (b))
#define OK_MAX(a, b) ((a) < (b) ? (b) : (a))
#define OK_CE(i, j) { elem_t lo_ = OK_MIN(p[i], p[j]); p[j] = OK_MAX(p[i], p[j]); p[i] = lo_; }

/* Row kernels for one element type.  `rows` are padded by r*cn elements on each
 * side; n = w*cn outputs; `tmp` holds 3*(n + 2*cn) elements for the 3×3 path.
 * The restrict-qualified helpers are what lets GCC vectorise without alias checks,
 * and ptrdiff_t indices keep it vectorising under Python's -fwrapv. */
#define OK_DEFINE_NET_ROWS(SFX, T) \
OK_HOT static void sort3_cols_##SFX(const T *restrict a, const T *restrict b, const T *restrict c, \
                                    T *restrict lo, T *restrict mi, T *restrict hi, ptrdiff_t np) \
{ \
    for (ptrdiff_t i = 0; i < np; i++) { \
        T mn = OK_MIN(a[i], b[i]), mx = OK_MAX(a[i], b[i]); \
        lo[i] = OK_MIN(mn, c[i]); \
        hi[i] = OK_MAX(mx, c[i]); \
        mi[i] = OK_MAX(mn, OK_MIN(mx, c[i])); \
    } \
} \
\
OK_HOT static void merge3_cols_##SFX(const T *restrict lo, const T *restrict mi, const T *restrict hi, \
                                     T *restrict out, ptrdiff_t n, ptrdiff_t cn) \
{ \
    for (ptrdiff_t x = 0; x < n; x++) { \
        T l = OK_MAX(OK_MAX(lo[x], lo[x + cn]), lo[x + 2 * cn]); \
        T h = OK_MIN(OK_MIN(hi[x], hi[x + cn]), hi[x + 2 * cn]); \
        T m0 = mi[x], m1 = mi[x + cn], m2 = mi[x + 2 * cn]; \
        T m = OK_MAX(OK_MIN(m0, m1), OK_MIN(OK_MAX(m0, m1), m2)); \
        out[x] = OK_MAX(OK_MIN(l, m), OK_MIN(OK_MAX(l, m), h)); \
    } \
} \
\
static void med3_row_##SFX(const void *const *rows, void *out, int n, int cn, void *tmp) \
{ \
    /* rows are unpadded source rows: sort their columns straight into the padded \
     * lo/mi/hi rows, then replicate the edge pixel's sorted column outwards */ \
    ptrdiff_t np = (ptrdiff_t)n + 2 * cn; \
    T *lo = tmp, *mi = lo + np, *hi = mi + np; \
    sort3_cols_##SFX(rows[0], rows[1], rows[2], lo + cn, mi + cn, hi + cn, n); \
    for (int c = 0; c < cn; c++) { \
        lo[c] = lo[cn + c]; mi[c] = mi[cn + c]; hi[c] = hi[cn + c]; \
        lo[n + cn + c] = lo[n + c]; mi[n + cn + c] = mi[n + c]; hi[n + cn + c] = hi[n + c]; \
    } \
    merge3_cols_##SFX(lo, mi, hi, out, n, cn); \
} \
\
OK_HOT static void net25_##SFX(const T *restrict r0, const T *restrict r1, const T *restrict r2, \
                               const T *restrict r3, const T *restrict r4, T *restrict out, ptrdiff_t n, ptrdiff_t cn) \
{ \
    typedef T elem_t; \
    for (ptrdiff_t x = 0; x < n; x++) { \
        elem_t p[25]; \
        for (ptrdiff_t c = 0; c < 5; c++) { \
            p[c] = r0[x + c * cn]; p[5 + c] = r1[x + c * cn]; p[10 + c] = r2[x + c * cn]; \
            p[15 + c] = r3[x + c * cn]; p[20 + c] = r4[x + c * cn]; \
        } \
        OK_NET25(OK_CE) \
        out[x] = p[12]; \
    } \
} \
\
static void med5_row_##SFX(const void *const *rows, void *out, int n, int cn, void *tmp) \
{ \
    (void)tmp; \
    net25_##SFX(rows[0], rows[1], rows[2], rows[3], rows[4], out, n, cn); \
}

OK_DEFINE_NET_ROWS(u8, uint8_t)
OK_DEFINE_NET_ROWS(u16, uint16_t)
OK_DEFINE_NET_ROWS(f32, float)

typedef void (*net_row_fn)(const void *const *rows, void *out, int n, int cn, void *tmp);

/* Copy source row into buf with r replicated pixels on each side. */
static void pad_row(unsigned char *buf, const unsigned char *row, int w, int cn, int r, size_t es)
{
    size_t px = (size_t)cn * es, len = (size_t)w * px;
    memcpy(buf + r * px, row, len);
    for (int i = 0; i < r; i++) {
        memcpy(buf + i * px, row, px);
        memcpy(buf + (r + w + i) * px, row + len - px, px);
    }
}

/* Drive a row kernel over rows [y0, y1): a ring of k padded rows, each source row
 * padded once, clamped at the top and bottom (BORDER_REPLICATE). */
static int net_driver(const void *src, ptrdiff_t sstep, void *dst, ptrdiff_t dstep, int w, int h,
                      int cn, int ksize, int y0, int y1, size_t es, net_row_fn fn)
{
    int r = ksize / 2;
    size_t prow = (size_t)(w + 2 * r) * cn;
    size_t tmpn = 3 * (size_t)(w + 2) * cn;
    unsigned char *mem = malloc((ksize * prow + tmpn) * es + 64);
    if (!mem)
        return -1;
    unsigned char *ring = mem, *tmp = mem + ksize * prow * es;
    const unsigned char *s = src;
    unsigned char *d = dst;
    const void *rows[5];
    int base = y0 - r;  /* unclamped index of the ring's slot 0 */

    if (ksize == 3) {
        /* the 3×3 kernel pads its sorted columns itself: no row copies */
        for (int y = y0; y < y1; y++) {
            for (int k = 0; k < 3; k++) {
                int sy = y - 1 + k;
                sy = sy < 0 ? 0 : sy >= h ? h - 1 : sy;
                rows[k] = s + (ptrdiff_t)sy * sstep * es;
            }
            fn(rows, d + (ptrdiff_t)y * dstep * es, w * cn, cn, tmp);
        }
        free(mem);
        return 0;
    }
    for (int i = y0 - r; i < y0 + r; i++) {
        int sy = i < 0 ? 0 : i >= h ? h - 1 : i;
        pad_row(ring + (size_t)((i - base) % ksize) * prow * es, s + (ptrdiff_t)sy * sstep * es, w, cn, r, es);
    }
    for (int y = y0; y < y1; y++) {
        int i = y + r, sy = i >= h ? h - 1 : i;
        pad_row(ring + (size_t)((i - base) % ksize) * prow * es, s + (ptrdiff_t)sy * sstep * es, w, cn, r, es);
        for (int k = 0; k < ksize; k++)
            rows[k] = ring + (size_t)((y - r + k - base) % ksize) * prow * es;
        fn(rows, d + (ptrdiff_t)y * dstep * es, w * cn, cn, tmp);
    }
    free(mem);
    return 0;
}

#define OK_DEFINE_NET_ENTRY(SFX, T) \
int ok_median_net_##SFX(const T *src, ptrdiff_t sstep, T *dst, ptrdiff_t dstep, \
                        int w, int h, int cn, int ksize, int y0, int y1) \
{ \
    net_row_fn fn = ksize == 3 ? med3_row_##SFX : med5_row_##SFX; \
    return net_driver(src, sstep, dst, dstep, w, h, cn, ksize, y0, y1, sizeof(T), fn); \
}

OK_DEFINE_NET_ENTRY(u8, uint8_t)
OK_DEFINE_NET_ENTRY(u16, uint16_t)
OK_DEFINE_NET_ENTRY(f32, float)

/* ---- Perreault–Hébert constant-time median (uint8, any ksize) ------------------
 *
 * Column histograms: for each column and channel 16 coarse bins (value >> 4) and
 * 256 fine bins, counts of the k pixels of that column inside the window; they are
 * uint16 since a column holds k <= 65535 pixels.  The window histogram sums k
 * columns, up to k*k counts: uint16 while k <= 255, uint32 beyond.
 *
 * The image is processed in vertical stripes of output columns [x0, x1) whose
 * column histograms (x1 - x0 + 2r columns, ~544 bytes each per channel) stay in
 * L2 (the paper's section on cache use); each stripe re-reads r border columns on
 * either side, a few percent of extra work.
 */
/* 16-bin histogram arithmetic.  GCC/Clang vector extensions keep a 16-bin
 * histogram in one or two registers across a run of column steps (plain loops
 * leave GCC loading and storing it every step, ~30% slower overall). */
#if defined(__GNUC__) && (defined(__clang__) || __GNUC__ >= 9)
typedef uint16_t col16 __attribute__((vector_size(32)));
#define OK_DEFINE_BINS16(SFX, CT) \
typedef CT bins16_##SFX __attribute__((vector_size(16 * sizeof(CT)))); \
/* h += sum over columns j in [j0, j1] of (add[j*16..] - sub[j*16..]) */ \
static inline void step16_##SFX(CT *h, const uint16_t *add, const uint16_t *sub, int j0, int j1) \
{ \
    bins16_##SFX acc; \
    memcpy(&acc, h, sizeof(acc)); \
    for (int j = j0; j <= j1; j++) { \
        col16 a, b; \
        memcpy(&a, add + (size_t)j * 16, sizeof(a)); \
        memcpy(&b, sub + (size_t)j * 16, sizeof(b)); \
        /* whole-vector ops: element-wise indexing would be scalarised */ \
        acc += __builtin_convertvector(a, bins16_##SFX) - __builtin_convertvector(b, bins16_##SFX); \
    } \
    memcpy(h, &acc, sizeof(acc)); \
}
#else
#define OK_DEFINE_BINS16(SFX, CT) \
static inline void step16_##SFX(CT *h, const uint16_t *add, const uint16_t *sub, int j0, int j1) \
{ \
    for (int j = j0; j <= j1; j++) \
        for (int i = 0; i < 16; i++) \
            h[i] += (CT)(add[(size_t)j * 16 + i] - sub[(size_t)j * 16 + i]); \
}
#endif
OK_DEFINE_BINS16(u16, uint16_t)
OK_DEFINE_BINS16(u32, uint32_t)

/* Column histograms cover the stripe's outputs plus r columns on each side; a
 * column outside the image is a copy of the edge column (BORDER_REPLICATE), so
 * the sliding loops need no clamping.  Fine histograms are laid out
 * [channel][coarse bin][column][16] (as in the paper's reference code) so the lazy
 * update of one coarse bin walks consecutive columns through consecutive memory. */
#define OK_FINE(c, b, col) ((((size_t)(c) * 16 + (size_t)(b)) * (size_t)nc + (size_t)(col)) * 16)

#define OK_DEFINE_HIST(NAME, CT, SFX) \
OK_HOT static void NAME(const uint8_t *src, ptrdiff_t sstep, uint8_t *dst, ptrdiff_t dstep, \
                               int w, int h, int cn, int ksize, int y0, int y1, int x0, int x1, \
                               uint16_t *colc, uint16_t *colf, int *xmap) \
{ \
    int r = ksize / 2; \
    unsigned half = (unsigned)ksize * (unsigned)ksize / 2; \
    /* local column jj <-> image column x0 - r + jj (clamped) */ \
    int nc = x1 - x0 + 2 * r; \
    CT coarse[16], fine[16][16]; \
    int luc[16]; \
    for (int jj = 0; jj < nc; jj++) { \
        int sx = x0 - r + jj; \
        xmap[jj] = (sx < 0 ? 0 : sx >= w ? w - 1 : sx) * cn; \
    } \
    memset(colc, 0, (size_t)nc * cn * 16 * sizeof(uint16_t)); \
    memset(colf, 0, (size_t)nc * cn * 256 * sizeof(uint16_t)); \
    /* column histograms start with rows y0-r .. y0+r (clamped) */ \
    for (int i = y0 - r; i <= y0 + r; i++) { \
        const uint8_t *row = src + (ptrdiff_t)(i < 0 ? 0 : i >= h ? h - 1 : i) * sstep; \
        for (int c = 0; c < cn; c++) \
            for (int jj = 0; jj < nc; jj++) { \
                unsigned v = row[xmap[jj] + c]; \
                colc[((size_t)c * nc + jj) * 16 + (v >> 4)]++; \
                colf[OK_FINE(c, v >> 4, jj) + (v & 15)]++; \
            } \
    } \
    for (int y = y0; y < y1; y++) { \
        const uint8_t *ro = NULL, *ri = NULL; \
        if (y > y0) { \
            int yo = y - r - 1, yi = y + r; \
            yo = yo < 0 ? 0 : yo; \
            yi = yi >= h ? h - 1 : yi; \
            if (yo != yi) { \
                ro = src + (ptrdiff_t)yo * sstep; \
                ri = src + (ptrdiff_t)yi * sstep; \
            } \
        } \
        uint8_t *out = dst + (ptrdiff_t)y * dstep + (ptrdiff_t)x0 * cn; \
        for (int c = 0; c < cn; c++) { \
            uint16_t *cc = colc + (size_t)c * nc * 16; \
            uint16_t *cf = colf + OK_FINE(c, 0, 0); \
            if (ro) \
                for (int jj = 0; jj < nc; jj++) { \
                    unsigned vo = ro[xmap[jj] + c], vi = ri[xmap[jj] + c]; \
                    cc[(size_t)jj * 16 + (vo >> 4)]--; \
                    cf[OK_FINE(0, vo >> 4, jj) + (vo & 15)]--; \
                    cc[(size_t)jj * 16 + (vi >> 4)]++; \
                    cf[OK_FINE(0, vi >> 4, jj) + (vi & 15)]++; \
                } \
            memset(coarse, 0, sizeof(coarse)); \
            for (int jj = 0; jj < 2 * r + 1; jj++) \
                for (int b = 0; b < 16; b++) \
                    coarse[b] += cc[(size_t)jj * 16 + b]; \
            for (int b = 0; b < 16; b++) \
                luc[b] = -ksize;  /* forces a rebuild on first use */ \
            int xn = x1 - x0; \
            for (int x = 0; x < xn; x++) { \
                /* window columns: jj in [x, x + 2r] */ \
                unsigned sum = 0; \
                int b = 0; \
                while (sum + coarse[b] <= half) \
                    sum += coarse[b++]; \
                CT *fb = fine[b]; \
                const uint16_t *fcol = cf + OK_FINE(0, b, 0); \
                if (2 * (x - luc[b]) > ksize) { \
                    /* stale beyond the window: rebuild this fine bin from k columns */ \
                    memset(fb, 0, sizeof(fine[0])); \
                    for (int jj = x; jj <= x + 2 * r; jj++) \
                        for (int i = 0; i < 16; i++) \
                            fb[i] += fcol[(size_t)jj * 16 + i]; \
                } else { \
                    step16_##SFX(fb, fcol + (size_t)(2 * r + 1) * 16, fcol, luc[b], x - 1); \
                } \
                luc[b] = x; \
                int v = 0; \
                while (sum + fb[v] <= half) \
                    sum += fb[v++]; \
                out[x * cn + c] = (uint8_t)(b * 16 + v); \
                /* slide to x + 1; past the stripe's end the added column is \
                 * clamped and the result unused */ \
                int ji = x + 2 * r + 1 < nc ? x + 2 * r + 1 : nc - 1; \
                step16_##SFX(coarse, cc + (size_t)(ji - x) * 16, cc, x, x); \
            } \
        } \
    } \
}

OK_DEFINE_HIST(median_hist16, uint16_t, u16)
OK_DEFINE_HIST(median_hist32, uint32_t, u32)

/* Output columns per stripe: ~256 KB of fine column histograms per stripe, and
 * never much narrower than the kernel so the 2r re-read columns stay cheap. */
static int hist_stripe_width(int w, int cn, int ksize)
{
    int s = 480 / cn;
    if (s < 2 * ksize)
        s = 2 * ksize;
    return s >= w ? w : s;
}

int ok_median_hist_u8(const uint8_t *src, ptrdiff_t sstep, uint8_t *dst, ptrdiff_t dstep,
                      int w, int h, int cn, int ksize, int y0, int y1)
{
    if (y0 >= y1)
        return 0;
    int stripe = hist_stripe_width(w, cn, ksize);
    int r = ksize / 2;
    size_t ncol = (size_t)(stripe + 2 * r) * cn;
    uint16_t *colc = malloc(ncol * (16 + 256) * sizeof(uint16_t) + (size_t)(stripe + 2 * r) * sizeof(int));
    if (!colc)
        return -1;
    uint16_t *colf = colc + ncol * 16;
    int *xmap = (int *)(colf + ncol * 256);
    for (int x0 = 0; x0 < w; x0 += stripe) {
        int x1 = x0 + stripe > w ? w : x0 + stripe;
        if (ksize <= 255)
            median_hist16(src, sstep, dst, dstep, w, h, cn, ksize, y0, y1, x0, x1, colc, colf, xmap);
        else
            median_hist32(src, sstep, dst, dstep, w, h, cn, ksize, y0, y1, x0, x1, colc, colf, xmap);
    }
    free(colc);
    return 0;
}
