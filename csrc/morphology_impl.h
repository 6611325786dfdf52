/* Type-generic body of the morphology kernels, included by morphology.c once per
 * pixel type with OK_T (element type) and OK_SFX (name suffix) defined.
 *
 * Method.  The structuring element is cut into horizontal runs (dy, dx, len).
 * For every source row entering the window we keep, in a ring of kh+1 slots,
 * the bordered row P and one "window" row H_L per distinct run length L, where
 * H_L[x] = op(P[x .. x+L-1]).  H_L is built from the next shorter window row
 * H_b with ceil(L/b) shifted reads, and past 8 reads from windows of 8, 64, ...
 * first, so the cost grows with log8(L), not L (the same aim as van Herk /
 * Gil-Werman, in a form that vectorises: whole rows combined at fixed shifts,
 * no per-pixel prefix scans).  An output row is op over one shifted H_L row
 * per run; two output rows are made together so the rows they share are read
 * once.  A 5x5 rectangle costs 5 reads per pixel across and 3 down; a 7x7
 * ellipse (runs of 1, 5 and 7) 5 + 2 across and 7 down, where a direct filter
 * reads once per set pixel (37).
 */

#define OK_CAT_(a, b) a##_##b
#define OK_CAT(a, b) OK_CAT_(a, b)
#define FN(name) OK_CAT(name, OK_SFX)

static OK_INLINE OK_T FN(pick)(OK_T a, OK_T b, const int mx)
{
    return mx ? (a > b ? a : b) : (a < b ? a : b);
}

/* d[x] = op(p[0][x], ..., p[K-1][x] [, d[x] when acc]) for x in [0, n).
 * K, acc and mx are constants after inlining, so this is one straight loop of
 * K loads and a store that GCC vectorises (pminub/pmaxub and friends). */
static OK_INLINE void FN(reduce_k)(OK_T *restrict d, const OK_T *const *p, ptrdiff_t n,
                                   const int K, const int acc, const int mx)
{
    const OK_T *restrict q0 = p[0];
    const OK_T *restrict q1 = p[K > 1 ? 1 : 0];
    const OK_T *restrict q2 = p[K > 2 ? 2 : 0];
    const OK_T *restrict q3 = p[K > 3 ? 3 : 0];
    const OK_T *restrict q4 = p[K > 4 ? 4 : 0];
    const OK_T *restrict q5 = p[K > 5 ? 5 : 0];
    const OK_T *restrict q6 = p[K > 6 ? 6 : 0];
    const OK_T *restrict q7 = p[K > 7 ? 7 : 0];
    for (ptrdiff_t x = 0; x < n; x++) {
        OK_T v = q0[x];
        if (K > 1) v = FN(pick)(v, q1[x], mx);
        if (K > 2) v = FN(pick)(v, q2[x], mx);
        if (K > 3) v = FN(pick)(v, q3[x], mx);
        if (K > 4) v = FN(pick)(v, q4[x], mx);
        if (K > 5) v = FN(pick)(v, q5[x], mx);
        if (K > 6) v = FN(pick)(v, q6[x], mx);
        if (K > 7) v = FN(pick)(v, q7[x], mx);
        if (acc) v = FN(pick)(v, d[x], mx);
        d[x] = v;
    }
}

/* d = op over np rows: the first pass takes up to 8, later passes fold up to 7
 * more into d (8 reads per store either way). */
static OK_INLINE void FN(reduce_body)(OK_T *restrict d, const OK_T *const *p, int np,
                                      ptrdiff_t n, const int mx)
{
    int i = 0;
    while (i < np) {
        int acc = i > 0, k = np - i;
        if (k > 8 - acc)
            k = 8 - acc;
        if (!acc) {
            switch (k) {
            case 1: FN(reduce_k)(d, p, n, 1, 0, mx); break;
            case 2: FN(reduce_k)(d, p, n, 2, 0, mx); break;
            case 3: FN(reduce_k)(d, p, n, 3, 0, mx); break;
            case 4: FN(reduce_k)(d, p, n, 4, 0, mx); break;
            case 5: FN(reduce_k)(d, p, n, 5, 0, mx); break;
            case 6: FN(reduce_k)(d, p, n, 6, 0, mx); break;
            case 7: FN(reduce_k)(d, p, n, 7, 0, mx); break;
            default: FN(reduce_k)(d, p, n, 8, 0, mx); break;
            }
        } else {
            const OK_T *const *q = p + i;
            switch (k) {
            case 1: FN(reduce_k)(d, q, n, 1, 1, mx); break;
            case 2: FN(reduce_k)(d, q, n, 2, 1, mx); break;
            case 3: FN(reduce_k)(d, q, n, 3, 1, mx); break;
            case 4: FN(reduce_k)(d, q, n, 4, 1, mx); break;
            case 5: FN(reduce_k)(d, q, n, 5, 1, mx); break;
            case 6: FN(reduce_k)(d, q, n, 6, 1, mx); break;
            default: FN(reduce_k)(d, q, n, 7, 1, mx); break;
            }
        }
        i += k;
    }
}

OK_HOT static void FN(reduce_min)(OK_T *restrict d, const OK_T *const *p, int np, ptrdiff_t n)
{
    FN(reduce_body)(d, p, np, n, 0);
}

OK_HOT static void FN(reduce_max)(OK_T *restrict d, const OK_T *const *p, int np, ptrdiff_t n)
{
    FN(reduce_body)(d, p, np, n, 1);
}

typedef void (*FN(reduce_fn))(OK_T *restrict, const OK_T *const *, int, ptrdiff_t);

/* Two output rows at once: v = op over the K rows they share, then one row of
 * their own each (OpenCV's column filter pairs rows the same way).  For a
 * K+1-row rectangle this is K+2 reads per two outputs instead of 2K+2. */
static OK_INLINE void FN(pair_k)(OK_T *restrict d0, OK_T *restrict d1, const OK_T *const *p,
                                 const OK_T *u0, const OK_T *u1, ptrdiff_t n, const int K,
                                 const int mx)
{
    const OK_T *restrict q0 = p[0];
    const OK_T *restrict q1 = p[K > 1 ? 1 : 0];
    const OK_T *restrict q2 = p[K > 2 ? 2 : 0];
    const OK_T *restrict q3 = p[K > 3 ? 3 : 0];
    const OK_T *restrict q4 = p[K > 4 ? 4 : 0];
    const OK_T *restrict q5 = p[K > 5 ? 5 : 0];
    const OK_T *restrict q6 = p[K > 6 ? 6 : 0];
    const OK_T *restrict r0 = u0, *restrict r1 = u1;
    for (ptrdiff_t x = 0; x < n; x++) {
        OK_T v = q0[x];
        if (K > 1) v = FN(pick)(v, q1[x], mx);
        if (K > 2) v = FN(pick)(v, q2[x], mx);
        if (K > 3) v = FN(pick)(v, q3[x], mx);
        if (K > 4) v = FN(pick)(v, q4[x], mx);
        if (K > 5) v = FN(pick)(v, q5[x], mx);
        if (K > 6) v = FN(pick)(v, q6[x], mx);
        d0[x] = FN(pick)(v, r0[x], mx);
        d1[x] = FN(pick)(v, r1[x], mx);
    }
}

static OK_INLINE void FN(pair_body)(OK_T *restrict d0, OK_T *restrict d1, const OK_T *const *p,
                                    int k, const OK_T *u0, const OK_T *u1, ptrdiff_t n,
                                    const int mx)
{
    switch (k) {
    case 1: FN(pair_k)(d0, d1, p, u0, u1, n, 1, mx); break;
    case 2: FN(pair_k)(d0, d1, p, u0, u1, n, 2, mx); break;
    case 3: FN(pair_k)(d0, d1, p, u0, u1, n, 3, mx); break;
    case 4: FN(pair_k)(d0, d1, p, u0, u1, n, 4, mx); break;
    case 5: FN(pair_k)(d0, d1, p, u0, u1, n, 5, mx); break;
    case 6: FN(pair_k)(d0, d1, p, u0, u1, n, 6, mx); break;
    default: FN(pair_k)(d0, d1, p, u0, u1, n, 7, mx); break;
    }
}

OK_HOT static void FN(pair_min)(OK_T *restrict d0, OK_T *restrict d1, const OK_T *const *p,
                                   int k, const OK_T *u0, const OK_T *u1, ptrdiff_t n)
{
    FN(pair_body)(d0, d1, p, k, u0, u1, n, 0);
}

OK_HOT static void FN(pair_max)(OK_T *restrict d0, OK_T *restrict d1, const OK_T *const *p,
                                   int k, const OK_T *u0, const OK_T *u1, ptrdiff_t n)
{
    FN(pair_body)(d0, d1, p, k, u0, u1, n, 1);
}

/* Bordered copy of one source row: ax pixels on the left, kw-1-ax on the right. */
static void FN(pad_row)(OK_T *P, const OK_T *row, int w, int cn, int kw, int ax,
                        int border, const OK_T *bval)
{
    for (int i = 0; i < kw - 1; i++) {
        int px = i < ax ? i : w + i;               /* position inside P */
        ptrdiff_t xs = ok_border_index(px - ax, w, border);
        const OK_T *from = xs < 0 ? bval : row + xs * cn;
        for (int c = 0; c < cn; c++)
            P[(ptrdiff_t)px * cn + c] = from[c];
    }
    memcpy(P + (ptrdiff_t)ax * cn, row, (size_t)w * cn * sizeof(OK_T));
}

/* out = window-L row built from `base`, a window-b row (b < L); rows hold wpx
 * bordered pixels, so a window-L row is valid for wpx-L+1 pixels.  When L needs
 * more than 8 reads of `base`, windows of 8b are built first (log-depth). */
static void FN(hwindow)(OK_T *out, const OK_T *base, int b, int L, ptrdiff_t wpx, int cn,
                        OK_T *t0, OK_T *t1, FN(reduce_fn) red)
{
    const OK_T *ptr[8];
    OK_T *tmp[2] = {t0, t1};
    const OK_T *cur = base;
    int wc = b, t = 0;
    while ((L + wc - 1) / wc > 8) {
        int w2 = 8 * wc;
        for (int j = 0; j < 8; j++)
            ptr[j] = cur + (ptrdiff_t)j * wc * cn;
        red(tmp[t], ptr, 8, (wpx - w2 + 1) * cn);
        cur = tmp[t];
        t ^= 1;
        wc = w2;
    }
    int c = (L + wc - 1) / wc;
    for (int j = 0; j < c - 1; j++)
        ptr[j] = cur + (ptrdiff_t)j * wc * cn;
    ptr[c - 1] = cur + (ptrdiff_t)(L - wc) * cn;
    red(out, ptr, c, (wpx - L + 1) * cn);
}

int OK_CAT(ok_morph, OK_SFX)(const OK_T *src, ptrdiff_t sstep, OK_T *dst, ptrdiff_t dstep,
                             int h, int w, int cn, const uint8_t *kernel, int kw, int kh,
                             int ax, int ay, int dilate, int border, const OK_T *bval,
                             int y0, int y1)
{
    FN(reduce_fn) red = dilate ? FN(reduce_max) : FN(reduce_min);
    void (*pair)(OK_T *restrict, OK_T *restrict, const OK_T *const *, int, const OK_T *,
                 const OK_T *, ptrdiff_t) = dilate ? FN(pair_max) : FN(pair_min);
    ok_morph_plan pl;
    if (ok_morph_plan_init(&pl, kernel, kw, kh) != 0)
        return -1;
    /* kh+1 slots: a pair of output rows spans kh+1 source rows */
    const int nl = pl.nl, ns = kh + 1;
    const ptrdiff_t wpx = (ptrdiff_t)w + kw - 1;
    /* row buffers padded to 64 bytes so every row starts cache-line aligned */
    const ptrdiff_t per = 64 / (ptrdiff_t)sizeof(OK_T);
    const ptrdiff_t stride = (wpx * cn + per - 1) / per * per;
    /* When no run reads P itself (rectangles, most ellipses) P is only a step
     * towards the window rows: one shared buffer instead of one per slot keeps
     * the ring small enough for L1 on wider rows. */
    int p_shared = nl > 1;
    for (int r = 0; r < pl.nruns && p_shared; r++)
        p_shared = pl.runs[r].li != 0;
    const size_t nbuf = (size_t)ns * nl + 4;
    void *raw = malloc(nbuf * stride * sizeof(OK_T) + 64);
    const OK_T **hp = (const OK_T **)malloc(((size_t)ns * nl + 3 * (size_t)pl.nruns + 2) * sizeof(OK_T *));
    if (!raw || !hp) {
        free(raw);
        free(hp);
        ok_morph_plan_free(&pl);
        return -1;
    }
    OK_T *mem = (OK_T *)(((uintptr_t)raw + 63) & ~(uintptr_t)63);
    const OK_T **ptrs = hp + (size_t)ns * nl;
    OK_T *cbuf = mem + (size_t)ns * nl * stride, *t0 = cbuf + stride, *t1 = t0 + stride;
    OK_T *pbuf = t1 + stride;
    /* In place (dst == src, one chunk for the whole image): a source row is
     * copied into the ring before the output row that overwrites it, except
     * that rows below the image reflect back onto rows already overwritten;
     * keep a copy of the last kh+1 rows for those. */
    const OK_T *saved = NULL;
    const int hb = h - kh - 1 > 0 ? h - kh - 1 : 0;
    if (src == dst && border != OK_BORDER_CONSTANT) {
        OK_T *copy = (OK_T *)malloc((size_t)(h - hb) * w * cn * sizeof(OK_T) + 1);
        if (!copy) {
            free(hp);
            free(raw);
            ok_morph_plan_free(&pl);
            return -1;
        }
        for (int r = hb; r < h; r++)
            memcpy(copy + (size_t)(r - hb) * w * cn, src + r * sstep, (size_t)w * cn * sizeof(OK_T));
        saved = copy;
    }
    for (ptrdiff_t x = 0; x < wpx; x++)
        for (int c = 0; c < cn; c++)
            cbuf[x * cn + c] = bval[c];

    /* Pairing pays when the fused two-row loop applies (one own run per row,
     * rectangles) or when at least 4 runs are shared (the shared part then goes
     * through t0: one extra store against nshared-2 fewer reads). */
    const int nown = pl.nruns - pl.nshared;
    const int pair_rows = pl.nshared >= 1 && ((nown == 1 && pl.nshared <= 7) || pl.nshared >= 4);
    const int base_sy = y0 - ay;
    int next_sy = base_sy;
    for (int y = y0; y < y1; y++) {
        const int paired = pair_rows && y + 1 < y1;
        for (; next_sy <= y - ay + kh - 1 + paired; next_sy++) {
            int s = (next_sy - base_sy) % ns;
            const OK_T **slot = hp + (size_t)s * nl;
            ptrdiff_t ys = ok_border_index(next_sy, h, border);
            if (ys < 0) {                  /* constant border: op over constants */
                for (int li = 0; li < nl; li++)
                    slot[li] = cbuf;
                continue;
            }
            OK_T *own = mem + (size_t)s * nl * stride;
            OK_T *P = p_shared ? pbuf : own;
            const OK_T *row = saved && next_sy >= h ? saved + (size_t)(ys - hb) * w * cn
                                                     : src + ys * sstep;
            FN(pad_row)(P, row, w, cn, kw, ax, border, bval);
            slot[0] = P;
            for (int li = 1; li < nl; li++) {
                OK_T *out = own + (size_t)li * stride;
                FN(hwindow)(out, slot[li - 1], pl.lens[li - 1], pl.lens[li], wpx, cn, t0, t1, red);
                slot[li] = out;
            }
        }
        /* slot of source row y - ay + dy (+1 for row y+1) is s0 + dy (+1) wrapped
         * once, as dy + 1 <= kh < ns: no division per run */
        const int s0 = (y - y0) % ns;
#define OK_RUN_PTR(next, r) \
    (hp[(size_t)(s0 + pl.runs[r].dy + (next) - (s0 + pl.runs[r].dy + (next) >= ns ? ns : 0)) * nl \
        + pl.runs[r].li] + (ptrdiff_t)pl.runs[r].dx * cn)
        OK_T *d0 = dst + (ptrdiff_t)y * dstep;
        const ptrdiff_t n = (ptrdiff_t)w * cn;
        if (!paired) {
            for (int r = 0; r < pl.nruns; r++)
                ptrs[r] = OK_RUN_PTR(0, r);
            red(d0, ptrs, pl.nruns, n);
            continue;
        }
        /* rows y and y+1: runs of row y that row y+1 also reads (shared), then
         * the rest of row y's runs, then the runs only row y+1 reads */
        int nc = 0, nu0 = 0, nu1 = 0;
        const OK_T **u0 = ptrs + pl.nruns, **u1 = u0 + pl.nruns;
        for (int r = 0; r < pl.nruns; r++) {
            if (pl.shared[r])
                ptrs[nc++] = OK_RUN_PTR(0, r);
            else
                u0[nu0++] = OK_RUN_PTR(0, r);
            if (pl.below[r] < 0)
                u1[nu1++] = OK_RUN_PTR(1, r);
        }
        OK_T *d1 = d0 + dstep;
        if (nu0 == 1 && nu1 == 1 && nc <= 7) {
            pair(d0, d1, ptrs, nc, u0[0], u1[0], n);
        } else {
            /* shared part once into t0, then fold each row's own runs into it */
            red(t0, ptrs, nc, n);
            u0[-1] = t0;                   /* ptrs[nc..] is free scratch here */
            red(d0, u0 - 1, nu0 + 1, n);
            u1[-1] = t0;
            red(d1, u1 - 1, nu1 + 1, n);
        }
        y++;
#undef OK_RUN_PTR
    }
    free((void *)saved);
    free(hp);
    free(raw);
    ok_morph_plan_free(&pl);
    return 0;
}

/* Saturating difference for gradient / top-hat / black-hat, as cv::subtract:
 * into_b ? b = a - b : a = a - b over n elements (the written array is only
 * touched through its own pointer, so both loops vectorise). */
OK_HOT void OK_CAT(ok_morph_sub, OK_SFX)(OK_T *a, OK_T *b, ptrdiff_t n, int into_b)
{
    if (into_b) {
        const OK_T *restrict x = a;
        OK_T *restrict y = b;
        for (ptrdiff_t i = 0; i < n; i++)
            y[i] = OK_SUB(x[i], y[i]);
    } else {
        OK_T *restrict x = a;
        const OK_T *restrict y = b;
        for (ptrdiff_t i = 0; i < n; i++)
            x[i] = OK_SUB(x[i], y[i]);
    }
}

#undef FN
#undef OK_CAT
#undef OK_CAT_
