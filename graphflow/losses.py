"""Loss collections (TF1's `tf.losses` bookkeeping): register losses, sum them with regularisers."""

from __future__ import annotations

from graphflow.core.graph import GraphKeys, get_default_graph
from graphflow.ops.constant import constant, convert_to_tensor


def add_loss(loss, loss_collection: str = GraphKeys.LOSSES) -> None:
    """Record `loss` so `get_total_loss` includes it."""
    if loss_collection:
        get_default_graph().add_to_collection(loss_collection, loss)


def get_losses(scope: str | None = None, loss_collection: str = GraphKeys.LOSSES) -> list:
    return get_default_graph().get_collection(loss_collection, scope)


def get_regularization_losses(scope: str | None = None) -> list:
    return get_default_graph().get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope: str | None = None, name: str = "total_regularization_loss"):
    """The sum of the registered regularisation terms (0 when there are none)."""
    from graphflow.ops.matmul import add_n

    terms = get_regularization_losses(scope)
    return add_n(terms, name=name) if terms else constant(0.0, name=name)


def get_total_loss(add_regularization_losses: bool = True, name: str = "total_loss",
                   scope: str | None = None):
    """The sum of every registered loss, plus the regularisation terms unless told otherwise."""
    from graphflow.ops.matmul import add_n

    terms = get_losses(scope)
    if add_regularization_losses:
        terms = terms + get_regularization_losses(scope)
    if not terms:
        raise ValueError("No losses have been added: use graphflow.losses.add_loss(loss) or "
                         "add to the REGULARIZATION_LOSSES collection first.")
    return add_n(terms, name=name)


# --- weighted losses (TF1's tf.losses) ------------------------------------------------------------
class Reduction:
    """How a weighted loss tensor becomes the returned value (TF1's names)."""

    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls):
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE, cls.SUM_BY_NONZERO_WEIGHTS)


def _reduce_weighted(losses, weights, reduction):
    from graphflow.ops.cast import cast
    from graphflow.ops.elementwise import maximum, not_equal
    from graphflow.ops.reduce import reduce_sum
    from graphflow.ops.shape_ops import ones_like, size

    weighted = losses * weights
    if reduction == Reduction.NONE:
        return weighted
    total = reduce_sum(weighted)
    if reduction == Reduction.SUM:
        return total
    if reduction == Reduction.SUM_OVER_BATCH_SIZE:
        return total / maximum(cast(size(losses), losses.dtype), 1)
    spread = weights * ones_like(losses)  # weights broadcast to the losses' shape
    if reduction == Reduction.MEAN:
        denominator = reduce_sum(spread)
        return total / (denominator + cast(_equal_zero(denominator), losses.dtype))
    count = reduce_sum(cast(not_equal(spread, 0), losses.dtype))
    return total / maximum(count, 1)  # 0 when every weight is 0, as TF1's safe division


def _equal_zero(t):
    from graphflow.ops.elementwise import equal

    return equal(t, 0)


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weight `losses`, reduce them as `reduction` says and add the result to `loss_collection`.

    The default divides the weighted sum by the number of non-zero weights (TF1's default), so
    weights of 0 drop examples without shrinking the loss of the others.
    """
    from graphflow.ops.constant import convert_to_tensor

    if reduction not in Reduction.all():
        raise ValueError(f"Invalid reduction {reduction!r}; use one of {Reduction.all()}")
    with get_default_graph().name_scope(scope or "weighted_loss"):
        losses = convert_to_tensor(losses)
        if not losses.dtype.is_floating:
            raise ValueError(f"losses must be floating-point, not {losses.dtype.name}")
        weights = convert_to_tensor(weights, dtype_hint=losses.dtype)
        loss = _reduce_weighted(losses, weights, reduction)
    add_loss(loss, loss_collection)
    return loss


def _pair(labels, predictions, what=("labels", "predictions")):
    from graphflow.ops.cast import cast
    from graphflow.ops.constant import convert_to_tensor

    if labels is None or predictions is None:
        raise ValueError(f"{what[0]} and {what[1]} must both be given")
    predictions = convert_to_tensor(predictions)
    labels = convert_to_tensor(labels, dtype_hint=predictions.dtype)
    if labels.dtype is not predictions.dtype:
        labels = cast(labels, predictions.dtype)
    if not predictions.shape.is_compatible_with(labels.shape):
        raise ValueError(f"Shapes {predictions.shape} and {labels.shape} are incompatible")
    return labels, predictions


def mean_squared_error(labels, predictions, weights=1.0, scope=None,
                       loss_collection=GraphKeys.LOSSES,
                       reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weighted mean of (labels - predictions) ** 2."""
    from graphflow.ops.elementwise import squared_difference

    with get_default_graph().name_scope(scope or "mean_squared_error"):
        labels, predictions = _pair(labels, predictions)
        losses = squared_difference(predictions, labels)
        return compute_weighted_loss(losses, weights, None, loss_collection, reduction)


def absolute_difference(labels, predictions, weights=1.0, scope=None,
                        loss_collection=GraphKeys.LOSSES,
                        reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weighted mean of |labels - predictions|."""
    from graphflow.ops.elementwise import abs as abs_

    with get_default_graph().name_scope(scope or "absolute_difference"):
        labels, predictions = _pair(labels, predictions)
        return compute_weighted_loss(abs_(predictions - labels), weights, None,
                                     loss_collection, reduction)


def huber_loss(labels, predictions, weights=1.0, delta=1.0, scope=None,
               loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weighted Huber loss: 0.5 e^2 where |e| <= delta, else delta (|e| - delta / 2)."""
    from graphflow.ops.elementwise import abs as abs_
    from graphflow.ops.elementwise import minimum

    with get_default_graph().name_scope(scope or "huber_loss"):
        labels, predictions = _pair(labels, predictions)
        error = abs_(predictions - labels)
        quadratic = minimum(error, convert_to_tensor(delta, dtype=error.dtype))
        linear = error - quadratic
        losses = 0.5 * quadratic * quadratic + delta * linear
        return compute_weighted_loss(losses, weights, None, loss_collection, reduction)


def log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None,
             loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Binary cross-entropy of probabilities: -y log(p + eps) - (1 - y) log(1 - p + eps)."""
    from graphflow.ops.elementwise import log

    with get_default_graph().name_scope(scope or "log_loss"):
        labels, p = _pair(labels, predictions)
        losses = -labels * log(p + epsilon) - (1 - labels) * log(1 - p + epsilon)
        return compute_weighted_loss(losses, weights, None, loss_collection, reduction)


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0,
                          scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weighted sigmoid cross-entropy from logits; smoothing moves labels toward 1/2."""
    from graphflow.nn import sigmoid_cross_entropy_with_logits

    with get_default_graph().name_scope(scope or "sigmoid_cross_entropy_loss"):
        labels, logits = _pair(multi_class_labels, logits, ("multi_class_labels", "logits"))
        if label_smoothing:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
        return compute_weighted_loss(losses, weights, None, loss_collection, reduction)


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weighted softmax cross-entropy (weights per example); smoothing spreads mass evenly."""
    from graphflow.nn import softmax_cross_entropy_with_logits_v2
    from graphflow.ops.state import stop_gradient

    with get_default_graph().name_scope(scope or "softmax_cross_entropy_loss"):
        labels, logits = _pair(onehot_labels, logits, ("onehot_labels", "logits"))
        if label_smoothing:
            classes = logits.shape[-1]
            if classes is None:
                raise ValueError("label_smoothing needs the number of classes known")
            labels = labels * (1 - label_smoothing) + label_smoothing / classes
        losses = softmax_cross_entropy_with_logits_v2(labels=stop_gradient(labels),
                                                      logits=logits)
        return compute_weighted_loss(losses, weights, None, loss_collection, reduction)


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None,
                                 loss_collection=GraphKeys.LOSSES,
                                 reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weighted softmax cross-entropy with integer class labels."""
    from graphflow.nn import sparse_softmax_cross_entropy_with_logits

    with get_default_graph().name_scope(scope or "sparse_softmax_cross_entropy_loss"):
        losses = sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        return compute_weighted_loss(losses, weights, None, loss_collection, reduction)
