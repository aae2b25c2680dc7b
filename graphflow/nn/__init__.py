"""`graphflow.nn`: activations and losses under TF1's `tf.nn` names."""

from __future__ import annotations

from graphflow.compat.missing import NN_KNOWN_MISSING, missing_attribute
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.elementwise import relu, sigmoid, tanh
from graphflow.ops.nn_activations import elu, leaky_relu, relu6, selu, softplus, softsign
from graphflow.ops.nn_conv import (
    conv2d,
    conv2d_backprop_filter,
    conv2d_backprop_input,
    conv2d_transpose,
)
from graphflow.ops.nn_misc import dropout, in_top_k, sparse_softmax_cross_entropy_with_logits
from graphflow.ops.nn_norm import batch_normalization, bias_add, fused_batch_norm, moments
from graphflow.ops.nn_ops import (
    L2Loss,
    LogSoftmax,
    SigmoidCrossEntropyWithLogits,
    Softmax,
    SoftmaxCrossEntropyWithLogits,
)
from graphflow.ops.nn_pool import avg_pool, max_pool
from graphflow.ops.registry import apply_op
from graphflow.ops.state import stop_gradient
from graphflow.ops.top_k import top_k

__all__ = ["avg_pool", "batch_normalization", "bias_add", "conv2d", "conv2d_backprop_filter",
           "conv2d_backprop_input", "conv2d_transpose", "dropout", "elu", "embedding_lookup",
           "fused_batch_norm", "in_top_k", "l2_loss", "l2_normalize", "leaky_relu",
           "log_softmax", "max_pool", "moments", "relu",
           "relu6", "selu", "sigmoid", "sigmoid_cross_entropy_with_logits", "softmax",
           "softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2",
           "softplus", "softsign", "sparse_softmax_cross_entropy_with_logits", "tanh", "top_k"]


def softmax(logits, axis: int = -1, name=None, dim=None):
    """exp(logits) normalised along `axis` (default the last), stable for large logits."""
    return apply_op(Softmax(axis=dim if dim is not None else axis),
                    [convert_to_tensor(logits, dtype_hint=None)], name=name)


def log_softmax(logits, axis: int = -1, name=None, dim=None):
    return apply_op(LogSoftmax(axis=dim if dim is not None else axis),
                    [convert_to_tensor(logits)], name=name)


def _labels_logits(fn_name, labels, logits, _sentinel):
    if _sentinel is not None:
        raise ValueError(f"Only call `{fn_name}` with named arguments (labels=..., logits=...)")
    if labels is None or logits is None:
        raise ValueError(f"`{fn_name}` needs both labels= and logits=")
    logits = convert_to_tensor(logits)
    return convert_to_tensor(labels, dtype_hint=logits.dtype), logits


def softmax_cross_entropy_with_logits_v2(_sentinel=None, labels=None, logits=None, axis=-1,
                                         name=None, dim=None):
    """Per-example cross-entropy over the classes axis; gradients flow into labels too."""
    labels, logits = _labels_logits("softmax_cross_entropy_with_logits", labels, logits,
                                    _sentinel)
    axis = dim if dim is not None else axis
    if axis not in (-1, (logits.shape.rank or 0) - 1):
        raise ValueError("softmax_cross_entropy_with_logits supports only the last axis here; "
                         "transpose the classes axis last first")
    return apply_op(SoftmaxCrossEntropyWithLogits(), [labels, logits], name=name)


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1,
                                      name=None, axis=None):
    """TF1's v1: like v2 but the labels are treated as constants (no gradient into them)."""
    labels, logits = _labels_logits("softmax_cross_entropy_with_logits", labels, logits,
                                    _sentinel)
    return softmax_cross_entropy_with_logits_v2(labels=stop_gradient(labels), logits=logits,
                                                axis=axis if axis is not None else dim, name=name)


def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Elementwise logistic loss from logits: max(z,0) - z*y + log(1 + e^-|z|)."""
    labels, logits = _labels_logits("sigmoid_cross_entropy_with_logits", labels, logits,
                                    _sentinel)
    return apply_op(SigmoidCrossEntropyWithLogits(), [labels, logits], name=name)


def l2_loss(t, name=None):
    """sum(t ** 2) / 2."""
    return apply_op(L2Loss(), [convert_to_tensor(t)], name=name)


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True,
                     max_norm=None):
    """Rows of `params` at `ids` (a gather on axis 0); one table, or a list of one, as in TF1."""
    from graphflow.ops.gather import gather

    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise ValueError(f"embedding_lookup takes one table here, got a list of "
                             f"{len(params)} shards; concat them first")
        params = params[0]
    if max_norm is not None:
        raise ValueError("embedding_lookup(max_norm=...) is not supported by graphflow; clip the "
                         "looked-up rows with graphflow.clip_by_norm(..., axes=[-1])")
    return gather(params, ids, name=name or "embedding_lookup")


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x**2, axis), epsilon)), TF1's formula (`dim` is axis's old name)."""
    from graphflow.ops.elementwise import maximum, multiply, rsqrt, square
    from graphflow.ops.reduce import reduce_sum

    if axis is not None and dim is not None:
        raise ValueError("pass axis or its old name dim, not both")
    axis = dim if axis is None else axis
    x = convert_to_tensor(x)
    sq = reduce_sum(square(x), axis, keepdims=True)
    eps = convert_to_tensor(epsilon, dtype=x.dtype)
    return multiply(x, rsqrt(maximum(sq, eps)), name=name or "l2_normalize")


def __getattr__(name):
    raise missing_attribute(__name__, "tf.nn", name, NN_KNOWN_MISSING, globals())
