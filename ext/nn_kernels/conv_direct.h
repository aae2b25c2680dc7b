/* Direct (im2col-free) NHWC convolution loops for small convolutions; see conv_direct.c. */
#ifndef GF_CONV_DIRECT_H
#define GF_CONV_DIRECT_H

#include <stdint.h>

/* One convolution's geometry. x is [n, h, w, c] and already holds any padding (the loops read
 * only cells inside it), the filter is [kh, kw, c, co], the output [n, oh, ow, co]. */
typedef struct {
    int64_t n, h, w, c, kh, kw, co, sh, sw, dh, dw, oh, ow;
} gf_conv;

/* out = conv(x, filter). Returns 0, or -1 when out of memory. */
int gf_conv_forward_f32(const gf_conv *g, const float *x, const float *filter, float *out);
int gf_conv_forward_f64(const gf_conv *g, const double *x, const double *filter, double *out);
/* dfilter = the filter gradient of conv(x, filter) given dy. */
int gf_conv_filter_f32(const gf_conv *g, const float *x, const float *dy, float *dfilter);
int gf_conv_filter_f64(const gf_conv *g, const double *x, const double *dy, double *dfilter);
/* dx = the input gradient given dy (dx is overwritten, padding cells included). */
int gf_conv_input_f32(const gf_conv *g, const float *filter, const float *dy, float *dx);
int gf_conv_input_f64(const gf_conv *g, const double *filter, const double *dy, double *dx);

#endif
