"""Loss collections (TF1's `tf.losses` bookkeeping): register losses, sum them with regularisers."""

from __future__ import annotations

from graphflow.core.graph import GraphKeys, get_default_graph
from graphflow.ops.constant import constant


def add_loss(loss, loss_collection: str = GraphKeys.LOSSES) -> None:
    """Record `loss` so `get_total_loss` includes it.

    Args:
        loss: A scalar loss tensor.
        loss_collection: The collection to add it to (default `GraphKeys.LOSSES`; None or ""
            adds it nowhere).

    Examples:
        >>> tf.losses.add_loss(tf.constant(2.0))
        >>> print(len(tf.losses.get_losses()))
        1
    """
    if loss_collection:
        get_default_graph().add_to_collection(loss_collection, loss)


def get_losses(scope: str | None = None, loss_collection: str = GraphKeys.LOSSES) -> list:
    """The losses added to `loss_collection` (every tf.losses function adds its result).

    Args:
        scope: Keep only losses whose name starts with it.
        loss_collection: The collection (default `GraphKeys.LOSSES`).

    Returns:
        A list of tensors.

    Examples:
        >>> loss = tf.losses.mean_squared_error([1.0], [3.0])
        >>> print(tf.losses.get_losses() == [loss])
        True
    """
    return get_default_graph().get_collection(loss_collection, scope)


def get_regularization_losses(scope: str | None = None) -> list:
    """The regularisation terms (`GraphKeys.REGULARIZATION_LOSSES`: from a variable's or a
    layer's regularizer).

    Args:
        scope: Keep only terms whose name starts with it.

    Returns:
        A list of scalar tensors.

    Examples:
        >>> w = tf.get_variable("w", [2], regularizer=lambda v: tf.reduce_sum(v * v))
        >>> print(len(tf.losses.get_regularization_losses()))
        1
    """
    return get_default_graph().get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope: str | None = None, name: str = "total_regularization_loss"):
    """The sum of the registered regularisation terms (0 when there are none).

    Args:
        scope: Sum only terms whose name starts with it.
        name: A name for the op.

    Returns:
        A scalar float32 Tensor.

    Examples:
        >>> w = tf.get_variable("w", initializer=[3.0], regularizer=lambda v: tf.reduce_sum(v))
        >>> with tf.Session() as sess:
        ...     sess.run(w.initializer)
        ...     print(sess.run(tf.losses.get_regularization_loss()))
        3.0
    """
    from graphflow.ops.matmul import add_n

    terms = get_regularization_losses(scope)
    return add_n(terms, name=name) if terms else constant(0.0, name=name)


def get_total_loss(add_regularization_losses: bool = True, name: str = "total_loss",
                   scope: str | None = None):
    """The sum of every registered loss, plus the regularisation terms unless told otherwise.

    Args:
        add_regularization_losses: Include `get_regularization_losses()`.
        name: A name for the op.
        scope: Sum only losses (and terms) whose name starts with it.

    Returns:
        A scalar Tensor; with no loss registered it raises a ValueError, as in TF1.

    Examples:
        >>> _ = tf.losses.mean_squared_error([1.0], [3.0])
        >>> _ = tf.losses.absolute_difference([1.0], [2.0])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.losses.get_total_loss()))
        5.0
    """
    from graphflow.ops.matmul import add_n

    terms = get_losses(scope)
    if add_regularization_losses:
        terms = terms + get_regularization_losses(scope)
    if not terms:
        raise ValueError("No losses have been added: use graphflow.losses.add_loss(loss) or "
                         "add to the REGULARIZATION_LOSSES collection first.")
    return add_n(terms, name=name)
