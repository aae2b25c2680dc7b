"""`nce_loss` and `sampled_softmax_loss`: losses over the true classes and a few sampled ones,
built from primitives exactly as TF1's nn_impl.py builds them (`_compute_sampled_logits`).

The logits of the true classes and of the sampled classes get their log expected counts
subtracted (log Q); with `remove_accidental_hits`, a sampled class that is one of a row's true
classes gets -FLT_MAX added to its logit in that row, at its last position among the samples
(TF1's compute_accidental_hits + sparse_to_dense, here one dense comparison). Gradients reach
weights and biases through gathers, so they are dense tensors here, not TF1's IndexedSlices.
"""

from __future__ import annotations

import numpy as np

from graphflow.core import dtypes
from graphflow.core.graph import get_default_graph
from graphflow.core.site import argument_error
from graphflow.ops.array import expand_dims, reshape
from graphflow.ops.candidate_sampling import FLT_MAX, log_uniform_candidate_sampler
from graphflow.ops.cast import cast
from graphflow.ops.constant import constant, convert_to_tensor
from graphflow.ops.elementwise import equal, log, logical_and, logical_not
from graphflow.ops.gather import gather
from graphflow.ops.joining import concat, stack
from graphflow.ops.matmul import matmul
from graphflow.ops.nn_ops import SigmoidCrossEntropyWithLogits, SoftmaxCrossEntropyWithLogits
from graphflow.ops.reduce import reduce_any, reduce_sum
from graphflow.ops.registry import apply_op
from graphflow.ops.shape_ops import ones_like, zeros_like
from graphflow.ops.shape_ops import shape as shape_of
from graphflow.ops.state import stop_gradient


def _table(params, caller: str, what: str, partition_strategy: str):
    """One table of `what` (a list of one is accepted, as embedding_lookup does)."""
    if partition_strategy not in ("mod", "div"):
        raise argument_error(caller, f"partition_strategy must be 'mod' or 'div', got "
                             f"{partition_strategy!r}", cls=ValueError)
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise argument_error(caller, f"graphflow takes one {what} table, got a list of "
                                 f"{len(params)} shards; concat them first", cls=ValueError)
        params = params[0]
    return convert_to_tensor(params)


def _accidental_hits_mask(labels, sampled, num_sampled: int):
    """[batch, num_sampled] bool: sampled[j] is a true class of the row, and j is the last
    position of that class among the samples."""
    hit = reduce_any(equal(expand_dims(labels, 2), reshape(sampled, [1, 1, -1])), axis=1)
    later = np.triu(np.ones((num_sampled, num_sampled), dtype=bool), k=1)  # k > j
    repeated = logical_and(equal(expand_dims(sampled, 1), expand_dims(sampled, 0)),
                           constant(later))
    return logical_and(hit, logical_not(reduce_any(repeated, axis=1)))


def compute_sampled_logits(weights, biases, labels, inputs, num_sampled: int, num_classes: int,
                           num_true: int = 1, sampled_values=None, subtract_log_q: bool = True,
                           remove_accidental_hits: bool = False, partition_strategy="mod",
                           name=None, seed=None, caller="compute_sampled_logits"):
    """(logits [batch, num_true + num_sampled], labels of the same shape): the true classes in
    the first num_true columns, each labelled 1 / num_true, then the sampled classes."""
    weights = _table(weights, caller, "weights", partition_strategy)
    biases = _table(biases, caller, "biases", partition_strategy)
    with get_default_graph().name_scope(name or "compute_sampled_logits"):
        inputs = convert_to_tensor(inputs)
        labels = convert_to_tensor(labels, dtype_hint=dtypes.int64)
        if labels.dtype is not dtypes.int64:
            labels = cast(labels, dtypes.int64)
        if labels.shape.rank not in (None, 2) or inputs.shape.rank not in (None, 2):
            raise argument_error(caller, f"labels must be [batch_size, num_true] and inputs "
                                 f"[batch_size, dim], got {labels.describe()} and "
                                 f"{inputs.describe()}")
        labels_flat = reshape(labels, [-1])
        if sampled_values is None:
            sampled_values = log_uniform_candidate_sampler(labels, num_true, num_sampled, True,
                                                           num_classes, seed=seed)
        sampled, true_expected, sampled_expected = (stop_gradient(convert_to_tensor(v))
                                                    for v in sampled_values)
        sampled = cast(sampled, dtypes.int64) if sampled.dtype is not dtypes.int64 else sampled
        if sampled.shape.rank == 1 and sampled.shape[0] not in (None, num_sampled):
            raise argument_error(caller, f"sampled_values holds {sampled.shape[0]} candidates "
                                 f"but num_sampled is {num_sampled}")
        # the sampler's counts are float32; TF1 fails for float64 inputs, graphflow casts them
        true_expected, sampled_expected = (
            t if t.dtype is inputs.dtype else cast(t, inputs.dtype)
            for t in (true_expected, sampled_expected))

        true_w, sampled_w = gather(weights, labels_flat), gather(weights, sampled)
        true_b, sampled_b = gather(biases, labels_flat), gather(biases, sampled)
        true_w, sampled_w, true_b, sampled_b = (
            t if t.dtype is inputs.dtype else cast(t, inputs.dtype)
            for t in (true_w, sampled_w, true_b, sampled_b))
        sampled_logits = matmul(inputs, sampled_w, transpose_b=True) + sampled_b
        dim = inputs.shape[1] if inputs.shape.rank == 2 else None
        true_w = reshape(true_w, [-1, num_true, dim] if dim is not None else
                         stack([-1, num_true, shape_of(true_w)[1]]))
        true_logits = reduce_sum(expand_dims(inputs, 1) * true_w, axis=2)
        true_logits = true_logits + reshape(true_b, [-1, num_true])

        if remove_accidental_hits:
            mask = _accidental_hits_mask(labels, sampled, num_sampled)
            sampled_logits = sampled_logits + cast(mask, inputs.dtype) * -FLT_MAX
        if subtract_log_q:
            true_logits = true_logits - log(true_expected)
            sampled_logits = sampled_logits - log(sampled_expected)
        out_logits = concat([true_logits, sampled_logits], 1)
        out_labels = concat([ones_like(true_logits) / float(num_true),
                             zeros_like(sampled_logits)], 1)
        return out_logits, out_labels


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
             sampled_values=None, remove_accidental_hits=False, partition_strategy="mod",
             name="nce_loss"):
    """Noise-contrastive estimation loss per example [batch]: logistic losses of the true
    classes (label 1 / num_true) and of `num_sampled` classes from the sampler (label 0).

    weights [num_classes, dim], biases [num_classes], labels int [batch, num_true], inputs
    [batch, dim]; `sampled_values` is a sampler's triple (log-uniform, unique, by default).

    Args:
        weights: The `[num_classes, dim]` output embeddings (a tensor, variable, or a list of one).
        biases: The `[num_classes]` output biases.
        labels: `[batch, num_true]` int64 true class ids.
        inputs: The `[batch, dim]` activations.
        num_sampled: How many classes to sample per batch.
        num_classes: The number of classes.
        num_true: The number of true classes per example.
        sampled_values: A candidate sampler's triple (default: log-uniform, unique).
        remove_accidental_hits: Drop sampled classes that are true classes of the example.
        partition_strategy: TF1's sharding rule; with one table it changes nothing.
        name: The name scope of the ops.

    Returns:
        A `[batch]` float32 Tensor of losses (average it for training).

    Examples:
        >>> weights, biases = tf.ones([10, 4]), tf.zeros([10])
        >>> labels = tf.constant([[1], [3]], dtype=tf.int64)
        >>> loss = tf.nn.nce_loss(weights, biases, labels, tf.ones([2, 4]), num_sampled=3,
        ...                       num_classes=10)
        >>> print(loss.shape)
        (2,)
    """
    logits, targets = compute_sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
        subtract_log_q=True, remove_accidental_hits=remove_accidental_hits,
        partition_strategy=partition_strategy, name=name, caller="nce_loss")
    with get_default_graph().name_scope(name):
        losses = apply_op(SigmoidCrossEntropyWithLogits(), [targets, logits],
                          name="sampled_losses")
        return reduce_sum(losses, axis=1)


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                         sampled_values=None, remove_accidental_hits=True,
                         partition_strategy="mod", name="sampled_softmax_loss", seed=None):
    """Softmax cross-entropy per example [batch] over the true classes and `num_sampled`
    sampled ones, a cheap estimate of the full softmax loss for training (not evaluation).

    Args:
        weights: The `[num_classes, dim]` output embeddings (a tensor, variable, or a list of one).
        biases: The `[num_classes]` output biases.
        labels: `[batch, num_true]` int64 true class ids.
        inputs: The `[batch, dim]` activations.
        num_sampled: How many classes to sample per batch.
        num_classes: The number of classes.
        num_true: The number of true classes per example.
        sampled_values: A candidate sampler's triple (default: log-uniform, unique).
        remove_accidental_hits: Drop sampled classes that are true classes of the example.
        partition_strategy: TF1's sharding rule; with one table it changes nothing.
        name: The name scope of the ops.
        seed: The sampler's op seed.

    Returns:
        A `[batch]` float32 Tensor of losses.

    Examples:
        >>> weights, biases = tf.ones([10, 4]), tf.zeros([10])
        >>> labels = tf.constant([[1], [3]], dtype=tf.int64)
        >>> loss = tf.nn.sampled_softmax_loss(weights, biases, labels, tf.ones([2, 4]),
        ...                                   num_sampled=3, num_classes=10)
        >>> print(loss.shape, loss.dtype)
        (2,) float32
    """
    logits, targets = compute_sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
        subtract_log_q=True, remove_accidental_hits=remove_accidental_hits,
        partition_strategy=partition_strategy, name=name, seed=seed,
        caller="sampled_softmax_loss")
    with get_default_graph().name_scope(name):
        targets = stop_gradient(targets, name="labels_stop_gradient")
        return apply_op(SoftmaxCrossEntropyWithLogits(), [targets, logits],
                        name="softmax_cross_entropy_with_logits")
