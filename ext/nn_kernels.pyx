# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Native loops for convolution, pooling and softmax cross-entropy (float32 and float64).

im2col/col2im turn a large convolution into one GEMM (done by NumPy's BLAS); small ones run the
direct loops of nn_kernels/conv_direct.c (`conv_forward`, `conv_filter_grad`, `conv_input_grad`,
on an input that already holds its padding). Max pooling's forward is the C loop of
nn_kernels/max_pool.c; the other pools and the pool gradients are loops here.
Loops that write disjoint rows run in parallel over rows; loops that scatter-add (col2im, the
pool gradients) run in parallel over images, so no two threads add into the same cell.
A window is described by (kh, kw, sh, sw, dh, dw, pt, pl) and the output size (oh, ow).

Every entry point checks its window against its buffers' shapes before touching memory and
raises ValueError for anything it cannot do (bounds checking is off inside the loops): a graph
file or a direct call with bad arguments gets an error, never an out-of-bounds access.
Max pooling propagates NaN: a window holding a NaN gives NaN, and its gradient goes to the
window's first NaN (else to its first maximum, TF1's tie rule).
"""

import numpy as np

from cython.parallel cimport prange
from libc.math cimport NAN, exp, expf, log
from libc.stdint cimport int64_t

ctypedef fused real:
    float
    double

cdef Py_ssize_t PAR = 1 << 14  # rows * classes above which the cross-entropy uses threads
cdef Py_ssize_t XENT_BLOCK = 256  # terms summed per block before blocks are combined


# --- argument checks (run with the GIL, before any loop) ----------------------------------------
cdef int _check_window(int kh, int kw, int sh, int sw, int dh, int dw, int pt, int pl,
                       Py_ssize_t oh, Py_ssize_t ow) except -1:
    if kh < 0 or kw < 0 or sh < 1 or sw < 1 or dh < 1 or dw < 1 or pt < 0 or pl < 0 \
            or oh < 0 or ow < 0:
        raise ValueError(f"invalid window: size {kh}x{kw}, strides {sh}x{sw}, dilations "
                         f"{dh}x{dw}, padding {pt},{pl} and output {oh}x{ow} (sizes, paddings "
                         f"and outputs must be >= 0, strides and dilations >= 1)")
    return 0


cdef int _check_pool(tuple x_shape, tuple out_shape, int kh, int kw, int sh, int sw, int pt,
                     int pl) except -1:
    """Every window of a pool must hold at least one real cell of x."""
    cdef Py_ssize_t N = x_shape[0], H = x_shape[1], W = x_shape[2], C = x_shape[3]
    cdef Py_ssize_t oh = out_shape[1], ow = out_shape[2]
    _check_window(kh, kw, sh, sw, 1, 1, pt, pl, oh, ow)
    if out_shape[0] != N or out_shape[3] != C:
        raise ValueError(f"pooled shape {out_shape} does not match input shape {x_shape} in "
                         "batch or channels")
    if kh < 1 or kw < 1 or pt >= kh or pl >= kw:
        raise ValueError(f"a pooling window of {kh}x{kw} with padding {pt},{pl} before the "
                         "input would hold only padding")
    if (oh and (H < 1 or (oh - 1) * sh - pt >= H)) or (ow and (W < 1 or (ow - 1) * sw - pl >= W)):
        raise ValueError(f"a pooled output of {oh}x{ow} (window {kh}x{kw}, strides {sh}x{sw}, "
                         f"padding {pt},{pl}) reaches past an input of {H}x{W}")
    return 0


cdef int _same_shape(tuple a, tuple b, str what) except -1:
    if a != b:
        raise ValueError(f"{what} must have shape {b}, got {a}")
    return 0


cdef tuple _dims(Py_ssize_t* shape):
    """The first four entries of a memoryview's shape, as a tuple."""
    return (shape[0], shape[1], shape[2], shape[3])


cdef int _check_cols(Py_ssize_t rows, Py_ssize_t width, tuple image, int kh, int kw,
                     Py_ssize_t oh, Py_ssize_t ow) except -1:
    if rows != image[0] * oh * ow or width != kh * kw * image[3]:
        raise ValueError(f"an im2col matrix of {rows}x{width} does not match images of shape "
                         f"{image}, a {kh}x{kw} window and an output of {oh}x{ow}")
    return 0


cdef extern from "max_pool.h" nogil:
    ctypedef struct gf_pool:
        int64_t n, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow
    int gf_max_pool_f32(const gf_pool* g, const float* x, float* out)
    int gf_max_pool_f64(const gf_pool* g, const double* x, double* out)


# --- convolution ----------------------------------------------------------------------------------
cdef extern from "conv_direct.h" nogil:
    ctypedef struct gf_conv:
        int64_t n, h, w, c, kh, kw, co, sh, sw, dh, dw, oh, ow
    int gf_conv_forward_f32(const gf_conv* g, const float* x, const float* w, float* out)
    int gf_conv_forward_f64(const gf_conv* g, const double* x, const double* w, double* out)
    int gf_conv_filter_f32(const gf_conv* g, const float* x, const float* dy, float* dw)
    int gf_conv_filter_f64(const gf_conv* g, const double* x, const double* dy, double* dw)
    int gf_conv_input_f32(const gf_conv* g, const float* w, const float* dy, float* dx)
    int gf_conv_input_f64(const gf_conv* g, const double* w, const double* dy, double* dx)


cdef gf_conv _direct_geometry(tuple image, tuple filt, tuple result, int sh, int sw, int dh,
                              int dw) except *:
    """The geometry of a VALID convolution of `image` (already padded) by `filt` into `result`,
    checked: every window lies inside the image."""
    cdef gf_conv g
    g.n, g.h, g.w, g.c = image
    g.kh, g.kw, g.co = filt[0], filt[1], filt[3]
    g.oh, g.ow = result[1], result[2]
    g.sh, g.sw, g.dh, g.dw = sh, sw, dh, dw
    _check_window(g.kh, g.kw, sh, sw, dh, dw, 0, 0, g.oh, g.ow)
    if filt[2] != g.c or result[0] != g.n or result[3] != g.co or g.kh < 1 or g.kw < 1:
        raise ValueError(f"a convolution of images {image} by a filter {filt} cannot give "
                         f"{result}")
    if g.n and ((g.oh and (g.oh - 1) * sh + (g.kh - 1) * dh >= g.h)
                or (g.ow and (g.ow - 1) * sw + (g.kw - 1) * dw >= g.w)):
        raise ValueError(f"an output of {g.oh}x{g.ow} (filter {g.kh}x{g.kw}, strides {sh}x{sw}, "
                         f"dilations {dh}x{dw}) reaches past an image of {g.h}x{g.w}")
    return g


def conv_forward(const real[:, :, :, ::1] x, const real[:, :, :, ::1] w,
                 real[:, :, :, ::1] out, int sh, int sw, int dh, int dw):
    """out = the VALID convolution of x (padding already in it) by w, without an im2col matrix."""
    cdef gf_conv g = _direct_geometry(_dims(x.shape), _dims(w.shape), _dims(out.shape), sh, sw,
                                      dh, dw)
    cdef int rc
    if g.n * g.oh * g.ow * g.co == 0:
        return
    with nogil:
        if real is float:
            rc = gf_conv_forward_f32(&g, &x[0, 0, 0, 0], &w[0, 0, 0, 0], &out[0, 0, 0, 0])
        else:
            rc = gf_conv_forward_f64(&g, &x[0, 0, 0, 0], &w[0, 0, 0, 0], &out[0, 0, 0, 0])
    if rc:
        raise MemoryError("no memory for the convolution's workspace")


def conv_filter_grad(const real[:, :, :, ::1] x, const real[:, :, :, ::1] dy,
                     real[:, :, :, ::1] dw_out, int sh, int sw, int dh, int dw):
    """dw_out = the filter gradient of the VALID convolution of x given dy."""
    cdef gf_conv g = _direct_geometry(_dims(x.shape), _dims(dw_out.shape), _dims(dy.shape), sh,
                                      sw, dh, dw)
    cdef int rc
    if g.n * g.oh * g.ow == 0:
        dw_out[...] = 0
        return
    with nogil:
        if real is float:
            rc = gf_conv_filter_f32(&g, &x[0, 0, 0, 0], &dy[0, 0, 0, 0], &dw_out[0, 0, 0, 0])
        else:
            rc = gf_conv_filter_f64(&g, &x[0, 0, 0, 0], &dy[0, 0, 0, 0], &dw_out[0, 0, 0, 0])
    if rc:
        raise MemoryError("no memory for the filter gradient's workspace")


def conv_input_grad(const real[:, :, :, ::1] w, const real[:, :, :, ::1] dy,
                    real[:, :, :, ::1] dx, int sh, int sw, int dh, int dw):
    """dx = the input gradient of the VALID convolution by w given dy (dx's padding included)."""
    cdef gf_conv g = _direct_geometry(_dims(dx.shape), _dims(w.shape), _dims(dy.shape), sh, sw,
                                      dh, dw)
    cdef int rc
    if g.n * g.h * g.w * g.c == 0:
        return
    with nogil:
        if real is float:
            rc = gf_conv_input_f32(&g, &w[0, 0, 0, 0], &dy[0, 0, 0, 0], &dx[0, 0, 0, 0])
        else:
            rc = gf_conv_input_f64(&g, &w[0, 0, 0, 0], &dy[0, 0, 0, 0], &dx[0, 0, 0, 0])
    if rc:
        raise MemoryError("no memory for the input gradient's workspace")


def im2col(const real[:, :, :, ::1] x, real[:, ::1] cols, int kh, int kw, int sh, int sw,
           int dh, int dw, int pt, int pl, int oh, int ow):
    """cols[(n, i, j), (a, b, c)] = x[n, i*sh - pt + a*dh, j*sw - pl + b*dw, c], 0 off the edge.

    With no width dilation, each filter row's taps are one contiguous run of x: copied whole.
    """
    cdef Py_ssize_t N = x.shape[0], H = x.shape[1], W = x.shape[2], C = x.shape[3]
    cdef Py_ssize_t run = kw * C, row, n, i, j, a, b, t, hi, wj, w0
    cdef real* dst
    cdef const real* src
    _check_window(kh, kw, sh, sw, dh, dw, pt, pl, oh, ow)
    _check_cols(cols.shape[0], cols.shape[1], _dims(x.shape), kh, kw, oh, ow)
    with nogil:
        for row in prange(N * oh, schedule="static"):
            n = row // oh
            i = row % oh
            for j in range(ow):
                w0 = j * sw - pl
                for a in range(kh):
                    hi = i * sh - pt + a * dh
                    dst = &cols[row * ow + j, a * run]
                    if hi < 0 or hi >= H:
                        for t in range(run):
                            dst[t] = 0
                    elif dw == 1 and w0 >= 0 and w0 + kw <= W:
                        src = &x[n, hi, w0, 0]
                        for t in range(run):
                            dst[t] = src[t]
                    else:
                        for b in range(kw):
                            wj = w0 + b * dw
                            if 0 <= wj < W:
                                src = &x[n, hi, wj, 0]
                                for t in range(C):
                                    dst[b * C + t] = src[t]
                            else:
                                for t in range(C):
                                    dst[b * C + t] = 0


def col2im(const real[:, ::1] cols, real[:, :, :, ::1] dx, int kh, int kw, int sh, int sw,
           int dh, int dw, int pt, int pl, int oh, int ow):
    """The adjoint of im2col: dx = 0, then every column entry added back to its input cell."""
    cdef Py_ssize_t N = dx.shape[0], H = dx.shape[1], W = dx.shape[2], C = dx.shape[3]
    cdef Py_ssize_t run = kw * C, n, i, j, a, b, t, hi, wj, w0
    cdef real* dst
    cdef const real* src
    _check_window(kh, kw, sh, sw, dh, dw, pt, pl, oh, ow)
    _check_cols(cols.shape[0], cols.shape[1], _dims(dx.shape), kh, kw, oh, ow)
    with nogil:
        for n in prange(N, schedule="static"):
            dst = &dx[n, 0, 0, 0]
            for t in range(H * W * C):
                dst[t] = 0
            for i in range(oh):
                for j in range(ow):
                    w0 = j * sw - pl
                    for a in range(kh):
                        hi = i * sh - pt + a * dh
                        if hi < 0 or hi >= H:
                            continue
                        src = &cols[(n * oh + i) * ow + j, a * run]
                        if dw == 1 and w0 >= 0 and w0 + kw <= W:
                            dst = &dx[n, hi, w0, 0]
                            for t in range(run):
                                dst[t] += src[t]
                        else:
                            for b in range(kw):
                                wj = w0 + b * dw
                                if 0 <= wj < W:
                                    dst = &dx[n, hi, wj, 0]
                                    for t in range(C):
                                        dst[t] += src[b * C + t]


cdef gf_pool _pool_geometry(tuple x_shape, tuple out_shape, int kh, int kw, int sh, int sw,
                            int pt, int pl) except *:
    cdef gf_pool g
    _check_pool(x_shape, out_shape, kh, kw, sh, sw, pt, pl)
    g.n, g.h, g.w, g.c = x_shape
    g.oh, g.ow = out_shape[1], out_shape[2]
    g.kh, g.kw, g.sh, g.sw, g.pt, g.pl = kh, kw, sh, sw, pt, pl
    return g


def max_pool(const real[:, :, :, ::1] x, real[:, :, :, ::1] out, int kh, int kw, int sh, int sw,
             int pt, int pl):
    """out = the maximum of each window's real cells (padding never wins; NaN propagates)."""
    cdef gf_pool g = _pool_geometry(_dims(x.shape), _dims(out.shape), kh, kw, sh, sw, pt, pl)
    cdef int rc
    if g.n * g.oh * g.ow * g.c == 0:
        return
    with nogil:
        if real is float:
            rc = gf_max_pool_f32(&g, &x[0, 0, 0, 0], &out[0, 0, 0, 0])
        else:
            rc = gf_max_pool_f64(&g, &x[0, 0, 0, 0], &out[0, 0, 0, 0])
    if rc:
        raise MemoryError("no memory for max pooling's row workspace")


cdef object _np_dtype(const real* tag):
    """The NumPy dtype of the fused type `real` (the pointer only selects the specialisation)."""
    return np.float32 if real is float else np.float64


cdef inline void _window_argmax(const real[:, :, :, ::1] x, Py_ssize_t n, Py_ssize_t h0,
                                Py_ssize_t h1, Py_ssize_t w0, Py_ssize_t w1, Py_ssize_t* idx,
                                real* best) noexcept nogil:
    """idx[c] = flat (h * W + w) of the first NaN, else of the first maximum, in row-major
    order (TF1's tie rule). Channel by channel and free of branches (selects only): on real
    data each comparison is a coin toss, which costs a branch predictor more than the loads.
    The first NaN is tracked apart, as the max and its index never take a NaN."""
    cdef Py_ssize_t C = x.shape[3], W = x.shape[2], hi, wj, c, k, cell, first_nan
    cdef real v, b
    cdef const real* src
    cdef bint take
    for c in range(C):
        src = &x[n, 0, 0, c]
        k = h0 * W + w0
        b = src[k * C]
        first_nan = -1
        for hi in range(h0, h1):
            for wj in range(w0, w1):
                cell = hi * W + wj
                v = src[cell * C]
                take = v > b
                b = v if take else b
                k = cell if take else k
                first_nan = cell if (v != v) & (first_nan < 0) else first_nan
        best[c] = b
        idx[c] = k if first_nan < 0 else first_nan


def max_pool_grad(const real[:, :, :, ::1] x, const real[:, :, :, ::1] dy,
                  real[:, :, :, ::1] dx, int kh, int kw, int sh, int sw, int pt, int pl):
    """dx = 0, then each window's dy added at the window's first NaN, else first maximum."""
    cdef Py_ssize_t N = x.shape[0], H = x.shape[1], W = x.shape[2], C = x.shape[3]
    cdef Py_ssize_t oh = dy.shape[1], ow = dy.shape[2]
    cdef Py_ssize_t n, i, j, c, t, h0, w0
    cdef real* dst
    cdef const real* src
    _check_pool(_dims(x.shape), _dims(dy.shape), kh, kw, sh, sw, pt, pl)
    _same_shape(_dims(dx.shape), _dims(x.shape), "the input gradient")
    if N * C == 0:
        return
    cdef Py_ssize_t[:, ::1] idx = np.empty((N, C), dtype=np.intp)
    cdef real[:, ::1] best = np.empty((N, C), dtype=_np_dtype(&x[0, 0, 0, 0]))
    with nogil:
        for n in prange(N, schedule="static"):
            dst = &dx[n, 0, 0, 0]
            for t in range(H * W * C):
                dst[t] = 0
            for i in range(oh):
                h0 = max(i * sh - pt, 0)
                for j in range(ow):
                    w0 = max(j * sw - pl, 0)
                    _window_argmax(x, n, h0, min(i * sh - pt + kh, H), w0,
                                   min(j * sw - pl + kw, W), &idx[n, 0], &best[n, 0])
                    src = &dy[n, i, j, 0]
                    for c in range(C):
                        dst[idx[n, c] * C + c] += src[c]


def max_pool_grad_grad(const real[:, :, :, ::1] x, const real[:, :, :, ::1] g,
                       real[:, :, :, ::1] out, int kh, int kw, int sh, int sw, int pt, int pl):
    """out[n, i, j, c] = g at the first NaN, else the first maximum, of x in window (i, j)."""
    cdef Py_ssize_t N = x.shape[0], H = x.shape[1], W = x.shape[2], C = x.shape[3]
    cdef Py_ssize_t oh = out.shape[1], ow = out.shape[2]
    cdef Py_ssize_t row, n, i, j, c, h0, w0
    _check_pool(_dims(x.shape), _dims(out.shape), kh, kw, sh, sw, pt, pl)
    _same_shape(_dims(g.shape), _dims(x.shape), "grad")
    if N * C * oh * ow == 0:
        return
    cdef Py_ssize_t[:, ::1] idx = np.empty((N * oh, C), dtype=np.intp)
    cdef real[:, ::1] best = np.empty((N * oh, C), dtype=_np_dtype(&x[0, 0, 0, 0]))
    with nogil:
        for row in prange(N * oh, schedule="static"):
            n = row // oh
            i = row % oh
            h0 = max(i * sh - pt, 0)
            for j in range(ow):
                w0 = max(j * sw - pl, 0)
                _window_argmax(x, n, h0, min(i * sh - pt + kh, H), w0,
                               min(j * sw - pl + kw, W), &idx[row, 0], &best[row, 0])
                for c in range(C):
                    out[n, i, j, c] = g[n, idx[row, c] // W, idx[row, c] % W, c]


def avg_pool(const real[:, :, :, ::1] x, real[:, :, :, ::1] out, int kh, int kw, int sh, int sw,
             int pt, int pl):
    """out = the mean of each window's real cells (SAME divides by the real cells, as TF1)."""
    cdef Py_ssize_t N = x.shape[0], H = x.shape[1], W = x.shape[2], C = x.shape[3]
    cdef Py_ssize_t oh = out.shape[1], ow = out.shape[2]
    cdef Py_ssize_t row, n, i, j, c, hi, wj, h0, h1, w0, w1
    cdef real inv
    _check_pool(_dims(x.shape), _dims(out.shape), kh, kw, sh, sw, pt, pl)
    with nogil:
        for row in prange(N * oh, schedule="static"):
            n = row // oh
            i = row % oh
            h0 = max(i * sh - pt, 0)
            h1 = min(i * sh - pt + kh, H)
            for j in range(ow):
                w0 = max(j * sw - pl, 0)
                w1 = min(j * sw - pl + kw, W)
                inv = 1
                inv = inv / ((h1 - h0) * (w1 - w0))
                for c in range(C):
                    out[n, i, j, c] = 0
                for hi in range(h0, h1):
                    for wj in range(w0, w1):
                        for c in range(C):
                            out[n, i, j, c] += x[n, hi, wj, c]
                for c in range(C):
                    out[n, i, j, c] *= inv


def avg_pool_grad(const real[:, :, :, ::1] dy, real[:, :, :, ::1] dx, int kh, int kw, int sh,
                  int sw, int pt, int pl):
    """dx = 0, then each window's dy spread evenly over its real cells."""
    cdef Py_ssize_t N = dx.shape[0], H = dx.shape[1], W = dx.shape[2], C = dx.shape[3]
    cdef Py_ssize_t oh = dy.shape[1], ow = dy.shape[2]
    cdef Py_ssize_t n, i, j, c, hi, wj, h0, h1, w0, w1
    cdef real inv
    _check_pool(_dims(dx.shape), _dims(dy.shape), kh, kw, sh, sw, pt, pl)
    with nogil:
        for n in prange(N, schedule="static"):
            for hi in range(H):
                for wj in range(W):
                    for c in range(C):
                        dx[n, hi, wj, c] = 0
            for i in range(oh):
                h0 = max(i * sh - pt, 0)
                h1 = min(i * sh - pt + kh, H)
                for j in range(ow):
                    w0 = max(j * sw - pl, 0)
                    w1 = min(j * sw - pl + kw, W)
                    inv = 1
                    inv = inv / ((h1 - h0) * (w1 - w0))
                    for hi in range(h0, h1):
                        for wj in range(w0, w1):
                            for c in range(C):
                                dx[n, hi, wj, c] += dy[n, i, j, c] * inv


# --- softmax cross-entropy -----------------------------------------------------------------------
cdef inline real _row_max(const real* p, Py_ssize_t n) noexcept nogil:
    """The row's maximum; NaN as soon as one is seen (the reference's np.max)."""
    cdef Py_ssize_t j
    cdef real m = p[0]
    for j in range(1, n):
        if p[j] > m or p[j] != p[j]:
            m = p[j]
            if m != m:
                break
    return m


cdef inline double _exp_shifted(real v, real m) noexcept nogil:
    if real is float:
        return expf(v - m)
    else:
        return exp(v - m)


cdef inline double _sum_exp(const real* p, Py_ssize_t n, real m) noexcept nogil:
    """sum(exp(p - m)) in double, in blocks whose partial sums are then added: accurate to the
    input's round-off for rows of any length."""
    cdef double total = 0, part
    cdef Py_ssize_t lo = 0, hi, j
    while lo < n:
        hi = min(lo + XENT_BLOCK, n)
        part = 0
        for j in range(lo, hi):
            part = part + _exp_shifted(p[j], m)
        total = total + part
        lo = hi
    return total


cdef inline double _xent_row(const real* y, const real* z, Py_ssize_t n) noexcept nogil:
    """-sum_j y[j] * ((z[j] - max) - logsumexp), accumulated as in `_sum_exp`."""
    cdef real m = _row_max(z, n)
    cdef double lse = log(_sum_exp(z, n, m)), total = 0, part
    cdef Py_ssize_t lo = 0, hi, j
    while lo < n:
        hi = min(lo + XENT_BLOCK, n)
        part = 0
        for j in range(lo, hi):
            part = part + <double>y[j] * ((<double>z[j] - m) - lse)
        total = total + part
        lo = hi
    return -total


def softmax_xent_rows(const real[:, ::1] labels, const real[:, ::1] logits, real[::1] out):
    """out[a] = -sum_j labels[a, j] * log_softmax(logits[a])[j], with double accumulators."""
    cdef Py_ssize_t rows = logits.shape[0], n = logits.shape[1], a
    if labels.shape[0] != rows or labels.shape[1] != n or out.shape[0] != rows:
        raise ValueError(f"labels {(labels.shape[0], labels.shape[1])}, logits {(rows, n)} and "
                         f"the loss ({out.shape[0]},) do not match")
    if n == 0 and rows:
        raise ValueError(f"Must have at least one class, but got logits shape {(rows, n)}")
    with nogil:
        for a in prange(rows, schedule="static", use_threads_if=rows * n >= PAR):
            out[a] = <real>_xent_row(&labels[a, 0], &logits[a, 0], n)
    return out
