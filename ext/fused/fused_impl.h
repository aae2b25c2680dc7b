/* Evaluator body for one element type; included by fused_eval.c with T, SUF and M_* defined. */
#define GF_CAT_(a, b) a##_##b
#define GF_CAT(a, b) GF_CAT_(a, b)
#define FN(name) GF_CAT(name, SUF)

/* sa / sb are compile-time constants after inlining: 1 reads a scalar operand from a register
 * (saves a load per element), so each binary op gets vector-vector and vector-scalar loops. */
#define UNARY(expr)                                                   \
    do {                                                              \
        _Pragma("omp simd") for (int64_t i = 0; i < len; i++) {       \
            T x = a[i];                                               \
            d[i] = (expr);                                            \
        }                                                             \
    } while (0)
#define BINARY(expr)                                                  \
    do {                                                              \
        _Pragma("omp simd") for (int64_t i = 0; i < len; i++) {       \
            T x = sa ? a0 : a[i], y = sb ? b0 : b[i];                 \
            d[i] = (expr);                                            \
        }                                                             \
    } while (0)

#define MULADD(expr)                                                  \
    do {                                                              \
        _Pragma("omp simd") for (int64_t i = 0; i < len; i++) {       \
            T x = a[i], y = sb ? b0 : b[i], z = sc ? c0 : c[i];       \
            T w = se ? e0 : e[i]; /* read only by the four-operand */ \
            (void)w;                                                  \
            d[i] = (expr);                                            \
        }                                                             \
    } while (0)

/* One instruction over `len` elements; d never aliases a or b (the allocator sees to it). */
static inline __attribute__((always_inline)) void FN(gf_apply)(int op, T *restrict d,
                                                               const T *restrict a,
                                                               const T *restrict b, int64_t len,
                                                               const int sa, const int sb)
{
    const T a0 = a[0], b0 = b[0];
    switch (op) {
        GF_OP_CASES
    }
}

/* A multiply-add over `len` elements: sb, sc, se are compile-time constants after inlining;
 * 1 reads that operand as a scalar. */
static inline __attribute__((always_inline)) void FN(gf_apply_muladd)(
    int op, T *restrict d, const T *restrict a, const T *restrict b, const T *restrict c,
    const T *restrict e, int64_t len, const int sb, const int sc, const int se)
{
    const T b0 = b[0], c0 = c[0], e0 = e[0];
    switch (op) {
    case GF_OP_MUL_ADD: MULADD(x * y + z); break;
    case GF_OP_MUL_SUB: MULADD(x * y - z); break;
    case GF_OP_SUB_MUL: MULADD(z - x * y); break;
    case GF_OP_MUL_MUL_ADD: MULADD(x * y + z * w); break;
    case GF_OP_MUL_MUL_SUB: MULADD(x * y - z * w); break;
    default: break;
    }
}

/* Runs a multiply-add with one loop per scalar case that matters: a scalar factor is moved
 * second (products commute); both factors scalar simply read their filled block buffers. */
static inline __attribute__((always_inline)) void FN(gf_muladd)(const gf_ins *in, T **reg,
                                                                const gf_src *src, int nin,
                                                                int64_t len)
{
#define GF_IS_SCALAR(r) ((r) < nin && src[r].kind == GF_SCALAR)
    const T *a = reg[in->a], *b = reg[in->b], *c = reg[in->c], *e = reg[in->e], *t;
    int sb = GF_IS_SCALAR(in->b), sc = GF_IS_SCALAR(in->c), se = GF_IS_SCALAR(in->e);
    if (GF_IS_SCALAR(in->a) && !sb) {
        t = a, a = b, b = t;
        sb = 1;
    }
    T *d = reg[in->dst];
    if (in->op >= GF_OP_MUL_MUL_ADD) {
        if (sc && !se) {
            t = c, c = e, e = t;
            se = 1;
        }
        if (sb && se)
            FN(gf_apply_muladd)(in->op, d, a, b, c, e, len, 1, 0, 1);
        else if (sb)
            FN(gf_apply_muladd)(in->op, d, a, b, c, e, len, 1, 0, 0);
        else if (se)
            FN(gf_apply_muladd)(in->op, d, a, b, c, e, len, 0, 0, 1);
        else
            FN(gf_apply_muladd)(in->op, d, a, b, c, e, len, 0, 0, 0);
    } else if (sb && sc) {
        FN(gf_apply_muladd)(in->op, d, a, b, c, c, len, 1, 1, 0);
    } else if (sb) {
        FN(gf_apply_muladd)(in->op, d, a, b, c, c, len, 1, 0, 0);
    } else if (sc) {
        FN(gf_apply_muladd)(in->op, d, a, b, c, c, len, 0, 1, 0);
    } else {
        FN(gf_apply_muladd)(in->op, d, a, b, c, c, len, 0, 0, 0);
    }
#undef GF_IS_SCALAR
}

/* Copy the tiled input's values for flat indices [off, off + len) into d. */
static void FN(gf_fill)(T *restrict d, const gf_src *s, int64_t off, int64_t len)
{
    const T *src = (const T *)s->data;
    int64_t j = (off / s->div) % s->period, r = off % s->div, i = 0;
    if (s->div == 1) { /* a row: contiguous runs of the period */
        while (i < len) {
            int64_t run = s->period - j < len - i ? s->period - j : len - i;
            memcpy(d + i, src + j, (size_t)run * sizeof(T));
            i += run;
            j = 0;
        }
        return;
    }
    while (i < len) { /* a column: runs of one value */
        int64_t run = s->div - r < len - i ? s->div - r : len - i;
        T v = src[j];
        for (int64_t k = 0; k < run; k++) d[i + k] = v;
        i += run;
        r = 0;
        j = j + 1 == s->period ? 0 : j + 1;
    }
}

/* `direct`: bit o set when output o's register may live in the output itself (see gf_run). */
GF_CLONES static void FN(gf_block)(const gf_prog *p, const gf_src *src, T **reg, T *const *tmp,
                                   void *const *outs, uint64_t direct, int64_t off, int64_t len)
{
    for (int i = 0; i < p->nin; i++) {
        if (src[i].kind == GF_FULL)
            reg[i] = (T *)src[i].data + off;
        else if (src[i].kind == GF_TILE)
            FN(gf_fill)(reg[i] = tmp[i], &src[i], off, len);
    }
    for (int o = 0; o < p->nout && o < 64; o++)
        if (direct >> o & 1) reg[p->out_regs[o]] = (T *)outs[o] + off;
    for (int k = 0; k < p->nins; k++) {
        const gf_ins *in = &p->ins[k];
        int sa = in->a < p->nin && src[in->a].kind == GF_SCALAR;
        int sb = in->b < p->nin && src[in->b].kind == GF_SCALAR;
        if (in->op >= GF_NUM_OPS)
            FN(gf_muladd)(in, reg, src, p->nin, len);
        else if (sb && !sa) /* unary ops have b == a, so they always take the last call */
            FN(gf_apply)(in->op, reg[in->dst], reg[in->a], reg[in->b], len, 0, 1);
        else if (sa && !sb)
            FN(gf_apply)(in->op, reg[in->dst], reg[in->a], reg[in->b], len, 1, 0);
        else
            FN(gf_apply)(in->op, reg[in->dst], reg[in->a], reg[in->b], len, 0, 0);
    }
    for (int o = 0; o < p->nout; o++) {
        T *dst = (T *)outs[o] + off;
        if (dst != reg[p->out_regs[o]]) memcpy(dst, reg[p->out_regs[o]], (size_t)len * sizeof(T));
    }
    for (int o = 0; o < p->nout && o < 64; o++) /* the next block starts from the buffers */
        if (direct >> o & 1) reg[p->out_regs[o]] = tmp[p->out_regs[o]];
}

/* Outputs whose register can be the output array itself, saving a copy per block: registers
 * written by the program (not an input's), into arrays no input reads, one output per register. */
static uint64_t FN(gf_direct)(const gf_prog *p, const gf_src *src, void *const *outs, int64_t n)
{
    uint64_t direct = 0;
    for (int o = 0; o < p->nout && o < 64; o++) {
        int r = p->out_regs[o], ok = r >= p->nin;
        const char *lo = outs[o], *hi = lo + n * (int64_t)sizeof(T);
        for (int i = 0; ok && i < p->nin; i++) {
            const char *d = src[i].data;
            int64_t len = src[i].kind == GF_FULL ? n : src[i].kind == GF_TILE ? src[i].period : 1;
            ok = hi <= d || d + len * (int64_t)sizeof(T) <= lo;
        }
        for (int q = 0; ok && q < o; q++)
            ok = p->out_regs[q] != r;
        if (ok) direct |= (uint64_t)1 << o;
    }
    return direct;
}

/* Point each register of one thread at its share of `mem` and fill its scalar inputs. */
static void FN(gf_regs)(const gf_prog *p, const gf_src *src, T **reg, T *mem, size_t stride,
                        int64_t block)
{
    T **tmp = reg + p->nreg;
    for (int r = 0; r < p->nreg; r++)
        reg[r] = tmp[r] = mem + (size_t)r * stride;
    for (int i = 0; i < p->nin; i++) /* scalars: fill once */
        if (src[i].kind == GF_SCALAR)
            for (int64_t k = 0; k < block; k++) tmp[i][k] = *(const T *)src[i].data;
}

int FN(gf_run)(const gf_prog *p, const gf_src *src, void *const *outs, int64_t n, int64_t block)
{
    int64_t nblocks = (n + block - 1) / block;
    uint64_t direct = FN(gf_direct)(p, src, outs, n);
    int nt = 1;
#ifdef _OPENMP
    if (n * gf_weight(p) >= GF_PARALLEL_WORK) nt = omp_get_max_threads();
    if (nt > nblocks) nt = (int)nblocks;
#endif
    /* Registers are staggered by 64 bytes: at a 4 KB stride their loads and stores would falsely
     * alias in the core's store-forwarding logic (and compete for the same cache sets). */
    size_t stride = (size_t)block + 64 / sizeof(T), per_thread = (size_t)p->nreg * stride;
    size_t pstride = (2 * (size_t)p->nreg + 7) & ~(size_t)7; /* own cache lines per thread */
    if (nt == 1 && per_thread * sizeof(T) <= GF_STACK_BYTES && pstride <= GF_STACK_REGS) {
        /* A small run on one thread (W1's tiny graphs): registers on the stack, no OpenMP
         * team, no allocation; this is most of a small call's fixed cost. */
        _Alignas(64) unsigned char stack_mem[GF_STACK_BYTES];
        T *stack_regs[GF_STACK_REGS];
        FN(gf_regs)(p, src, stack_regs, (T *)stack_mem, stride, block);
        for (int64_t b = 0; b < nblocks; b++) {
            int64_t off = b * block;
            FN(gf_block)(p, src, stack_regs, stack_regs + p->nreg, outs, direct, off,
                         n - off < block ? n - off : block);
        }
        return 0;
    }
    T *mem = aligned_alloc(64, (size_t)nt * per_thread * sizeof(T));
    T **regs = aligned_alloc(64, (size_t)nt * pstride * sizeof(T *));
    if (!mem || !regs) {
        free(mem);
        free(regs);
        return -1;
    }
#pragma omp parallel num_threads(nt) if (nt > 1)
    {
        int t = 0;
#ifdef _OPENMP
        t = omp_get_thread_num();
#endif
        T **reg = regs + (size_t)t * pstride;
        FN(gf_regs)(p, src, reg, mem + (size_t)t * per_thread, stride, block);
        /* dynamic chunks of 16K elements: a thread the OS delays leaves its share to the rest */
#pragma omp for schedule(dynamic, GF_CHUNK_BLOCKS(block))
        for (int64_t b = 0; b < nblocks; b++) {
            int64_t off = b * block;
            FN(gf_block)(p, src, reg, reg + p->nreg, outs, direct, off,
                         n - off < block ? n - off : block);
        }
    }
    free(mem);
    free(regs);
    return 0;
}

GF_CLONES void FN(gf_math)(int op, const T *x, T *y, int64_t n)
{
    if (n > 0) FN(gf_apply)(op, y, x, x, n, 0, 0);
}

#undef FN
#undef GF_CAT
#undef GF_CAT_
#undef UNARY
#undef BINARY
#undef MULADD
