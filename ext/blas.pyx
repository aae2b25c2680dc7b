# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""C = alpha * A @ B + beta * C through the BLAS library NumPy itself calls (its cblas gemm).

NumPy's matmul always writes a fresh product (beta = 0): an SGD step `w -= lr * x.T @ d` then
costs a temporary the size of `w` and one more pass over it. With beta = 1 and alpha = -lr the
product accumulates straight into `w`. The function addresses come from the Python side
(graphflow/executors/cpu/blas.py finds them in NumPy's BLAS); only the ILP64 interface (64-bit
integers, NumPy 2's bundled OpenBLAS) is taken. A transposed operand is read by flag, never copied.
"""

from libc.stdint cimport int64_t, uintptr_t

ctypedef fused real:
    float
    double

ctypedef void (*sgemm_t)(int, int, int, int64_t, int64_t, int64_t, float, const float*, int64_t,
                         const float*, int64_t, float, float*, int64_t) noexcept nogil
ctypedef void (*dgemm_t)(int, int, int, int64_t, int64_t, int64_t, double, const double*,
                         int64_t, const double*, int64_t, double, double*, int64_t) noexcept nogil

cdef enum:
    ROW_MAJOR = 101
    NO_TRANS = 111
    TRANS = 112

cdef sgemm_t _sgemm = NULL
cdef dgemm_t _dgemm = NULL


def set_gemm(uintptr_t sgemm, uintptr_t dgemm):
    """The addresses of ILP64 cblas_sgemm and cblas_dgemm (0: not available)."""
    global _sgemm, _dgemm
    _sgemm = <sgemm_t>sgemm
    _dgemm = <dgemm_t>dgemm


def available():
    """True when both gemm functions are set."""
    return _sgemm != NULL and _dgemm != NULL


cdef int _layout(Py_ssize_t rows, Py_ssize_t cols, Py_ssize_t s0, Py_ssize_t s1,
                 Py_ssize_t item, int64_t* ld):
    """NO_TRANS or TRANS for a strided (rows, cols) matrix, with its leading dimension; 0 when
    BLAS cannot read it in place."""
    if s1 == item and s0 % item == 0 and s0 // item >= max(cols, 1):
        ld[0] = s0 // item
        return NO_TRANS
    if s0 == item and s1 % item == 0 and s1 // item >= max(rows, 1):
        ld[0] = s1 // item
        return TRANS
    return 0


def gemm(const real[:, :] a, const real[:, :] b, real[:, ::1] c, real alpha, real beta):
    """c = alpha * a @ b + beta * c in place. `a` and `b` may be transposed views (read by flag).

    Returns False (and leaves `c` alone) when an operand's strides need a copy first; raises
    ValueError for shapes that do not multiply or when no gemm is set.
    """
    cdef Py_ssize_t m = a.shape[0], k = a.shape[1], n = b.shape[1]
    cdef int64_t lda = 0, ldb = 0
    cdef int ta, tb
    if b.shape[0] != k or c.shape[0] != m or c.shape[1] != n:
        raise ValueError(f"gemm of ({m}, {k}) by ({b.shape[0]}, {n}) into "
                         f"({c.shape[0]}, {c.shape[1]}): the shapes do not multiply")
    if not available():
        raise ValueError("no BLAS gemm is set (graphflow.executors.cpu.blas found none)")
    if m == 0 or n == 0 or k == 0:
        return False  # nothing BLAS must see: the caller's NumPy path handles empty products
    ta = _layout(m, k, a.strides[0], a.strides[1], sizeof(real), &lda)
    tb = _layout(k, n, b.strides[0], b.strides[1], sizeof(real), &ldb)
    if ta == 0 or tb == 0:
        return False
    with nogil:
        if real is float:
            _sgemm(ROW_MAJOR, ta, tb, m, n, k, alpha, &a[0, 0], lda, &b[0, 0], ldb, beta,
                   &c[0, 0], n)
        else:
            _dgemm(ROW_MAJOR, ta, tb, m, n, k, alpha, &a[0, 0], lda, &b[0, 0], ldb, beta,
                   &c[0, 0], n)
    return True

