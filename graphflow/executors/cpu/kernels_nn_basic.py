"""Softmax family, losses and the broadcasting-gradient ops.

Softmax and the cross-entropies run one native pass per short row (NumPy's formula makes five
passes and four temporaries); long rows use NumPy's SIMD exp and pairwise sums over blocks of
rows (3-4x faster than scalar exp at 1000 classes, and as accurate as the reference at 10^5).
The broadcast ops are one NumPy copy into the planned buffer.
"""

from __future__ import annotations

import numpy as np

from graphflow._ext import kernels as native
from graphflow._ext import nn_kernels
from graphflow.executors.cpu.kernels_reduce import SUM, SUMSQ, into, layout, prod, reduce_into
from graphflow.executors.cpu.registry import Kernel, cpu_kernel
from graphflow.ops.broadcast_grad import sum_axes
from graphflow.ops.nn_geometry import raise_runtime
from graphflow.ops.nn_ops import xent_problem
from graphflow.ops.reduce import normalize_axes

REAL = {np.dtype(np.float32): "float", np.dtype(np.float64): "double"}


def _real(node, fn):
    name = REAL.get(np.dtype(node.outputs[0].dtype.np))
    return None if name is None else fn[name]


NATIVE_ROW_MAX = 32  # softmax rows longer than this go to NumPy's SIMD exp (5x faster at 1000)


def _numpy_softmax(x, out, logarithm):
    """Softmax over the last axis in `out`; only per-row temporaries."""
    m = np.max(x, axis=-1, keepdims=True)
    np.subtract(x, m, out=out)
    np.exp(out, out=out)
    s = np.sum(out, axis=-1, keepdims=True)
    if not logarithm:
        return np.divide(out, s, out=out)
    np.subtract(x, m, out=out)
    return np.subtract(out, np.log(s, out=s), out=out)


@cpu_kernel("Softmax", "LogSoftmax")
def _softmax(node):
    op = node.op
    rank = node.inputs[0].shape.rank
    fn = _real(node, native.softmax_rows)
    last = op.axis == -1 or (rank is not None and op.axis == rank - 1)
    logarithm = node.type == "LogSoftmax"

    def softmax(out, x):
        if fn is None or not last or x.ndim == 0:
            return into(out, op.compute(x))
        if out is None:
            out = np.empty_like(x, order="C")
        n = x.shape[-1]
        if n > NATIVE_ROW_MAX or not x.flags.c_contiguous:
            return _numpy_softmax(x, out, logarithm)
        rows = prod(x.shape[:-1])
        fn(x.reshape(rows, n), out.reshape(rows, n), logarithm)
        return out

    return Kernel(softmax)


XENT_BLOCK = 1 << 16  # elements per block of rows on the NumPy path (a cache-sized temporary)


def _numpy_xent(labels, logits, out):
    """-sum(labels * log_softmax(logits)) per row, the reference's formula one block at a time."""
    rows, n = logits.shape
    step = max(1, XENT_BLOCK // max(n, 1))
    for lo in range(0, rows, step):
        z, y = logits[lo:lo + step], labels[lo:lo + step]
        t = np.subtract(z, np.max(z, axis=-1, keepdims=True))
        lse = np.log(np.sum(np.exp(t), axis=-1, keepdims=True))
        np.subtract(t, lse, out=t)
        np.multiply(t, y, out=t)
        np.sum(t, axis=-1, out=out[lo:lo + step])
    return np.negative(out, out=out)


@cpu_kernel("SoftmaxCrossEntropyWithLogits")
def _softmax_xent(node):
    op = node.op
    fn = _real(node, nn_kernels.softmax_xent_rows)

    def softmax_xent(out, labels, logits):
        raise_runtime(xent_problem(labels.shape, logits.shape))
        if fn is None or labels.dtype != logits.dtype or not (
                labels.flags.c_contiguous and logits.flags.c_contiguous):
            return into(out, op.compute(labels, logits))
        if out is None:
            out = np.empty(logits.shape[:-1], logits.dtype)
        n = logits.shape[-1]
        rows = prod(logits.shape[:-1])
        if n > NATIVE_ROW_MAX:
            _numpy_xent(labels.reshape(rows, n), logits.reshape(rows, n), out.reshape(rows))
        else:
            fn(labels.reshape(rows, n), logits.reshape(rows, n), out.reshape(rows))
        return out

    return Kernel(softmax_xent)


@cpu_kernel("SigmoidCrossEntropyWithLogits")
def _sigmoid_xent(node):
    """NumPy's SIMD exp/log1p in cache-sized blocks (a scalar native loop was 2x slower)."""
    op = node.op
    block = 16384
    scratch = np.empty((2, block), node.outputs[0].dtype.np)

    def sigmoid_xent(out, labels, logits):
        if labels.shape != logits.shape or labels.dtype != scratch.dtype:
            return into(out, op.compute(labels, logits))
        if out is None:
            out = np.empty(logits.shape, logits.dtype)
        z, y, o = logits.reshape(-1), labels.reshape(-1), out.reshape(-1)
        for lo in range(0, z.size, block):
            # `out` may be an input's buffer (elementwise in place): read z and y first
            zs, ys, os = z[lo:lo + block], y[lo:lo + block], o[lo:lo + block]
            s, t = scratch[0, :zs.size], scratch[1, :zs.size]
            np.maximum(zs, 0, out=s)
            np.subtract(s, np.multiply(zs, ys, out=t), out=s)
            np.abs(zs, out=os)
            np.negative(os, out=os)
            np.exp(os, out=os)
            np.log1p(os, out=os)
            np.add(s, os, out=os)
        return out

    return Kernel(sigmoid_xent)


@cpu_kernel("L2Loss")
def _l2_loss(node):
    op = node.op
    fn = _real(node, native.reduce3)

    def l2_loss(out, t):
        if fn is None or not t.flags.c_contiguous:
            return into(out, op.compute(t))
        if out is None:
            out = np.empty((), t.dtype)
        reduce_into(fn, SUMSQ, 0, t, tuple(range(t.ndim)), out)
        np.divide(out, 2, out=out)
        return out

    return Kernel(l2_loss)


@cpu_kernel("SumToShape")
def _sum_to_shape(node):
    op = node.op
    from graphflow.executors.cpu.kernels_reduce import NATIVE

    name = NATIVE.get(np.dtype(node.outputs[0].dtype.np))
    fn = native.reduce3[name] if name and name != "uint8_t" else None
    fast = _static_sum(node, fn)

    def sum_to_shape(out, grad, like):
        # the shapes the plan was specialised for: no layout to work out
        if fast is not None and out is not None and grad.shape == fast[0] \
                and grad.dtype == out.dtype and grad.flags.c_contiguous:
            fn(grad.reshape(fast[1]), out.reshape(fast[2]), SUM, 0)
            return out
        axes = sum_axes(grad.shape, like.shape)
        if out is None:
            out = np.empty(like.shape, grad.dtype)
        lead = grad.ndim - like.ndim
        if lead < 0 or fn is None:
            return into(out, op.compute(grad, like))
        if not axes:
            np.copyto(out, grad.reshape(like.shape))
        elif not reduce_into(fn, SUM, 0, grad, axes, out):
            kept = tuple(1 if i in axes else d for i, d in enumerate(grad.shape))
            np.sum(grad, axis=axes, keepdims=True, out=out.reshape(kept))
        return out

    return Kernel(sum_to_shape)


def _static_sum(node, fn):
    """(grad shape, [outer, n, inner], [outer, inner]) of a SumToShape whose shapes are static
    and whose summed axes are one run, so a run skips working out its layout; else None."""
    grad, like = (v.shape for v in node.inputs)
    if fn is None or not (grad.is_fully_defined() and like.is_fully_defined()) \
            or grad.rank < like.rank:
        return None
    gshape = tuple(grad.as_list())
    axes = sum_axes(gshape, tuple(like.as_list()))
    dims = layout(gshape, axes) if axes else None
    return None if dims is None else (gshape, dims, (dims[0], dims[2]))


@cpu_kernel("BroadcastLike")
def _broadcast_like(node):
    def broadcast_like(out, x, like):
        if out is None:
            out = np.empty(like.shape, x.dtype)
        np.copyto(out, np.broadcast_to(x, like.shape))
        return out

    return Kernel(broadcast_like)


@cpu_kernel("BroadcastReduced")
def _broadcast_reduced(node):
    op = node.op

    def broadcast_reduced(out, dy, x):
        axes = normalize_axes(op.axis, x.ndim)
        kept = [1 if i in axes else d for i, d in enumerate(x.shape)]
        source = np.broadcast_to(np.reshape(dy, kept), x.shape)
        if out is None:
            out = np.empty(x.shape, dy.dtype)
        if op.mean:
            np.divide(source, max(prod(x.shape[a] for a in axes), 1), out=out)
        else:
            np.copyto(out, source)
        return out

    return Kernel(broadcast_reduced)
