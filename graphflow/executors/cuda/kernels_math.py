"""Matrix products (cuBLAS through `xp.matmul`, transposes as `.T` views), the sparse
cross-entropy, bias and the broadcast-gradient helpers, through the array module (cupy's own
reduction kernels) with keepdims; the reductions run as generated kernels (kernels_reduce.py),
these CuPy calls only for the dtypes and shapes the generator refuses. Softmax, log-softmax and the
dense cross-entropy launch the generated row kernels (rows.py), or these CuPy calls for what the
generator refuses (float16, shapes known only at run time). Shapes and axes are resolved once per
step."""

from __future__ import annotations

from graphflow.executors.cuda.device_errors import index_guard
from graphflow.executors.cuda.kernels_generated import empty, renders, step_launcher
from graphflow.executors.cuda.rows import ROW_TYPES
from graphflow.executors.cuda.table import Kernel, cuda_kernel
from graphflow.ops.broadcast_grad import sum_axes
from graphflow.ops.nn_geometry import raise_runtime
from graphflow.ops.nn_ops import xent_problem
from graphflow.ops.reduce import normalize_axes


def _into(xp, out, value, dtype):
    value = value.astype(dtype, copy=False)
    if out is None:
        return value if value.ndim == 0 or value.base is None else value.copy()
    xp.copyto(out, value.reshape(out.shape))
    return out


def _t(x):
    return x.swapaxes(-1, -2)


@cuda_kernel("MatMul", "BatchMatMulV2")
def _matmul(step, lowering):
    xp, attrs = lowering.backend.xp, step.op.attrs
    ta = attrs.get("transpose_a", False) or attrs.get("adj_x", False)
    tb = attrs.get("transpose_b", False) or attrs.get("adj_y", False)

    def matmul(out, a, b):
        a = _t(a) if ta else a
        b = _t(b) if tb else b
        return xp.matmul(a, b, out=out) if out is not None else xp.matmul(a, b)

    return Kernel(matmul, quiet=True)


_REDUCERS = {"Sum": "sum", "Mean": "mean", "Max": "max", "Min": "min", "Prod": "prod",
             "All": "all", "Any": "any"}


def cupy_reduce(step, lowering):  # CuPy calls, for what the generator refuses (float16, int8)
    xp, op = lowering.backend.xp, step.op
    fn = getattr(xp, _REDUCERS[step.type])
    rank = step.inputs[0].shape.rank
    axes = tuple(normalize_axes(op.axis, rank)) if rank is not None else None
    dtype, keep = step.outputs[0].dtype.np, op.keepdims

    def reduce(out, x):
        if x.size == 0 and step.type in ("Max", "Min"):  # the identity, as the reference
            info = xp.finfo(x.dtype) if x.dtype.kind == "f" else xp.iinfo(x.dtype)
            low = -xp.inf if x.dtype.kind == "f" else info.min
            high = xp.inf if x.dtype.kind == "f" else info.max
            value = xp.full(out.shape if out is not None else tuple(
                step.outputs[0].shape.as_list()), low if step.type == "Max" else high, dtype)
            return _into(xp, out, value, dtype)
        return _into(xp, out, fn(x, axis=axes, keepdims=keep), dtype)

    return Kernel(reduce)


def cupy_arg(step, lowering):  # CuPy calls, for what the generator refuses
    xp, op = lowering.backend.xp, step.op
    fn = xp.argmax if step.type == "ArgMax" else xp.argmin
    dtype = op.output_type.np

    def arg(out, x):
        (axis,) = normalize_axes((op.axis,), x.ndim)
        if x.shape[axis] == 0:
            raise ValueError(f"{step.type} over an empty dimension {axis} of shape {x.shape}")
        return _into(xp, out, fn(x, axis=axis), dtype)

    return Kernel(arg)


def _log_softmax(xp, x, axis):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True))


def _softmax(step, lowering):  # CuPy calls, for what the generator refuses (float16)
    xp, axis, log = lowering.backend.xp, step.op.axis, step.type == "LogSoftmax"
    dtype = step.outputs[0].dtype.np

    def softmax(out, x):
        if log:
            return _into(xp, out, _log_softmax(xp, x, axis), dtype)
        e = xp.exp(x - x.max(axis=axis, keepdims=True))
        return _into(xp, out, e / e.sum(axis=axis, keepdims=True), dtype)

    return Kernel(softmax)


def _xent(step, lowering):  # CuPy calls, for what the generator refuses
    xp, dtype = lowering.backend.xp, step.outputs[0].dtype.np

    def xent(out, labels, logits):
        raise_runtime(xent_problem(labels.shape, logits.shape))
        return _into(xp, out, -(labels * _log_softmax(xp, logits, -1)).sum(axis=-1), dtype)

    return Kernel(xent)


@cuda_kernel(*ROW_TYPES)
def _rows(step, lowering):
    """The generated one-thread-per-row kernel (rows.py), else the CuPy calls above."""
    if lowering.launcher is None and not renders(step):
        return (_xent if step.type == "SoftmaxCrossEntropyWithLogits" else _softmax)(
            step, lowering)
    launcher, (name,) = step_launcher(step, lowering)
    xp, spec = lowering.backend.xp, step.outputs[0]

    def rows(out, *inputs):
        out = out if out is not None else empty(xp, spec)
        if out.size:
            launcher.launch(name, [*(xp.ascontiguousarray(a) for a in inputs), out])
        return out

    return Kernel(rows, quiet=True)


@cuda_kernel("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_xent(step, lowering):
    xp, dtype = lowering.backend.xp, step.outputs[0].dtype.np
    guard = index_guard(step, lowering)

    def sparse_xent(out, labels, logits):
        if logits.ndim == 0 or labels.shape != logits.shape[:-1]:
            raise ValueError(f"labels of shape {labels.shape} must have the shape of logits "
                             f"{logits.shape} without its last axis")
        n = logits.shape[-1]
        if n == 0:
            raise ValueError(f"Must have at least one class, but got logits shape {logits.shape}")
        labels = guard(labels, n, "labels")
        logp = _log_softmax(xp, logits, -1)
        picked = xp.take_along_axis(logp, labels[..., None].astype(xp.int64), axis=-1)[..., 0]
        return _into(xp, out, -picked, dtype)

    return Kernel(sparse_xent)


@cuda_kernel("BiasAdd")
def _bias_add(step, lowering):
    xp, nchw = lowering.backend.xp, step.op.data_format == "NCHW"

    def bias_add(out, value, bias):
        if value.ndim < 2:
            raise ValueError(f"value must have at least 2 dimensions, got {value.shape}")
        b = bias.reshape((-1,) + (1,) * (value.ndim - 2)) if nchw else bias
        return xp.add(value, b, out=out) if out is not None else value + b

    return Kernel(bias_add, quiet=True)


def cupy_bias_add_grad(step, lowering):  # CuPy calls, for what the generator refuses
    xp, nchw = lowering.backend.xp, step.op.data_format == "NCHW"

    def bias_add_grad(out, dy):
        if dy.ndim < 2:
            raise ValueError(f"out_backprop must have at least 2 dimensions, got {dy.shape}")
        axes = tuple(i for i in range(dy.ndim) if i != 1) if nchw else tuple(range(dy.ndim - 1))
        return _into(xp, out, dy.sum(axis=axes), dy.dtype)

    return Kernel(bias_add_grad)


def cupy_l2loss(step, lowering):  # CuPy calls, for what the generator refuses
    xp = lowering.backend.xp
    return Kernel(lambda out, t: _into(xp, out, xp.sum(xp.square(t)) / 2, t.dtype))


@cuda_kernel("AddN")
def _add_n(step, lowering):
    xp = lowering.backend.xp

    def add_n(out, *xs):
        total = xs[0] + xs[1] if len(xs) > 1 else xs[0].copy()
        for x in xs[2:]:
            total += x
        return _into(xp, out, total, step.outputs[0].dtype.np)

    return Kernel(add_n)


def cupy_sum_to_shape(step, lowering):  # CuPy calls, for what the generator refuses
    xp = lowering.backend.xp

    def sum_to_shape(out, grad, like):
        axes = sum_axes(grad.shape, like.shape)
        value = grad.sum(axis=axes, keepdims=True) if axes else grad.copy()
        return _into(xp, out, value.reshape(like.shape), grad.dtype)

    return Kernel(sum_to_shape)


@cuda_kernel("BroadcastReduced")
def _broadcast_reduced(step, lowering):
    xp, op = lowering.backend.xp, step.op

    def broadcast_reduced(out, dy, x):
        axes = normalize_axes(op.axis, x.ndim)
        kept = [1 if i in axes else d for i, d in enumerate(x.shape)]
        value = xp.broadcast_to(dy.reshape(kept), x.shape)
        if op.mean:
            count = 1
            for a in axes:
                count *= x.shape[a]
            value = value / max(count, 1)
        return _into(xp, out, value.copy(), dy.dtype)

    return Kernel(broadcast_reduced)


@cuda_kernel("BroadcastLike")
def _broadcast_like(step, lowering):
    xp = lowering.backend.xp
    return Kernel(lambda out, x, like: _into(
        xp, out, xp.broadcast_to(x, like.shape).copy(), x.dtype))
