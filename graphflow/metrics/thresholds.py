"""Metrics over a fixed set of score thresholds: AUC (ROC and PR), precision and recall at
thresholds. One float32 accumulator per outcome (tp, fn, tn, fp), a vector over thresholds.

A prediction counts as positive at threshold t when it is strictly greater than t. AUC's
thresholds are TF1's: `num_thresholds - 2` evenly spaced in (0, 1), plus -1e-7 and 1 + 1e-7 at
the ends, so scores of exactly 0 and 1 fall inside the range.
"""

from __future__ import annotations

import numpy as np

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
from graphflow.metrics.range_check import check_range
from graphflow.ops import elementwise as ew
from graphflow.ops.array import reshape
from graphflow.ops.cast import cast
from graphflow.ops.constant import constant, convert_to_tensor
from graphflow.ops.gather import where
from graphflow.ops.reduce import reduce_sum
from graphflow.ops.shape_ops import ones_like
from graphflow.ops.state import identity
from graphflow.variable_scope import variable_scope

__all__ = ["auc", "false_negatives_at_thresholds", "false_positives_at_thresholds",
           "precision_at_thresholds", "recall_at_thresholds", "true_negatives_at_thresholds",
           "true_positives_at_thresholds"]

_NAMES = {"tp": "true_positives", "fn": "false_negatives", "tn": "true_negatives",
          "fp": "false_positives"}


def confusion_at_thresholds(fn: str, labels, predictions, thresholds, weights, includes):
    """({outcome: accumulator}, {outcome: its update}) for the outcomes in `includes`."""
    predictions = check_range(fn, convert_to_tensor(predictions), 0.0, 1.0,
                              "predictions must be in [0, 1]")
    predictions, labels, weights = remove_squeezable_dimensions(
        fn, cast(predictions, dtypes.float32), cast(labels, dtypes.bool_), weights)
    n = len(thresholds)
    column = constant(np.asarray(thresholds, dtype=np.float32).reshape(n, 1))
    pred_is_pos = ew.greater(reshape(predictions, [1, -1]), column)  # [thresholds, examples]
    label_is_pos = reshape(labels, [1, -1])
    weights_row = None
    if weights is not None:
        weights_row = reshape(broadcast_weights(fn, weights, predictions), [1, -1])
    wanted = {"tp": (label_is_pos, pred_is_pos),
              "fn": (label_is_pos, ew.logical_not(pred_is_pos)),
              "tn": (ew.logical_not(label_is_pos), ew.logical_not(pred_is_pos)),
              "fp": (ew.logical_not(label_is_pos), pred_is_pos)}
    values, updates = {}, {}
    for key in ("tp", "fn", "tn", "fp"):
        if key not in includes:
            continue
        acc = metric_variable([n], dtypes.float32, name=_NAMES[key])
        hits = cast(ew.logical_and(*wanted[key]), dtypes.float32)
        if weights_row is not None:
            hits = hits * weights_row
        values[key] = identity(acc)
        updates[key] = acc.assign_add(reduce_sum(hits, 1))
    return values, updates


def _interpolate_pr_auc(tp, fp, fn, n):
    """TF1's careful interpolation of the PR curve (Davis & Goadrich 2006, section 4)."""
    dtp = tp[: n - 1] - tp[1:]
    p = tp + fp
    prec_slope = safe_div(dtp, p[: n - 1] - p[1:], name="prec_slope")
    intercept = tp[1:] - prec_slope * p[1:]
    both = ew.logical_and(ew.greater(p[: n - 1], 0.0), ew.greater(p[1:], 0.0))
    ratio = where(both, safe_div(p[: n - 1], p[1:], name="recall_relative_ratio"),
                  ones_like(p[1:]))
    return reduce_sum(safe_div(prec_slope * (dtp + intercept * ew.log(ratio)), tp[1:] + fn[1:],
                               name="pr_auc_increment"), name="interpolate_pr_auc")


def _area(curve, summation_method, c, n, name):
    tp, fn, tn, fp = c["tp"], c["fn"], c["tn"], c["fp"]
    if curve == "PR" and summation_method == "careful_interpolation":
        return _interpolate_pr_auc(tp, fp, fn, n)
    epsilon = 1e-6
    rec = (tp + epsilon) / (tp + fn + epsilon)
    if curve == "ROC":
        x, y = fp / (fp + tn + epsilon), rec
    else:
        x, y = rec, (tp + epsilon) / (tp + fp + epsilon)
    width = x[: n - 1] - x[1:]
    if summation_method in ("trapezoidal", "careful_interpolation"):
        height = (y[: n - 1] + y[1:]) / 2.0
    elif summation_method == "minoring":
        height = ew.minimum(y[: n - 1], y[1:])
    else:
        height = ew.maximum(y[: n - 1], y[1:])
    return reduce_sum(width * height, name=name)


def auc(labels, predictions, weights=None, num_thresholds: int = 200, metrics_collections=None,
        updates_collections=None, curve: str = "ROC", name: str | None = None,
        summation_method: str = "trapezoidal", thresholds=None):
    """The area under the ROC or PR curve, by a Riemann sum over `num_thresholds` thresholds.

    Approximate, as TF1's: more thresholds give a finer sum.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true outcomes, cast to bool (non-zero is positive).
        predictions: Scores in [0, 1], of labels' shape (a run with others raises).
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        num_thresholds: How many thresholds (at least 2): `num_thresholds - 2` evenly spaced in
            (0, 1), plus -1e-7 and 1 + 1e-7, as in TF1.
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        curve: "ROC" or "PR" (precision-recall).
        name: The variable scope of the metric's ops and local variables.
        summation_method: "trapezoidal", "careful_interpolation" (PR only; ROC treats it as
            trapezoidal), "minoring" or "majoring".
        thresholds: An explicit list of inner thresholds instead of `num_thresholds`.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value.

    Examples:
        >>> value, update = tf.metrics.auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        0.75
    """
    fn = "tf.metrics.auc"
    check_collections(fn, metrics_collections, updates_collections)
    with variable_scope(name, "auc", (labels, predictions, weights)):
        if curve not in ("ROC", "PR"):
            raise argument_error(fn, f"Curve must be either ROC or PR. Curve {curve} is "
                                 "unknown.", ValueError)
        methods = ("trapezoidal", "careful_interpolation", "minoring", "majoring")
        if summation_method not in methods:
            raise argument_error(fn, f"Invalid summation_method: {summation_method} "
                                 "summation_method should be 'trapezoidal', "
                                 "'careful_interpolation', 'minoring', or 'majoring'.",
                                 ValueError)
        kepsilon = 1e-7
        if thresholds is not None:
            inner = sorted(thresholds)
            num_thresholds = len(inner) + 2
        else:
            if num_thresholds < 2:
                raise argument_error(fn, f"num_thresholds must be at least 2, got "
                                     f"{num_thresholds}", ValueError)
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        edges = [0.0 - kepsilon] + list(inner) + [1.0 + kepsilon]
        values, updates = confusion_at_thresholds(fn, labels, predictions, edges, weights,
                                                  ("tp", "fn", "tn", "fp"))
        value = _area(curve, summation_method, values, num_thresholds, "value")
        update_op = _area(curve, summation_method, updates, num_thresholds, "update_op")
    add_to_collections(metrics_collections, value)
    add_to_collections(updates_collections, update_op)
    return value, update_op


def _at_thresholds(kind, other, labels, predictions, thresholds, weights, metrics_collections,
                   updates_collections, name):
    fn = f"tf.metrics.{kind}_at_thresholds"
    check_collections(fn, metrics_collections, updates_collections)
    with variable_scope(name, f"{kind}_at_thresholds", (predictions, labels, weights)):
        values, updates = confusion_at_thresholds(fn, labels, predictions, list(thresholds),
                                                  weights, ("tp", other))
        epsilon = 1e-7
        value = ew.divide(values["tp"], epsilon + values["tp"] + values[other],
                          name=f"{kind}_value")
        update_op = ew.divide(updates["tp"], epsilon + updates["tp"] + updates[other],
                              name=f"{kind}_update_op")
    add_to_collections(metrics_collections, value)
    add_to_collections(updates_collections, update_op)
    return value, update_op


def precision_at_thresholds(labels, predictions, thresholds, weights=None,
                            metrics_collections=None, updates_collections=None,
                            name: str | None = None):
    """tp / (tp + fp + 1e-7) at each threshold (positive: prediction > threshold).

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true outcomes, cast to bool (non-zero is positive).
        predictions: Scores in [0, 1], of labels' shape (a run with others raises).
        thresholds: A list of floats; a prediction is positive above a threshold.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op), each a float32 vector with one entry per threshold: `value` reads
        the accumulators, `update_op` adds this batch to them.

    Examples:
        >>> value, update = tf.metrics.precision_at_thresholds(
        ...     [1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], thresholds=[0.3, 0.5])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(sess.run(update))
        [0.6667 0.5   ]
    """
    return _at_thresholds("precision", "fp", labels, predictions, thresholds, weights,
                          metrics_collections, updates_collections, name)


def recall_at_thresholds(labels, predictions, thresholds, weights=None,
                         metrics_collections=None, updates_collections=None,
                         name: str | None = None):
    """tp / (tp + fn + 1e-7) at each threshold (positive: prediction > threshold).

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true outcomes, cast to bool (non-zero is positive).
        predictions: Scores in [0, 1], of labels' shape (a run with others raises).
        thresholds: A list of floats; a prediction is positive above a threshold.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op), each a float32 vector with one entry per threshold: `value` reads
        the accumulators, `update_op` adds this batch to them.

    Examples:
        >>> value, update = tf.metrics.recall_at_thresholds(
        ...     [1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], thresholds=[0.3, 0.5])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(sess.run(update))
        [1.  0.5]
    """
    return _at_thresholds("recall", "fn", labels, predictions, thresholds, weights,
                          metrics_collections, updates_collections, name)


def _count_at_thresholds(key, labels, predictions, thresholds, weights, metrics_collections,
                         updates_collections, name):
    outcome = _NAMES[key]
    fn = f"tf.metrics.{outcome}_at_thresholds"
    check_collections(fn, metrics_collections, updates_collections)
    with variable_scope(name, outcome, (predictions, labels, weights)):
        values, updates = confusion_at_thresholds(fn, labels, predictions, list(thresholds),
                                                  weights, (key,))
    add_to_collections(metrics_collections, values[key])
    add_to_collections(updates_collections, updates[key])
    return values[key], updates[key]


def true_positives_at_thresholds(labels, predictions, thresholds, weights=None,
                                 metrics_collections=None, updates_collections=None,
                                 name: str | None = None):
    """The (weighted) count of positive labels predicted above each threshold.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true outcomes, cast to bool (non-zero is positive).
        predictions: Scores in [0, 1], of labels' shape (a run with others raises).
        thresholds: A list of floats; a prediction is positive above a threshold.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op), each a float32 vector with one entry per threshold: `value` reads
        the accumulators, `update_op` adds this batch to them.

    Examples:
        >>> value, update = tf.metrics.true_positives_at_thresholds(
        ...     [1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], thresholds=[0.3, 0.5])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(sess.run(update))
        [2. 1.]
    """
    return _count_at_thresholds("tp", labels, predictions, thresholds, weights,
                                metrics_collections, updates_collections, name)


def false_positives_at_thresholds(labels, predictions, thresholds, weights=None,
                                  metrics_collections=None, updates_collections=None,
                                  name: str | None = None):
    """The (weighted) count of negative labels predicted above each threshold.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true outcomes, cast to bool (non-zero is positive).
        predictions: Scores in [0, 1], of labels' shape (a run with others raises).
        thresholds: A list of floats; a prediction is positive above a threshold.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op), each a float32 vector with one entry per threshold: `value` reads
        the accumulators, `update_op` adds this batch to them.

    Examples:
        >>> value, update = tf.metrics.false_positives_at_thresholds(
        ...     [1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], thresholds=[0.3, 0.5])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(sess.run(update))
        [1. 1.]
    """
    return _count_at_thresholds("fp", labels, predictions, thresholds, weights,
                                metrics_collections, updates_collections, name)


def true_negatives_at_thresholds(labels, predictions, thresholds, weights=None,
                                 metrics_collections=None, updates_collections=None,
                                 name: str | None = None):
    """The (weighted) count of negative labels predicted at or below each threshold.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true outcomes, cast to bool (non-zero is positive).
        predictions: Scores in [0, 1], of labels' shape (a run with others raises).
        thresholds: A list of floats; a prediction is positive above a threshold.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op), each a float32 vector with one entry per threshold: `value` reads
        the accumulators, `update_op` adds this batch to them.

    Examples:
        >>> value, update = tf.metrics.true_negatives_at_thresholds(
        ...     [1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], thresholds=[0.3, 0.5])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(sess.run(update))
        [1. 1.]
    """
    return _count_at_thresholds("tn", labels, predictions, thresholds, weights,
                                metrics_collections, updates_collections, name)


def false_negatives_at_thresholds(labels, predictions, thresholds, weights=None,
                                  metrics_collections=None, updates_collections=None,
                                  name: str | None = None):
    """The (weighted) count of positive labels predicted at or below each threshold.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: The true outcomes, cast to bool (non-zero is positive).
        predictions: Scores in [0, 1], of labels' shape (a run with others raises).
        thresholds: A list of floats; a prediction is positive above a threshold.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op), each a float32 vector with one entry per threshold: `value` reads
        the accumulators, `update_op` adds this batch to them.

    Examples:
        >>> value, update = tf.metrics.false_negatives_at_thresholds(
        ...     [1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], thresholds=[0.3, 0.5])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(sess.run(update))
        [0. 1.]
    """
    return _count_at_thresholds("fn", labels, predictions, thresholds, weights,
                                metrics_collections, updates_collections, name)
