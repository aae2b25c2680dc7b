"""Streaming means (TF1's tf.metrics.mean and the metrics built on it): accuracy, mean squared
and absolute error, root mean squared error. Two float32 accumulators, `total` and `count`."""

from __future__ import annotations

from graphflow.core import dtypes
from graphflow.core.site import argument_error
from graphflow.metrics.common import (
    add_to_collections,
    broadcast_weights,
    check_collections,
    metric_variable,
    remove_squeezable_dimensions,
    safe_div,
)
from graphflow.ops import elementwise as ew
from graphflow.ops.cast import cast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.gather import where
from graphflow.ops.reduce import reduce_sum
from graphflow.ops.shape_ops import ones_like, size, zeros_like
from graphflow.variable_scope import variable_scope

__all__ = ["accuracy", "mean", "mean_absolute_error", "mean_cosine_distance",
           "mean_relative_error", "mean_squared_error", "mean_tensor", "percentage_below",
           "root_mean_squared_error"]


def mean(values, weights=None, metrics_collections=None, updates_collections=None,
         name: str | None = None, _function: str = "tf.metrics.mean"):
    """The (weighted) mean of every value seen: total / count, 0 before any value.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        values: A tensor of values, of any shape.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.
        _function: Internal: the TF1 name that errors cite (for the metrics built on this one).

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> x = tf.placeholder(tf.float32, [None])
        >>> value, update = tf.metrics.mean(x)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     _ = sess.run(update, {x: [1.0, 2.0]})
        ...     _ = sess.run(update, {x: [6.0]})
        ...     print(sess.run(value))
        3.0
    """
    check_collections(_function, metrics_collections, updates_collections)
    with variable_scope(name, "mean", (values, weights)):
        values = cast(values, dtypes.float32)
        total = metric_variable([], dtypes.float32, name="total")
        count = metric_variable([], dtypes.float32, name="count")
        if weights is None:
            num_values = cast(size(values), dtypes.float32)
        else:
            values, _, weights = remove_squeezable_dimensions(_function, values, None, weights)
            weights = broadcast_weights(_function, weights, values)
            values = values * weights
            num_values = reduce_sum(weights)
        update_total = total.assign_add(reduce_sum(values))
        update_count = count.assign_add(num_values)
        value = safe_div(total, count, name="value")
        update_op = safe_div(update_total, update_count, name="update_op")
    add_to_collections(metrics_collections, value)
    add_to_collections(updates_collections, update_op)
    return value, update_op


def accuracy(labels, predictions, weights=None, metrics_collections=None,
             updates_collections=None, name: str | None = None):
    """How often `predictions` equals `labels` (weighted), over every batch seen.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true labels, e.g. class ids (a tensor, or anything convertible).
        predictions: The predicted values, of labels' shape.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> labels = tf.placeholder(tf.int64, [None])
        >>> logits = tf.placeholder(tf.float32, [None, 2])
        >>> acc, update = tf.metrics.accuracy(labels, tf.argmax(logits, 1))
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     _ = sess.run(update, {labels: [0, 1], logits: [[2., 1.], [3., 0.]]})
        ...     _ = sess.run(update, {labels: [1, 1], logits: [[0., 1.], [1., 5.]]})
        ...     print(sess.run(acc))
        0.75
    """
    fn = "tf.metrics.accuracy"
    predictions, labels, weights = remove_squeezable_dimensions(fn, predictions, labels, weights)
    if labels.dtype is not predictions.dtype:
        predictions = cast(predictions, labels.dtype)
    is_correct = cast(ew.equal(predictions, labels), dtypes.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections,
                name or "accuracy", _function=fn)


def _error_mean(fn: str, error, labels, predictions, weights, metrics_collections,
                updates_collections, name):
    predictions, labels, weights = remove_squeezable_dimensions(fn, predictions, labels, weights)
    if labels.dtype is not predictions.dtype:
        labels = cast(labels, predictions.dtype)
    return mean(error(labels, predictions), weights, metrics_collections, updates_collections,
                name, _function=fn)


def mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                       updates_collections=None, name: str | None = None):
    """The streaming mean of (labels - predictions) ** 2.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true values (a tensor, or anything convertible).
        predictions: The predicted values, of labels' shape.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> value, update = tf.metrics.mean_squared_error([1., 2., 3.], [1., 4., 4.])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        1.6667
    """
    return _error_mean("tf.metrics.mean_squared_error", ew.squared_difference, labels,
                       predictions, weights, metrics_collections, updates_collections,
                       name or "mean_squared_error")


def mean_absolute_error(labels, predictions, weights=None, metrics_collections=None,
                        updates_collections=None, name: str | None = None):
    """The streaming mean of |predictions - labels|.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true values (a tensor, or anything convertible).
        predictions: The predicted values, of labels' shape.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> value, update = tf.metrics.mean_absolute_error([1., 2., 3.], [1., 4., 4.])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        1.0
    """
    return _error_mean("tf.metrics.mean_absolute_error", lambda a, b: ew.abs(b - a), labels,
                       predictions, weights, metrics_collections, updates_collections,
                       name or "mean_absolute_error")


def root_mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                            updates_collections=None, name: str | None = None):
    """sqrt of the streaming mean squared error.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true values (a tensor, or anything convertible).
        predictions: The predicted values, of labels' shape.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> value, update = tf.metrics.root_mean_squared_error([0., 0.], [3., 4.])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        3.5355
    """
    fn = "tf.metrics.root_mean_squared_error"
    check_collections(fn, metrics_collections, updates_collections)
    mse, update_mse = _error_mean(fn, ew.squared_difference, labels, predictions, weights,
                                  None, None, name or "root_mean_squared_error")
    value, update_op = ew.sqrt(mse), ew.sqrt(update_mse)
    add_to_collections(metrics_collections, value)
    add_to_collections(updates_collections, update_op)
    return value, update_op


def mean_tensor(values, weights=None, metrics_collections=None, updates_collections=None,
                name: str | None = None):
    """The element-wise (weighted) mean of every `values` tensor seen (all of one shape).

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        values: A tensor of a fully known shape; the accumulators have that shape.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value; both of
        values' shape.

    Examples:
        >>> x = tf.placeholder(tf.float32, [2])
        >>> value, update = tf.metrics.mean_tensor(x)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     _ = sess.run(update, {x: [1.0, 10.0]})
        ...     print(sess.run(update, {x: [3.0, 20.0]}))
        [ 2. 15.]
    """
    fn = "tf.metrics.mean_tensor"
    check_collections(fn, metrics_collections, updates_collections)
    with variable_scope(name, "mean", (values, weights)):
        values = cast(values, dtypes.float32)
        if not values.shape.is_fully_defined():
            raise argument_error(fn, f"values must have a fully known shape for the "
                                 f"accumulators, got {values.describe()}", ValueError)
        total = metric_variable(values.shape.as_list(), dtypes.float32, name="total_tensor")
        count = metric_variable(values.shape.as_list(), dtypes.float32, name="count_tensor")
        num_values = ones_like(values)
        if weights is not None:
            values, _, weights = remove_squeezable_dimensions(fn, values, None, weights)
            weights = broadcast_weights(fn, weights, values)
            values = values * weights
            num_values = num_values * weights
        update_total = total.assign_add(values)
        update_count = count.assign_add(num_values)
        value = safe_div(total, count, name="value")
        update_op = safe_div(update_total, update_count, name="update_op")
    add_to_collections(metrics_collections, value)
    add_to_collections(updates_collections, update_op)
    return value, update_op


def mean_relative_error(labels, predictions, normalizer, weights=None, metrics_collections=None,
                        updates_collections=None, name: str | None = None):
    """The streaming mean of |labels - predictions| / normalizer (0 where normalizer is 0).

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true values (a tensor, or anything convertible).
        predictions: The predicted values, of labels' shape.
        normalizer: A tensor of labels' shape to divide each error by.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> value, update = tf.metrics.mean_relative_error([2., 4.], [1., 5.], normalizer=[2., 4.])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        0.375
    """
    fn = "tf.metrics.mean_relative_error"
    predictions, labels, weights = remove_squeezable_dimensions(fn, predictions, labels, weights)
    predictions, normalizer, _ = remove_squeezable_dimensions(fn, predictions, normalizer)
    normalizer = cast(normalizer, predictions.dtype) if normalizer.dtype is not \
        predictions.dtype else normalizer
    labels = cast(labels, predictions.dtype) if labels.dtype is not predictions.dtype else labels
    zero = ew.equal(normalizer, zeros_like(normalizer))
    relative = where(zero, zeros_like(labels),
                     ew.abs(labels - predictions) / where(zero, ones_like(normalizer),
                                                          normalizer))
    return mean(relative, weights, metrics_collections, updates_collections,
                name or "mean_relative_error", _function=fn)


def percentage_below(values, threshold, weights=None, metrics_collections=None,
                     updates_collections=None, name: str | None = None):
    """The streaming fraction of values strictly below `threshold`.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        values: A numeric tensor.
        threshold: The bound (a Python number).
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> value, update = tf.metrics.percentage_below([1, 5, 2, 8], threshold=3)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        0.5
    """
    values = convert_to_tensor(values)
    below = cast(ew.less(values, convert_to_tensor(threshold, dtype=values.dtype)),
                 dtypes.float32)
    return mean(below, weights, metrics_collections, updates_collections,
                name or "percentage_below_threshold", _function="tf.metrics.percentage_below")


def mean_cosine_distance(labels, predictions, dim, weights=None, metrics_collections=None,
                         updates_collections=None, name: str | None = None):
    """1 - the streaming mean of sum(labels * predictions, dim) (unit-normalised inputs).

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: Unit vectors along `dim` (the function does not normalise them, as in TF1).
        predictions: The predicted unit vectors, of labels' shape.
        dim: The vectors' axis.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> value, update = tf.metrics.mean_cosine_distance([[1., 0.]], [[0.6, 0.8]], dim=1)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        0.4
    """
    fn = "tf.metrics.mean_cosine_distance"
    check_collections(fn, metrics_collections, updates_collections)
    predictions, labels, weights = remove_squeezable_dimensions(fn, predictions, labels, weights)
    if labels.dtype is not predictions.dtype:
        labels = cast(labels, predictions.dtype)
    radial = reduce_sum(predictions * labels, axis=[dim], keepdims=True)
    distance, update = mean(radial, weights, None, None, name or "mean_cosine_distance",
                            _function=fn)
    value, update_op = 1.0 - distance, 1.0 - update
    add_to_collections(metrics_collections, value)
    add_to_collections(updates_collections, update_op)
    return value, update_op
