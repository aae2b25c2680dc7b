/* Branch-free elementwise math for the fused evaluator, written so GCC vectorises it when it is
 * inlined into `#pragma omp simd` loops: selects instead of branches, bit casts through memcpy,
 * no integer conversion of NaN (undefined in C).  Cephes-style range reduction and polynomials;
 * errors are a few ulp (see tests/executors/test_fused_kernel.py for the measured figures).
 * IEEE edge cases: exp overflows to inf and underflows through subnormals to 0, log(0) = -inf,
 * log(x < 0) = nan, NaN propagates, tanh(+-large) = +-1, sigmoid(+-large) = 1 / 0. */
#ifndef GF_MATH_H
#define GF_MATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#define GF_INLINE static inline __attribute__((always_inline))

GF_INLINE uint32_t gf_f2u(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
GF_INLINE float gf_u2f(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }
GF_INLINE uint64_t gf_d2u(double x) { uint64_t u; memcpy(&u, &x, 8); return u; }
GF_INLINE double gf_u2d(uint64_t u) { double x; memcpy(&x, &u, 8); return x; }

/* ---- float32 ------------------------------------------------------------------------------ */

/* e^r with x = n ln2 + r, |r| <= ln2/2; *tb gets the bits of t, whose low bits hold n plus the
 * bits of 1.5 * 2^23 (n = round(x / ln2) read from the mantissa of x / ln2 + 1.5 * 2^23). */
GF_INLINE float gf_expf_reduced(float x, uint32_t *tb)
{
    float t = x * 1.44269504088896341f + 12582912.0f;
    float fn = t - 12582912.0f;
    float r = x - fn * 0.693359375f;
    r = r - fn * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    *tb = gf_f2u(t);
    return p * (r * r) + r + 1.0f;
}

/* e^x = 2^n e^r; 2^n applied as two factors so subnormal results come out. */
GF_INLINE float gf_expf(float x)
{
    x = x > 89.0f ? 89.0f : x; /* comparisons are false for NaN: it passes through */
    x = x < -105.0f ? -105.0f : x;
    uint32_t tb;
    float y = gf_expf_reduced(x, &tb);
    /* n + 254, halved: two normal factors 2^(n1 - 127), 2^(n2 - 127), n1 - 127 in [-76, 64] */
    int32_t nb = (int32_t)(tb - (gf_f2u(12582912.0f) - 254u));
    int32_t n1 = nb >> 1, n2 = nb - n1;
    return y * gf_u2f((uint32_t)n1 << 23) * gf_u2f((uint32_t)n2 << 23);
}

/* e^x for x <= 0 (sigmoid's e^-|x|; NaN passes): n in [-152, 0], so one factor 2^(n + 64) is
 * normal and the exact 2^-64 after it rounds a subnormal result once. Fewer ops than gf_expf. */
GF_INLINE float gf_expf_nonpos(float x)
{
    x = x < -105.0f ? -105.0f : x;
    uint32_t tb;
    float y = gf_expf_reduced(x, &tb);
    uint32_t biased = tb - (gf_f2u(12582912.0f) - 64u - 127u); /* n + 64 + 127 */
    return y * gf_u2f(biased << 23) * 0x1p-64f;
}

/* log x = e ln2 + log m, m in [sqrt(1/2), sqrt 2); subnormals are scaled up first. */
GF_INLINE float gf_logf(float x)
{
    int sub = x < 1.17549435e-38f;
    float xs = sub ? x * 8388608.0f : x;
    uint32_t u = gf_f2u(xs);
    int32_t e = (int32_t)((u >> 23) & 0xff) - 126 - (sub ? 23 : 0);
    float m = gf_u2f((u & 0x007fffffu) | 0x3f000000u); /* [0.5, 1) */
    int lo = m < 0.707106781186547524f;
    e = lo ? e - 1 : e;
    m = lo ? m + m - 1.0f : m - 1.0f;
    float fe = (float)e, z = m * m;
    float p = 7.0376836292e-2f;
    p = p * m - 1.1514610310e-1f;
    p = p * m + 1.1676998740e-1f;
    p = p * m - 1.2420140846e-1f;
    p = p * m + 1.4249322787e-1f;
    p = p * m - 1.6668057665e-1f;
    p = p * m + 2.0000714765e-1f;
    p = p * m - 2.4999993993e-1f;
    p = p * m + 3.3333331174e-1f;
    float y = p * m * z + fe * -2.12194440e-4f - 0.5f * z;
    float r = (m + y) + fe * 0.693359375f;
    r = x == INFINITY ? x : r;
    r = x == 0.0f ? -INFINITY : r;
    r = x < 0.0f ? NAN : r;
    return x != x ? x : r;
}

/* log1p x = log(u) * x / (u - 1) with u = 1 + x (Goldberg): exact-ish for tiny x. */
GF_INLINE float gf_log1pf(float x)
{
    float u = 1.0f + x;
    float r = gf_logf(u) * (x / (u - 1.0f));
    r = u == 1.0f ? x : r;
    return x == INFINITY ? x : r;
}

/* tanh as one odd/even rational function on [-7.905, 7.905] (Eigen's fast tanh; <= 5 ulp,
 * the worst just below the clamp, where it reaches 1.0f); half the cost of an exp formula. */
GF_INLINE float gf_tanhf(float x)
{
    float c = x > 7.90531110763549805f ? 7.90531110763549805f : x;
    c = c < -7.90531110763549805f ? -7.90531110763549805f : c;
    float z = c * c;
    float p = -2.76076847742355e-16f;
    p = p * z + 2.00018790482477e-13f;
    p = p * z - 8.60467152213735e-11f;
    p = p * z + 5.12229709037114e-08f;
    p = p * z + 1.48572235717979e-05f;
    p = p * z + 6.37261928875436e-04f;
    p = p * z + 4.89352455891786e-03f;
    float q = 1.19825839466702e-06f;
    q = q * z + 1.18534705686654e-04f;
    q = q * z + 2.26843463243900e-03f;
    q = q * z + 4.89352518554385e-03f;
    float r = c * p / q;
    return fabsf(x) < 0.0004f ? x : r; /* keeps -0.0 and tiny x exact */
}

/* e = e^-|x| never overflows; 1/(1+e) or e/(1+e), one rounding like the reference. */
GF_INLINE float gf_sigmoidf(float x)
{
    float e = gf_expf_nonpos(-fabsf(x));
    return (x >= 0.0f ? 1.0f : e) / (1.0f + e);
}

/* ---- float64 ------------------------------------------------------------------------------ */

GF_INLINE double gf_exp(double x)
{
    x = x > 710.0 ? 710.0 : x;
    x = x < -746.0 ? -746.0 : x;
    double fn = x * 1.4426950408889634074 + 6755399441055744.0; /* 1.5 * 2^52 */
    fn -= 6755399441055744.0;
    double r = x - fn * 6.93145751953125e-1;
    r = r - fn * 1.42860682030941723212e-6;
    /* Taylor to degree 13 on |r| <= 0.347: truncation below 2e-17 */
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    double y = p * (r * r) + r + 1.0;
    int32_t n = (int32_t)(fn == fn ? fn : 0.0);
    int32_t n1 = n >> 1, n2 = n - n1;
    double s1 = gf_u2d((uint64_t)(int64_t)(n1 + 1023) << 52);
    double s2 = gf_u2d((uint64_t)(int64_t)(n2 + 1023) << 52);
    return y * s1 * s2;
}

/* fdlibm's log: f = m - 1, s = f / (2 + f), log(1 + f) = f - hfsq + s (hfsq + R(s^2)). */
GF_INLINE double gf_log(double x)
{
    int sub = x < 2.2250738585072014e-308;
    double xs = sub ? x * 18014398509481984.0 : x; /* 2^54 */
    uint64_t u = gf_d2u(xs);
    int32_t e = (int32_t)((u >> 52) & 0x7ff) - 1022 - (sub ? 54 : 0);
    double m = gf_u2d((u & 0x000fffffffffffffull) | 0x3fe0000000000000ull);
    int lo = m < 0.70710678118654752440;
    e = lo ? e - 1 : e;
    double f = lo ? m + m - 1.0 : m - 1.0;
    double dk = (double)e;
    double s = f / (2.0 + f), z = s * s;
    double R = 1.479819860511658591e-01;
    R = R * z + 1.531383769920937332e-01;
    R = R * z + 1.818357216161805012e-01;
    R = R * z + 2.222219843214978396e-01;
    R = R * z + 2.857142874366239149e-01;
    R = R * z + 3.999999999940941908e-01;
    R = R * z + 6.666666666666735130e-01;
    R *= z;
    double hfsq = 0.5 * f * f;
    double r = dk * 6.93147180369123816490e-01
               - ((hfsq - (s * (hfsq + R) + dk * 1.90821492927058770002e-10)) - f);
    r = x == INFINITY ? x : r;
    r = x == 0.0 ? -INFINITY : r;
    r = x < 0.0 ? NAN : r;
    return x != x ? x : r;
}

GF_INLINE double gf_log1p(double x)
{
    double u = 1.0 + x;
    double r = gf_log(u) * (x / (u - 1.0));
    r = u == 1.0 ? x : r;
    return x == INFINITY ? x : r;
}

GF_INLINE double gf_tanh(double x)
{
    double ax = fabs(x), z = x * x;
    double p = (-9.64399179425052238628e-1 * z - 9.92877231001918586564e1) * z
               - 1.61468768441708447952e3;
    double q = ((z + 1.12811678491632931402e2) * z + 2.23548839060100448583e3) * z
               + 4.84406305325125486048e3;
    double small = x == 0.0 ? x : x + x * z * (p / q); /* keeps -0.0 */
    double big = copysign(1.0 - 2.0 / (gf_exp(ax + ax) + 1.0), x);
    return ax < 0.625 ? small : big;
}

GF_INLINE double gf_sigmoid(double x)
{
    double e = gf_exp(-fabs(x));
    return (x >= 0.0 ? 1.0 : e) / (1.0 + e);
}

/* ---- libm, one call per element: erfc, expm1, atan2 and the reentrant lgamma -------------- */

/* lgamma_r: plain lgamma writes the global signgam, a data race under OpenMP. */
GF_INLINE float gf_lgammaf(float x) { int sign; return lgammaf_r(x, &sign); }
GF_INLINE double gf_lgamma(double x) { int sign; return lgamma_r(x, &sign); }

#endif
