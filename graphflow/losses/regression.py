"""TF1's losses between labels and predictions of the same shape: squared and absolute error,
Huber, log loss, cosine distance and the mean pairwise squared error. As in TF1 both are cast to
float32 first, so the loss is float32 whatever the inputs' dtype."""

from __future__ import annotations

from graphflow.core import dtypes
from graphflow.core.graph import GraphKeys, get_default_graph
from graphflow.core.site import argument_error
from graphflow.losses.collection import add_loss
from graphflow.losses.weighting import (
    Reduction,
    assert_broadcastable,
    compute_weighted_loss,
    div_no_nan,
    num_present,
)
from graphflow.ops import elementwise as ew
from graphflow.ops.cast import cast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.gather import where
from graphflow.ops.reduce import reduce_sum
from graphflow.ops.shape_ops import zeros_like

__all__ = ["absolute_difference", "cosine_distance", "huber_loss", "log_loss",
           "mean_pairwise_squared_error", "mean_squared_error"]

_DEFAULT = Reduction.SUM_BY_NONZERO_WEIGHTS


def float32_pair(function: str, labels, predictions, names=("labels", "predictions")):
    """labels and predictions as float32 tensors of compatible shapes (TF1's checks)."""
    for name, value in zip(names, (labels, predictions)):
        if value is None:
            raise argument_error(function, f"Argument `{name}` must not be None.", ValueError)
    predictions = cast(convert_to_tensor(predictions), dtypes.float32)
    labels = cast(convert_to_tensor(labels), dtypes.float32)
    if not predictions.shape.is_compatible_with(labels.shape):
        raise argument_error(function, f"Shapes {predictions.shape} and {labels.shape} are "
                             "incompatible", ValueError)
    return labels, predictions


def _weighted(function, scope_name, scope, make_losses, labels, predictions, weights,
              loss_collection, reduction, names=("labels", "predictions")):
    """Open the loss's name scope, build its per-element losses, weight and reduce them."""
    Reduction.validate(reduction, function)
    with get_default_graph().name_scope(scope or scope_name) as opened:
        labels, predictions = float32_pair(function, labels, predictions, names)
        losses = make_losses(labels, predictions)
        return compute_weighted_loss(losses, weights, opened, loss_collection, reduction)


def mean_squared_error(labels, predictions, weights=1.0, scope=None,
                       loss_collection=GraphKeys.LOSSES, reduction=_DEFAULT):
    """Weighted mean of (labels - predictions) ** 2.

    Args:
        labels: The targets.
        predictions: A tensor of labels' shape.
        weights: A scalar, or a tensor that broadcasts to the losses (a 0 drops an entry).
        scope: The name scope of the ops.
        loss_collection: The collection the loss is added to (default `GraphKeys.LOSSES`).
        reduction: A `tf.losses.Reduction` (default: the weighted sum divided by the number of
            non-zero weights).

    Returns:
        A float32 Tensor: a scalar, or the weighted losses when reduction is NONE.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(round(float(sess.run(tf.losses.mean_squared_error([1., 2.], [1., 4.]))), 4))
        2.0
    """
    return _weighted("tf.losses.mean_squared_error", "mean_squared_error", scope,
                     lambda y, p: ew.squared_difference(p, y), labels, predictions, weights,
                     loss_collection, reduction)


def absolute_difference(labels, predictions, weights=1.0, scope=None,
                        loss_collection=GraphKeys.LOSSES, reduction=_DEFAULT):
    """Weighted mean of |labels - predictions|.

    Args:
        labels: The targets.
        predictions: A tensor of labels' shape.
        weights: A scalar, or a tensor that broadcasts to the losses (a 0 drops an entry).
        scope: The name scope of the ops.
        loss_collection: The collection the loss is added to (default `GraphKeys.LOSSES`).
        reduction: A `tf.losses.Reduction` (default: the weighted sum divided by the number of
            non-zero weights).

    Returns:
        A float32 Tensor: a scalar, or the weighted losses when reduction is NONE.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(round(float(sess.run(tf.losses.absolute_difference([1., 2.], [0., 4.]))), 4))
        1.5
    """
    return _weighted("tf.losses.absolute_difference", "absolute_difference", scope,
                     lambda y, p: ew.abs(p - y), labels, predictions, weights, loss_collection,
                     reduction)


def huber_loss(labels, predictions, weights=1.0, delta=1.0, scope=None,
               loss_collection=GraphKeys.LOSSES, reduction=_DEFAULT):
    """Weighted Huber loss: 0.5 e^2 where |e| <= delta, else delta (|e| - delta / 2).

    Args:
        labels: The targets.
        predictions: A tensor of labels' shape.
        weights: A scalar, or a tensor that broadcasts to the losses (a 0 drops an entry).
        delta: Where the loss turns from quadratic to linear.
        scope: The name scope of the ops.
        loss_collection: The collection the loss is added to (default `GraphKeys.LOSSES`).
        reduction: A `tf.losses.Reduction` (default: the weighted sum divided by the number of
            non-zero weights).

    Returns:
        A float32 Tensor: a scalar, or the weighted losses when reduction is NONE.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(round(float(sess.run(tf.losses.huber_loss([0., 0.], [0.5, 3.]))), 4))
        1.3125
    """
    def losses(y, p):
        error = ew.abs(p - y)
        quadratic = ew.minimum(error, convert_to_tensor(delta, dtype=dtypes.float32))
        return 0.5 * (quadratic * quadratic) + delta * (error - quadratic)

    return _weighted("tf.losses.huber_loss", "huber_loss", scope, losses, labels, predictions,
                     weights, loss_collection, reduction)


def log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None,
             loss_collection=GraphKeys.LOSSES, reduction=_DEFAULT):
    """Binary cross-entropy of probabilities: -y log(p + eps) - (1 - y) log(1 - p + eps).

    Args:
        labels: Targets in [0, 1].
        predictions: Probabilities, of labels' shape.
        weights: A scalar, or a tensor that broadcasts to the losses (a 0 drops an entry).
        epsilon: Added inside the logs.
        scope: The name scope of the ops.
        loss_collection: The collection the loss is added to (default `GraphKeys.LOSSES`).
        reduction: A `tf.losses.Reduction` (default: the weighted sum divided by the number of
            non-zero weights).

    Returns:
        A float32 Tensor: a scalar, or the weighted losses when reduction is NONE.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(round(float(sess.run(tf.losses.log_loss([1., 0.], [0.9, 0.2]))), 4))
        0.1643
    """
    def losses(y, p):
        return -(y * ew.log(p + epsilon)) - (1 - y) * ew.log(1 - p + epsilon)

    return _weighted("tf.losses.log_loss", "log_loss", scope, losses, labels, predictions,
                     weights, loss_collection, reduction)


def cosine_distance(labels, predictions, axis=None, weights=1.0, scope=None,
                    loss_collection=GraphKeys.LOSSES, reduction=_DEFAULT, dim=None):
    """1 - sum(labels * predictions, axis), kept as a size-1 axis; both should be unit-normalised
    along `axis` (TF1 does not normalise them). `dim` is TF1's deprecated name for `axis`.

    Args:
        labels: Unit vectors along `axis`.
        predictions: Unit vectors of labels' shape.
        axis: The vectors' axis (needed).
        weights: A scalar, or a tensor that broadcasts to the losses (a 0 drops an entry).
        scope: The name scope of the ops.
        loss_collection: The collection the loss is added to (default `GraphKeys.LOSSES`).
        reduction: A `tf.losses.Reduction` (default: the weighted sum divided by the number of
            non-zero weights).
        dim: TF1's deprecated name for `axis`.

    Returns:
        A float32 Tensor: a scalar, or the weighted losses when reduction is NONE.

    Examples:
        >>> loss = tf.losses.cosine_distance([[1., 0.]], [[0.6, 0.8]], axis=1)
        >>> with tf.Session() as sess:
        ...     print(round(float(sess.run(loss)), 4))
        0.4
    """
    fn = "tf.losses.cosine_distance"
    if axis is not None and dim is not None:
        raise argument_error(fn, "Cannot specify both 'axis' and 'dim'", ValueError)
    axis = dim if axis is None else axis
    if axis is None:
        raise argument_error(fn, "You must specify argument `axis`.", ValueError)
    return _weighted(fn, "cosine_distance_loss", scope,
                     lambda y, p: 1 - reduce_sum(p * y, axis=[axis], keepdims=True), labels,
                     predictions, weights, loss_collection, reduction)


def mean_pairwise_squared_error(labels, predictions, weights=1.0, scope=None,
                                loss_collection=GraphKeys.LOSSES):
    """Per example, the mean over pairs of entries (i, j) of ((p_i - p_j) - (y_i - y_j))^2,
    weighted per example and summed: a loss on differences, blind to a shift of all entries.

    Args:
        labels: The targets, `[batch, ...]`.
        predictions: A tensor of labels' shape.
        weights: A scalar or one weight per example.
        scope: The name scope of the ops.
        loss_collection: The collection the loss is added to (default `GraphKeys.LOSSES`).

    Returns:
        A scalar float32 Tensor.

    Examples:
        >>> shifted = tf.losses.mean_pairwise_squared_error([[0., 1., 2.]], [[1., 2., 3.]])
        >>> with tf.Session() as sess:
        ...     print(round(float(sess.run(shifted)), 4))
        0.0
    """
    fn = "tf.losses.mean_pairwise_squared_error"
    with get_default_graph().name_scope(scope or "mean_pairwise_squared_error"):
        labels, predictions = float32_pair(fn, labels, predictions)
        weights = cast(convert_to_tensor(weights, dtype_hint=dtypes.float32), dtypes.float32)
        assert_broadcastable(fn, weights, labels)
        diffs = predictions - labels
        if diffs.shape.rank is None:
            raise argument_error(fn, "the rank of labels and predictions must be known",
                                 ValueError)
        axis = list(range(1, diffs.shape.rank))
        sum_squares = reduce_sum(ew.square(diffs), axis=axis, keepdims=True)
        present = num_present(diffs, weights, per_batch=True)
        term1 = 2.0 * div_no_nan(sum_squares, ew.maximum(present - 1, 0.0))
        sum_diff = reduce_sum(diffs, axis=axis, keepdims=True)
        term2 = 2.0 * div_no_nan(ew.square(sum_diff), ew.maximum(present * (present - 1), 0.0))
        loss = reduce_sum((term1 - term2) * weights)
        mean_loss = where(ew.greater(reduce_sum(present), 0.0), loss, zeros_like(loss),
                          name="value")
    add_loss(mean_loss, loss_collection)
    return mean_loss
