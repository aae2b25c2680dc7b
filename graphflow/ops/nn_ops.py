"""Softmax, log-softmax and the losses the course material trains with, stable for any logits.

These are single ops (not compositions) because their exact gradients (softmax - labels,
sigmoid - labels) are both simpler and better conditioned than what autodiff of the formula gives,
notably at logits of exactly 0 where |z| and max(z, 0) have kinks.
"""

from __future__ import annotations

import numpy as np

from graphflow.core.shape import TensorShape
from graphflow.errors import dtype_rule, shape_rule
from graphflow.ops.nn_geometry import raise_runtime
from graphflow.ops.registry import Op, apply_op, register, spec


def _axis(axis: int, rank) -> int:
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise shape_rule(f"axis must be an integer, got {axis!r}")
    if rank is None:
        return axis
    if not -rank <= axis < rank:
        raise shape_rule(f"axis {axis} is out of range for rank {rank}")
    return axis % rank


def _log_softmax(x, axis):
    if x.size == 0:  # an empty axis (or batch) gives an empty result, as in TF1
        return np.empty_like(x)
    m = np.max(x, axis=axis, keepdims=True)
    z = x - m
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def _reduce_sum(x, axis, keepdims):
    from graphflow.ops.reduce import reduce_sum

    return reduce_sum(x, axis=axis, keepdims=keepdims)


def _float_same(logits, labels=None):
    if not logits.dtype.is_floating:
        raise dtype_rule(f"logits must be floating-point, not {logits.dtype.name}")
    if labels is not None:
        if labels.dtype is not logits.dtype:
            raise dtype_rule(f"labels are {labels.dtype.name} but logits are "
                             f"{logits.dtype.name}; cast the labels")
        if not labels.shape.is_compatible_with(logits.shape):
            raise shape_rule(f"labels of shape {labels.shape} and logits of shape "
                             f"{logits.shape} must have the same shape")


def _same_shape(grads, labels, logits):
    """The gradients with the static shape labels and logits share (they must be equal at run
    time), which broadcasting against a tensor of unknown rank would lose."""
    shape = logits.shape.merge_with(labels.shape)
    for g in grads:
        g.set_shape(shape)
    return grads


def xent_problem(labels_shape, logits_shape) -> str | None:
    """What stops a softmax cross-entropy from running on these shapes (every executor)."""
    if len(logits_shape) == 0 or tuple(labels_shape) != tuple(logits_shape):
        return (f"labels of shape {tuple(labels_shape)} and logits of shape "
                f"{tuple(logits_shape)} must have the same shape, with a class axis")
    if logits_shape[-1] == 0:
        return f"Must have at least one class, but got logits shape {tuple(logits_shape)}"
    return None


class _AlongAxis(Op):
    """Shared by Softmax and LogSoftmax: a float tensor normalised along `axis`, same shape."""

    attrs = {"axis": -1}
    input_names = ("logits",)

    def infer(self, x):
        _float_same(x)
        _axis(self.axis, x.shape.rank)
        return spec(x.dtype, x.shape)

    @staticmethod
    def examples(s):
        return s.unary_example("float", shape=s.shapes(min_rank=1), attrs={"axis": -1})


@register("Softmax")
class Softmax(_AlongAxis):
    """exp(x - max) / sum(exp(x - max)) along `axis`."""

    fresh_output = True
    def compute(self, x):
        return np.asarray(np.exp(_log_softmax(x, self.axis)), dtype=x.dtype)

    def gradient(self, node, dy):
        y = node.outputs[0]
        return [y * (dy - _reduce_sum(dy * y, self.axis, True))]


@register("LogSoftmax")
class LogSoftmax(_AlongAxis):
    """x - logsumexp(x) along `axis`, without overflow."""

    fresh_output = True
    def compute(self, x):
        return np.asarray(_log_softmax(x, self.axis), dtype=x.dtype)

    def gradient(self, node, dy):
        from graphflow.ops.elementwise import exp

        return [dy - exp(node.outputs[0]) * _reduce_sum(dy, self.axis, True)]


@register("SoftmaxCrossEntropyWithLogits")
class SoftmaxCrossEntropyWithLogits(Op):
    """Per-example -sum(labels * log_softmax(logits)) over the last axis."""

    fresh_output = True
    input_names = ("labels", "logits")

    def infer(self, labels, logits):
        _float_same(logits, labels)
        if logits.shape.rank == 0:
            raise shape_rule("logits must have at least one axis (the classes)")
        if logits.shape.rank is not None and logits.shape[-1] == 0:
            raise shape_rule(f"Must have at least one class, but got logits shape {logits.shape}")
        shape = logits.shape.merge_with(labels.shape)
        return spec(logits.dtype, shape[:-1] if shape.rank is not None else TensorShape(None))

    def compute(self, labels, logits):
        raise_runtime(xent_problem(labels.shape, logits.shape))
        return np.asarray(-np.sum(labels * _log_softmax(logits, -1), axis=-1), dtype=logits.dtype)

    def gradient(self, node, dy):
        from graphflow.ops.array import expand_dims
        from graphflow.ops.elementwise import exp

        labels, logits = node.inputs
        g = expand_dims(dy, -1)
        log_p = apply_op(LogSoftmax(axis=-1), [logits])
        return _same_shape([-g * log_p, g * (exp(log_p) - labels)], labels, logits)

    @staticmethod
    def examples(s):
        return s.labels_logits_example()


@register("SigmoidCrossEntropyWithLogits")
class SigmoidCrossEntropyWithLogits(Op):
    """max(z, 0) - z*y + log(1 + exp(-|z|)) elementwise; gradient sigmoid(z) - y."""

    fresh_output = True
    input_names = ("labels", "logits")
    elementwise = True
    scalar = "(y < (T)0 ? (T)0 : y) - y * x + M_LOG1P(M_EXP(-M_FABS(y)))"  # labels x, logits y
    scalar_cost = 8

    def infer(self, labels, logits):
        _float_same(logits, labels)
        return spec(logits.dtype, logits.shape.merge_with(labels.shape))

    def compute(self, labels, logits):
        z = logits
        return np.asarray(np.maximum(z, 0) - z * labels + np.log1p(np.exp(-np.abs(z))),
                          dtype=z.dtype)

    def gradient(self, node, dy):
        from graphflow.ops.elementwise import sigmoid

        labels, logits = node.inputs
        return _same_shape([-dy * logits, dy * (sigmoid(logits) - labels)], labels, logits)

    @staticmethod
    def examples(s):
        return s.labels_logits_example(probabilities=True)


@register("L2Loss")
class L2Loss(Op):
    """sum(w ** 2) / 2, the weight-decay term of TF1 (`tf.nn.l2_loss`)."""

    fresh_output = True
    input_names = ("t",)

    def infer(self, t):
        _float_same(t)
        return spec(t.dtype, [])

    def compute(self, t):
        return np.asarray(np.sum(np.square(t)) / 2, dtype=t.dtype)

    def gradient(self, node, dy):
        return [node.inputs[0] * dy]

    @staticmethod
    def examples(s):
        return s.unary_example("float")
