"""Ops that move elements: reshape, transpose, axes added or removed, concat, stack, shape,
basic indexing (StridedSlice) and gather."""

from __future__ import annotations

import numpy as np

from graphflow.onnx.builder import INT64_MAX, INT64_MIN
from graphflow.onnx.errors import unsupported
from graphflow.onnx.table import converts


@converts("Reshape")
def reshape(b, node, ins):
    """TF1's 0 is a zero-sized axis, ONNX's copies the input's: `allowzero=1` (opset 14+)."""
    out = b.outputs(node)[0]
    if len(ins) == 1:
        target = [int(d) for d in node.get_attr("shape")]
        shape = b.ints(target, "shape")
        if 0 in target and b.opset < 14:
            raise unsupported(node, f"a target shape {target} with a 0 needs opset 14 or later")
    else:
        shape = ins[1] if node.inputs[1].dtype.np == np.int64 else b.cast(ins[1], np.int64)
    allowzero = 1 if b.opset >= 14 else None
    return [b.add("Reshape", [ins[0], shape], out, allowzero=allowzero)]


@converts("Transpose")
def transpose(b, node, ins):
    perm = node.get_attr("perm")
    out = b.outputs(node)[0]
    if perm is None:  # reversed axes, ONNX's default too
        return [b.add("Transpose", ins, out)]
    return [b.transpose(ins[0], perm, output=out)]


@converts("ExpandDims")
def expand_dims(b, node, ins):
    return [b.unsqueeze(ins[0], [int(node.get_attr("axis"))], b.outputs(node)[0])]


@converts("Squeeze")
def squeeze(b, node, ins):
    axes = node.get_attr("axis")
    return [b.squeeze(ins[0], [int(a) for a in axes] if axes else None, b.outputs(node)[0])]


@converts("ConcatV2")
def concat(b, node, ins):
    return [b.add("Concat", ins, b.outputs(node)[0], axis=int(node.get_attr("axis")))]


@converts("Pack")
def pack(b, node, ins):
    """stack: each value gets the new axis, then they are concatenated along it."""
    axis = int(node.get_attr("axis"))
    out = b.outputs(node)[0]
    if len(ins) == 1:
        return [b.unsqueeze(ins[0], [axis], out)]
    return [b.add("Concat", [b.unsqueeze(x, [axis]) for x in ins], out, axis=axis)]


@converts("Shape")
def shape(b, node, ins):
    out = b.outputs(node)[0]
    want = node.get_attr("out_type").np
    dims = b.add("Shape", ins, out if want == np.int64 else None)
    return [dims if want == np.int64 else b.cast(dims, want, out)]


@converts("GatherV2")
def gather(b, node, ins):
    return [b.add("Gather", ins, b.outputs(node)[0], axis=int(node.get_attr("axis")))]


@converts("StridedSlice")
def strided_slice(b, node, ins):
    """`x[spec]`: one Slice for the slices and int indices, a Squeeze dropping the int-indexed
    axes, an Unsqueeze adding the new ones."""
    entries = list(node.get_attr("spec"))
    rank = node.inputs[0].shape.rank
    if any(e[0] == "ellipsis" for e in entries):
        if rank is None:
            raise unsupported(node, "an ellipsis index into a tensor of unknown rank")
        used = sum(e[0] in ("int", "slice") for e in entries)
        at = next(i for i, e in enumerate(entries) if e[0] == "ellipsis")
        entries[at:at + 1] = [("slice", None, None, 1)] * (rank - used)
    starts, ends, axes, steps, dropped, added = [], [], [], [], [], []
    axis = out_axis = 0
    for e in entries:
        if e[0] == "newaxis":
            added.append(out_axis)
            out_axis += 1
            continue
        if e[0] == "int":
            i = int(e[1])
            starts.append(i), ends.append(INT64_MAX if i == -1 else i + 1), steps.append(1)
            axes.append(axis)
            dropped.append(axis)
        elif e[1:] != (None, None, 1):
            _, start, stop, step = e
            backward = step < 0
            starts.append((INT64_MAX if backward else 0) if start is None else int(start))
            ends.append((INT64_MIN if backward else INT64_MAX) if stop is None else int(stop))
            steps.append(int(step))
            axes.append(axis)
            out_axis += 1
        else:
            out_axis += 1
        axis += 1
    out = b.outputs(node)[0]
    value = ins[0]
    steps_left = [bool(axes), bool(dropped), bool(added)]
    if axes:
        steps_left[0] = False
        value = b.add("Slice", [value, b.ints(starts, "starts"), b.ints(ends, "ends"),
                                b.ints(axes, "axes"), b.ints(steps, "steps")],
                      None if any(steps_left) else out, "sliced")
    if dropped:
        steps_left[1] = False
        value = b.squeeze(value, dropped, None if any(steps_left) else out)
    if added:
        value = b.unsqueeze(value, added, out)
    if value == ins[0]:  # x[:] and the like
        value = b.add("Identity", [value], out)
    return [value]


@converts("Fill")
def fill(b, node, ins):
    """The scalar value broadcast (Expand) to the static shape attribute or the runtime dims."""
    if len(ins) == 1:
        dims = b.ints(node.get_attr("shape"), "dims")
    else:
        dims = ins[1] if node.inputs[1].dtype.np == np.int64 else b.cast(ins[1], np.int64)
    return [b.add("Expand", [ins[0], dims], b.outputs(node)[0])]


@converts("ZerosLike", "OnesLike")
def fill_like(b, node, ins):
    dtype = node.outputs[0].dtype.np
    value = b.scalar(0 if node.type == "ZerosLike" else 1, dtype, "fill_value")
    return [b.add("Expand", [value, b.add("Shape", ins)], b.outputs(node)[0])]
