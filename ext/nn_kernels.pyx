# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Native loops for convolution and pooling over NHWC arrays (float32 and float64).

im2col/col2im turn a convolution into one GEMM (done by NumPy's BLAS); pooling is direct loops.
Loops that write disjoint rows run in parallel over rows; loops that scatter-add (col2im, the
pool gradients) run in parallel over images, so no two threads add into the same cell.
A window is described by (kh, kw, sh, sw, dh, dw, pt, pl) and the output size (oh, ow).
"""

import numpy as np

from cython.parallel cimport prange

ctypedef fused real:
    float
    double


def im2col(const real[:, :, :, ::1] x, real[:, ::1] cols, int kh, int kw, int sh, int sw,
           int dh, int dw, int pt, int pl, int oh, int ow):
    """cols[(n, i, j), (a, b, c)] = x[n, i*sh - pt + a*dh, j*sw - pl + b*dw, c], 0 off the edge.

    With no width dilation, each filter row's taps are one contiguous run of x: copied whole.
    """
    cdef Py_ssize_t N = x.shape[0], H = x.shape[1], W = x.shape[2], C = x.shape[3]
    cdef Py_ssize_t run = kw * C, row, n, i, j, a, b, t, hi, wj, w0
    cdef real* dst
    cdef const real* src
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


def max_pool(const real[:, :, :, ::1] x, real[:, :, :, ::1] out, int kh, int kw, int sh, int sw,
             int pt, int pl):
    """out = the maximum of each window's real cells (padding never wins)."""
    cdef Py_ssize_t N = x.shape[0], H = x.shape[1], W = x.shape[2], C = x.shape[3]
    cdef Py_ssize_t oh = out.shape[1], ow = out.shape[2]
    cdef Py_ssize_t row, n, i, j, c, hi, wj, h0, h1, w0, w1
    cdef real v
    with nogil:
        for row in prange(N * oh, schedule="static"):
            n = row // oh
            i = row % oh
            h0 = max(i * sh - pt, 0)
            h1 = min(i * sh - pt + kh, H)
            for j in range(ow):
                w0 = max(j * sw - pl, 0)
                w1 = min(j * sw - pl + kw, W)
                for c in range(C):
                    out[n, i, j, c] = x[n, h0, w0, c]
                for hi in range(h0, h1):
                    for wj in range(w0, w1):
                        for c in range(C):
                            v = x[n, hi, wj, c]
                            if v > out[n, i, j, c]:
                                out[n, i, j, c] = v


cdef object _np_dtype(const real* tag):
    """The NumPy dtype of the fused type `real` (the pointer only selects the specialisation)."""
    return np.float32 if real is float else np.float64


cdef inline void _window_argmax(const real[:, :, :, ::1] x, Py_ssize_t n, Py_ssize_t h0,
                                Py_ssize_t h1, Py_ssize_t w0, Py_ssize_t w1, Py_ssize_t* idx,
                                real* best) noexcept nogil:
    """idx[c] = flat (h * W + w) of the first maximum in row-major order (TF1's tie rule)."""
    cdef Py_ssize_t C = x.shape[3], W = x.shape[2], hi, wj, c
    cdef real v
    for c in range(C):
        best[c] = x[n, h0, w0, c]
        idx[c] = h0 * W + w0
    for hi in range(h0, h1):
        for wj in range(w0, w1):
            for c in range(C):
                v = x[n, hi, wj, c]
                if v > best[c]:
                    best[c] = v
                    idx[c] = hi * W + wj


def max_pool_grad(const real[:, :, :, ::1] x, const real[:, :, :, ::1] dy,
                  real[:, :, :, ::1] dx, int kh, int kw, int sh, int sw, int pt, int pl):
    """dx = 0, then each window's dy added at the window's first maximum of x."""
    cdef Py_ssize_t N = x.shape[0], H = x.shape[1], W = x.shape[2], C = x.shape[3]
    cdef Py_ssize_t oh = dy.shape[1], ow = dy.shape[2]
    cdef Py_ssize_t n, i, j, c, hi, wj, h0, w0
    cdef Py_ssize_t[:, ::1] idx = np.empty((N, C), dtype=np.intp)
    cdef real[:, ::1] best = np.empty((N, C), dtype=_np_dtype(&x[0, 0, 0, 0]))
    with nogil:
        for n in prange(N, schedule="static"):
            for hi in range(H):
                for wj in range(W):
                    for c in range(C):
                        dx[n, hi, wj, c] = 0
            for i in range(oh):
                h0 = max(i * sh - pt, 0)
                for j in range(ow):
                    w0 = max(j * sw - pl, 0)
                    _window_argmax(x, n, h0, min(i * sh - pt + kh, H), w0,
                                   min(j * sw - pl + kw, W), &idx[n, 0], &best[n, 0])
                    for c in range(C):
                        dx[n, idx[n, c] // W, idx[n, c] % W, c] += dy[n, i, j, c]


def max_pool_grad_grad(const real[:, :, :, ::1] x, const real[:, :, :, ::1] g,
                       real[:, :, :, ::1] out, int kh, int kw, int sh, int sw, int pt, int pl):
    """out[n, i, j, c] = g at the first maximum of x in window (i, j)."""
    cdef Py_ssize_t N = x.shape[0], H = x.shape[1], W = x.shape[2], C = x.shape[3]
    cdef Py_ssize_t oh = out.shape[1], ow = out.shape[2]
    cdef Py_ssize_t row, n, i, j, c, h0, w0
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
