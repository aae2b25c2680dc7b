"""`gradients(ys, xs)`: reverse-mode differentiation that adds gradient ops to the graph (TF1).

The walk is iterative over creation order (a valid topological order, since the graph is
append-only), so a chain of thousands of ops never hits Python's recursion limit.
"""

from __future__ import annotations

from graphflow.core.gc_pause import without_gc
from graphflow.core.node import Operation, Tensor
from graphflow.errors import GraphflowError, ShapeError
from graphflow.ops.broadcast_grad import broadcast_like
from graphflow.ops.constant import constant, convert_to_tensor
from graphflow.ops.matmul import add_n


class GradientError(GraphflowError, LookupError):
    """An op on the path from xs to ys has no gradient."""


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _between(ys: list, xs: list, stops: set) -> set:
    """Operations on some path from an x to a y (data edges only)."""
    back: set[Operation] = set()
    stack = [y.op for y in ys]
    while stack:
        op = stack.pop()
        if op in back:
            continue
        back.add(op)
        stack.extend(t.op for t in op.inputs if t not in stops)
    fwd: set[Operation] = set()
    stack = [c for x in xs for c in x._consumers]
    while stack:
        op = stack.pop()
        if op in fwd or op not in back:
            continue
        fwd.add(op)
        stack.extend(c for t in op.outputs if t not in stops for c in t._consumers)
    return fwd


def _aggregate(parts: list) -> Tensor:
    if len(parts) == 1:
        return parts[0]
    if all(p.shape == parts[0].shape for p in parts):
        return add_n(parts)
    total = parts[0]
    for p in parts[1:]:
        total = total + p
    return total


@without_gc
def gradients(ys, xs, grad_ys=None, name: str = "gradients",
              colocate_gradients_with_ops: bool = False, gate_gradients: bool = False,
              aggregation_method=None, stop_gradients=None,
              unconnected_gradients: str = "none") -> list:
    """d(sum of ys)/d(x) for each x in xs, as new graph tensors (None where unconnected).

    colocate_gradients_with_ops, gate_gradients and aggregation_method are TF1's placement and
    scheduling hints; they change no value, and graphflow's compiler decides those itself.

    Args:
        ys: A tensor or a list of tensors to differentiate.
        xs: A tensor or a list of tensors (often variables) to differentiate with respect to.
        grad_ys: The gradients flowing into ys (default: ones), one per y.
        name: The name scope of the gradient ops.
        colocate_gradients_with_ops: Changes nothing.
        gate_gradients: Changes nothing.
        aggregation_method: Changes nothing.
        stop_gradients: Tensors to treat as constants.
        unconnected_gradients: "none" (None for an x that ys do not depend on) or "zero".

    Returns:
        A list of Tensors (or None), one per x, of x's shape.

    Examples:
        >>> a, b = tf.constant(3.0), tf.constant(2.0)
        >>> da, db, dc = tf.gradients(a * a * b, [a, b, tf.constant(1.0)])
        >>> print(dc)
        None
        >>> with tf.Session() as sess:
        ...     print(sess.run([da, db]))
        [12.0, 9.0]
    """
    del colocate_gradients_with_ops, gate_gradients, aggregation_method
    ys, xs = [_tensor(y) for y in _as_list(ys)], [_tensor(x) for x in _as_list(xs)]
    if unconnected_gradients not in ("none", "zero"):
        raise ValueError("unconnected_gradients must be 'none' or 'zero'")
    stops = {_tensor(t) for t in _as_list(stop_gradients or [])}
    graph = ys[0].graph
    between = _between(ys, xs, stops)
    grad_ys = _as_list(grad_ys) if grad_ys is not None else [None] * len(ys)
    if len(grad_ys) != len(ys):
        raise ValueError(f"gradients: {len(ys)} ys but {len(grad_ys)} grad_ys")

    contributions: dict[Tensor, list] = {}
    with graph.name_scope(name):
        for y, gy in zip(ys, grad_ys):
            if gy is None:
                gy = broadcast_like(constant(1, dtype=y.dtype, name="grad_ys"), y)
            else:
                gy = convert_to_tensor(gy, dtype=y.dtype)
            contributions.setdefault(y, []).append(gy)

        for op in sorted(between, key=lambda o: o.id, reverse=True):
            dys = [_sum_or_none(contributions.get(t)) for t in op.outputs]
            if all(d is None for d in dys) or not op.inputs:
                continue
            if op.op.not_differentiable:
                continue
            if type(op.op).gradient is None:
                raise GradientError(
                    f"No gradient defined for operation '{op.name}' (op type: {op.type}), built "
                    f"at {op.site.describe()}. Wrap its input in stop_gradient() if it should "
                    "be treated as a constant."
                )
            with graph.name_scope(f"{op.name}_grad"):
                in_grads = op.op.gradient(op, *dys)
            for t, g in zip(op.inputs, in_grads):
                if g is None or t in stops and t not in xs:
                    continue
                g = _tensor(g)
                if not g.shape.is_compatible_with(t.shape):
                    raise ShapeError(
                        f"The gradient of {op.describe()} for its input {t.describe()} has shape "
                        f"{g.shape}, which does not match the input's shape {t.shape}."
                    )
                contributions.setdefault(t, []).append(g)
        results = []
        for x in xs:
            g = _sum_or_none(contributions.get(x))
            if g is None and unconnected_gradients == "zero":
                g = broadcast_like(constant(0, dtype=x.dtype, name="zeros"), x)
            results.append(g)
    return results


def _sum_or_none(parts):
    if not parts:
        return None
    if len(parts) > 1:
        parts[:] = [_aggregate(parts)]
    return parts[0]


def _tensor(t) -> Tensor:
    if isinstance(t, Tensor):
        return t
    if hasattr(t, "_as_graph_tensor"):
        return t._as_graph_tensor()
    raise TypeError(f"gradients expects tensors, got {t!r}")
