"""Loss collections (TF1's `tf.losses` bookkeeping): register losses, sum them with regularisers."""

from __future__ import annotations

from graphflow.core.graph import GraphKeys, get_default_graph
from graphflow.ops.constant import constant


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
