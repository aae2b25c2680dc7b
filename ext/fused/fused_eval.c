/* FusedElementwise's evaluator: a register program run over cache-sized blocks.
 *
 * Each OpenMP thread owns nreg block-sized buffers (L1/L2 resident); for each of its blocks it
 * points full-size input registers into the input arrays, fills tiled inputs, runs every
 * instruction as one tight SIMD loop, and only then copies the result registers to the outputs,
 * so an output may share memory with a full-size input (in-place); an output no input reads is
 * written in place of its register instead. The per-block function is compiled three times
 * (AVX-512 as x86-64-v4, AVX2+FMA as x86-64-v3, baseline) and picked at load time by GCC
 * function multiversioning; AVX-512 runs W2 about 1.3x faster than AVX2 on one core.
 */
/* FP exception flags are never read here; without this GCC will not if-convert (and so not
 * vectorise) the selects in gf_math.h. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "fused.h"
#include "gf_math.h"

#ifndef GF_CLONES /* -DGF_CLONES= builds one baseline version (to test it) */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && __GNUC__ >= 11 && \
    defined(__GLIBC__)
#define GF_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define GF_CLONES
#endif
#endif

/* Below this much work (element-ops weighted by rough cost) one thread does it all: waking the
 * team costs tens of microseconds, more on a busy machine. */
#define GF_PARALLEL_WORK (1 << 19)
#define GF_CHUNK_BLOCKS(block) ((16384 + (block) - 1) / (block))
/* A one-thread run whose registers fit here keeps them on the stack (fused_impl.h). */
#define GF_STACK_BYTES 8192
#define GF_STACK_REGS 64

#define T float
#define SUF f32
#define M_EXP gf_expf
#define M_LOG gf_logf
#define M_LOG1P gf_log1pf
#define M_TANH gf_tanhf
#define M_SIGMOID gf_sigmoidf
#define M_FABS fabsf
#define M_SQRT __builtin_sqrtf
#define M_FLOOR __builtin_floorf
#define M_CEIL __builtin_ceilf
#define M_RINT __builtin_rintf
#define M_EXPM1 expm1f
#define M_ERFC erfcf
#define M_LGAMMA gf_lgammaf
#define M_ATAN2 atan2f
/* Rough cost of one element of an instruction, in simple arithmetic ops. */
static int64_t gf_weight(const gf_prog *p)
{
    int64_t w = p->nout;
    for (int k = 0; k < p->nins; k++) {
        int op = p->ins[k].op;
        w += op >= 0 && op < GF_NUM_OPS ? gf_op_weight[op] : 1;
    }
    return w;
}

#include "fused_impl.h"
#undef T
#undef SUF
#undef M_EXP
#undef M_LOG
#undef M_LOG1P
#undef M_TANH
#undef M_SIGMOID
#undef M_FABS
#undef M_SQRT
#undef M_FLOOR
#undef M_CEIL
#undef M_RINT
#undef M_EXPM1
#undef M_ERFC
#undef M_LGAMMA
#undef M_ATAN2

#define T double
#define SUF f64
#define M_EXP gf_exp
#define M_LOG gf_log
#define M_LOG1P gf_log1p
#define M_TANH gf_tanh
#define M_SIGMOID gf_sigmoid
#define M_FABS fabs
#define M_SQRT __builtin_sqrt
#define M_FLOOR __builtin_floor
#define M_CEIL __builtin_ceil
#define M_RINT __builtin_rint
#define M_EXPM1 expm1
#define M_ERFC erfc
#define M_LGAMMA gf_lgamma
#define M_ATAN2 atan2
#include "fused_impl.h"
