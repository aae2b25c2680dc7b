"""`mean_iou`: the mean intersection-over-union of classes, from a streaming float64 confusion
matrix (rows: labels, columns: predictions), as TF1 computes it."""

from __future__ import annotations

from graphflow.core import dtypes
from graphflow.core.site import argument_error
from graphflow.metrics.common import (
    add_to_collections,
    broadcast_weights,
    check_collections,
    metric_variable,
)
from graphflow.metrics.range_check import check_range
from graphflow.ops import elementwise as ew
from graphflow.ops.array import reshape
from graphflow.ops.cast import cast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.eye import eye
from graphflow.ops.gather import one_hot, where
from graphflow.ops.matmul import matmul
from graphflow.ops.reduce import reduce_sum
from graphflow.ops.shape_ops import ones_like, zeros_like
from graphflow.variable_scope import variable_scope

__all__ = ["mean_iou"]


def _class_ids(fn, t, num_classes, what):
    t = reshape(cast(convert_to_tensor(t), dtypes.int64), [-1])
    t = check_range(fn, t, 0, num_classes - 1, f"`{what}` out of bound")
    return one_hot(t, num_classes, dtype=dtypes.float64)


def mean_iou(labels, predictions, num_classes: int, weights=None, metrics_collections=None,
             updates_collections=None, name: str | None = None):
    """Mean over the classes that occur of TP / (TP + FP + FN); 0 before any class occurs.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: Class ids in [0, num_classes), of any shape.
        predictions: Predicted class ids, of labels' shape.
        num_classes: The number of classes.
        weights: None, or a tensor that broadcasts to the values (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (mean_iou, update_op): `mean_iou` reads the float32 score; `update_op` adds this batch to
        the float64 confusion matrix (rows: labels, columns: predictions) and returns it.

    Examples:
        >>> miou, update = tf.metrics.mean_iou([0, 0, 1, 1], [0, 1, 1, 1], num_classes=2)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(sess.run(update))
        ...     print(round(float(sess.run(miou)), 4))
        [[1. 1.]
         [0. 2.]]
        0.5833
    """
    fn = "tf.metrics.mean_iou"
    check_collections(fn, metrics_collections, updates_collections)
    labels, predictions = convert_to_tensor(labels), convert_to_tensor(predictions)
    if not predictions.shape.is_compatible_with(labels.shape):
        raise argument_error(fn, f"Shapes {predictions.shape} and {labels.shape} are "
                             "incompatible", ValueError)
    with variable_scope(name, "mean_iou", (predictions, labels, weights)):
        total_cm = metric_variable([num_classes, num_classes], dtypes.float64,
                                   name="total_confusion_matrix")
        rows = _class_ids(fn, labels, num_classes, "labels")
        cols = _class_ids(fn, predictions, num_classes, "predictions")
        if weights is not None:
            w = broadcast_weights(fn, weights, cast(labels, dtypes.float32))
            rows = rows * reshape(cast(w, dtypes.float64), [-1, 1])
        update_op = total_cm.assign_add(matmul(rows, cols, transpose_a=True))
        sum_over_row = cast(reduce_sum(total_cm, 0), dtypes.float32)
        sum_over_col = cast(reduce_sum(total_cm, 1), dtypes.float32)
        diagonal = reduce_sum(total_cm * eye(num_classes, dtype=dtypes.float64), 1)
        diag = cast(diagonal, dtypes.float32)
        denominator = sum_over_row + sum_over_col - diag
        valid = reduce_sum(cast(ew.not_equal(denominator, 0.0), dtypes.float32))
        positive = ew.greater(denominator, 0.0)
        iou = diag / where(positive, denominator, ones_like(denominator))
        count = where(ew.greater(valid, 0.0), valid, ones_like(valid))
        value = where(ew.greater(valid, 0.0), reduce_sum(iou, name="mean_iou") / count,
                      zeros_like(valid), name="value")
    add_to_collections(metrics_collections, value)
    add_to_collections(updates_collections, update_op)
    return value, update_op
