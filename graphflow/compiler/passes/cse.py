"""Common-subexpression elimination: identical ops on identical inputs are computed once."""

from __future__ import annotations

import numpy as np

from graphflow.core.dtypes import DType
from graphflow.core.shape import TensorShape


def _attr_key(value):
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return ("strings", value.shape, tuple(value.ravel().tolist()))
        return ("array", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, (list, tuple)):
        return tuple(_attr_key(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _attr_key(v)) for k, v in value.items()))
    if isinstance(value, (DType, TensorShape)):
        return repr(value)
    if isinstance(value, slice):
        return ("slice", value.start, value.stop, value.step)
    hash(value)  # anything else must be hashable as it is (TypeError otherwise)
    return value if not hasattr(value, "op") else ("tensor", id(value))


def node_key(node):
    """A hashable description of what `node` computes, or None if it cannot be compared."""
    try:
        attrs = _attr_key(node.op.attrs)
    except TypeError:
        return None
    return (node.type, attrs, tuple(v.id for v in node.inputs))


def eliminate_common_subexpressions(program) -> str:
    seen: dict = {}
    mapping: dict = {}
    absorbed: dict = {}  # kept node -> the graph operations merged into it (one tuple at the end)
    merged = 0
    for node in program.nodes:
        if any(v in mapping for v in node.inputs):  # read through earlier merges
            node.inputs = [mapping.get(v, v) for v in node.inputs]
        if node.pinned or node.op.stateful or node.op.takes_context:
            continue
        key = node_key(node)
        if key is None:
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = node
            continue
        for old, new in zip(node.outputs, first.outputs):
            mapping[old] = new
        if node.source is not None:
            absorbed.setdefault(first, []).append(node.source)
        merged += 1
    for first, sources in absorbed.items():
        first.members = first.members + tuple(sources)
    program.replace_values(mapping)
    dropped = program.remove_dead()
    return f"merged {merged} duplicate nodes; removed {dropped} dead"
