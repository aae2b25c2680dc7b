/* Register-program evaluator for FusedElementwise (see fused_eval.c). */
#ifndef GF_FUSED_H
#define GF_FUSED_H

#include <stdint.h>

/* Opcodes (GF_OP_*), the switch over them and their names: generated at build time from each
 * elementwise op's `scalar` declaration by ext/gen_elementwise.py. */
#include "fused_ops.h"

/* How input register i reads its array at flat output index k. */
enum {
    GF_FULL,   /* data[k]: same shape as the output */
    GF_SCALAR, /* data[0] */
    GF_TILE    /* data[(k / div) % period]: a bias row (div 1), a column, or a channel vector */
};

/* Multiply-adds the Python side makes of single-use Muls feeding an Add or Sub (one pass, one
 * rounding, instead of two or three passes over the block): dst = a * b + c, a * b - c,
 * c - a * b, a * b + c * e, a * b - c * e. */
enum {
    GF_OP_MUL_ADD = GF_NUM_OPS,
    GF_OP_MUL_SUB,
    GF_OP_SUB_MUL,
    GF_OP_MUL_MUL_ADD,
    GF_OP_MUL_MUL_SUB,
    GF_NUM_ALL_OPS
};

/* dst = op(a, b), or op(a, b, c[, e]) for the multiply-adds; registers < nin: inputs */
typedef struct { int32_t op, dst, a, b, c, e; } gf_ins;

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
