"""The two ops behind every broadcasting gradient: sum a gradient down to an input's shape, and
broadcast it back up. Each is the other's gradient, so second derivatives work too.

`unbroadcast` is the helper the broadcasting ops' gradients call; it sits here, below every op
module that uses it, so gradients need no import from a layer above the ops."""

from __future__ import annotations

import numpy as np

from graphflow.core.shape import broadcast_shapes
from graphflow.errors import shape_rule
from graphflow.ops.registry import Op, apply_op, register, spec


def sum_axes(grad_shape: tuple, target: tuple) -> tuple:
    """The axes of `grad_shape` to sum so that it becomes `target` (a shape broadcast to it)."""
    lead = len(grad_shape) - len(target)
    return tuple(range(lead)) + tuple(
        i + lead for i, d in enumerate(target) if d == 1 and grad_shape[i + lead] != 1)


@register("SumToShape")
class SumToShape(Op):
    """`grad` summed over the axes along which `like` was broadcast, reshaped to `like`'s shape."""

    fresh_output = True
    input_names = ("grad", "like")
    noop_when_shape_kept = True  # nothing was broadcast
    shape_only_inputs = (1,)

    def infer(self, grad, like):
        try:
            broadcast_shapes(grad.shape, like.shape)
        except ValueError as err:
            raise shape_rule(f"gradient of shape {grad.shape} cannot come from broadcasting "
                             f"{like.shape}: {err}") from None
        return spec(grad.dtype, like.shape)

    def compute(self, grad, like):
        axes = sum_axes(grad.shape, like.shape)
        out = grad.sum(axis=axes, keepdims=True) if axes else grad
        return np.array(out.reshape(like.shape), dtype=grad.dtype)  # a copy: results are fresh

    def gradient(self, node, dy):
        return [broadcast_like(dy, node.inputs[0]), None]

    @staticmethod
    def examples(s):
        return s.broadcast_pair_example(reduce=True)


@register("BroadcastLike")
class BroadcastLike(Op):
    """`x` broadcast to the runtime shape of `like` (a copy, so it may be written)."""

    fresh_output = True
    input_names = ("x", "like")
    noop_when_shape_kept = True
    shape_only_inputs = (1,)

    def infer(self, x, like):
        try:
            broadcast_shapes(x.shape, like.shape)
        except ValueError as err:
            raise shape_rule(f"{x.shape} does not broadcast to {like.shape}: {err}") from None
        return spec(x.dtype, like.shape)

    def compute(self, x, like):
        return np.array(np.broadcast_to(x, like.shape), dtype=x.dtype)

    def gradient(self, node, dy):
        return [sum_to_shape(dy, node.inputs[0]), None]

    @staticmethod
    def examples(s):
        return s.broadcast_pair_example(reduce=False)


def sum_to_shape(grad, like, name=None):
    return apply_op(SumToShape(), [grad, like], name=name)


def broadcast_like(x, like, name=None):
    return apply_op(BroadcastLike(), [x, like], name=name)


def unbroadcast(grad, like):
    """`grad` summed over the axes along which `like` was broadcast; a no-op when shapes agree.

    The one helper every broadcasting op's gradient uses to sum back to its input's shape.
    """
    if grad.shape.is_fully_defined() and grad.shape == like.shape:
        return grad
    return sum_to_shape(grad, like)


__all__ = ["broadcast_like", "sum_to_shape", "unbroadcast"]
