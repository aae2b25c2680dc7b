"""Array ops: gather, scatter-add, one_hot and 2-D transpose as native kernels; concat, stack,
fills, tiles, pads and selects as one NumPy call writing into the planned buffer."""

from __future__ import annotations

import numpy as np

from graphflow._ext import kernels as native
from graphflow.executors.cpu.kernels_reduce import INDEX, NATIVE, into, prod
from graphflow.executors.cpu.registry import Kernel, cpu_kernel, reference_kernel
from graphflow.ops.indexing import numpy_key

reference_kernel("a shape query: one small array from the input's metadata",
                 "Shape", "Size", "Rank")
reference_kernel("returns a view of its input: there is nothing to copy",
                 "Reshape", "ExpandDims", "Squeeze", "Split", "Unpack")
reference_kernel("a short vector whose length is known only at run time (np.arange does it)",
                 "Range")
reference_kernel("its output length depends on the values (np.argwhere does it in one call)",
                 "Where")
reference_kernel("the rare gradient of a mirror pad: np.add.at over the borders, once per axis",
                 "MirrorPadGrad")

WORDS = {1: "uint8_t", 2: "uint16_t", 4: "uint32_t", 8: "uint64_t"}


def _axis(axis, rank):
    return axis + rank if axis < 0 else axis


@cpu_kernel("GatherV2")
def _gather(node):
    op = node.op

    def gather(out, params, indices):
        axis = _axis(op.axis, params.ndim)
        fn = INDEX.get(indices.dtype)
        if fn is None or not params.flags.c_contiguous:
            return into(out, op.compute(params, indices))
        if out is None:
            out = np.empty(params.shape[:axis] + indices.shape + params.shape[axis + 1:],
                           params.dtype)
        outer, bound = prod(params.shape[:axis]), params.shape[axis]
        width = prod(params.shape[axis + 1:]) * params.itemsize
        flat = np.ascontiguousarray(indices).reshape(-1)
        p = params.reshape(-1).view(np.uint8).reshape(outer, bound, width)
        o = out.reshape(-1).view(np.uint8).reshape(outer, flat.size, width)
        if native.gather_rows[fn](p, flat, o) >= 0:
            op.compute(params, indices)  # raises the reference's IndexError
        return out

    return Kernel(gather)


@cpu_kernel("ScatterAddTo")
def _scatter_add(node):
    op = node.op
    name = NATIVE.get(np.dtype(node.outputs[0].dtype.np))

    def scatter_add(out, updates, indices, shape_t=None):
        shape = tuple(op.shape) if shape_t is None else tuple(int(d) for d in shape_t)
        axis = _axis(op.axis, len(shape))
        index = INDEX.get(indices.dtype)
        flat = np.ascontiguousarray(indices).reshape(-1)
        outer, bound, inner = prod(shape[:axis]), shape[axis], prod(shape[axis + 1:])
        if name in (None, "uint8_t") or index is None or not updates.flags.c_contiguous \
                or updates.size != outer * flat.size * inner:
            return into(out, op.compute(updates, indices, *(() if shape_t is None
                                                             else (shape_t,))))
        if out is None:
            out = np.empty(shape, updates.dtype)
        fn = native.scatter_add[f"{name}|{index}"]
        if fn(updates.reshape(outer, flat.size, inner), flat,
              out.reshape(outer, bound, inner)) >= 0:
            op.compute(updates, indices, *(() if shape_t is None else (shape_t,)))  # raises
        return out

    return Kernel(scatter_add)


@cpu_kernel("OneHot")
def _one_hot(node):
    op = node.op
    dtype = np.dtype(op.dtype.np)
    on, off = np.where([True, False], op.on_value, op.off_value).astype(dtype)
    name = NATIVE.get(dtype)
    if name == "uint8_t":
        on, off = on.view(np.uint8), off.view(np.uint8)

    def one_hot(out, indices):
        index = INDEX.get(indices.dtype)
        if name is None or index is None:
            return into(out, op.compute(indices))
        axis = indices.ndim if op.axis == -1 else op.axis
        if out is None:
            out = np.empty(indices.shape[:axis] + (op.depth,) + indices.shape[axis:], dtype)
        outer, inner = prod(indices.shape[:axis]), prod(indices.shape[axis:])
        o = out.view(np.uint8) if name == "uint8_t" else out
        native.one_hot[f"{index}|{name}"](np.ascontiguousarray(indices).reshape(-1),
                                          o.reshape(outer, op.depth, inner), on, off)
        return out

    return Kernel(one_hot)


@cpu_kernel("ConcatV2", "Pack")
def _join(node):
    """np.concatenate/np.stack with `out=`: one memcpy per block already (a native byte-row
    copy measured 5x slower, its per-call views costing more than the copy)."""
    op = node.op
    join = np.concatenate if node.type == "ConcatV2" else np.stack

    def join_(out, *values):
        if out is None:
            return op.compute(*values)
        join(values, axis=op.axis, out=out)
        return out

    return Kernel(join_)


@cpu_kernel("Transpose", fresh=False)  # a view when no buffer is planned
def _transpose(node):
    op = node.op

    def transpose(out, x):
        view = np.transpose(x, op.perm)
        if out is None:
            return view  # the reference's view: nothing is copied for a fetch
        word = WORDS.get(x.itemsize)
        if x.ndim == 2 and word and x.flags.c_contiguous and x.size >= 4096:
            u = np.dtype(f"u{x.itemsize}")
            native.transpose2d[word](x.view(u), out.view(u))
        else:
            np.copyto(out, view)
        return out

    return Kernel(transpose)


reference_kernel("a NumPy view of the input; copying it into the planned buffer measured 20x "
                 "slower than the view, and consumers accept strided inputs",
                 "Slice", "StridedSlice")


@cpu_kernel("StridedSliceGrad")
def _strided_slice_grad(node):
    op = node.op
    key = numpy_key(op.spec)

    def strided_slice_grad(out, dy, shape_t=None):
        if out is None:
            return op.compute(dy, shape_t) if shape_t is not None else op.compute(dy)
        out.fill(0)
        out[key] = dy
        return out

    return Kernel(strided_slice_grad)


@cpu_kernel("Fill")
def _fill(node):
    op = node.op

    def fill(out, value, dims=None):
        if out is None:
            return op.compute(value) if dims is None else op.compute(value, dims)
        out.fill(value)
        return out

    return Kernel(fill)


@cpu_kernel("ZerosLike", "OnesLike")
def _like(node):
    op = node.op

    def like(out, x):
        if out is None:
            return op.compute(x)
        out.fill(op.fill_value)
        return out

    return Kernel(like)


@cpu_kernel("Tile")
def _tile(node):
    op = node.op

    def tile(out, x):
        if out is None or x.ndim == 0:
            return into(out, op.compute(x))
        # out viewed as [m0, d0, m1, d1, ...] is x broadcast along the m axes: one copy
        inter = [v for m, d in zip(op.multiples, x.shape, strict=True) for v in (m, d)]
        src = x.reshape([v for d in x.shape for v in (1, d)])
        np.copyto(out.reshape(inter), src)
        return out

    return Kernel(tile)


@cpu_kernel("Pad")
def _pad(node):
    op = node.op
    pads = [tuple(p) for p in op.paddings]

    def pad(out, x):
        if out is None or op.mode != "CONSTANT" or not pads:
            return op.compute(x)  # a fresh array; the planned buffer stays unused
        out.fill(np.asarray(op.constant_values, x.dtype))
        out[tuple(slice(b, b + d) for (b, _), d in zip(pads, x.shape, strict=True))] = x
        return out

    return Kernel(pad)


@cpu_kernel("SelectV2")
def _select(node):
    op = node.op

    def select(out, condition, x, y):
        if out is None:
            return op.compute(condition, x, y)
        np.copyto(out, y)
        np.copyto(out, x, where=condition)
        return out

    return Kernel(select)


@cpu_kernel("BroadcastTo", fresh=False)  # a read-only view when no buffer is planned
def _broadcast_to(node):
    op = node.op

    def broadcast_to(out, x):
        if out is None:
            return op.compute(x)
        np.copyto(out, np.broadcast_to(x, op.shape))
        return out

    return Kernel(broadcast_to)
