"""TF1's `tf.losses`: weighted losses with TF1's reductions, and the loss collections.

collection.py keeps the LOSSES bookkeeping, weighting.py `compute_weighted_loss` and
`Reduction`, regression.py the losses between labels and predictions, classification.py those
of logits against class labels.
"""

from graphflow.compat.missing import module_getattr
from graphflow.losses.classification import (
    hinge_loss,
    sigmoid_cross_entropy,
    softmax_cross_entropy,
    sparse_softmax_cross_entropy,
)
from graphflow.losses.collection import (
    add_loss,
    get_losses,
    get_regularization_loss,
    get_regularization_losses,
    get_total_loss,
)
from graphflow.losses.regression import (
    absolute_difference,
    cosine_distance,
    huber_loss,
    log_loss,
    mean_pairwise_squared_error,
    mean_squared_error,
)
from graphflow.losses.weighting import Reduction, compute_weighted_loss

__all__ = [
    "Reduction", "absolute_difference", "add_loss", "compute_weighted_loss", "cosine_distance",
    "get_losses", "get_regularization_loss", "get_regularization_losses", "get_total_loss",
    "hinge_loss", "huber_loss", "log_loss", "mean_pairwise_squared_error", "mean_squared_error",
    "sigmoid_cross_entropy", "softmax_cross_entropy", "sparse_softmax_cross_entropy",
]


__getattr__ = module_getattr(__name__, "tf.losses")  # a TF1 name graphflow lacks, or a typo
