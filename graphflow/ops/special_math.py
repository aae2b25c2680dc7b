"""NumPy references for the special functions NumPy lacks: lgamma, erfc, digamma, Hurwitz zeta,
polygamma. SciPy is not a dependency, so these are written out, vectorised, in float64.

digamma and zeta follow Cephes (S. L. Moshier, `psi.c` and `zeta.c`), which is also what TF1's
Eigen kernels implement, including their values at the poles: digamma is NaN at 0 and the
negative integers; zeta(x, q) is inf at x == 1, NaN for x < 1, and at a non-positive integer q
inf for even x and NaN otherwise; a negative non-integer q needs an integer x.
"""

from __future__ import annotations

import math

import numpy as np

# psi's asymptotic series: B_2k / (2k) for k = 7..1 (Abramowitz & Stegun 6.3.18).
_PSI_SERIES = (8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3,
               -4.16666666666666666667e-3, 3.96825396825396825397e-3, -8.33333333333333333333e-3,
               8.33333333333333333333e-2)
# Euler-Maclaurin tail coefficients of zeta: (2k)! / B_2k (Cephes zeta.c).
_ZETA_A = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9,
           7.47242496e10, -2.950130727918164224e12, 1.1646782814350067249e14,
           -4.5979787224074726105e15, 1.8152105401943546773e17, -7.1661652561756670113e18)
_EPS = np.finfo(np.float64).eps / 2


def _as_f64(x):
    return np.asarray(x, dtype=np.float64)


def _lgamma1(v: float) -> float:
    if math.isnan(v):
        return v
    if math.isinf(v) or v <= 0 and v == math.floor(v):
        return math.inf  # the poles, and +-inf, as TF1 (log |Gamma|)
    try:
        return math.lgamma(v)
    except OverflowError:  # |x| beyond ~2.5e305: log |Gamma| itself exceeds the float range
        return math.inf


def lgamma(x):
    """log |Gamma(x)|; +inf at the poles (0, -1, -2, ...) and at +-inf, as TF1."""
    with np.errstate(over="ignore"):  # math.lgamma's overflow leaves the flag set
        y = np.vectorize(_lgamma1, otypes=[np.float64])(_as_f64(x))
    return y.astype(np.asarray(x).dtype)


def erfc(x):
    """1 - erf(x) without the cancellation for large x (math.erfc per element)."""
    return np.vectorize(math.erfc, otypes=[np.float64])(_as_f64(x)).astype(np.asarray(x).dtype)


def digamma(x):
    """psi(x) = d/dx log Gamma(x): the reflection psi(1-x) - pi/tan(pi x) below 0, the recurrence
    psi(x) = psi(x+1) - 1/x up to 10, then the asymptotic series in 1/x^2."""
    dtype = np.asarray(x).dtype
    x = _as_f64(x)
    with np.errstate(all="ignore"):
        pole = (x <= 0) & (x == np.floor(x))
        negative = x <= 0
        frac = x - np.floor(x)  # pi/tan(pi x) from the nearer side of the integer
        frac = np.where(frac > 0.5, frac - 1.0, frac)
        reflection = np.where(frac == 0.5, 0.0, np.pi / np.tan(np.pi * frac))
        v = np.where(negative, 1.0 - x, x)
        v = np.where(pole | np.isnan(v), 11.0, v)
        shift = np.zeros_like(v)
        for _ in range(10):  # v >= 1 after reflection, or tiny positive: at most 10 steps
            small = v < 10.0
            shift = shift + np.where(small, 1.0 / v, 0.0)
            v = np.where(small, v + 1.0, v)
        z = 1.0 / (v * v)
        series = np.zeros_like(v)
        for c in _PSI_SERIES:
            series = series * z + c
        series = np.where(v < 1e17, series * z, 0.0)
        y = np.log(v) - 0.5 / v - series - shift
        y = np.where(negative, y - reflection, y)
        y = np.where(pole | np.isnan(x), np.nan, y)
    return y.astype(dtype)


def zeta(x, q):
    """The Hurwitz zeta function sum_k (k + q)^-x, by Euler-Maclaurin summation (Cephes)."""
    dtype = np.result_type(np.asarray(x).dtype, np.asarray(q).dtype)
    x, q = np.broadcast_arrays(_as_f64(x), _as_f64(q))
    with np.errstate(all="ignore"):
        int_q = (q <= 0) & (q == np.floor(q))
        even_x = (x == np.floor(x)) & (np.fmod(x, 2.0) == 0)
        special = np.where(x == 1.0, np.inf, np.nan)
        bad = (x <= 1.0) | np.isnan(x) | np.isnan(q)
        special = np.where(~bad & int_q, np.where(even_x, np.inf, np.nan), special)
        bad = bad | int_q | ((q < 0) & (x != np.floor(x)))
        xs, qs = np.where(bad, 2.0, x), np.where(bad, 1.0, q)
        s = qs ** -xs
        a, b = qs.copy(), np.zeros_like(qs)
        done = np.zeros(qs.shape, bool)
        i = 0
        while True:  # add terms until a > 9 and at least 9 of them, or they stop mattering
            go = ~done & ((i < 9) | (a <= 9.0))
            if not go.any():
                break
            i += 1
            a = np.where(go, a + 1.0, a)
            b = np.where(go, a ** -xs, b)
            s = np.where(go, s + b, s)
            done = done | (go & (np.abs(b / s) < _EPS))
        w = a
        tail = ~done
        s = np.where(tail, s + b * w / (xs - 1.0) - 0.5 * b, s)
        aa, k = np.ones_like(s), np.zeros_like(s)
        for coeff in _ZETA_A:
            aa = aa * (xs + k)
            b = b / w
            t = aa * b / coeff
            s = np.where(tail, s + t, s)
            tail = tail & (np.abs(t / s) >= _EPS)
            k = k + 1.0
            aa = aa * (xs + k)
            b = b / w
            k = k + 1.0
        big_q = ~bad & (qs > 1e8)  # DLMF 25.11.43
        s = np.where(big_q, (1.0 / (xs - 1.0) + 1.0 / (2.0 * qs)) * qs ** (1.0 - xs), s)
        s = np.where(bad, special, s)
    return s.astype(dtype)


def polygamma(a, x):
    """psi^(n)(x) = (-1)^(n+1) n! zeta(n+1, x) for integer n = a >= 1, digamma for n = 0, NaN
    for other a (TF1)."""
    dtype = np.result_type(np.asarray(a).dtype, np.asarray(x).dtype)
    a, x = np.broadcast_arrays(_as_f64(a), _as_f64(x))
    with np.errstate(all="ignore"):
        order_ok = (a == np.floor(a)) & (a >= 0)
        n = np.where(order_ok, a, 1.0)
        sign = np.where(np.fmod(n, 2.0) == 0, -1.0, 1.0)
        factorial = np.exp(lgamma(n + 1.0))
        higher = sign * factorial * zeta(n + 1.0, x)
        y = np.where(n == 0, digamma(x), higher)
        y = np.where(order_ok, y, np.nan)
    return y.astype(dtype)
