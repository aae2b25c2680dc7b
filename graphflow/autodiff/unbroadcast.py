"""The one helper every broadcasting op's gradient uses to sum back to its input's shape."""

from __future__ import annotations

from graphflow.core.node import Tensor


def unbroadcast(grad: Tensor, like: Tensor) -> Tensor:
    """`grad` summed over the axes along which `like` was broadcast; a no-op when shapes agree."""
    if grad.shape.is_fully_defined() and grad.shape == like.shape:
        return grad
    from graphflow.ops.broadcast_grad import sum_to_shape

    return sum_to_shape(grad, like)
