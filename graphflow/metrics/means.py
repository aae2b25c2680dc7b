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
    """The (weighted) mean of every value seen: total / count, 0 before any value."""
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
    """How often `predictions` equals `labels` (weighted), over every batch seen."""
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
    """The streaming mean of (labels - predictions) ** 2."""
    return _error_mean("tf.metrics.mean_squared_error", ew.squared_difference, labels,
                       predictions, weights, metrics_collections, updates_collections,
                       name or "mean_squared_error")


def mean_absolute_error(labels, predictions, weights=None, metrics_collections=None,
                        updates_collections=None, name: str | None = None):
    """The streaming mean of |predictions - labels|."""
    return _error_mean("tf.metrics.mean_absolute_error", lambda a, b: ew.abs(b - a), labels,
                       predictions, weights, metrics_collections, updates_collections,
                       name or "mean_absolute_error")


def root_mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                            updates_collections=None, name: str | None = None):
    """sqrt of the streaming mean squared error."""
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
    """The element-wise (weighted) mean of every `values` tensor seen (all of one shape)."""
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
    """The streaming mean of |labels - predictions| / normalizer (0 where normalizer is 0)."""
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
    """The streaming fraction of values strictly below `threshold`."""
    values = convert_to_tensor(values)
    below = cast(ew.less(values, convert_to_tensor(threshold, dtype=values.dtype)),
                 dtypes.float32)
    return mean(below, weights, metrics_collections, updates_collections,
                name or "percentage_below_threshold", _function="tf.metrics.percentage_below")


def mean_cosine_distance(labels, predictions, dim, weights=None, metrics_collections=None,
                         updates_collections=None, name: str | None = None):
    """1 - the streaming mean of sum(labels * predictions, dim) (unit-normalised inputs)."""
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
