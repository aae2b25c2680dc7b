"""TF1's losses of logits against class labels: hinge, sigmoid and softmax cross-entropy."""

from __future__ import annotations

from graphflow.core.graph import GraphKeys, get_default_graph
from graphflow.core.site import argument_error
from graphflow.losses.regression import float32_pair
from graphflow.losses.weighting import Reduction, compute_weighted_loss
from graphflow.ops import elementwise as ew
from graphflow.ops.cast import cast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.shape_ops import ones_like

__all__ = ["hinge_loss", "sigmoid_cross_entropy", "softmax_cross_entropy",
           "sparse_softmax_cross_entropy"]

_DEFAULT = Reduction.SUM_BY_NONZERO_WEIGHTS


def hinge_loss(labels, logits, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
               reduction=_DEFAULT):
    """Weighted max(0, 1 - (2 y - 1) * logits) for labels y in {0, 1} (float32, as TF1).

    Args:
        labels: Targets in {0, 1}.
        logits: A tensor of labels' shape.
        weights: A scalar, or a tensor that broadcasts to the losses (a 0 drops an entry).
        scope: The name scope of the ops.
        loss_collection: The collection the loss is added to (default `GraphKeys.LOSSES`).
        reduction: A `tf.losses.Reduction` (default: the weighted sum divided by the number of
            non-zero weights).

    Returns:
        A float32 Tensor: a scalar, or the weighted losses when reduction is NONE.

    Examples:
        >>> loss = tf.losses.hinge_loss([1., 0.], [0.5, -2.])
        >>> with tf.Session() as sess:
        ...     print(round(float(sess.run(loss)), 4))
        0.25
    """
    fn = "tf.losses.hinge_loss"
    Reduction.validate(reduction, fn)
    with get_default_graph().name_scope(scope or "hinge_loss") as opened:
        labels, logits = float32_pair(fn, labels, logits, ("labels", "logits"))
        all_ones = ones_like(labels)
        losses = ew.relu(all_ones - (2 * labels - all_ones) * logits)
        return compute_weighted_loss(losses, weights, opened, loss_collection, reduction)


def _labels_like(fn, labels, logits, names):
    """labels cast to the logits' dtype, shapes checked (TF1's cross-entropy losses)."""
    for name, value in zip(names, (labels, logits)):
        if value is None:
            raise argument_error(fn, f"Argument `{name}` must not be None.", ValueError)
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels, dtype_hint=logits.dtype)
    if labels.dtype is not logits.dtype:
        labels = cast(labels, logits.dtype)
    if not logits.shape.is_compatible_with(labels.shape):
        raise argument_error(fn, f"Shapes {logits.shape} and {labels.shape} are incompatible",
                             ValueError)
    return labels, logits


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0,
                          scope=None, loss_collection=GraphKeys.LOSSES, reduction=_DEFAULT):
    """Weighted sigmoid cross-entropy from logits; smoothing moves labels toward 1/2.

    Args:
        multi_class_labels: Targets in [0, 1], of logits' shape (one column per class).
        logits: A floating tensor.
        weights: A scalar, or a tensor that broadcasts to the losses (a 0 drops an entry).
        label_smoothing: s: labels become labels * (1 - s) + s / 2.
        scope: The name scope of the ops.
        loss_collection: The collection the loss is added to (default `GraphKeys.LOSSES`).
        reduction: A `tf.losses.Reduction` (default: the weighted sum divided by the number of
            non-zero weights).

    Returns:
        A float32 Tensor: a scalar, or the weighted losses when reduction is NONE.

    Examples:
        >>> loss = tf.losses.sigmoid_cross_entropy([1., 0.], [0., 0.])
        >>> with tf.Session() as sess:
        ...     print(round(float(sess.run(loss)), 4))
        0.6931
    """
    from graphflow.nn import sigmoid_cross_entropy_with_logits

    fn = "tf.losses.sigmoid_cross_entropy"
    Reduction.validate(reduction, fn)
    with get_default_graph().name_scope(scope or "sigmoid_cross_entropy_loss") as opened:
        labels, logits = _labels_like(fn, multi_class_labels, logits,
                                      ("multi_class_labels", "logits"))
        if label_smoothing:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
        return compute_weighted_loss(losses, weights, opened, loss_collection, reduction)


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES, reduction=_DEFAULT):
    """Weighted softmax cross-entropy (weights per example); smoothing spreads mass evenly.

    Args:
        onehot_labels: `[batch, classes]` distributions (one-hot or soft).
        logits: `[batch, classes]` unnormalised log-probabilities.
        weights: A scalar or one weight per example.
        label_smoothing: s: labels become labels * (1 - s) + s / classes.
        scope: The name scope of the ops.
        loss_collection: The collection the loss is added to (default `GraphKeys.LOSSES`).
        reduction: A `tf.losses.Reduction` (default: the weighted sum divided by the number of
            non-zero weights).

    Returns:
        A float32 Tensor: a scalar, or the per-example losses when reduction is NONE.

    Examples:
        >>> loss = tf.losses.softmax_cross_entropy([[0., 1.]], [[2., 2.]])
        >>> with tf.Session() as sess:
        ...     print(round(float(sess.run(loss)), 4))
        0.6931
    """
    from graphflow.nn import softmax_cross_entropy_with_logits_v2
    from graphflow.ops.state import stop_gradient

    fn = "tf.losses.softmax_cross_entropy"
    Reduction.validate(reduction, fn)
    with get_default_graph().name_scope(scope or "softmax_cross_entropy_loss") as opened:
        labels, logits = _labels_like(fn, onehot_labels, logits, ("onehot_labels", "logits"))
        if label_smoothing:
            classes = logits.shape[-1]
            if classes is None:
                raise argument_error(fn, "label_smoothing needs the number of classes known",
                                     ValueError)
            labels = labels * (1 - label_smoothing) + label_smoothing / classes
        losses = softmax_cross_entropy_with_logits_v2(labels=stop_gradient(labels),
                                                      logits=logits)
        return compute_weighted_loss(losses, weights, opened, loss_collection, reduction)


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None,
                                 loss_collection=GraphKeys.LOSSES, reduction=_DEFAULT):
    """Weighted softmax cross-entropy with integer class labels.

    Args:
        labels: `[batch]` int32 or int64 class indices.
        logits: `[batch, classes]` unnormalised log-probabilities.
        weights: A scalar or one weight per example.
        scope: The name scope of the ops.
        loss_collection: The collection the loss is added to (default `GraphKeys.LOSSES`).
        reduction: A `tf.losses.Reduction` (default: the weighted sum divided by the number of
            non-zero weights).

    Returns:
        A float32 Tensor: a scalar, or the per-example losses when reduction is NONE.

    Examples:
        >>> loss = tf.losses.sparse_softmax_cross_entropy([1], [[2., 2.]])
        >>> with tf.Session() as sess:
        ...     print(round(float(sess.run(loss)), 4))
        0.6931
    """
    from graphflow.nn import sparse_softmax_cross_entropy_with_logits

    Reduction.validate(reduction, "tf.losses.sparse_softmax_cross_entropy")
    with get_default_graph().name_scope(scope or "sparse_softmax_cross_entropy_loss") as opened:
        losses = sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        return compute_weighted_loss(losses, weights, opened, loss_collection, reduction)
