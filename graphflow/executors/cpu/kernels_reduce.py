"""Reductions and arg-reductions into the planned buffer, never through a temporary.

Sum, Mean and Prod run a native [outer, n, inner] kernel when the reduced axes are one contiguous
run of a C-contiguous input (double accumulators, threads for big inputs: 1.3-3.6x NumPy on
[128, 784]). Max, Min, All, Any and the arg-reductions use NumPy with `out=`: its runtime-dispatched
SIMD max beat our SSE2 loops by 3-15x, so a native kernel would only be slower.
"""

from __future__ import annotations

import numpy as np

from graphflow._ext import kernels as native
from graphflow.executors.cpu.registry import Kernel, cpu_kernel
from graphflow.ops.reduce import normalize_axes

# NumPy type -> the name of the fused specialisation that handles it (bool as uint8 bytes).
NATIVE = {np.dtype(np.float32): "float", np.dtype(np.float64): "double",
          np.dtype(np.int32): "int32_t", np.dtype(np.int64): "int64_t",
          np.dtype(np.bool_): "uint8_t"}
INDEX = {np.dtype(np.int32): "int32_t", np.dtype(np.int64): "int64_t"}
SUM, PROD, MAX, MIN, SUMSQ = 0, 1, 2, 3, 4  # reduce3's op codes


def layout(shape, axes):
    """(outer, n, inner) when `axes` form one contiguous run once size-1 dims are dropped."""
    outer = n = inner = 1
    state = 0  # 0 before the run, 1 inside it, 2 after it
    for i, d in enumerate(shape):
        if d == 1:
            continue
        if i in axes:
            if state == 2:
                return None
            state, n = 1, n * d
        elif state == 0:
            outer *= d
        else:
            state, inner = 2, inner * d
    return outer, n, inner


def prod(dims) -> int:
    n = 1
    for d in dims:
        n *= d
    return n


def into(out, result):
    """`result` copied into `out` when there is one (a kernel's fallback to the reference)."""
    if out is None:
        return result
    np.copyto(out, result)
    return out


def reduced_dims(shape, axes, keepdims):
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def reduce_into(fn, op, init, x, axes, out):
    """Run the native reduction of `x` over `axes` into the C-contiguous `out`; False if the
    layout does not allow it (the caller then uses NumPy)."""
    if not x.flags.c_contiguous:
        return False
    dims = layout(x.shape, axes)
    if dims is None:
        return False
    outer, n, inner = dims
    if x.dtype == np.bool_:
        x, out = x.view(np.uint8), out.view(np.uint8)
    fn(x.reshape(outer, n, inner), out.reshape(outer, inner), op, init)
    return True


_NUMPY = {"Sum": np.sum, "Prod": np.prod, "Max": np.max, "Min": np.min, "All": np.all,
          "Any": np.any}
_OPS = {"Sum": SUM, "Mean": SUM, "Prod": PROD, "Max": MAX, "Min": MIN, "All": MIN, "Any": MAX}


def _init(op_type, dtype):
    if op_type in ("Sum", "Mean"):
        return 0
    if op_type == "Prod":
        return 1
    if op_type in ("All", "Any"):
        return int(op_type == "All")
    lowest = op_type == "Max"
    if dtype.kind == "f":
        return -np.inf if lowest else np.inf
    info = np.iinfo(dtype)
    return info.min if lowest else info.max


@cpu_kernel("Sum", "Mean", "Max", "Min", "Prod", "All", "Any")
def _reduction(node):
    op = node.op
    dtype = np.dtype(node.inputs[0].dtype.np)
    keepdims, mean = op.keepdims, node.type == "Mean"
    init = _init(node.type, dtype)
    if node.type in ("Max", "Min"):
        extra = {"initial": init}  # an empty reduction gives the identity, as the reference
    elif node.type in ("All", "Any"):
        extra = {}
    else:
        extra = {"dtype": dtype}
    np_fn = np.mean if mean else _NUMPY[node.type]
    # TF1's truncated integer mean and unusual dtypes: the reference is the definition
    supported = dtype in NATIVE and not (mean and dtype.kind != "f")
    fn = native.reduce3[NATIVE[dtype]] if supported and dtype != np.bool_ and \
        node.type in ("Sum", "Mean", "Prod") else None
    code = _OPS[node.type]
    rank = node.inputs[0].shape.rank
    static_axes = None if rank is None else normalize_axes(op.axis, rank)

    shape = node.inputs[0].shape
    fast = None  # static shapes: the layout and the mean's count, worked out once
    if fn is not None and static_axes is not None and shape.is_fully_defined():
        xshape = tuple(shape.as_list())
        dims = layout(xshape, static_axes)
        if dims is not None:
            fast = (xshape, dims, (dims[0], dims[2]), reduced_dims(xshape, static_axes, keepdims),
                    prod(xshape[a] for a in static_axes))

    def reduce(out, x):
        if fast is not None and x.shape == fast[0] and x.dtype == dtype and x.flags.c_contiguous:
            if out is None:
                out = np.empty(fast[3], dtype)
            fn(x.reshape(fast[1]), out.reshape(fast[2]), code, init)
            if mean:  # an empty mean is 0/0 = NaN, as in NumPy
                np.divide(out, fast[4], out=out)
            return out
        if not supported:
            return into(out, op.compute(x))
        axes = static_axes if static_axes is not None else normalize_axes(op.axis, x.ndim)
        if out is None:
            out = np.empty(reduced_dims(x.shape, axes, keepdims), dtype)
        if fn is None or not reduce_into(fn, code, init, x, axes, out):
            np_fn(x, axis=axes, keepdims=keepdims, out=out, **extra)
        elif mean:  # an empty mean is 0/0 = NaN, as in NumPy
            np.divide(out, prod(x.shape[a] for a in axes), out=out)
        return out

    return Kernel(reduce)


@cpu_kernel("ArgMax", "ArgMin")
def _arg_reduction(node):
    op = node.op
    out_dtype = np.dtype(op.output_type.np)
    np_fn = np.argmax if node.type == "ArgMax" else np.argmin

    def arg_reduce(out, x):
        (axis,) = normalize_axes((op.axis,), x.ndim)
        if out is None or x.shape[axis] == 0:
            return into(out, op.compute(x))  # the reference raises for an empty axis
        if out_dtype == np.intp:
            np_fn(x, axis=axis, out=out)
        else:
            out[...] = np_fn(x, axis=axis)
        return out

    return Kernel(arg_reduce)
