"""Layers without variables: `flatten` and `dropout`."""

from __future__ import annotations

from graphflow.core.graph import get_default_graph
from graphflow.core.node import Tensor
from graphflow.layers.utils import nn_function
from graphflow.ops.constant import convert_to_tensor


def flatten(inputs, name: str | None = None, data_format: str = "channels_last"):
    """Keep the first (batch) axis, merge the rest: (N, 5, 5, 16) -> (N, 400)."""
    from graphflow.ops.array import reshape
    from graphflow.ops.joining import stack
    from graphflow.ops.shape_ops import shape as shape_of

    inputs = convert_to_tensor(inputs)
    if inputs.shape.rank is None:
        raise ValueError(f"`flatten` needs inputs of known rank, got {inputs.describe()}")
    with get_default_graph().name_scope(name or "flatten"):
        rest = inputs.shape.as_list()[1:]
        if all(d is not None for d in rest):
            n = 1
            for d in rest:
                n *= d
            return reshape(inputs, [-1, n])
        return reshape(inputs, stack([shape_of(inputs)[0], -1]))


def dropout(inputs, rate: float = 0.5, noise_shape=None, seed: int | None = None,
            training=False, name: str | None = None):
    """TF1's `tf.layers.dropout`: `rate` is the fraction dropped; the kept values are scaled by
    1 / (1 - rate). `training` is a bool, or a bool tensor (a placeholder) choosing at run time
    between the dropped and the untouched inputs."""
    from graphflow.ops.gather import where
    from graphflow.ops.state import identity

    inputs = convert_to_tensor(inputs)
    with get_default_graph().name_scope(name or "dropout"):
        if not isinstance(training, Tensor):
            if not training:
                return identity(inputs)
            return _drop(inputs, rate, noise_shape, seed)
        if training.dtype.name != "bool":
            raise TypeError(f"`training` must be a bool or a bool tensor, got "
                            f"{training.describe()}")
        return where(training, _drop(inputs, rate, noise_shape, seed), identity(inputs))


def _drop(inputs, rate, noise_shape, seed):
    fn = nn_function("dropout")
    if noise_shape is None:
        return fn(inputs, rate=rate, seed=seed)
    return fn(inputs, rate=rate, noise_shape=noise_shape, seed=seed)
