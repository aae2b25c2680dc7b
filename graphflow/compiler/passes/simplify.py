"""Algebraic simplification: x*1, x+0, x-0, -(-x), identities, transpose and reshape chains."""

from __future__ import annotations

import numpy as np


def _const(value):
    p = value.producer
    return p.get_attr("value") if p is not None and p.type == "Const" else None


def _is_all(value, scalar) -> bool:
    c = _const(value)
    return c is not None and c.dtype != object and c.size > 0 and bool(np.all(c == scalar))


def _same_shape(a, b) -> bool:
    return a.shape.is_fully_defined() and a.shape == b.shape and a.dtype is b.dtype


def _perm(node, rank):
    perm = node.get_attr("perm")
    if perm is None:
        return None if rank is None else list(range(rank))[::-1]
    return list(perm)


def _passthrough(node):
    """The input value `node` merely forwards, or None."""
    t = node.type
    if t in ("Identity", "StopGradient", "PlaceholderWithDefault"):
        return node.inputs[0]
    if t in ("Mul",) and len(node.inputs) == 2:
        x, y = node.inputs
        out = node.outputs[0]
        if _is_all(y, 1) and _same_shape(x, out):
            return x
        if _is_all(x, 1) and _same_shape(y, out):
            return y
    if t in ("Add", "Sub") and len(node.inputs) == 2:
        x, y = node.inputs
        out = node.outputs[0]
        if _is_all(y, 0) and _same_shape(x, out):
            return x
        if t == "Add" and _is_all(x, 0) and _same_shape(y, out):
            return y
    if t in ("RealDiv",):
        x, y = node.inputs
        if _is_all(y, 1) and _same_shape(x, node.outputs[0]):
            return x
    if t == "Neg":
        inner = node.inputs[0].producer
        if inner is not None and inner.type == "Neg" and not inner.pinned:
            return inner.inputs[0]
    if t == "Transpose":
        inner = node.inputs[0].producer
        if inner is not None and inner.type == "Transpose" and not inner.pinned:
            rank = node.inputs[0].shape.rank
            p1, p2 = _perm(inner, rank), _perm(node, rank)
            if p1 is not None and p2 is not None and \
                    [p1[i] for i in p2] == list(range(len(p2))):
                return inner.inputs[0]
    if t == "Reshape" and len(node.inputs) == 1 and _same_shape(node.inputs[0], node.outputs[0]):
        return node.inputs[0]
    if t in ("SumToShape", "BroadcastLike", "BroadcastTo") and \
            _same_shape(node.inputs[0], node.outputs[0]):
        return node.inputs[0]  # a gradient's (un)broadcast that specialisation showed is a no-op
    return None


def _collapse_reshape_chain(program, node) -> bool:
    """Reshape(Reshape(x, a), b) -> Reshape(x, b) when both targets are static."""
    if node.type != "Reshape" or len(node.inputs) != 1:
        return False
    inner = node.inputs[0].producer
    if inner is None or inner.type != "Reshape" or inner.pinned or len(inner.inputs) != 1:
        return False
    node.inputs = [inner.inputs[0]]
    return True


def simplify(program) -> str:
    rewrites = 0
    mapping: dict = {}

    def resolve(v):
        while v in mapping:
            v = mapping[v]
        return v

    for node in program.nodes:
        if any(v in mapping for v in node.inputs):  # read through earlier rewrites
            node.inputs = [resolve(v) for v in node.inputs]
        if node.pinned:
            continue
        source = _passthrough(node)
        if source is not None:
            mapping[node.outputs[0]] = source
            rewrites += 1
        elif _collapse_reshape_chain(program, node):
            rewrites += 1
    program.replace_values(mapping)
    dropped = program.remove_dead()
    return f"{rewrites} rewrites; removed {dropped} dead"


