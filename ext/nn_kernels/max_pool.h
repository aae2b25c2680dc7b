/* Max pooling over NHWC images; see max_pool.c. */
#ifndef GF_MAX_POOL_H
#define GF_MAX_POOL_H

#include <stdint.h>

/* x is [n, h, w, c], the pooled output [n, oh, ow, c]; windows kh x kw at strides sh x sw, the
 * first one starting pt rows above and pl columns left of x (padding is never a candidate). */
typedef struct {
    int64_t n, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow;
} gf_pool;

/* out = each window's maximum (NaN if it holds one). Returns 0, or -1 when out of memory. */
int gf_max_pool_f32(const gf_pool *g, const float *x, float *out);
int gf_max_pool_f64(const gf_pool *g, const double *x, double *out);

#endif
