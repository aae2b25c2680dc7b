# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
# cython: cdivision=True
"""Native CPU kernels: reductions, arg-reductions, softmax family, gather/scatter-add, one_hot and
blocked copies. Each runs without the GIL and uses OpenMP only above `PARALLEL_MIN` elements, so
small tensors never pay for thread start-up.

Tensors come in as C-contiguous [outer, n, inner] views (the Python side reshapes); copies that
do not depend on the element type take byte (or same-width unsigned int) views.
"""

from cython.parallel cimport prange
from libc.math cimport exp, expf, log, logf
from libc.stdint cimport int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.string cimport memcpy, memset

ctypedef fused real:
    float
    double

ctypedef fused num:
    float
    double
    int32_t
    int64_t
    uint8_t

ctypedef fused index:
    int32_t
    int64_t

ctypedef fused word:
    uint8_t
    uint16_t
    uint32_t
    uint64_t

PARALLEL_MIN = 1 << 16
cdef Py_ssize_t PAR = PARALLEL_MIN
cdef Py_ssize_t BLOCK = 512  # columns per task when reducing over a middle axis


# --- reductions ---------------------------------------------------------------------------------
cdef inline bint _nan(num v) noexcept nogil:
    if num is float or num is double:
        return v != v
    else:
        return False


cdef inline double _sum_f(const num* p, Py_ssize_t n, bint square) noexcept nogil:
    """Sum of a contiguous row with 8 accumulators in double (vectorisable and accurate)."""
    cdef double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0
    cdef Py_ssize_t j = 0
    if square:
        while j + 8 <= n:
            a0 += <double>p[j] * p[j]
            a1 += <double>p[j + 1] * p[j + 1]
            a2 += <double>p[j + 2] * p[j + 2]
            a3 += <double>p[j + 3] * p[j + 3]
            a4 += <double>p[j + 4] * p[j + 4]
            a5 += <double>p[j + 5] * p[j + 5]
            a6 += <double>p[j + 6] * p[j + 6]
            a7 += <double>p[j + 7] * p[j + 7]
            j += 8
        while j < n:
            a0 += <double>p[j] * p[j]
            j += 1
    else:
        while j + 8 <= n:
            a0 += p[j]
            a1 += p[j + 1]
            a2 += p[j + 2]
            a3 += p[j + 3]
            a4 += p[j + 4]
            a5 += p[j + 5]
            a6 += p[j + 6]
            a7 += p[j + 7]
            j += 8
        while j < n:
            a0 += p[j]
            j += 1
    return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))


cdef inline int64_t _sum_i(const num* p, Py_ssize_t n) noexcept nogil:
    cdef int64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0
    cdef Py_ssize_t j = 0
    while j + 4 <= n:
        a0 += <int64_t>p[j]
        a1 += <int64_t>p[j + 1]
        a2 += <int64_t>p[j + 2]
        a3 += <int64_t>p[j + 3]
        j += 4
    while j < n:
        a0 += <int64_t>p[j]
        j += 1
    return (a0 + a1) + (a2 + a3)


cdef inline num _row_reduce(const num* p, Py_ssize_t n, int op, num init) noexcept nogil:
    """op 0 sum, 1 prod, 2 max, 3 min (NaN propagates), 4 sum of squares."""
    cdef Py_ssize_t j
    cdef num acc = init, v
    if op == 0 or op == 4:
        if num is float or num is double:
            return <num>_sum_f(p, n, op == 4)
        elif op == 0:
            return <num>_sum_i(p, n)
        else:
            acc = 0
            for j in range(n):
                acc = acc + p[j] * p[j]
            return acc
    if op == 1:
        for j in range(n):
            acc = acc * p[j]
    elif op == 2:
        for j in range(n):
            v = p[j]
            if v > acc or _nan(v):
                acc = v
                if _nan(v):
                    break
    else:
        for j in range(n):
            v = p[j]
            if v < acc or _nan(v):
                acc = v
                if _nan(v):
                    break
    return acc


cdef inline void _col_sum(const num* x, num* o, Py_ssize_t n, Py_ssize_t stride, Py_ssize_t w,
                          bint squares) noexcept nogil:
    """o[i] += x[r, i] (or its square) for each row r in turn: each column's sum in the same order
    as the row-by-row loop, so the result is the same to the bit."""
    cdef Py_ssize_t r, i
    cdef const num* p
    for r in range(n):
        p = x + r * stride
        if squares:
            for i in range(w):
                o[i] = o[i] + p[i] * p[i]
        else:
            for i in range(w):
                o[i] = o[i] + p[i]


cdef inline void _col_reduce(const num[:, :, ::1] x, num* o, Py_ssize_t a, Py_ssize_t i0,
                             Py_ssize_t i1, int op, num init) noexcept nogil:
    """out[a, i0:i1] = reduce over r of x[a, r, i0:i1]: row by row, as NumPy does."""
    cdef Py_ssize_t r, i, n = x.shape[1]
    cdef num v
    for i in range(i0, i1):
        o[i] = init
    if op == 0 or op == 4:  # raw pointers, the op chosen outside the loops: GCC vectorises these
        _col_sum(&x[a, 0, 0] + i0, o + i0, n, x.shape[2], i1 - i0, op == 4)
        return
    for r in range(n):
        if op == 1:
            for i in range(i0, i1):
                o[i] = o[i] * x[a, r, i]
        elif op == 2:
            for i in range(i0, i1):
                v = x[a, r, i]
                o[i] = v if ((v > o[i] or _nan(v)) and not _nan(o[i])) else o[i]
        else:
            for i in range(i0, i1):
                v = x[a, r, i]
                o[i] = v if ((v < o[i] or _nan(v)) and not _nan(o[i])) else o[i]


def reduce3(const num[:, :, ::1] x, num[:, ::1] out, int op, num init):
    """out[a, i] = reduce_r x[a, r, i] for op 0 sum, 1 prod, 2 max, 3 min, 4 sum of squares."""
    cdef Py_ssize_t outer = x.shape[0], n = x.shape[1], inner = x.shape[2]
    cdef Py_ssize_t a, t, c, nblk, nchunk, chunk, lo, hi
    cdef bint par = outer * n * inner >= PAR
    cdef double[64] part
    cdef double total
    with nogil:
        if (num is float or num is double) and inner == 1 and outer == 1 and par \
                and (op == 0 or op == 4):
            nchunk = 64
            chunk = (n + nchunk - 1) // nchunk
            for c in prange(nchunk, schedule="static"):
                lo = c * chunk
                hi = min(n, lo + chunk)
                part[c] = <double>_row_reduce(&x[0, 0, 0] + lo, max(hi - lo, 0), op, init) \
                    if hi > lo else 0
            total = 0
            for c in range(nchunk):
                total = total + part[c]
            out[0, 0] = <num>total
        elif inner == 1:
            for a in prange(outer, schedule="static", use_threads_if=par):
                out[a, 0] = _row_reduce(&x[a, 0, 0], n, op, init) if n else init
        else:
            nblk = (inner + BLOCK - 1) // BLOCK
            for t in prange(outer * nblk, schedule="static", use_threads_if=par):
                a = t // nblk
                lo = (t % nblk) * BLOCK
                _col_reduce(x, &out[a, 0], a, lo, min(inner, lo + BLOCK), op, init)
    return out


# --- softmax family -----------------------------------------------------------------------------
cdef inline real _exp(real v) noexcept nogil:
    if real is float:
        return expf(v)
    else:
        return exp(v)


cdef inline real _log(real v) noexcept nogil:
    if real is float:
        return logf(v)
    else:
        return log(v)


cdef inline real _row_max(const real* p, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t j
    cdef real m = p[0]
    for j in range(1, n):
        if p[j] > m or p[j] != p[j]:
            m = p[j]
            if m != m:
                break
    return m


cdef inline real _row_lse(const real* p, Py_ssize_t n, real m) noexcept nogil:
    """log(sum(exp(p - m))), as the reference computes it."""
    cdef Py_ssize_t j
    cdef real s = 0
    for j in range(n):
        s = s + _exp(p[j] - m)
    return _log(s)


def softmax_rows(const real[:, ::1] x, real[:, ::1] out, bint logarithm):
    """Softmax (or log-softmax) of each row: one exp per element, rows split across threads.

    Scalar exp is slow next to NumPy's SIMD exp: the caller uses this only for short rows."""
    cdef Py_ssize_t rows = x.shape[0], n = x.shape[1], a, j
    cdef real m, lse, s, e
    if n == 0:
        return out
    with nogil:
        for a in prange(rows, schedule="static", use_threads_if=rows * n >= PAR // 4):
            m = _row_max(&x[a, 0], n)
            if logarithm:
                lse = _row_lse(&x[a, 0], n, m)
                for j in range(n):
                    out[a, j] = (x[a, j] - m) - lse
            else:
                s = 0
                for j in range(n):
                    e = _exp(x[a, j] - m)
                    out[a, j] = e
                    s = s + e
                for j in range(n):
                    out[a, j] = out[a, j] / s
    return out


def softmax_xent_rows(const real[:, ::1] labels, const real[:, ::1] logits, real[::1] out):
    """out[a] = -sum_j labels[a, j] * log_softmax(logits[a])[j]."""
    cdef Py_ssize_t rows = logits.shape[0], n = logits.shape[1], a, j
    cdef real m, lse, acc
    with nogil:
        for a in prange(rows, schedule="static", use_threads_if=rows * n >= PAR // 4):
            acc = 0
            if n:
                m = _row_max(&logits[a, 0], n)
                lse = _row_lse(&logits[a, 0], n, m)
                for j in range(n):
                    acc = acc + labels[a, j] * ((logits[a, j] - m) - lse)
            out[a] = -acc
    return out


# --- gather, scatter-add, one_hot ---------------------------------------------------------------
cdef inline Py_ssize_t _first_bad(const index[::1] idx, Py_ssize_t bound) noexcept nogil:
    cdef Py_ssize_t k
    for k in range(idx.shape[0]):
        if idx[k] < 0 or idx[k] >= bound:
            return k
    return -1


def gather_rows(const uint8_t[:, :, ::1] params, const index[::1] idx, uint8_t[:, :, ::1] out):
    """out[a, k, :] = params[a, idx[k], :] on byte rows; returns the first bad position or -1."""
    cdef Py_ssize_t outer = params.shape[0], bound = params.shape[1], width = params.shape[2]
    cdef Py_ssize_t nk = idx.shape[0], a, k, t, bad
    with nogil:
        bad = _first_bad(idx, bound)
        if bad < 0 and width:
            for t in prange(outer * nk, schedule="static",
                            use_threads_if=outer * nk * width >= 4 * PAR):
                a = t // nk
                k = t % nk
                memcpy(&out[a, k, 0], &params[a, idx[k], 0], width)
    return bad


def scatter_add(const num[:, :, ::1] upd, const index[::1] idx, num[:, :, ::1] out):
    """out = 0; out[a, idx[k], :] += upd[a, k, :]. Threads split the columns: no two write one
    element. Returns the first bad position or -1."""
    cdef Py_ssize_t outer = out.shape[0], bound = out.shape[1], inner = out.shape[2]
    cdef Py_ssize_t nk = idx.shape[0], a, k, i, t, lo, hi, nblk, bad, r
    with nogil:
        bad = _first_bad(idx, bound)
        if bad < 0:
            if outer * bound * inner:
                memset(&out[0, 0, 0], 0, outer * bound * inner * sizeof(num))
            nblk = (inner + BLOCK - 1) // BLOCK
            for t in prange(outer * nblk, schedule="static",
                            use_threads_if=outer * nk * inner >= PAR):
                a = t // nblk
                lo = (t % nblk) * BLOCK
                hi = min(inner, lo + BLOCK)
                for k in range(nk):
                    r = idx[k]
                    for i in range(lo, hi):
                        out[a, r, i] = out[a, r, i] + upd[a, k, i]
    return bad


def one_hot(const index[::1] idx, num[:, :, ::1] out, num on, num off):
    """out[a, d, i] = on if idx[a * inner + i] == d else off (out of range: all off)."""
    cdef Py_ssize_t outer = out.shape[0], depth = out.shape[1], inner = out.shape[2]
    cdef Py_ssize_t a, d, i
    cdef int64_t v
    with nogil:
        for a in prange(outer, schedule="static", use_threads_if=outer * depth * inner >= PAR):
            for d in range(depth):
                for i in range(inner):
                    out[a, d, i] = off
            for i in range(inner):
                v = idx[a * inner + i]
                if 0 <= v < depth:
                    out[a, v, i] = on
    return out


# --- copies -------------------------------------------------------------------------------------
def transpose2d(const word[:, ::1] x, word[:, ::1] out):
    """out = x.T, copied in 32x32 tiles so reads and writes both stay in cache."""
    cdef Py_ssize_t n = x.shape[0], m = x.shape[1], bi, bj, i, j, t, tj, nbi
    nbi = (n + 31) // 32
    with nogil:
        for t in prange(nbi, schedule="static", use_threads_if=n * m >= PAR):
            bi = t * 32
            for tj in range((m + 31) // 32):
                bj = tj * 32
                for j in range(bj, min(bj + 32, m)):
                    for i in range(bi, min(bi + 32, n)):
                        out[j, i] = x[i, j]
    return out
