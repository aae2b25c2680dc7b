"""Algebraic simplification by the identities each op declares (graphflow/ops/registry.py).

`x op unit` for an op's declared unit (x + 0, x * 1, x - 0, x / 1), ops that forward their input
(Identity, StopGradient), ops that are no-ops when they keep their input's shape (a Reshape to the
same shape, a gradient's (un)broadcast that specialisation showed is a no-op), pairs that cancel
(-(-x), a transpose undone by another) and chains where the outer op absorbs the inner one
(Reshape(Reshape(x))). The pass knows no op by name.
"""

from __future__ import annotations

import numpy as np


def _const(value):
    p = value.producer
    return p.get_attr("value") if p is not None and p.type == "Const" else None


def _is_all(value, scalar, seen: dict) -> bool:
    """True when `value` is a constant of nothing but `scalar` (remembered per constant node:
    after CSE thousands of ops may share one)."""
    key = (value.producer, scalar)
    known = seen.get(key)
    if known is None:
        c = _const(value)
        known = seen[key] = (c is not None and c.dtype != object and c.size > 0
                             and bool(np.all(c == scalar)))
    return known


def _same_shape(a, b) -> bool:
    return a.shape.is_fully_defined() and a.shape == b.shape and a.dtype is b.dtype


def _passthrough(node, seen: dict):
    """The input value `node` merely forwards, or None (`seen`: _is_all's memory)."""
    op = node.op
    if not node.inputs or len(node.outputs) != 1:
        return None
    out = node.outputs[0]
    if op.forwards_input:
        return node.inputs[0]
    if op.unit is not None and len(node.inputs) == 2:
        for side in op.unit_sides:
            other = node.inputs[1 - side]
            if _is_all(node.inputs[side], op.unit, seen) and _same_shape(other, out):
                return other
    if op.noop_when_shape_kept and _same_shape(node.inputs[0], out):
        return node.inputs[0]
    inner = node.inputs[0].producer
    if inner is not None and not inner.pinned and len(inner.inputs) >= 1 and \
            op.cancels(inner.op, node.inputs[0].shape.rank):
        return inner.inputs[0]
    return None


def _absorb(node) -> bool:
    """op(inner(x)) -> op(x) where the op declares it absorbs `inner` (single-input chains)."""
    if len(node.inputs) != 1:
        return False
    inner = node.inputs[0].producer
    if inner is None or inner.pinned or len(inner.inputs) != 1 or not node.op.absorbs(inner.op):
        return False
    node.inputs = [inner.inputs[0]]
    return True


def simplify(program) -> str:
    rewrites = 0
    mapping: dict = {}
    seen: dict = {}

    def resolve(v):
        while v in mapping:
            v = mapping[v]
        return v

    for node in program.nodes:
        if any(v in mapping for v in node.inputs):  # read through earlier rewrites
            node.inputs = [resolve(v) for v in node.inputs]
        if node.pinned:
            continue
        source = _passthrough(node, seen)
        if source is not None:
            mapping[node.outputs[0]] = source
            rewrites += 1
        elif _absorb(node):
            rewrites += 1
    program.replace_values(mapping)
    dropped = program.remove_dead()
    return f"{rewrites} rewrites; removed {dropped} dead"
