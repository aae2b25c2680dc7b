"""`graphflow.nn`: activations and losses under TF1's `tf.nn` names."""

from __future__ import annotations

from graphflow.compat.missing import NN_KNOWN_MISSING, missing_attribute
from graphflow.core.site import argument_error
from graphflow.nn import rnn_cell
from graphflow.nn.rnn import (
    bidirectional_dynamic_rnn,
    dynamic_rnn,
    raw_rnn,
    static_bidirectional_rnn,
    static_rnn,
)
from graphflow.nn.sampled_losses import nce_loss, sampled_softmax_loss
from graphflow.ops.candidate_sampling import (
    all_candidate_sampler,
    compute_accidental_hits,
    learned_unigram_candidate_sampler,
    log_uniform_candidate_sampler,
    uniform_candidate_sampler,
)
from graphflow.ops.cast import cast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.elementwise import relu as _relu
from graphflow.ops.elementwise import sigmoid, tanh
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

__all__ = ["all_candidate_sampler", "avg_pool", "batch_normalization", "bias_add",
           "compute_accidental_hits",
           "learned_unigram_candidate_sampler", "log_uniform_candidate_sampler", "nce_loss",
           "sampled_softmax_loss",
           "uniform_candidate_sampler", "conv2d", "conv2d_backprop_filter",
           "conv2d_backprop_input", "conv2d_transpose", "dropout", "elu", "embedding_lookup",
           "fused_batch_norm", "in_top_k", "l2_loss", "l2_normalize", "leaky_relu",
           "log_softmax", "max_pool", "moments", "relu",
           "relu6", "selu", "sigmoid", "sigmoid_cross_entropy_with_logits", "softmax",
           "softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2",
           "softplus", "softsign", "sparse_softmax_cross_entropy_with_logits", "tanh", "top_k",
           "bidirectional_dynamic_rnn", "dynamic_rnn", "raw_rnn", "rnn_cell",
           "static_bidirectional_rnn", "static_rnn"]


def relu(features, name=None):
    """max(features, 0) elementwise; its gradient at 0 is 0, as in TF1.

    Args:
        features: A numeric tensor.
        name: A name for the op.

    Returns:
        A Tensor of features' shape and dtype.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.nn.relu([-1., 2.])))
        [0. 2.]
    """
    return _relu(features, name=name)


def _softmax_axis(axis, dim) -> int:
    axis = dim if axis is None else axis
    return -1 if axis is None else axis


def softmax(logits, axis=None, name=None, dim=None):
    """exp(logits) normalised along `axis` (default the last), stable for large logits.

    Args:
        logits: A floating tensor.
        axis: The classes axis (default -1).
        name: A name for the op.
        dim: TF1's deprecated name for `axis`.

    Returns:
        A Tensor of logits' shape whose entries along `axis` sum to 1.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.nn.softmax([[1., 2., 3.]])))
        [[0.09   0.2447 0.6652]]
    """
    return apply_op(Softmax(axis=_softmax_axis(axis, dim)),
                    [convert_to_tensor(logits, dtype_hint=None)], name=name)


def log_softmax(logits, axis=None, name=None, dim=None):
    """logits - logsumexp(logits) along `axis` (default the last).

    Args:
        logits: A floating tensor.
        axis: The classes axis (default -1).
        name: A name for the op.
        dim: TF1's deprecated name for `axis`.

    Returns:
        A Tensor of logits' shape: the log-probabilities.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.nn.log_softmax([1., 2., 3.])))
        [-2.4076 -1.4076 -0.4076]
    """
    return apply_op(LogSoftmax(axis=_softmax_axis(axis, dim)),
                    [convert_to_tensor(logits)], name=name)


def _labels_logits(fn_name, labels, logits, cast_labels=False):
    if labels is None or logits is None:
        raise argument_error(fn_name, f"{fn_name} needs both labels= and logits=")
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels, dtype_hint=logits.dtype)
    if cast_labels and labels.dtype is not logits.dtype and logits.dtype.is_floating:
        labels = cast(labels, logits.dtype)  # TF1 casts softmax labels (e.g. int one-hots)
    return labels, logits


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None, dim=None):
    """Per-example cross-entropy over the classes axis; gradients flow into labels too.

    Args:
        labels: A distribution over the classes per example (one-hot or soft), shaped like
            logits; integer labels are cast to logits' dtype.
        logits: A floating `[..., classes]` tensor of unnormalised log-probabilities.
        axis: The classes axis; only the last is supported.
        name: A name for the op.
        dim: TF1's deprecated name for `axis`.

    Returns:
        A Tensor of logits' shape without the classes axis: -sum(labels * log_softmax(logits)).

    Examples:
        >>> loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=[[0., 1.]], logits=[[2., 2.]])
        >>> with tf.Session() as sess:
        ...     print(sess.run(loss))
        [0.6931]
    """
    labels, logits = _labels_logits("softmax_cross_entropy_with_logits_v2", labels, logits,
                                    cast_labels=True)
    axis = dim if axis is None else axis
    axis = -1 if axis is None else axis
    if axis not in (-1, (logits.shape.rank or 0) - 1):
        raise argument_error("softmax_cross_entropy_with_logits",
                             "only the last axis is supported as the classes axis; transpose "
                             "the classes axis last first")
    return apply_op(SoftmaxCrossEntropyWithLogits(), [labels, logits], name=name)


def softmax_cross_entropy_with_logits(labels=None, logits=None, dim=-1, name=None, axis=None):
    """TF1's v1: like v2 but the labels are treated as constants (no gradient into them).

    Args:
        labels: A distribution over the classes per example, shaped like logits.
        logits: A floating `[..., classes]` tensor of unnormalised log-probabilities.
        dim: The classes axis (only the last is supported).
        name: A name for the op.
        axis: TF2's name for `dim`.

    Returns:
        A Tensor of logits' shape without the classes axis.

    Examples:
        >>> loss = tf.nn.softmax_cross_entropy_with_logits(labels=[[1., 0.]], logits=[[3., 1.]])
        >>> with tf.Session() as sess:
        ...     print(sess.run(loss))
        [0.1269]
    """
    labels, logits = _labels_logits("softmax_cross_entropy_with_logits", labels, logits,
                                    cast_labels=True)
    return softmax_cross_entropy_with_logits_v2(labels=stop_gradient(labels), logits=logits,
                                                axis=axis if axis is not None else dim, name=name)


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Elementwise logistic loss from logits: max(z,0) - z*y + log(1 + e^-|z|).

    Args:
        labels: Floating targets in [0, 1], of logits' shape and dtype (integers raise a
            TypeError, as in TF1).
        logits: A floating tensor z.
        name: A name for the op.

    Returns:
        A Tensor of logits' shape.

    Examples:
        >>> loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=[1., 0.], logits=[0., 0.])
        >>> with tf.Session() as sess:
        ...     print(sess.run(loss))
        [0.6931 0.6931]
    """
    labels, logits = _labels_logits("sigmoid_cross_entropy_with_logits", labels, logits)
    return apply_op(SigmoidCrossEntropyWithLogits(), [labels, logits], name=name)


def l2_loss(t, name=None):
    """sum(t ** 2) / 2, the usual weight-decay term.

    Args:
        t: A floating tensor.
        name: A name for the op.

    Returns:
        A scalar Tensor.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.nn.l2_loss([1., 2., 3.])))
        7.0
    """
    return apply_op(L2Loss(), [convert_to_tensor(t)], name=name)


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True,
                     max_norm=None):
    """Rows of `params` at `ids` (a gather on axis 0); one table, or a list of one, as in TF1.

    Args:
        params: The embedding table, `[vocabulary, dims]` (a tensor or variable), or a list
            holding it; a list of several shards raises.
        ids: An integer tensor of row indices.
        partition_strategy: TF1's sharding rule; with one table it changes nothing.
        name: A name for the op.
        validate_indices: TF1's flag; indices are always checked.
        max_norm: Not supported (raises unless None); clip the rows with `clip_by_norm`.

    Returns:
        A Tensor of shape `ids.shape + [dims]`.

    Examples:
        >>> table = tf.constant([[1., 2.], [3., 4.], [5., 6.]])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.nn.embedding_lookup(table, [2, 0])))
        [[5. 6.]
         [1. 2.]]
    """
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
    """x / sqrt(max(sum(x**2, axis), epsilon)), TF1's formula (`dim` is axis's old name).

    Args:
        x: A floating tensor.
        axis: The axes to normalise over (None: all).
        epsilon: The floor under the squared norm.
        name: A name for the op.
        dim: TF1's deprecated name for `axis`.

    Returns:
        A Tensor of x's shape with unit L2 norm over `axis`.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.nn.l2_normalize([3., 4.])))
        [0.6 0.8]
    """
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
