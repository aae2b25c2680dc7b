/* Direct convolution loops for one element type; included by conv_direct.c with T, SUF and CB
 * (the lanes of one 64-byte vector) defined.
 *
 * Every loop reads x through a table of tap offsets, off[k] for k = (a, b, c) in the filter's
 * order, from the cell of x where output pixel (i, j)'s window starts, so one loop serves every
 * stride and dilation. Accumulators are small fixed-size arrays (GCC keeps them in registers):
 * the output channels go in vectors of CB (GCC's vector extension: one register on AVX-512, two
 * or four on narrower machines), the filter's padded copy holds zeros past co. */
#define GF_CAT_(a, b) a##_##b
#define GF_CAT(a, b) GF_CAT_(a, b)
#define FN(name) GF_CAT(name, SUF)
#define VT FN(vec)
/* One 64-byte vector of T, loaded and stored at any T-aligned address. */
typedef T VT __attribute__((vector_size(64), aligned(sizeof(T)), may_alias));

static void FN(tap_offsets)(const gf_conv *g, int64_t *off)
{
    int64_t k = 0;
    for (int64_t a = 0; a < g->kh; a++)
        for (int64_t b = 0; b < g->kw; b++)
            for (int64_t c = 0; c < g->c; c++)
                off[k++] = (a * g->dh * g->w + b * g->dw) * g->c + c;
}

/* A copy of m [rows, cols] with its columns padded to `cols_pad` (zeros), or transposed to
 * [cols, rows_pad] when `transpose`. */
static T *FN(padded)(const T *m, int64_t rows, int64_t cols, int64_t pad, int transpose)
{
    int64_t size = transpose ? cols * pad : rows * pad;
    T *p = calloc((size_t)(size ? size : 1), sizeof(T));
    if (!p) return NULL;
    for (int64_t r = 0; r < rows; r++)
        for (int64_t q = 0; q < cols; q++) {
            if (transpose) p[q * pad + r] = m[r * cols + q];
            else p[r * pad + q] = m[r * cols + q];
        }
    return p;
}

/* --- forward, vectorised over output channels ------------------------------------------------ */
/* out[j .. j + PB) of one row, channels [q0, q0 + nq): PB pixels share each filter load. */
static inline __attribute__((always_inline)) void FN(fwd_block)(
    const T *xs, int64_t step, const T *wp, int64_t cop, const int64_t *off, int64_t K, T *o,
    int64_t co, int64_t nq, const int PB)
{
    VT acc[4] = {{0}};
    for (int64_t k = 0; k < K; k++) {
        const VT wv = *(const VT *)(wp + k * cop);
        const int64_t ok = off[k];
        for (int p = 0; p < PB; p++) acc[p] += xs[p * step + ok] * wv;
    }
    for (int p = 0; p < PB; p++) {
        if (nq == CB) {
            *(VT *)(o + p * co) = acc[p];
        } else {
            for (int64_t q = 0; q < nq; q++) o[p * co + q] = acc[p][q];
        }
    }
}

GF_CLONES static void FN(fwd_rows)(const gf_conv *g, const T *x, const T *wp, int64_t cop,
                                   const int64_t *off, T *out, int64_t r0, int64_t r1)
{
    const int64_t K = g->kh * g->kw * g->c, co = g->co, ow = g->ow, step = g->sw * g->c;
    for (int64_t row = r0; row < r1; row++) {
        const int64_t n = row / g->oh, i = row % g->oh;
        const T *xr = x + (n * g->h + i * g->sh) * g->w * g->c;
        T *o = out + row * ow * co;
        for (int64_t q0 = 0; q0 < co; q0 += CB) {
            const int64_t nq = co - q0 < CB ? co - q0 : CB;
            int64_t j = 0;
            for (; j + 4 <= ow; j += 4)
                FN(fwd_block)(xr + j * step, step, wp + q0, cop, off, K, o + j * co + q0, co, nq, 4);
            for (; j < ow; j++)
                FN(fwd_block)(xr + j * step, step, wp + q0, cop, off, K, o + j * co + q0, co, nq, 1);
        }
    }
}

/* --- one input channel, unit width stride: vectorised along a whole output row ------------------ */
/* With c = 1, output row (n, i) flattened to t = j * co + q is a sum over taps (a, b) of
 * e[i*sh + a*dh][t + b*dw*co] * wt[a, b][t], where e repeats each cell of x co times (one image
 * at a time, rows of ew cells, zeros past the image) and wt tiles w[a, b, 0, :] along the row:
 * contiguous vectors, full width, and the output comes out in NHWC order. */
static inline __attribute__((always_inline)) void FN(expand)(const gf_conv *g,
                                                             const T *restrict x, int64_t n,
                                                             int64_t ew, T *restrict e)
{
    const int64_t co = g->co, wide = g->w * co;
    for (int64_t h = 0; h < g->h; h++) {
        const T *restrict xr = x + (n * g->h + h) * g->w;
        T *restrict er = e + h * ew;
        for (int64_t u = 0; u < g->w; u++) {
            const T v = xr[u];
            for (int64_t q = 0; q < co; q++) er[u * co + q] = v;
        }
        for (int64_t u = wide; u < ew; u++) er[u] = 0;
    }
}

/* acc[v] for the vectors [t0, t0 + NV * CB) of one output row, over every tap. */
static inline __attribute__((always_inline)) void FN(row_c1_block)(
    const gf_conv *g, const T *e, int64_t ew, int64_t i, const T *wt, int64_t lp, int64_t t0,
    T *o, int64_t len, const int NV)
{
    VT acc[4] = {{0}};
    for (int64_t a = 0; a < g->kh; a++) {
        const T *er = e + (i * g->sh + a * g->dh) * ew + t0;
        for (int64_t b = 0; b < g->kw; b++) {
            const T *es = er + b * g->dw * g->co, *ws = wt + (a * g->kw + b) * lp + t0;
            for (int v = 0; v < NV; v++)
                acc[v] += *(const VT *)(es + v * CB) * *(const VT *)(ws + v * CB);
        }
    }
    for (int v = 0; v < NV; v++) {
        if (t0 + (v + 1) * CB <= len) {
            *(VT *)(o + t0 + v * CB) = acc[v];
        } else {
            for (int64_t t = t0 + v * CB; t < len; t++) o[t] = acc[v][t - t0 - v * CB];
        }
    }
}

GF_CLONES static void FN(fwd_images_c1)(const gf_conv *g, const T *x, const T *wt, int64_t lp,
                                        int64_t ew, T *e, T *out, int64_t n0, int64_t n1)
{
    const int64_t len = g->ow * g->co;
    for (int64_t n = n0; n < n1; n++) {
        FN(expand)(g, x, n, ew, e);
        for (int64_t i = 0; i < g->oh; i++) {
            T *o = out + (n * g->oh + i) * len;
            int64_t t0 = 0;
            for (; t0 + 4 * CB <= lp; t0 += 4 * CB) FN(row_c1_block)(g, e, ew, i, wt, lp, t0, o, len, 4);
            for (; t0 < lp; t0 += CB) FN(row_c1_block)(g, e, ew, i, wt, lp, t0, o, len, 1);
        }
    }
}

/* --- filter gradient, vectorised over output channels ----------------------------------------- */
/* dwp[k0 .. k0 + KB) += sum over the rows' pixels of x[pixel + off[k]] * dy[pixel]: the KB x CB
 * accumulators stay in registers across all the pixels. dyp rows are padded to cop. */
static inline __attribute__((always_inline)) void FN(filter_block)(
    const gf_conv *g, const T *x, const T *dyp, int64_t cop, const int64_t *off, T *dwp,
    int64_t r0, int64_t r1, const int KB)
{
    const int64_t ow = g->ow, step = g->sw * g->c;
    VT acc[8] = {{0}};
    int64_t o[8];
    for (int k = 0; k < KB; k++) o[k] = off[k];
    for (int64_t row = r0; row < r1; row++) {
        const int64_t n = row / g->oh, i = row % g->oh;
        const T *xr = x + (n * g->h + i * g->sh) * g->w * g->c;
        const T *d = dyp + row * ow * cop;
        for (int64_t j = 0; j < ow; j++) {
            const T *xs = xr + j * step;
            const VT dv = *(const VT *)(d + j * cop);
            for (int k = 0; k < KB; k++) acc[k] += xs[o[k]] * dv;
        }
    }
    for (int k = 0; k < KB; k++) *(VT *)(dwp + k * cop) += acc[k];
}

GF_CLONES static void FN(filter_rows)(const gf_conv *g, const T *x, const T *dyp, int64_t cop,
                                      const int64_t *off, T *dwp, int64_t r0, int64_t r1)
{
    const int64_t K = g->kh * g->kw * g->c;
    for (int64_t q0 = 0; q0 < cop; q0 += CB) {
        int64_t k = 0;
        for (; k + 8 <= K; k += 8)
            FN(filter_block)(g, x, dyp + q0, cop, off + k, dwp + k * cop + q0, r0, r1, 8);
        for (; k < K; k++)
            FN(filter_block)(g, x, dyp + q0, cop, off + k, dwp + k * cop + q0, r0, r1, 1);
    }
}

/* --- filter gradient, one input channel, unit width stride -------------------------------------- */
/* acc[a, b][t] += e[i*sh + a*dh][t + b*dw*co] * dy row (n, i)[t], over one image's rows, each
 * tap's lp-cell accumulator held in registers NV vectors at a time; the caller folds t to q.
 * d is a zero-padded copy of the image's dy rows, lp cells each. */
static inline __attribute__((always_inline)) void FN(filter_c1_block)(
    const gf_conv *g, const T *e, int64_t ew, const T *d, int64_t lp, int64_t t0, T *acc,
    const int NV)
{
    for (int64_t a = 0; a < g->kh; a++)
        for (int64_t b = 0; b < g->kw; b++) {
            VT s[4] = {{0}};
            const T *es = e + a * g->dh * ew + b * g->dw * g->co + t0;
            for (int64_t i = 0; i < g->oh; i++) {
                const T *ei = es + i * g->sh * ew, *di = d + i * lp + t0;
                for (int v = 0; v < NV; v++)
                    s[v] += *(const VT *)(ei + v * CB) * *(const VT *)(di + v * CB);
            }
            T *ak = acc + (a * g->kw + b) * lp + t0;
            for (int v = 0; v < NV; v++) *(VT *)(ak + v * CB) += s[v];
        }
}

GF_CLONES static void FN(filter_images_c1)(const gf_conv *g, const T *x, const T *dy, int64_t lp,
                                           int64_t ew, T *e, T *d, T *acc, int64_t n0,
                                           int64_t n1)
{
    const int64_t len = g->ow * g->co;
    for (int64_t n = n0; n < n1; n++) {
        FN(expand)(g, x, n, ew, e);
        for (int64_t i = 0; i < g->oh; i++) {
            const T *src = dy + (n * g->oh + i) * len;
            T *dst = d + i * lp;
            for (int64_t t = 0; t < len; t++) dst[t] = src[t];
            for (int64_t t = len; t < lp; t++) dst[t] = 0;
        }
        int64_t t0 = 0;
        for (; t0 + 4 * CB <= lp; t0 += 4 * CB) FN(filter_c1_block)(g, e, ew, d, lp, t0, acc, 4);
        for (; t0 < lp; t0 += CB) FN(filter_c1_block)(g, e, ew, d, lp, t0, acc, 1);
    }
}

/* --- input gradient: per pixel, dcol = filter @ dy[pixel], then added back to its window ------- */
/* wt is the filter transposed, [co][kp] (kp: K padded to 4 vectors), dcol has kp cells. */
GF_CLONES static void FN(input_images)(const gf_conv *g, const T *wt, int64_t kp, const T *dy,
                                       T *dx, T *dcol, int64_t n0, int64_t n1)
{
    const int64_t co = g->co, C = g->c, run = g->kw * C, image = g->h * g->w * C;
    for (int64_t n = n0; n < n1; n++) {
        T *dxn = dx + n * image;
        for (int64_t t = 0; t < image; t++) dxn[t] = 0;
        for (int64_t i = 0; i < g->oh; i++)
            for (int64_t j = 0; j < g->ow; j++) {
                const T *d = dy + ((n * g->oh + i) * g->ow + j) * co;
                for (int64_t k0 = 0; k0 < kp; k0 += 4 * CB) {
                    VT acc[4] = {{0}};
                    for (int64_t q = 0; q < co; q++) {
                        const T v = d[q];
                        const VT *wq = (const VT *)(wt + q * kp + k0);
                        for (int t = 0; t < 4; t++) acc[t] += v * wq[t];
                    }
                    for (int t = 0; t < 4; t++) *(VT *)(dcol + k0 + t * CB) = acc[t];
                }
                T *base = dxn + (i * g->sh * g->w + j * g->sw) * C;
                for (int64_t a = 0; a < g->kh; a++) {
                    T *dst = base + a * g->dh * g->w * C;
                    const T *src = dcol + a * run;
                    if (g->dw == 1) {
#pragma omp simd
                        for (int64_t t = 0; t < run; t++) dst[t] += src[t];
                    } else {
                        for (int64_t b = 0; b < g->kw; b++)
                            for (int64_t c = 0; c < C; c++)
                                dst[b * g->dw * C + c] += src[b * C + c];
                    }
                }
            }
    }
}

/* --- drivers: split rows (or images) evenly over the team --------------------------------------- */
static void FN(split)(int64_t total, int64_t *lo, int64_t *hi)
{
    int nt = 1, t = 0;
#ifdef _OPENMP
    nt = omp_get_num_threads();
    t = omp_get_thread_num();
#endif
    *lo = total * t / nt;
    *hi = total * (t + 1) / nt;
}

static int64_t FN(work)(const gf_conv *g)
{
    return g->n * g->oh * g->ow * g->kh * g->kw * g->c * g->co;
}

/* The row geometry of the one-channel loops: lp (a row's ow * co cells, padded to whole vectors)
 * and ew (cells of an expanded row, enough for every tap's read of lp cells); 0 when they do not
 * apply or would need more than GF_C1_SCRATCH cells of scratch. */
static int64_t FN(c1_row)(const gf_conv *g, int64_t *ew)
{
    if (g->c != 1 || g->sw != 1) return 0;
    const int64_t lp = (g->ow * g->co + CB - 1) / CB * CB;
    const int64_t need = lp + (g->kw - 1) * g->dw * g->co, have = g->w * g->co;
    *ew = need > have ? need : have;
    if (g->h * *ew + g->kh * g->kw * lp + g->oh * lp > GF_C1_SCRATCH) return 0;
    return lp;
}

/* wt[a, b][t] = w[a, b, 0, t % co] for t < lp. */
static T *FN(tiled)(const gf_conv *g, const T *filter, int64_t lp)
{
    const int64_t taps = g->kh * g->kw;
    T *wt = malloc((size_t)(taps * lp) * sizeof(T) + 1);
    if (!wt) return NULL;
    for (int64_t k = 0; k < taps; k++)
        for (int64_t t = 0; t < lp; t++) wt[k * lp + t] = filter[k * g->co + t % g->co];
    return wt;
}

int GF_CAT(gf_conv_forward, SUF)(const gf_conv *g, const T *x, const T *filter, T *out)
{
    const int64_t rows = g->n * g->oh, K = g->kh * g->kw * g->c;
    int64_t ew = 0, lp = FN(c1_row)(g, &ew);
    int failed = 0;
    if (lp) {
        T *wt = FN(tiled)(g, filter, lp);
        if (!wt) return -1;
#pragma omp parallel if (FN(work)(g) >= GF_CONV_PAR) reduction(| : failed)
        {
            int64_t lo, hi;
            FN(split)(g->n, &lo, &hi);
            T *e = malloc((size_t)(g->h * ew) * sizeof(T) + 1);
            if (e) FN(fwd_images_c1)(g, x, wt, lp, ew, e, out, lo, hi);
            else failed = 1;
            free(e);
        }
        free(wt);
        return failed ? -1 : 0;
    }
    const int64_t cop = (g->co + CB - 1) / CB * CB;
    T *wp = FN(padded)(filter, K, g->co, cop, 0);
    int64_t *off = malloc((size_t)(K ? K : 1) * sizeof(int64_t));
    if (wp && off) {
        FN(tap_offsets)(g, off);
#pragma omp parallel if (FN(work)(g) >= GF_CONV_PAR)
        {
            int64_t lo, hi;
            FN(split)(rows, &lo, &hi);
            FN(fwd_rows)(g, x, wp, cop, off, out, lo, hi);
        }
    }
    failed = !(wp && off);
    free(wp);
    free(off);
    return failed ? -1 : 0;
}

int GF_CAT(gf_conv_filter, SUF)(const gf_conv *g, const T *x, const T *dy, T *dfilter)
{
    const int64_t rows = g->n * g->oh, K = g->kh * g->kw * g->c, co = g->co, ow = g->ow;
    int64_t ew = 0, lp = FN(c1_row)(g, &ew);
    int nt = 1, failed = 0;
#ifdef _OPENMP
    if (FN(work)(g) >= GF_CONV_PAR) nt = omp_get_max_threads();
#endif
    for (int64_t t = 0; t < K * co; t++) dfilter[t] = 0;
    if (lp) {
        T *acc = calloc((size_t)(nt * K * lp) + 1, sizeof(T));
        if (!acc) return -1;
#pragma omp parallel num_threads(nt) reduction(| : failed)
        {
            int64_t lo, hi;
            FN(split)(g->n, &lo, &hi);
            int t = 0;
#ifdef _OPENMP
            t = omp_get_thread_num();
#endif
            T *e = malloc((size_t)(g->h * ew + g->oh * lp) * sizeof(T) + 1);
            if (e) FN(filter_images_c1)(g, x, dy, lp, ew, e, e + g->h * ew, acc + t * K * lp, lo, hi);
            else failed = 1;
            free(e);
        }
        for (int t = 0; t < nt && !failed; t++)
            for (int64_t k = 0; k < K; k++)
                for (int64_t j = 0; j < ow * co; j++)
                    dfilter[k * co + j % co] += acc[(t * K + k) * lp + j];
        free(acc);
        return failed ? -1 : 0;
    }
    const int64_t cop = (co + CB - 1) / CB * CB;
    const T *dyp = dy;
    T *copy = NULL;
    if (cop != co) dyp = copy = FN(padded)(dy, rows * ow, co, cop, 0);
    T *part = calloc((size_t)(nt * K * cop) + 1, sizeof(T));
    int64_t *off = malloc((size_t)(K ? K : 1) * sizeof(int64_t));
    if (dyp && part && off) {
        FN(tap_offsets)(g, off);
#pragma omp parallel num_threads(nt)
        {
            int64_t lo, hi;
            FN(split)(rows, &lo, &hi);
            int t = 0;
#ifdef _OPENMP
            t = omp_get_thread_num();
#endif
            FN(filter_rows)(g, x, dyp, cop, off, part + t * K * cop, lo, hi);
        }
        for (int t = 0; t < nt; t++)
            for (int64_t k = 0; k < K; k++)
                for (int64_t q = 0; q < co; q++) dfilter[k * co + q] += part[(t * K + k) * cop + q];
    }
    failed = !(dyp && part && off);
    free(copy);
    free(part);
    free(off);
    return failed ? -1 : 0;
}

int GF_CAT(gf_conv_input, SUF)(const gf_conv *g, const T *filter, const T *dy, T *dx)
{
    const int64_t K = g->kh * g->kw * g->c, kp = (K + 4 * CB - 1) / (4 * CB) * (4 * CB);
    int failed = 0;
    T *wt = FN(padded)(filter, K, g->co, kp, 1);
    if (!wt) return -1;
#pragma omp parallel if (FN(work)(g) >= GF_CONV_PAR) reduction(| : failed)
    {
        int64_t lo, hi;
        FN(split)(g->n, &lo, &hi);
        T *dcol = malloc((size_t)kp * sizeof(T) + 1);
        if (dcol) FN(input_images)(g, wt, kp, dy, dx, dcol, lo, hi);
        else failed = 1;
        free(dcol);
    }
    free(wt);
    return failed ? -1 : 0;
}

#undef VT
#undef FN
#undef GF_CAT
#undef GF_CAT_
