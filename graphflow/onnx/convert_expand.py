"""Ops that make a larger tensor from a smaller one: Pad (CONSTANT, REFLECT, SYMMETRIC), Tile
and OneHot, with TF1's semantics where ONNX's differ (SYMMETRIC padding, negative indices)."""

from __future__ import annotations

import numpy as np

from graphflow.onnx.builder import INT64_MIN
from graphflow.onnx.errors import unsupported
from graphflow.onnx.table import converts

# TF1's pad modes as ONNX Pad's; SYMMETRIC (the edge repeated) has no ONNX mode.
_PAD_MODES = {"CONSTANT": "constant", "REFLECT": "reflect"}


@converts("Pad")
def pad(b, node, ins):
    """ONNX Pad for CONSTANT and REFLECT; SYMMETRIC is built from reversed slices, concatenated
    along each padded axis (ONNX has no mode that repeats the edge value)."""
    pads = [tuple(int(v) for v in p) for p in node.get_attr("paddings")]
    mode = node.get_attr("mode")
    out = b.outputs(node)[0]
    if not any(before or after for before, after in pads):
        return [b.add("Identity", ins, out)]
    if mode in _PAD_MODES:
        inputs = [ins[0], b.ints([p[0] for p in pads] + [p[1] for p in pads], "pads")]
        if mode == "CONSTANT":
            dtype = node.inputs[0].dtype.np
            inputs.append(b.scalar(node.get_attr("constant_values"), dtype, "constant_value"))
        return [b.add("Pad", inputs, out, mode=_PAD_MODES[mode])]
    padded = [axis for axis, (before, after) in enumerate(pads) if before or after]
    value = ins[0]
    for axis in padded:
        value = _symmetric(b, value, axis, *pads[axis], out if axis == padded[-1] else None)
    return [value]


def _symmetric(b, x: str, axis: int, before: int, after: int, output: str | None) -> str:
    """`x` with its first `before` and last `after` entries along `axis` mirrored outside."""
    parts = []
    if before:  # x[before-1::-1]: the first `before` entries, reversed
        parts.append(_reversed_slice(b, x, axis, before - 1, INT64_MIN))
    parts.append(x)
    if after:  # x[-1:-after-1:-1]: the last `after` entries, reversed
        parts.append(_reversed_slice(b, x, axis, -1, -after - 1))
    return b.add("Concat", parts, output, "symmetric", axis=axis)


def _reversed_slice(b, x: str, axis: int, start: int, end: int) -> str:
    return b.add("Slice", [x, b.ints([start], "starts"), b.ints([end], "ends"),
                           b.ints([axis], "axes"), b.ints([-1], "steps")], hint="mirrored")


@converts("Tile")
def tile(b, node, ins):
    multiples = [int(m) for m in node.get_attr("multiples")]
    out = b.outputs(node)[0]
    if not multiples:  # a scalar: TF1 returns it unchanged
        return [b.add("Identity", ins, out)]
    return [b.add("Tile", [ins[0], b.ints(multiples, "repeats")], out)]


@converts("OneHot")
def one_hot(b, node, ins):
    """`indices` compared with 0..depth-1 along the new axis, then on/off values chosen: exact
    for every dtype (ONNX's OneHot, besides its few runtime type combinations, counts negative
    indices from the end where TF1 gives them an all-off row)."""
    depth = int(node.get_attr("depth"))
    axis = int(node.get_attr("axis"))
    indices = node.inputs[0]
    rank = indices.shape.rank
    if axis != -1 and rank is None:
        raise unsupported(node, f"one_hot along axis {axis} needs the indices' rank "
                                f"({indices.describe()})")
    trailing = 0 if axis == -1 else rank - axis
    positions = np.arange(depth, dtype=indices.dtype.np).reshape([depth] + [1] * trailing)
    hot = b.add("Equal", [b.unsqueeze(ins[0], [axis]), b.initializer(positions, hint="range")],
                hint="hot")
    dtype = node.get_attr("dtype").np
    return [b.add("Where", [hot, b.scalar(node.get_attr("on_value"), dtype, "on_value"),
                            b.scalar(node.get_attr("off_value"), dtype, "off_value")],
                  b.outputs(node)[0])]
