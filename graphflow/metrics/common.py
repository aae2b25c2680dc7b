"""What every streaming metric shares: zero-initialised local accumulators, TF1's squeezing of a
trailing size-1 dimension, weights broadcast checks, and the safe division TF1 uses.

A metric returns `(value, update_op)`: `value` reads the accumulators, `update_op` adds one batch
to them and returns the value after the addition. The accumulators live in LOCAL_VARIABLES and
METRIC_VARIABLES (not global, not trainable), so `local_variables_initializer()` resets them.
"""

from __future__ import annotations

from graphflow.core import dtypes
from graphflow.core.graph import GraphKeys, get_default_graph
from graphflow.core.site import argument_error
from graphflow.losses.weighting import assert_broadcastable
from graphflow.ops import elementwise as ew
from graphflow.ops.array import expand_dims, squeeze
from graphflow.ops.cast import cast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.gather import where
from graphflow.ops.shape_ops import ones_like, zeros, zeros_like


def metric_variable(shape, dtype, name: str):
    """A non-trainable zero variable in LOCAL_VARIABLES and METRIC_VARIABLES (TF1's)."""
    from graphflow.variables import Variable

    return Variable(lambda: zeros(shape, dtype), trainable=False, name=name,
                    collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES])


def check_collections(function: str, metrics_collections, updates_collections) -> None:
    for what, value in (("metrics_collections", metrics_collections),
                        ("updates_collections", updates_collections)):
        if value is not None and not isinstance(value, (list, tuple)):
            raise argument_error(function, f"{what} must be a list or tuple of collection "
                                 f"names, got {value!r}", ValueError)


def add_to_collections(names, value) -> None:
    graph = get_default_graph()
    for name in names or ():
        graph.add_to_collection(name, value)


def _check_compatible(function: str, a, b) -> None:
    if not a.shape.is_compatible_with(b.shape):
        raise argument_error(function, f"Shapes {a.shape} and {b.shape} are incompatible "
                             f"({a.describe()} and {b.describe()})")


def remove_squeezable_dimensions(function: str, predictions, labels=None, weights=None):
    """TF1's rule: drop a trailing size-1 dim of labels or predictions when their ranks differ
    by one; squeeze or expand weights to the predictions' rank. Static ranks only (graphflow
    has no `cond`); with an unknown rank the tensors are left as they are."""
    predictions = convert_to_tensor(predictions)
    if labels is not None:
        labels = convert_to_tensor(labels)
        p_rank, l_rank = predictions.shape.rank, labels.shape.rank
        if p_rank is not None and l_rank is not None:
            if p_rank - l_rank == 1 and predictions.shape[-1] in (None, 1):
                predictions = squeeze(predictions, [-1])
            elif l_rank - p_rank == 1 and labels.shape[-1] in (None, 1):
                labels = squeeze(labels, [-1])
        _check_compatible(function, predictions, labels)
    if weights is None:
        return predictions, labels, None
    weights = convert_to_tensor(weights)
    w_rank, p_rank = weights.shape.rank, predictions.shape.rank
    if w_rank and p_rank is not None:
        if w_rank - p_rank == 1:
            weights = squeeze(weights, [-1])
        elif p_rank - w_rank == 1:
            weights = expand_dims(weights, -1)
    return predictions, labels, weights


def broadcast_weights(function: str, weights, values):
    """`weights` (float32) broadcast to `values`' shape, with TF1's static checks and text."""
    weights = convert_to_tensor(weights)
    if weights.dtype is not dtypes.float32:
        weights = cast(weights, dtypes.float32)
    assert_broadcastable(function, weights, values)
    w, v = weights.shape, values.shape
    if w.is_fully_defined() and v.is_fully_defined() and w.as_list() == v.as_list():
        return weights
    return weights * ones_like(values)


def safe_div(numerator, denominator, name: str):
    """numerator / denominator, and 0 where the denominator is not positive (TF1's
    `div_no_nan(n, maximum(d, 0))`), without ever dividing by zero."""
    positive = ew.greater(denominator, zeros_like(denominator))
    safe = where(positive, denominator, ones_like(denominator))
    return where(positive, numerator / safe, zeros_like(numerator), name=name)
