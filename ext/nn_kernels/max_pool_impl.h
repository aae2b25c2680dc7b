/* The max pooling loop for one element type; included by max_pool.c with T and SUF defined. */
#define GF_CAT_(a, b) a##_##b
#define GF_CAT(a, b) GF_CAT_(a, b)
#define FN(name) GF_CAT(name, SUF)

/* The rows [h0, h1) a window row i covers, clipped to the image. */
static inline void FN(rows)(const gf_pool *g, int64_t i, int64_t *h0, int64_t *h1)
{
    const int64_t top = i * g->sh - g->pt;
    *h0 = top > 0 ? top : 0;
    *h1 = top + g->kh < g->h ? top + g->kh : g->h;
}

static inline void FN(cols)(const gf_pool *g, int64_t j, int64_t *w0, int64_t *w1)
{
    const int64_t left = j * g->sw - g->pl;
    *w0 = left > 0 ? left : 0;
    *w1 = left + g->kw < g->w ? left + g->kw : g->w;
}

/* Output rows [r0, r1): first the window's rows are reduced into m (one image row, w * c cells,
 * contiguous and vectorised), then each window's columns of m. */
GF_CLONES static void FN(pool_rows)(const gf_pool *g, const T *x, T *out, T *m, int64_t r0,
                                    int64_t r1)
{
    const int64_t C = g->c, wide = g->w * C;
    for (int64_t row = r0; row < r1; row++) {
        const int64_t n = row / g->oh, i = row % g->oh;
        int64_t h0, h1;
        FN(rows)(g, i, &h0, &h1);
        const T *x0 = x + (n * g->h + h0) * wide;
        for (int64_t u = 0; u < wide; u++) m[u] = x0[u];
        for (int64_t hi = h0 + 1; hi < h1; hi++) {
            const T *xr = x + (n * g->h + hi) * wide;
#pragma omp simd
            for (int64_t u = 0; u < wide; u++) {
                const T v = xr[u], b = m[u];
                m[u] = (v > b) | (v != v) ? v : b; /* NaN, once in, stays */
            }
        }
        T *o = out + row * g->ow * C;
        for (int64_t j = 0; j < g->ow; j++) {
            int64_t w0, w1;
            FN(cols)(g, j, &w0, &w1);
            T *d = o + j * C;
            for (int64_t c = 0; c < C; c++) d[c] = m[w0 * C + c];
            for (int64_t wj = w0 + 1; wj < w1; wj++) {
                const T *s = m + wj * C;
#pragma omp simd
                for (int64_t c = 0; c < C; c++) {
                    const T v = s[c], b = d[c], top = v > b ? v : b;
                    d[c] = v != v ? v : top;
                }
            }
        }
    }
}

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

int GF_CAT(gf_max_pool, SUF)(const gf_pool *g, const T *x, T *out)
{
    int failed = 0;
#pragma omp parallel if (g->n * g->oh * g->kh * g->w * g->c >= GF_POOL_PAR) reduction(| : failed)
    {
        int64_t lo, hi;
        FN(split)(g->n * g->oh, &lo, &hi);
        T *m = malloc((size_t)(g->w * g->c) * sizeof(T) + 1);
        if (m) FN(pool_rows)(g, x, out, m, lo, hi);
        else failed = 1;
        free(m);
    }
    return failed ? -1 : 0;
}

#undef FN
#undef GF_CAT
#undef GF_CAT_
