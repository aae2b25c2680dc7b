/* Direct NHWC convolutions: forward, filter gradient and input gradient without an im2col
 * matrix or a BLAS call.
 *
 * Small convolutions (LeNet's: 5x5 filters, 1 to 16 channels) make poor GEMM shapes (K = 25,
 * N = 6), and the im2col matrix they would go through is 25x to 150x the input. These loops
 * read the input in place through a table of tap offsets and accumulate in registers; one input
 * channel with unit width stride gets loops vectorised over a row's pixels instead of over the
 * output channels. Rows (forward, filter gradient) or images (input gradient, whose windows
 * overlap) are split over the OpenMP team when the work is large enough to pay for waking it;
 * the filter gradient sums one partial per thread. Each hot loop is compiled for AVX-512,
 * AVX2+FMA and the baseline, picked at load time (GCC function multiversioning).
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "conv_direct.h"

#include "gf_clones.h"

#define GF_CONV_PAR (1 << 18)      /* multiply-adds below which one thread does it all */
#define GF_C1_SCRATCH (1 << 17)    /* cells of per-thread scratch the one-channel loops may use */

#define T float
#define SUF f32
#define CB 16
#include "conv_direct_impl.h"
#undef T
#undef SUF
#undef CB

#define T double
#define SUF f64
#define CB 8
#include "conv_direct_impl.h"
