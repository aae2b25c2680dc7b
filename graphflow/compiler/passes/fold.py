"""Constant folding: nodes whose inputs are all constants are computed once, at compile time.

An input an op declares it reads only the shape of (`Op.shape_only_inputs`) counts as constant
once its shape is static: BroadcastReduced(1.0, x) in a mean's gradient becomes a constant."""

from __future__ import annotations

import numpy as np

from graphflow.compiler.ir import Node
from graphflow.ops.constant import Const

MAX_FOLDED_ELEMENTS = 1 << 20  # never bake a huge array into the plan


def _is_const(v) -> bool:
    return v.producer is not None and v.producer.type == "Const"


def _foldable(node) -> bool:
    if node.pinned or node.op.stateful or node.op.takes_context or not node.inputs:
        return False
    shape_only = node.op.shape_only_inputs
    if not all(_is_const(v) or (i in shape_only and v.shape.is_fully_defined())
               for i, v in enumerate(node.inputs)):
        return False
    return all(v.shape.is_fully_defined() and v.shape.num_elements() <= MAX_FOLDED_ELEMENTS
               for v in node.outputs)


def _argument(v):
    """A constant's value; for an input read only for its shape, a zero-strided stand-in."""
    if _is_const(v):
        return v.producer.get_attr("value")
    return np.broadcast_to(np.zeros((), v.dtype.np), tuple(v.shape.as_list()))


def fold_constants(program) -> str:
    folded, nodes = [], []
    for node in program.nodes:
        if not _foldable(node):
            nodes.append(node)
            continue
        args = [_argument(v) for v in node.inputs]
        try:
            with np.errstate(all="ignore"):
                out = node.op.compute(*args)
        except Exception:  # leave it to fail at run time, with the usual context
            nodes.append(node)
            continue
        results = list(out) if len(node.outputs) > 1 else [out]
        origin = (node.source,) if node.source is not None else node.members
        for value, result in zip(node.outputs, results):
            arr = np.array(result, dtype=value.dtype.np, copy=True)
            arr.flags.writeable = False
            const = Node(Const(value=arr, dtype=value.dtype), [], name=f"{node.name}/folded",
                         members=origin)
            const.outputs = [value]
            value.producer, value.index = const, 0
            nodes.append(const)
        folded.append(node.name)
    program.nodes = nodes
    dropped = program.remove_dead()
    shown = ", ".join(folded[:5]) + (", ..." if len(folded) > 5 else "")
    return f"folded {len(folded)} nodes" + (f" ({shown})" if folded else "") + \
        f"; removed {dropped} dead"
