"""Sparse softmax cross-entropy, in_top_k and dropout.

Dropout is a composition, as in TF1: x / keep * floor(keep + U[0, 1)). The uniform draw is the
stateful RandomUniform op, so each run draws a new mask and TF1's seed rules apply; the mask's
gradient is simply mask / keep, and a `keep_prob` fed at run time (0.5 training, 1.0 eval) works.
"""

from __future__ import annotations

import numpy as np

from graphflow.core import dtypes
from graphflow.core.node import Tensor
from graphflow.core.site import argument_error
from graphflow.errors import GraphError, dtype_rule, shape_rule
from graphflow.ops.nn_geometry import merge_dim, raise_rule
from graphflow.ops.nn_ops import _log_softmax
from graphflow.ops.registry import Op, apply_op, register, spec


def _int_labels(labels, what="labels"):
    if not labels.dtype.is_integer:
        raise dtype_rule(f"{what} must be int32 or int64 class indices, not {labels.dtype.name}")


@register("SparseSoftmaxCrossEntropyWithLogits")
class SparseSoftmaxCrossEntropyWithLogits(Op):
    """-log_softmax(logits)[label] per example; labels are class indices, not one-hot rows."""

    fresh_output = True
    input_names = ("labels", "logits")

    def infer(self, labels, logits):
        _int_labels(labels)
        if not logits.dtype.is_floating:
            raise dtype_rule(f"logits must be floating-point, not {logits.dtype.name}")
        if logits.shape.rank == 0:
            raise shape_rule("logits must have at least one axis (the classes)")
        if logits.shape.rank is None:
            return spec(logits.dtype, labels.shape)
        if logits.shape[-1] == 0:
            raise shape_rule(f"Must have at least one class, but got logits shape {logits.shape}")
        batch = logits.shape[:-1]
        if not batch.is_compatible_with(labels.shape):
            raise shape_rule(f"labels of shape {labels.shape} must have the shape of logits "
                             f"{logits.shape} without its last axis")
        return spec(logits.dtype, batch.merge_with(labels.shape))

    def compute(self, labels, logits):
        if logits.ndim == 0 or labels.shape != logits.shape[:-1]:
            raise ValueError(f"labels of shape {labels.shape} must have the shape of logits "
                             f"{logits.shape} without its last axis")
        n = logits.shape[-1]
        if n == 0:
            raise ValueError(f"Must have at least one class, but got logits shape {logits.shape}")
        if labels.size and (labels.min() < 0 or labels.max() >= n):
            bad = labels[(labels < 0) | (labels >= n)].flat[0]
            raise ValueError(f"Received a label value of {bad} which is outside the valid "
                             f"range of [0, {n})")
        logp = _log_softmax(logits, -1)
        picked = np.take_along_axis(logp, labels[..., None].astype(np.intp), axis=-1)[..., 0]
        return np.asarray(-picked, dtype=logits.dtype)

    def gradient(self, node, dy):
        from graphflow.ops.array import expand_dims
        from graphflow.ops.gather import one_hot
        from graphflow.ops.nn_ops import Softmax

        labels, logits = node.inputs
        depth = logits.shape[-1] if logits.shape.rank is not None else None
        if depth is None:
            raise GraphError("sparse_softmax_cross_entropy_with_logits gradients need the "
                             f"number of classes known; logits have shape {logits.shape}")
        probs = apply_op(Softmax(axis=-1), [logits])
        return [None, expand_dims(dy, -1) * (probs - one_hot(labels, depth,
                                                              dtype=logits.dtype))]

    @staticmethod
    def examples(s):
        return s.nn.sparse_xent_example(s)


@register("InTopK")
class InTopK(Op):
    """Whether each target's prediction is among the row's k largest (ties count as in)."""

    fresh_output = True
    attrs = {"k": 1}
    input_names = ("predictions", "targets")
    not_differentiable = True

    def infer(self, preds, targets):
        k = self.k
        if not isinstance(k, (int, np.integer)) or isinstance(k, bool):
            raise_rule(f"k must be an integer, got {k!r}")
        if not preds.dtype.is_floating:
            raise dtype_rule(f"predictions must be floating-point, not {preds.dtype.name}")
        _int_labels(targets, "targets")
        if preds.shape.rank not in (None, 2) or targets.shape.rank not in (None, 1):
            raise shape_rule(f"predictions must be 2-D and targets 1-D, got {preds.shape} and "
                             f"{targets.shape}")
        n = merge_dim(preds.shape[0] if preds.shape.rank else None,
                      targets.shape[0] if targets.shape.rank else None, "batch sizes")
        return spec(dtypes.bool_, [n])

    def compute(self, preds, targets):
        if preds.ndim != 2 or targets.shape != preds.shape[:1]:
            raise ValueError(f"predictions must be 2-D and targets 1-D of the same length, got "
                             f"{preds.shape} and {targets.shape}")
        n_classes = preds.shape[1]
        valid = (targets >= 0) & (targets < n_classes)
        t = np.clip(targets, 0, max(n_classes - 1, 0)).astype(np.intp)
        if n_classes == 0:
            return np.zeros(preds.shape[0], dtype=bool)
        target_p = np.take_along_axis(preds, t[:, None], axis=1)
        higher = np.sum(preds > target_p, axis=1)
        ok = valid & np.isfinite(target_p[:, 0]) & np.all(np.isfinite(preds), axis=1)
        return ok & (higher < self.k)

    @staticmethod
    def examples(s):
        return s.nn.in_top_k_example(s)


# --- public functions ---------------------------------------------------------------------------
def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Per-example cross-entropy with integer class labels; stable for any logits.

    Args:
        labels: An int32 or int64 tensor of class indices, shaped like logits without the last
            axis.
        logits: A floating `[..., classes]` tensor of unnormalised log-probabilities.
        name: A name for the op.

    Returns:
        A Tensor of labels' shape: -log(softmax(logits)[label]) per example.

    Examples:
        >>> loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1], logits=[[2., 2.]])
        >>> with tf.Session() as sess:
        ...     print(sess.run(loss))
        [0.6931]
    """
    from graphflow.ops.constant import convert_to_tensor

    if labels is None or logits is None:
        raise argument_error("sparse_softmax_cross_entropy_with_logits",
                             "sparse_softmax_cross_entropy_with_logits needs both labels= and "
                             "logits=")
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels, dtype_hint=dtypes.int32)
    return apply_op(SparseSoftmaxCrossEntropyWithLogits(), [labels, logits],
                    name=name or "SparseSoftmaxCrossEntropyWithLogits")


def in_top_k(predictions, targets, k, name=None):
    """bool per row: is predictions[i, targets[i]] among the k largest of row i.

    Args:
        predictions: A `[batch, classes]` float tensor.
        targets: A `[batch]` int32 or int64 tensor of class indices.
        k: How many of the largest to accept.
        name: A name for the op.

    Returns:
        A `[batch]` bool Tensor.

    Examples:
        >>> hit = tf.nn.in_top_k([[0.1, 0.9], [0.8, 0.2]], [1, 1], 1)
        >>> with tf.Session() as sess:
        ...     print(sess.run(hit))
        [ True False]
    """
    from graphflow.ops.constant import convert_to_tensor

    k = int(k) if isinstance(k, (int, np.integer)) and not isinstance(k, bool) else k
    return apply_op(InTopK(k=k), [convert_to_tensor(predictions),
                                       convert_to_tensor(targets, dtype_hint=dtypes.int32)],
                    name=name or "InTopK")


def _constant_value(t):
    if isinstance(t, Tensor):
        return t.op.get_attr("value") if t.op.type == "Const" else None
    return t


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """x / keep_prob * mask, mask entries 1 with probability keep_prob; a new mask every run.

    `rate` (Keras / TF2 style) is the drop probability, 1 - keep_prob. keep_prob may be a
    float or a tensor (e.g. a placeholder fed 0.5 to train and 1.0 to evaluate).

    Args:
        x: A floating tensor.
        keep_prob: The probability of keeping each entry (give it or `rate`).
        noise_shape: The mask's shape, broadcast to x's (e.g. `[batch, 1]` drops whole rows).
        seed: The op seed.
        name: A name for the ops' scope.
        rate: The probability of dropping each entry.

    Returns:
        A Tensor of x's shape: kept entries scaled by 1 / keep_prob, the others 0.

    Examples:
        >>> y = tf.nn.dropout(tf.ones([6]), rate=0.5, seed=1)
        >>> with tf.Session() as sess:
        ...     print(sorted(set(sess.run(y).tolist())))
        [0.0, 2.0]
    """
    from graphflow.core.graph import get_default_graph
    from graphflow.ops.constant import convert_to_tensor
    from graphflow.ops.elementwise import floor
    from graphflow.ops.random import random_uniform
    from graphflow.ops.shape_ops import shape

    if (keep_prob is None) == (rate is None):
        raise argument_error("dropout", "dropout takes exactly one of keep_prob and rate")
    with get_default_graph().name_scope(name or "dropout"):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.is_floating:
            raise argument_error("dropout", f"x has to be a floating point tensor since it's "
                                            f"going to be scaled. Got a {x.dtype.name} tensor "
                                            "instead.")
        if rate is not None:
            fixed = _constant_value(rate)
            keep_prob = 1 - fixed if fixed is not None else 1 - convert_to_tensor(
                rate, dtype_hint=x.dtype)
        fixed = _constant_value(keep_prob)
        if fixed is not None:
            value = float(np.asarray(fixed))
            if not 0 < value <= 1:
                raise argument_error("dropout", "keep_prob must be a scalar tensor or a float "
                                                f"in the range (0, 1], got {value}")
            if value == 1:
                return x
        keep = convert_to_tensor(keep_prob, dtype=x.dtype, name="keep_prob")
        if keep.shape.rank not in (None, 0):
            raise argument_error("dropout", f"keep_prob (or rate) must be a scalar: Shape "
                                            f"{keep.shape} must have rank 0")
        if noise_shape is None:
            noise_shape = x.shape.as_list() if x.shape.is_fully_defined() else shape(x)
        noise = random_uniform(noise_shape, dtype=x.dtype, seed=seed)
        mask = floor(keep + noise)
        out = x / keep * mask
        out.set_shape(x.shape)  # TF1: a keep_prob of unknown shape keeps x's static shape
        return out
