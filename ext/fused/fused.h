/* Register-program evaluator for FusedElementwise (see fused_eval.c). */
#ifndef GF_FUSED_H
#define GF_FUSED_H

#include <stdint.h>

/* Opcodes: keep in step with _OPCODES in graphflow/executors/cpu/kernels_fused.py. */
enum {
    GF_ADD, GF_SUB, GF_MUL, GF_DIV, GF_NEG, GF_ABS, GF_SQUARE, GF_SQRT, GF_RSQRT, GF_RECIP,
    GF_EXP, GF_LOG, GF_LOG1P, GF_TANH, GF_SIGMOID, GF_RELU, GF_MAX, GF_MIN, GF_SQDIFF, GF_SIGN,
    GF_FLOOR, GF_CEIL, GF_ROUND, GF_SCE,
    /* bool results are held as 0 / 1 of the element type (so Cast(bool -> T) costs nothing) */
    GF_GT, GF_GE, GF_LT, GF_LE, GF_EQ, GF_NE, GF_LNOT, GF_LAND, GF_LOR, GF_NUM_OPS
};

/* How input register i reads its array at flat output index k. */
enum {
    GF_FULL,   /* data[k]: same shape as the output */
    GF_SCALAR, /* data[0] */
    GF_TILE    /* data[(k / div) % period]: a bias row (div 1), a column, or a channel vector */
};

typedef struct { int32_t op, dst, a, b; } gf_ins;  /* dst = op(a, b); registers < nin: inputs */

typedef struct {
    const void *data;
    int64_t div, period;
    int32_t kind;
} gf_src;

typedef struct {
    int32_t nin, nreg, nins, nout;
    const gf_ins *ins;
    const int32_t *out_regs; /* register holding each output at the end of a block */
} gf_prog;

/* Evaluate over n elements in blocks of `block` (a multiple of 16); outs[i] has n elements.
 * Returns 0, or -1 when out of memory. Thread-safe; uses OpenMP when n is large. */
int gf_run_f32(const gf_prog *p, const gf_src *src, void *const *outs, int64_t n, int64_t block);
int gf_run_f64(const gf_prog *p, const gf_src *src, void *const *outs, int64_t n, int64_t block);

/* Direct math entry points over arrays (used by the accuracy tests). */
void gf_math_f32(int op, const float *x, float *y, int64_t n);
void gf_math_f64(int op, const double *x, double *y, int64_t n);

#endif
