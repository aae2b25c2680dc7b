"""Gradient clipping as TF1 writes it: `clip_by_norm`, `global_norm`, `clip_by_global_norm`.

Composites of existing ops, so their gradients come from those ops. TF1's formulas:
clip_by_norm: t * clip_norm / max(l2norm(t), clip_norm) (over `axes`, all by default);
clip_by_global_norm: each t * clip_norm / max(global_norm, clip_norm), and the global norm.
"""

from __future__ import annotations

from graphflow.core.graph import get_default_graph
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.elementwise import maximum, sqrt
from graphflow.ops.matmul import add_n
from graphflow.ops.reduce import reduce_sum
from graphflow.ops.state import identity

__all__ = ["clip_by_global_norm", "clip_by_norm", "global_norm"]


def clip_by_norm(t, clip_norm, axes=None, name: str | None = None):
    """`t` scaled down so its L2 norm over `axes` is at most `clip_norm`."""
    with get_default_graph().name_scope(name or "clip_by_norm") as scope:
        t = convert_to_tensor(t, name="t")
        if not t.dtype.is_floating:
            raise TypeError(f"clip_by_norm needs a floating tensor, got {t.describe()}")
        clip = convert_to_tensor(clip_norm, dtype=t.dtype, name="clip_norm")
        norm = sqrt(reduce_sum(t * t, axes, keepdims=True))
        return identity(t * clip / maximum(norm, clip), name=scope)


def global_norm(t_list, name: str | None = None):
    """sqrt(sum of the squared L2 norms of the tensors in `t_list`); None entries are skipped."""
    if isinstance(t_list, (str, bytes)) or not hasattr(t_list, "__iter__"):
        raise TypeError(f"t_list must be a sequence of tensors, got {type(t_list).__name__}")
    with get_default_graph().name_scope(name or "global_norm") as scope:
        tensors = [convert_to_tensor(t) for t in t_list if t is not None]
        if not tensors:
            return convert_to_tensor(0.0, name=scope)
        squares = [reduce_sum(t * t) for t in tensors]
        total = add_n(squares) if len(squares) > 1 else squares[0]
        return sqrt(total, name=scope)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name: str | None = None):
    """(list of clipped tensors, the global norm): each scaled by clip / max(norm, clip)."""
    t_list = list(t_list)
    norm = global_norm(t_list) if use_norm is None else convert_to_tensor(use_norm)
    with get_default_graph().name_scope(name or "clip_by_global_norm"):
        clip = convert_to_tensor(clip_norm, dtype=norm.dtype, name="clip_norm")
        scale = clip / maximum(norm, clip)
        clipped = [None if t is None else identity(convert_to_tensor(t) * scale)
                   for t in t_list]
    return clipped, norm
