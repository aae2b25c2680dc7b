"""Streaming top-k metrics for multi-label ranking (TF1's `*_at_k`, `*_at_top_k`).

Each row of `labels` is a set of class ids (a trailing dim of labels, or one id per row;
repeated ids count once) and each row of `predictions` ranks the classes; the k best form the
row's predicted set. Counts are float64 local variables, summed over batches with per-row
`weights`, as in TF1:
- precision = tp / (tp + fp), recall = tp / (tp + fn), where tp are predicted ids that are
  labels, fp predicted ids that are not, fn labels not predicted. A label outside
  [0, num_classes) is never predicted, so it is a false negative; with `class_id`, only that
  class is counted. Nothing counted gives NaN (TF1 divides plainly).
- average precision of a row = sum over the top k of precision@i at each hit, divided by
  min(k, number of labels within [0, num_classes)); the metric is its weighted mean.
Labels are dense here (graphflow has no SparseTensor), so the number of labels per row must be
known while building; pad rows with an out-of-range id such as -1.
"""

from __future__ import annotations

import numpy as np

from graphflow.core import dtypes
from graphflow.core.graph import get_default_graph
from graphflow.core.site import argument_error
from graphflow.metrics.common import add_to_collections, check_collections, metric_variable
from graphflow.ops import elementwise as ew
from graphflow.ops.array import expand_dims
from graphflow.ops.cast import cast
from graphflow.ops.constant import constant, convert_to_tensor
from graphflow.ops.matmul import tensordot
from graphflow.ops.reduce import reduce_any, reduce_sum
from graphflow.ops.shape_ops import ones_like
from graphflow.ops.top_k import top_k
from graphflow.variable_scope import variable_scope

__all__ = ["average_precision_at_k", "precision_at_k", "precision_at_top_k", "recall_at_k",
           "recall_at_top_k", "sparse_average_precision_at_k", "sparse_precision_at_k"]


def _labels(function: str, labels, predictions_idx):
    """int64 labels of predictions_idx's rank (a trailing dim of one added when one short)."""
    labels = cast(convert_to_tensor(labels), dtypes.int64)
    if labels.shape.rank is not None and predictions_idx.shape.rank is not None \
            and labels.shape.rank == predictions_idx.shape.rank - 1:
        labels = expand_dims(labels, -1)
    if labels.shape.rank is None or labels.shape[-1] is None:
        raise argument_error(function, f"the labels {labels.describe()} need a known number of "
                             "labels per row (the last dimension); graphflow's labels are dense",
                             ValueError)
    if predictions_idx.shape.rank is not None and labels.shape.rank != \
            predictions_idx.shape.rank:
        raise argument_error(function, f"labels {labels.describe()} and predictions "
                             f"{predictions_idx.describe()} must have the same rank, or labels "
                             "one less", ValueError)
    return labels


def _distinct(labels):
    """1.0 where a label is the first of its value in its row (repeats count once)."""
    n = labels.shape[-1]
    earlier = constant(np.tril(np.ones((n, n), dtype=bool), -1))  # [j, i]: i before j
    same = ew.equal(expand_dims(labels, -1), expand_dims(labels, -2))  # [..., j, i]
    return cast(ew.logical_not(reduce_any(ew.logical_and(same, earlier), -1)), dtypes.float64)


def _hits(labels, predictions_idx):
    """[..., k] bool: whether each predicted id is one of its row's labels."""
    return reduce_any(ew.equal(expand_dims(predictions_idx, -1), expand_dims(labels, -2)), -1)


def _row_weights(function: str, weights, rows):
    if weights is None:
        return None
    weights = cast(convert_to_tensor(weights), dtypes.float64)
    if weights.shape.rank is not None and rows.shape.rank is not None \
            and weights.shape.rank == rows.shape.rank + 1 and weights.shape[-1] in (1, None):
        weights = weights[..., 0]
    if not weights.shape.is_compatible_with(rows.shape) and weights.shape.rank != 0:
        raise argument_error(function, f"weights {weights.describe()} must be a scalar or one "
                             f"weight per row ({rows.shape})", ValueError)
    return weights


def _total(values, weights):
    return reduce_sum(values if weights is None else values * weights)


def _counts(labels, predictions_idx, class_id):
    """Per-row float64 (tp, fp, fn)."""
    idx = cast(predictions_idx, dtypes.int64)
    if class_id is None:
        hits = cast(_hits(labels, idx), dtypes.float64)
        tp = reduce_sum(hits, -1)
        k = float(idx.shape[-1])
        return tp, k - tp, reduce_sum(_distinct(labels), -1) - tp
    cls = constant(int(class_id), dtype=dtypes.int64)
    predicted = reduce_any(ew.equal(idx, cls), -1)
    labelled = reduce_any(ew.equal(labels, cls), -1)

    def both(a, b):
        return cast(ew.logical_and(a, b), dtypes.float64)

    return (both(predicted, labelled), both(predicted, ew.logical_not(labelled)),
            both(labelled, ew.logical_not(predicted)))


def _ratio(kind, labels, predictions_idx, k, class_id, weights, metrics_collections,
           updates_collections, name, function):
    """precision (tp, fp) or recall (tp, fn) at k, as TF1 names its scope and counters."""
    check_collections(function, metrics_collections, updates_collections)
    suffix = f"at_{'k' if k is None else k}" + ("" if class_id is None else f"_class{class_id}")
    other = "false_positive" if kind == "precision" else "false_negative"
    with variable_scope(name, f"{kind}_{suffix}", (predictions_idx, labels, weights)):
        scope = get_default_graph().get_name_scope()
        predictions_idx = convert_to_tensor(predictions_idx)
        labels = _labels(function, labels, predictions_idx)
        tp_row, fp_row, fn_row = _counts(labels, predictions_idx, class_id)
        weights = _row_weights(function, weights, tp_row)
        tp = metric_variable([], dtypes.float64, name=f"true_positive_{suffix}")
        miss = metric_variable([], dtypes.float64, name=f"{other}_{suffix}")
        misses = fp_row if kind == "precision" else fn_row
        value = ew.divide(tp, tp + miss, name=scope + "/")
        new_tp = tp.assign_add(_total(tp_row, weights))
        new_miss = miss.assign_add(_total(misses, weights))
        update_op = ew.divide(new_tp, new_tp + new_miss, name="update")
    add_to_collections(metrics_collections, value)
    add_to_collections(updates_collections, update_op)
    return value, update_op


def precision_at_top_k(labels, predictions_idx, k=None, class_id=None, weights=None,
                       metrics_collections=None, updates_collections=None, name=None):
    """Precision of the given top-k class ids (`predictions_idx`, [..., k]) against labels.

    For ids already ranked, e.g. by `tf.nn.top_k`.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: int class ids, [batch, n] (a set per row; repeats count once) or [batch];
            dense, where TF1 also takes a SparseTensor. An id outside [0, num_classes) is a
            label never predicted.
        predictions_idx: The predicted class ids, [batch, k], best first.
        k: Only names the scope (`precision_at_k`; TF1's rule); the ids' last dim is k.
        class_id: Count only this class (predicted or labelled as it), or None for all.
        weights: None, a scalar, or one weight per row.
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value (float64; NaN while
        nothing has been counted, as in TF1).

    Examples:
        >>> value, update = tf.metrics.precision_at_top_k([[0, 2], [1, 1]], [[2, 1], [0, 1]])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        0.5
    """
    return _ratio("precision", labels, predictions_idx, k, class_id, weights,
                  metrics_collections, updates_collections, name, "precision_at_top_k")


def recall_at_top_k(labels, predictions_idx, k=None, class_id=None, weights=None,
                    metrics_collections=None, updates_collections=None, name=None):
    """Recall of the labels by the given top-k class ids (`predictions_idx`, [..., k]).

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: int class ids, [batch, n] (a set per row; repeats count once) or [batch];
            dense, where TF1 also takes a SparseTensor. An id outside [0, num_classes) is a
            label never predicted.
        predictions_idx: The predicted class ids, [batch, k], best first.
        k: Only names the scope (`precision_at_k`; TF1's rule); the ids' last dim is k.
        class_id: Count only this class (predicted or labelled as it), or None for all.
        weights: None, a scalar, or one weight per row.
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value (float64; NaN while
        nothing has been counted, as in TF1).

    Examples:
        >>> value, update = tf.metrics.recall_at_top_k([[0, 2], [1, 1]], [[2, 1], [0, 1]])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        0.6667
    """
    return _ratio("recall", labels, predictions_idx, k, class_id, weights,
                  metrics_collections, updates_collections, name, "recall_at_top_k")


def _top(function: str, predictions, k):
    predictions = convert_to_tensor(predictions)
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
        raise argument_error(function, f"k must be a positive Python int, got {k!r}", ValueError)
    return top_k(predictions, int(k))[1]


def precision_at_k(labels, predictions, k, class_id=None, weights=None,
                   metrics_collections=None, updates_collections=None, name=None):
    """Precision of the k highest-scored classes of each row against its labels.

    tp / (tp + fp) over the rows' predicted sets: a predicted id is a hit when it is one
    of the row's labels.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: int class ids, [batch, n] (a set per row; repeats count once) or [batch];
            dense, where TF1 also takes a SparseTensor. An id outside [0, num_classes) is a
            label never predicted.
        predictions: Scores, [batch, num_classes]; each row's k highest are its predictions.
        k: How many of the top classes count (a positive int).
        class_id: Count only this class (predicted or labelled as it), or None for all.
        weights: None, a scalar, or one weight per row.
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value (float64; NaN while
        nothing has been counted, as in TF1).

    Examples:
        >>> value, update = tf.metrics.precision_at_k(
        ...     [[0, 2], [1, 1]], [[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]], k=2)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        0.5
    """
    idx = _top("precision_at_k", predictions, k)
    return _ratio("precision", labels, idx, k, class_id, weights, metrics_collections,
                  updates_collections, name, "precision_at_k")


def recall_at_k(labels, predictions, k, class_id=None, weights=None, metrics_collections=None,
                updates_collections=None, name=None):
    """Recall of each row's labels by its k highest-scored classes.

    tp / (tp + fn): each label (ids outside [0, num_classes) included) not among the
    row's top k is a miss.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: int class ids, [batch, n] (a set per row; repeats count once) or [batch];
            dense, where TF1 also takes a SparseTensor. An id outside [0, num_classes) is a
            label never predicted.
        predictions: Scores, [batch, num_classes]; each row's k highest are its predictions.
        k: How many of the top classes count (a positive int).
        class_id: Count only this class (predicted or labelled as it), or None for all.
        weights: None, a scalar, or one weight per row.
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value (float64; NaN while
        nothing has been counted, as in TF1).

    Examples:
        >>> value, update = tf.metrics.recall_at_k(
        ...     [[0, 2], [1, 1]], [[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]], k=2)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        0.6667
    """
    idx = _top("recall_at_k", predictions, k)
    return _ratio("recall", labels, idx, k, class_id, weights, metrics_collections,
                  updates_collections, name, "recall_at_k")


def sparse_precision_at_k(labels, predictions, k, class_id=None, weights=None,
                          metrics_collections=None, updates_collections=None, name=None):
    """TF1's older name of precision_at_k.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: int class ids, [batch, n] (a set per row; repeats count once) or [batch];
            dense, where TF1 also takes a SparseTensor. An id outside [0, num_classes) is a
            label never predicted.
        predictions: Scores, [batch, num_classes]; each row's k highest are its predictions.
        k: How many of the top classes count (a positive int).
        class_id: Count only this class (predicted or labelled as it), or None for all.
        weights: None, a scalar, or one weight per row.
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value (float64; NaN while
        nothing has been counted, as in TF1).

    Examples:
        >>> value, update = tf.metrics.sparse_precision_at_k(
        ...     [[0, 2], [1, 1]], [[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]], k=1)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        0.5
    """
    return precision_at_k(labels, predictions, k, class_id, weights, metrics_collections,
                          updates_collections, name)


def average_precision_at_k(labels, predictions, k, weights=None, metrics_collections=None,
                           updates_collections=None, name=None):
    """The weighted mean over rows of average precision at k (see the module's note).

    A row's average precision sums precision@i at each rank i that is a hit and divides
    by min(k, its number of labels in range).

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: int class ids, [batch, n] (a set per row; repeats count once) or [batch];
            dense, where TF1 also takes a SparseTensor. An id outside [0, num_classes) is a
            label never predicted.
        predictions: Scores, [batch, num_classes]; the number of classes must be known.
        k: How many of the top classes count (a positive int).
        weights: None, a scalar, or one weight per row.
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value (float64; NaN while
        nothing has been counted, as in TF1).

    Examples:
        >>> value, update = tf.metrics.average_precision_at_k(
        ...     [[0, 2], [1, 1]], [[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]], k=2)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        0.5
    """
    function = "average_precision_at_k"
    check_collections(function, metrics_collections, updates_collections)
    with variable_scope(name, f"average_precision_at_{k}", (predictions, labels, weights)):
        scope = get_default_graph().get_name_scope()
        predictions = convert_to_tensor(predictions)
        idx = cast(_top(function, predictions, k), dtypes.int64)
        labels = _labels(function, labels, idx)
        hits = cast(_hits(labels, idx), dtypes.float64)  # [..., k]
        ranks = hits.shape[-1]
        at_or_before = constant(np.triu(np.ones((ranks, ranks))))  # [i, j]: i <= j
        precision_at = tensordot(hits, at_or_before, 1) / np.arange(1.0, ranks + 1)
        classes = predictions.shape[-1]
        if classes is None:
            raise argument_error(function, f"predictions {predictions.describe()} need a known "
                                 "number of classes (the last dimension)", ValueError)
        valid = cast(ew.logical_and(ew.greater_equal(labels, 0), ew.less(labels, classes)),
                     dtypes.float64)
        relevant = ew.minimum(reduce_sum(_distinct(labels) * valid, -1), float(ranks))
        per_row = reduce_sum(hits * precision_at, -1) / relevant
        weights = _row_weights(function, weights, per_row)
        # TF1 names the weight sum `max_1` (its `max` name is taken by an op it builds first)
        weight_sum = metric_variable([], dtypes.float64, name="max_1")
        total = metric_variable([], dtypes.float64, name="total")
        value = ew.divide(total, weight_sum, name="mean")
        new_sum = weight_sum.assign_add(_total(ones_like(per_row), weights))
        new_total = total.assign_add(_total(per_row, weights))
        update_op = ew.divide(new_total, new_sum, name=scope + "/")
    add_to_collections(metrics_collections, value)
    add_to_collections(updates_collections, update_op)
    return value, update_op


def sparse_average_precision_at_k(labels, predictions, k, weights=None, metrics_collections=None,
                                  updates_collections=None, name=None):
    """TF1's older name of average_precision_at_k.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: int class ids, [batch, n] (a set per row; repeats count once) or [batch];
            dense, where TF1 also takes a SparseTensor. An id outside [0, num_classes) is a
            label never predicted.
        predictions: Scores, [batch, num_classes]; the number of classes must be known.
        k: How many of the top classes count (a positive int).
        weights: None, a scalar, or one weight per row.
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (value, update_op): `value` reads the metric over every batch seen so far; `update_op`
        adds this batch to the accumulators and gives the updated value (float64; NaN while
        nothing has been counted, as in TF1).

    Examples:
        >>> value, update = tf.metrics.sparse_average_precision_at_k(
        ...     [[0, 2], [1, 1]], [[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]], k=1)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(round(float(sess.run(update)), 4))
        0.5
    """
    return average_precision_at_k(labels, predictions, k, weights, metrics_collections,
                                  updates_collections, name)
