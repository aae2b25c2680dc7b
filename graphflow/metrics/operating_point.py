"""One rate read at the threshold where another reaches a target (TF1's
sensitivity_at_specificity and specificity_at_sensitivity), over `num_thresholds` thresholds
laid out as AUC's (but the last is 1 - 1e-7 for specificity_at_sensitivity, as in TF1)."""

from __future__ import annotations

from graphflow.core import dtypes
from graphflow.core.site import argument_error
from graphflow.metrics.common import add_to_collections, check_collections
from graphflow.metrics.thresholds import confusion_at_thresholds
from graphflow.ops import elementwise as ew
from graphflow.ops.cast import cast
from graphflow.ops.gather import gather, where
from graphflow.ops.reduce import argmin, reduce_max, reduce_min
from graphflow.ops.shape_ops import range as range_
from graphflow.ops.shape_ops import zeros_like
from graphflow.variable_scope import variable_scope

__all__ = ["sensitivity_at_specificity", "specificity_at_sensitivity"]

_KEPSILON = 1e-7


def _thresholds(num_thresholds, last):
    inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return [0.0 - _KEPSILON] + inner + [last]


def _rate(hits, misses, index, name):
    hit, miss = gather(hits, index), gather(misses, index)
    return ew.divide(hit, hit + miss + _KEPSILON, name=name)


def _sensitivity(c, specificity, name):
    """tp / (tp + fn) at the first threshold whose specificity is closest to the target."""
    specificities = c["tn"] / (c["tn"] + c["fp"] + _KEPSILON)
    index = cast(argmin(ew.abs(specificities - specificity), 0), dtypes.int32)
    return _rate(c["tp"], c["fn"], index, name)


def _specificity(c, sensitivity, n, name):
    """tn / (tn + fp) at the last threshold whose sensitivity is closest to the target."""
    distance = ew.abs(c["tp"] / (c["tp"] + c["fn"] + _KEPSILON) - sensitivity)
    closest = ew.equal(distance, reduce_min(distance))
    positions = range_(n)
    index = reduce_max(where(closest, positions, zeros_like(positions) - 1))
    return _rate(c["tn"], c["fp"], index, name)


def _at(kind, target_name, target, compute, last, labels, predictions, weights, num_thresholds,
        metrics_collections, updates_collections, name):
    fn = f"tf.metrics.{kind}"
    check_collections(fn, metrics_collections, updates_collections)
    if target < 0 or target > 1:
        verb = "got" if kind == "sensitivity_at_specificity" else "is"  # TF1's two texts
        raise argument_error(fn, f"`{target_name}` must be in the range [0, 1]. Currently, "
                             f"`{target_name}` {verb} {target}.", ValueError)
    with variable_scope(name, kind, (predictions, labels, weights)):
        values, updates = confusion_at_thresholds(fn, labels, predictions,
                                                  _thresholds(num_thresholds, last), weights,
                                                  ("tp", "fn", "tn", "fp"))
        value = compute(values, "value")
        update_op = compute(updates, "update_op")
    add_to_collections(metrics_collections, value)
    add_to_collections(updates_collections, update_op)
    return value, update_op


def sensitivity_at_specificity(labels, predictions, specificity, weights=None,
                               num_thresholds: int = 200, metrics_collections=None,
                               updates_collections=None, name: str | None = None):
    """The recall (sensitivity) where the specificity is closest to `specificity`.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true outcomes, cast to bool (non-zero is positive).
        predictions: Scores in [0, 1], of labels' shape (a run with others raises).
        specificity: The target specificity, in [0, 1].
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        num_thresholds: How many thresholds to search, laid out as `tf.metrics.auc`'s.
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> value, update = tf.metrics.sensitivity_at_specificity(
        ...     [0, 0, 1, 1], [0.1, 0.6, 0.4, 0.8], 0.5)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        1.0
    """
    return _at("sensitivity_at_specificity", "specificity", specificity,
               lambda c, n: _sensitivity(c, specificity, n), 1.0 + _KEPSILON, labels,
               predictions, weights, num_thresholds, metrics_collections,
               updates_collections, name)


def specificity_at_sensitivity(labels, predictions, sensitivity, weights=None,
                               num_thresholds: int = 200, metrics_collections=None,
                               updates_collections=None, name: str | None = None):
    """The specificity where the recall (sensitivity) is closest to `sensitivity`.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true outcomes, cast to bool (non-zero is positive).
        predictions: Scores in [0, 1], of labels' shape (a run with others raises).
        sensitivity: The target sensitivity (recall), in [0, 1].
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        num_thresholds: How many thresholds to search, laid out as `tf.metrics.auc`'s.
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> value, update = tf.metrics.specificity_at_sensitivity(
        ...     [0, 0, 1, 1], [0.1, 0.6, 0.4, 0.8], 0.5)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        1.0
    """
    return _at("specificity_at_sensitivity", "sensitivity", sensitivity,
               lambda c, n: _specificity(c, sensitivity, num_thresholds, n), 1.0 - _KEPSILON,
               labels, predictions, weights, num_thresholds, metrics_collections,
               updates_collections, name)
