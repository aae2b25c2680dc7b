"""Streaming counts of binary outcomes (TF1's true/false positives/negatives) and the precision
and recall built from them. Labels and predictions are cast to bool (non-zero is true)."""

from __future__ import annotations

from graphflow.core import dtypes
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
from graphflow.ops.reduce import reduce_sum
from graphflow.ops.state import identity
from graphflow.variable_scope import variable_scope

__all__ = ["false_negatives", "false_positives", "precision", "recall", "true_negatives",
           "true_positives"]

# outcome -> (label wanted, prediction wanted)
_OUTCOMES = {"true_positives": (True, True), "false_positives": (False, True),
             "true_negatives": (False, False), "false_negatives": (True, False)}


def _bools(fn, labels, predictions, weights):
    return remove_squeezable_dimensions(fn, cast(predictions, dtypes.bool_),
                                        cast(labels, dtypes.bool_), weights)


def _count(outcome, labels, predictions, weights, metrics_collections, updates_collections,
           name):
    fn = f"tf.metrics.{outcome}"
    check_collections(fn, metrics_collections, updates_collections)
    want_label, want_prediction = _OUTCOMES[outcome]
    with variable_scope(name, outcome, (predictions, labels, weights)):
        predictions, labels, weights = _bools(fn, labels, predictions, weights)
        hit = ew.logical_and(labels if want_label else ew.logical_not(labels),
                             predictions if want_prediction else ew.logical_not(predictions))
        count = metric_variable([], dtypes.float32, name="count")
        values = cast(hit, dtypes.float32)
        if weights is not None:
            values = values * broadcast_weights(fn, weights, values)
        value = identity(count, name="value")
        update_op = count.assign_add(reduce_sum(values))
    add_to_collections(metrics_collections, value)
    add_to_collections(updates_collections, update_op)
    return value, update_op


def true_positives(labels, predictions, weights=None, metrics_collections=None,
                   updates_collections=None, name: str | None = None):
    """The (weighted) number of entries where both labels and predictions are true.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true outcomes, cast to bool (non-zero is true).
        predictions: The predicted outcomes, of labels' shape, cast to bool.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> value, update = tf.metrics.true_positives([1, 1, 0, 0, 1], [1, 0, 1, 0, 1])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        2.0
    """
    return _count("true_positives", labels, predictions, weights, metrics_collections,
                  updates_collections, name)


def false_positives(labels, predictions, weights=None, metrics_collections=None,
                    updates_collections=None, name: str | None = None):
    """The (weighted) number of entries predicted true whose label is false.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true outcomes, cast to bool (non-zero is true).
        predictions: The predicted outcomes, of labels' shape, cast to bool.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> value, update = tf.metrics.false_positives([1, 1, 0, 0, 1], [1, 0, 1, 0, 1])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        1.0
    """
    return _count("false_positives", labels, predictions, weights, metrics_collections,
                  updates_collections, name)


def true_negatives(labels, predictions, weights=None, metrics_collections=None,
                   updates_collections=None, name: str | None = None):
    """The (weighted) number of entries where both labels and predictions are false.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true outcomes, cast to bool (non-zero is true).
        predictions: The predicted outcomes, of labels' shape, cast to bool.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> value, update = tf.metrics.true_negatives([1, 1, 0, 0, 1], [1, 0, 1, 0, 1])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        1.0
    """
    return _count("true_negatives", labels, predictions, weights, metrics_collections,
                  updates_collections, name)


def false_negatives(labels, predictions, weights=None, metrics_collections=None,
                    updates_collections=None, name: str | None = None):
    """The (weighted) number of entries predicted false whose label is true.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true outcomes, cast to bool (non-zero is true).
        predictions: The predicted outcomes, of labels' shape, cast to bool.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> value, update = tf.metrics.false_negatives([1, 1, 0, 0, 1], [1, 0, 1, 0, 1])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        1.0
    """
    return _count("false_negatives", labels, predictions, weights, metrics_collections,
                  updates_collections, name)


def _ratio(kind, other, labels, predictions, weights, metrics_collections, updates_collections,
           name):
    """tp / (tp + other) over the stream (0 while the sum is 0): precision or recall."""
    fn = f"tf.metrics.{kind}"
    check_collections(fn, metrics_collections, updates_collections)
    with variable_scope(name, kind, (predictions, labels, weights)):
        predictions, labels, weights = _bools(fn, labels, predictions, weights)
        tp, update_tp = _count("true_positives", labels, predictions, weights, None, None,
                               None)
        rest, update_rest = _count(other, labels, predictions, weights, None, None, None)
        value = safe_div(tp, tp + rest, name="value")
        update_op = safe_div(update_tp, update_tp + update_rest, name="update_op")
    add_to_collections(metrics_collections, value)
    add_to_collections(updates_collections, update_op)
    return value, update_op


def precision(labels, predictions, weights=None, metrics_collections=None,
              updates_collections=None, name: str | None = None):
    """true_positives / (true_positives + false_positives) over every batch seen.

    0 while nothing has been predicted true.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true outcomes, cast to bool (non-zero is true).
        predictions: The predicted outcomes, of labels' shape, cast to bool.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> value, update = tf.metrics.precision([1, 1, 0, 0, 1], [1, 0, 1, 0, 1])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        0.6667
    """
    return _ratio("precision", "false_positives", labels, predictions, weights,
                  metrics_collections, updates_collections, name)


def recall(labels, predictions, weights=None, metrics_collections=None,
           updates_collections=None, name: str | None = None):
    """true_positives / (true_positives + false_negatives) over every batch seen.

    0 while no label has been true.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true outcomes, cast to bool (non-zero is true).
        predictions: The predicted outcomes, of labels' shape, cast to bool.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> value, update = tf.metrics.recall([1, 1, 0, 0, 1], [1, 0, 1, 0, 1])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        0.6667
    """
    return _ratio("recall", "false_negatives", labels, predictions, weights,
                  metrics_collections, updates_collections, name)
