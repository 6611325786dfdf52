/* Erosion and dilation (min/max over a binary structuring element), matching
 * cv::erode / cv::dilate bit for bit: min and max are exact, so parity only
 * depends on which pixels are visited and on the border, which follows
 * cv::borderInterpolate (constant rows/columns take the caller's value).
 *
 * The per-type kernels live in morphology_impl.h; this file holds the
 * structuring-element plan they share and instantiates them.
 */
#include "morphology.h"

#include <stdlib.h>
#include <string.h>

#include "ok_common.h"

/* the per-type helpers must inline so their constant arguments (reads per
 * pass, min or max) fold away and each loop vectorises on its own */
#if defined(__GNUC__) || defined(__clang__)
#define OK_INLINE inline __attribute__((always_inline))
#else
#define OK_INLINE inline
#endif


/* A horizontal run of set pixels: row dy, columns dx .. dx+len-1, whose length
 * is lens[li]. */
typedef struct {
    int dy, dx, li;
} ok_morph_run;

typedef struct {
    ok_morph_run *runs;
    int nruns;
    int *lens; /* distinct run lengths, ascending; lens[0] == 1 always */
    int nl;
    /* Output row y+1 reads, through run r, the same shifted row that row y
     * reads through below[r] (same dx and length, one kernel row lower), or
     * below[r] == -1; shared[r'] marks the runs some below[] points to, and
     * nshared counts them. */
    int *below;
    char *shared;
    int nshared;
} ok_morph_plan;

static void ok_morph_plan_free(ok_morph_plan *pl)
{
    free(pl->runs);
    free(pl->lens);
    free(pl->below);
    free(pl->shared);
}

static int ok_morph_plan_init(ok_morph_plan *pl, const uint8_t *kernel, int kw, int kh)
{
    size_t maxruns = (size_t)kh * ((kw + 1) / 2);
    pl->runs = (ok_morph_run *)malloc((maxruns + 1) * sizeof(ok_morph_run));
    pl->lens = (int *)malloc(((size_t)kw + 1) * sizeof(int));
    pl->below = (int *)malloc((maxruns + 1) * sizeof(int));
    pl->shared = (char *)calloc(maxruns + 1, 1);
    pl->nruns = 0;
    pl->nl = 0;
    pl->nshared = 0;
    if (!pl->runs || !pl->lens || !pl->below || !pl->shared) {
        ok_morph_plan_free(pl);
        return -1;
    }
    /* which lengths occur: a histogram over 1..kw, then the ascending list */
    char *seen = (char *)calloc((size_t)kw + 1, 1);
    if (!seen) {
        ok_morph_plan_free(pl);
        return -1;
    }
    for (int dy = 0; dy < kh; dy++) {
        const uint8_t *row = kernel + (size_t)dy * kw;
        for (int x = 0; x < kw;) {
            if (!row[x]) {
                x++;
                continue;
            }
            int x0 = x;
            while (x < kw && row[x])
                x++;
            pl->runs[pl->nruns].dy = dy;
            pl->runs[pl->nruns].dx = x0;
            pl->runs[pl->nruns].li = x - x0; /* the length for now */
            pl->nruns++;
            seen[x - x0] = 1;
        }
    }
    seen[1] = 1;
    for (int len = 1; len <= kw; len++)
        if (seen[len])
            pl->lens[pl->nl++] = len;
    for (int r = 0; r < pl->nruns; r++) {
        int li = 0;
        while (pl->lens[li] != pl->runs[r].li)
            li++;
        pl->runs[r].li = li;
    }
    /* runs are sorted by dy then dx, so a partner lies among the next rows' runs */
    for (int r = 0; r < pl->nruns; r++) {
        pl->below[r] = -1;
        for (int q = r + 1; q < pl->nruns && pl->runs[q].dy <= pl->runs[r].dy + 1; q++) {
            if (pl->runs[q].dy == pl->runs[r].dy + 1 && pl->runs[q].dx == pl->runs[r].dx
                && pl->runs[q].li == pl->runs[r].li) {
                pl->below[r] = q;
                pl->shared[q] = 1;
                pl->nshared++;
                break;
            }
        }
    }
    free(seen);
    return 0;
}

#define OK_T uint8_t
#define OK_SFX u8
#define OK_SUB(x, y) ((OK_T)((x) - ((x) < (y) ? (x) : (y))))  /* x - min(x, y): vectorises */
#include "morphology_impl.h"
#undef OK_T
#undef OK_SFX
#undef OK_SUB

#define OK_T uint16_t
#define OK_SFX u16
#define OK_SUB(x, y) ((OK_T)((x) - ((x) < (y) ? (x) : (y))))  /* x - min(x, y): vectorises */
#include "morphology_impl.h"
#undef OK_T
#undef OK_SFX
#undef OK_SUB

#define OK_T int16_t
#define OK_SFX s16
#define OK_SUB(x, y) ((OK_T)ok_sat_s16((int)(x) - (int)(y)))
#include "morphology_impl.h"
#undef OK_T
#undef OK_SFX
#undef OK_SUB

#define OK_T float
#define OK_SFX f32
#define OK_SUB(x, y) ((x) - (y))
#include "morphology_impl.h"
#undef OK_T
#undef OK_SFX
#undef OK_SUB

#define OK_T double
#define OK_SFX f64
#define OK_SUB(x, y) ((x) - (y))
#include "morphology_impl.h"
#undef OK_T
#undef OK_SFX
#undef OK_SUB
