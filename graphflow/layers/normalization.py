"""`batch_normalization`: normalise with the batch's statistics while training, with moving
averages of them otherwise.

gamma and beta are trainable; moving_mean and moving_variance are global, non-trainable variables
updated by ops placed in the UPDATE_OPS collection (run them with the training step, e.g. under
`control_dependencies(get_collection(GraphKeys.UPDATE_OPS))`):
`moving = moving - (moving - batch) * (1 - momentum)`.

The m/(m-1) choice: outputs always use the biased batch variance (1/m)Σ(x-μ)². The moving variance
follows TF1: `tf.layers.batch_normalization` runs TF's fused kernel on 4-D inputs (channels
first or last) when `fused` is None or True, and that kernel feeds the unbiased variance,
times m/(m-1) with m the count of values per channel (N·H·W), into the moving average. Other
inputs, or `fused=False`, use the biased variance there too.
"""

from __future__ import annotations

from graphflow.core.graph import GraphKeys, get_default_graph
from graphflow.core.node import Tensor
from graphflow.initializers import ONES, ZEROS
from graphflow.layers.utils import known_dim, nn_function
from graphflow.ops.constant import convert_to_tensor
from graphflow.variable_scope import get_variable, variable_scope


def batch_normalization(inputs, axis: int = -1, momentum: float = 0.99, epsilon: float = 1e-3,
                        center: bool = True, scale: bool = True, beta_initializer=ZEROS,
                        gamma_initializer=ONES, moving_mean_initializer=ZEROS,
                        moving_variance_initializer=ONES, beta_regularizer=None,
                        gamma_regularizer=None, training=False, trainable: bool = True,
                        name: str | None = None, reuse=None, fused=None, **unsupported):
    """TF1's `tf.layers.batch_normalization`; `training` is a bool or a bool tensor."""
    if any(v not in (None, False) for v in unsupported.values()):
        raise TypeError(f"batch_normalization got options graphflow does not have: "
                        f"{sorted(k for k, v in unsupported.items() if v not in (None, False))} "
                        "(renormalisation and virtual batches are not part of graphflow)")
    inputs = convert_to_tensor(inputs)
    rank = inputs.shape.rank
    if rank is None or not -rank <= axis < rank:
        raise ValueError(f"axis {axis} is out of range for {inputs.describe()}")
    axis %= rank
    channels = known_dim(inputs, axis, "batch_normalization")
    dtype = inputs.dtype
    with variable_scope(name, default_name="batch_normalization", reuse=reuse):
        gamma = get_variable("gamma", [channels], dtype, gamma_initializer, gamma_regularizer,
                             trainable) if scale else None
        beta = get_variable("beta", [channels], dtype, beta_initializer, beta_regularizer,
                            trainable) if center else None
        moving_mean = get_variable("moving_mean", [channels], dtype, moving_mean_initializer,
                                   trainable=False)
        moving_var = get_variable("moving_variance", [channels], dtype,
                                  moving_variance_initializer, trainable=False)
        if training is False or training is None:
            mean, variance = moving_mean, moving_var
        else:
            reduce_axes = [i for i in range(rank) if i != axis]
            batch_mean, batch_var = nn_function("moments")(inputs, reduce_axes)
            mean, variance = _choose(training, batch_mean, moving_mean, batch_var, moving_var)
            unbiased = fused is not False and rank == 4 and axis in (1, 3)
            update_var = _bessel(inputs, batch_var, channels) if unbiased else batch_var
            new_mean, new_var = _choose(training, batch_mean, moving_mean, update_var, moving_var)
            graph = get_default_graph()
            for var, value in ((moving_mean, new_mean), (moving_var, new_var)):
                graph.add_to_collection(GraphKeys.UPDATE_OPS,
                                        _moving_average(var, value, momentum))
        shaped = [_broadcastable(t, rank, axis, channels)
                  for t in (mean, variance, beta, gamma)]
        return nn_function("batch_normalization")(inputs, *shaped, epsilon)


def _choose(training, batch_mean, moving_mean, batch_var, moving_var):
    """The batch statistics when training is True; a run-time choice when it is a tensor."""
    if not isinstance(training, Tensor):
        return batch_mean, batch_var
    from graphflow.ops.gather import where

    return where(training, batch_mean, moving_mean), where(training, batch_var, moving_var)


def _bessel(inputs, batch_var, channels):
    """batch_var · m/(m-1), m = values per channel (at run time when the batch size is unknown)."""
    from graphflow.ops.cast import cast
    from graphflow.ops.elementwise import maximum
    from graphflow.ops.shape_ops import size

    count = inputs.shape.num_elements()
    if count is not None:
        m = count // channels
        return batch_var * (m / max(m - 1, 1))
    m = cast(size(inputs), inputs.dtype) / float(channels)
    return batch_var * (m / maximum(m - 1.0, 1.0))


def _moving_average(variable, value, momentum):
    with get_default_graph().name_scope("AssignMovingAvg"):
        return variable.assign_sub((variable - value) * (1.0 - momentum))


def _broadcastable(t, rank, axis, channels):
    """A [C] tensor reshaped to broadcast over `axis` (unchanged when it is the last axis)."""
    if t is None or axis == rank - 1:
        return t
    from graphflow.ops.array import reshape

    return reshape(t, [channels if i == axis else 1 for i in range(rank)])
