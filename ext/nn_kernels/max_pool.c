/* Max pooling, NHWC, with TF1's rules: padding is never a candidate and a window holding a NaN
 * gives NaN.
 *
 * A window row's rows are first reduced cell by cell along a whole image row (w * c contiguous
 * cells: full-width vectors even for LeNet's 6 channels), then each window's few columns of that
 * reduction are combined. Output rows are split over the OpenMP team when there is enough work.
 * Compiled for AVX-512, AVX2 and the baseline, picked at load time.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

#include <stdint.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "max_pool.h"

#include "gf_clones.h"

#define GF_POOL_PAR (1 << 17) /* cells read below which one thread does it all */

#define T float
#define SUF f32
#include "max_pool_impl.h"
#undef T
#undef SUF

#define T double
#define SUF f64
#include "max_pool_impl.h"
