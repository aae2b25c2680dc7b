"""Helpers shared by the array ops: static argument extraction, axis checks, shape values.

These helpers build no ops and import no op module, so every op module can use them; helpers
that build ops live with the op they build (`reshape_like` in array.py, `shape_arg` and
`zeros_for` in shape_ops.py).

TF1 lets a user pass shapes, axes and permutations as Python values or as constant tensors;
graphflow needs them while building the graph (they become attributes), so a tensor argument
must be a constant, or a shape that is already known (`shape(x)` of a fully known `x`).
"""

from __future__ import annotations

import numpy as np

from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape
from graphflow.errors import shape_rule


def constant_value(t: Tensor):
    """`t`'s value if it is known while building (a Const, or Shape/Size/Rank of a known shape)."""
    op = t.op
    if op.type == "Const":
        return op.get_attr("value")
    if op.type in ("Shape", "Size", "Rank"):
        shape = op.inputs[0].shape
        dtype = t.dtype.np
        if op.type == "Rank" and shape.dims is not None:
            return np.asarray(len(shape.dims), dtype=dtype)
        if shape.is_fully_defined():
            if op.type == "Shape":
                return np.asarray(shape.as_list(), dtype=dtype)
            return np.asarray(shape.num_elements(), dtype=dtype)
    return None


def static(value, what: str, fn: str):
    """A Python value, or the value of a constant tensor; TypeError for a runtime tensor."""
    if isinstance(value, Tensor):
        known = constant_value(value)
        if known is None:
            raise TypeError(
                f"{fn}: `{what}` must be known while building the graph (a Python value or a "
                f"constant tensor), but got {value.describe()}, computed at run time."
            )
        return known.tolist()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def static_int(value, what: str, fn: str) -> int:
    v = static(value, what, fn)
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"{fn}: `{what}` must be an int, got {v!r}")
    return int(v)


def static_ints(value, what: str, fn: str) -> list:
    """A list of Python ints from a list/tuple/array/constant tensor (a scalar becomes [v])."""
    v = static(value, what, fn)
    if isinstance(v, TensorShape):
        v = v.as_list()
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return [int(v)]
    out = []
    for item in v:
        item = static(item, what, fn)
        if isinstance(item, bool) or not isinstance(item, (int, np.integer)):
            raise TypeError(f"{fn}: `{what}` must hold ints, got {item!r} in {v!r}")
        out.append(int(item))
    return out


def norm_axis(axis: int, rank: int, what: str = "axis") -> int:
    """`axis` in [0, rank), accepting negative values (Python's rule); shape_rule otherwise."""
    if not -rank <= axis < rank:
        raise shape_rule(f"{what} {axis} is out of range for a tensor of rank {rank}; "
                         f"it must be in [{-rank}, {rank})")
    return axis + rank if axis < 0 else axis


def shape_tensor_value(t: Tensor):
    """What is known of the values of a 1-D int shape tensor: a list of int-or-None, or None.

    Follows TF1's `constant_value_as_shape`: constants, `shape(x)` (its known dims), `stack` of
    scalars (each a constant or `shape(x)[i]`) and `concat` of such pieces.
    """
    known = constant_value(t)
    if known is not None:
        return [int(v) for v in np.reshape(known, [-1])]
    op = t.op
    if op.type == "Shape":
        dims = op.inputs[0].shape.dims
        return None if dims is None else list(dims)
    if op.type == "Pack" and op.get_attr("axis") == 0:
        return [scalar_value(x) for x in op.inputs]
    if op.type == "ConcatV2":
        parts = [shape_tensor_value(x) for x in op.inputs]
        if all(p is not None for p in parts):
            return [v for p in parts for v in p]
    if t.shape.dims is not None and len(t.shape.dims) == 1 and t.shape.dims[0] is not None:
        return [None] * t.shape.dims[0]
    return None


def scalar_value(t: Tensor):
    """The value of an int scalar tensor if known while building (`shape(x)[i]` included)."""
    known = constant_value(t)
    if known is not None and np.ndim(known) == 0:
        return int(known)
    op = t.op
    if op.type == "StridedSlice" and op.inputs[0].op.type == "Shape":
        spec = op.get_attr("spec")
        if len(spec) == 1 and spec[0][0] == "int":
            dims = op.inputs[0].op.inputs[0].shape.dims
            if dims is not None and -len(dims) <= spec[0][1] < len(dims):
                return dims[spec[0][1]]
    return None


def fmt(dims) -> str:
    """`[2,?,3]` for a list of dims that may contain None."""
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"
