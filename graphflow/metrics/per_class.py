"""`mean_per_class_accuracy`: the mean over classes of each class's streaming accuracy, with one
float32 accumulator pair (`total`, `count`) per class, as TF1 keeps them."""

from __future__ import annotations

from graphflow.core import dtypes
from graphflow.core.site import argument_error
from graphflow.metrics.common import (
    add_to_collections,
    check_collections,
    metric_variable,
    safe_div,
)
from graphflow.metrics.range_check import check_range
from graphflow.ops import elementwise as ew
from graphflow.ops.array import reshape
from graphflow.ops.cast import cast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.gather import one_hot
from graphflow.ops.reduce import reduce_mean, reduce_sum
from graphflow.ops.shape_ops import ones_like
from graphflow.variable_scope import variable_scope

__all__ = ["mean_per_class_accuracy"]


def mean_per_class_accuracy(labels, predictions, num_classes: int, weights=None,
                            metrics_collections=None, updates_collections=None,
                            name: str | None = None):
    """Per class, the (weighted) fraction of its examples predicted right; then their mean
    (a class never seen counts as 0, as in TF1). `update_op` is the per-class vector.

    The accumulators are local variables: run `tf.local_variables_initializer()` before the first
    update (and again to start over).

    Args:
        labels: Class ids in [0, num_classes), of any shape.
        predictions: Predicted class ids, of labels' shape.
        num_classes: The number of classes.
        weights: None, or a tensor that has one weight per example (a 0 leaves an entry out).
        metrics_collections: Collections to add the value tensor to.
        updates_collections: Collections to add the update op to.
        name: The variable scope of the metric's ops and local variables.

    Returns:
        (mean_accuracy, update_op): the mean of the per-class accuracies so far, and the op
        that adds this batch and returns the per-class accuracies.

    Examples:
        >>> acc, update = tf.metrics.mean_per_class_accuracy([0, 0, 1, 1], [0, 1, 1, 1], 2)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(sess.run(update), sess.run(acc))
        [0.5 1. ] 0.75
    """
    fn = "tf.metrics.mean_per_class_accuracy"
    check_collections(fn, metrics_collections, updates_collections)
    with variable_scope(name, "mean_accuracy", (predictions, labels, weights)):
        labels = reshape(cast(convert_to_tensor(labels), dtypes.int64), [-1])
        predictions = reshape(convert_to_tensor(predictions), [-1])
        if not predictions.shape.is_compatible_with(labels.shape):
            raise argument_error(fn, f"Shapes {predictions.shape} and {labels.shape} are "
                                 "incompatible", ValueError)
        total = metric_variable([num_classes], dtypes.float32, name="total")
        count = metric_variable([num_classes], dtypes.float32, name="count")
        if predictions.dtype is not labels.dtype:
            predictions = cast(predictions, labels.dtype)
        is_correct = cast(ew.equal(predictions, labels), dtypes.float32)
        ones = ones_like(is_correct)
        if weights is not None:
            w = cast(reshape(convert_to_tensor(weights), [-1]), dtypes.float32)
            is_correct, ones = is_correct * w, ones * w
        classes = one_hot(check_range(fn, labels, 0, num_classes - 1, "`labels` out of bound"),
                          num_classes, dtype=dtypes.float32)
        update_total = total.assign_add(reduce_sum(classes * reshape(ones, [-1, 1]), 0))
        update_count = count.assign_add(reduce_sum(classes * reshape(is_correct, [-1, 1]), 0))
        value = reduce_mean(safe_div(count, total, name="per_class"), name="mean_accuracy")
        update_op = safe_div(update_count, update_total, name="update_op")
    add_to_collections(metrics_collections, value)
    add_to_collections(updates_collections, update_op)
    return value, update_op
