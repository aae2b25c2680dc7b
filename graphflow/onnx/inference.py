"""The inference graph inside a training graph: what an export replaces before it converts.

A model built for training carries dropout (a random mask) and `training` switches. Exported,
it should compute what `sess.run` computes when nothing but the inputs is fed: each
`placeholder_with_default` takes its default. From those defaults this view decides, at export
time, which way a `tf.where(training, ...)` goes (the other branch is not exported) and whether
a dropout is off (keep_prob 1: its mask is exactly 1, since floor(1 + U[0, 1)) = 1). A dropout
that would drop (keep_prob below 1, or fed as an input of the export) cannot be an inference
model and is refused, naming the dropout and its line.
"""

from __future__ import annotations

import numpy as np

from graphflow.core.node import Tensor
from graphflow.onnx.errors import UnsupportedOpError

# Ops whose value this view computes when their inputs are known at export time.
_PASS_THROUGH = ("Identity", "StopGradient", "PlaceholderWithDefault")
_ARITHMETIC = {"Add": np.add, "AddV2": np.add, "Sub": np.subtract, "Mul": np.multiply,
               "RealDiv": np.divide, "Neg": np.negative, "LogicalNot": np.logical_not}
_NOISE_STEPS = ("Add", "AddV2", "Mul", "Sub")  # random_uniform's scale and shift
_NOT_DECIDED = object()


class InferenceView:
    """Replacements for the tensors an inference export does not compute as built."""

    def __init__(self, inputs):
        self._inputs = set(inputs)
        self._static: dict[Tensor, object] = {}

    def resolve(self, t: Tensor):
        """The tensor to export in place of `t` (often `t`), or a NumPy value to store."""
        seen = 0
        while isinstance(t, Tensor) and t not in self._inputs:
            replacement = self._replacement(t)
            if replacement is None:
                return t
            t, seen = replacement, seen + 1
            if seen > 10_000:  # a replacement always moves towards the graph's sources
                raise RuntimeError(f"ONNX export: replacing {t.describe()} does not end")
        return t

    def static_value(self, t: Tensor):
        """`t`'s value when nothing but the export's inputs is fed, if known without running
        the graph (constants, defaults, and scalar arithmetic on them); else None."""
        if t not in self._static:
            self._static[t] = self._compute_static(t)
        value = self._static[t]
        return None if value is _NOT_DECIDED else value

    def _compute_static(self, t: Tensor):
        if t in self._inputs:
            return _NOT_DECIDED
        op = t.op
        if op.type == "Const":
            return np.asarray(op.get_attr("value"), dtype=op.get_attr("dtype").np)
        if op.type in _PASS_THROUGH:
            value = self.static_value(op.inputs[0])
        elif op.type == "Cast":
            value = self.static_value(op.inputs[0])
            value = None if value is None else value.astype(t.dtype.np)
        elif op.type in _ARITHMETIC:
            args = [self.static_value(i) for i in op.inputs]
            value = None if any(a is None for a in args) \
                else np.asarray(_ARITHMETIC[op.type](*args), dtype=t.dtype.np)
        else:
            value = None
        return _NOT_DECIDED if value is None else value

    def _replacement(self, t: Tensor):
        op = t.op
        if op.type in ("Select", "SelectV2"):
            condition = self.static_value(op.inputs[0])
            _, yes, no = op.inputs
            # only where either branch has the result's shape (no broadcasting to undo)
            same = yes.dtype == no.dtype and yes.shape.as_list() == no.shape.as_list() \
                if yes.shape.rank is not None and no.shape.rank is not None else False
            if condition is not None and condition.ndim == 0 and same:
                return yes if bool(condition) else no
        if op.type == "Floor" and _is_dropout_mask(op):
            return self._dropout_mask(op)
        return None

    def _dropout_mask(self, floor):
        """floor(keep_prob + noise): exactly 1 when keep_prob is 1, else not an inference."""
        add = floor.inputs[0].op
        keep = next(i for i in add.inputs if not _is_uniform_noise(i))
        value = self.static_value(keep)
        scope = floor.name.rpartition("/")[0] or floor.name
        where = f"'{scope}' ({floor.describe()})"
        if value is None:
            raise UnsupportedOpError(
                f"ONNX export cannot decide whether the dropout {where} is on: its keep_prob "
                f"{keep.describe()} is an input of the export (or computed from one). Export "
                "the inference graph: make keep_prob a tf.placeholder_with_default(1.0, []) "
                "(or tf.layers.dropout's training a tf.placeholder_with_default(False, [])) and "
                "leave it out of the export's inputs")
        if np.any(value != 1):
            raise UnsupportedOpError(
                f"ONNX export cannot convert the dropout {where}: its keep_prob is "
                f"{np.asarray(value).tolist()} when only the export's inputs are fed, so it "
                "drops values at random, as in training. Export the inference graph: feed "
                "keep_prob through a tf.placeholder_with_default(1.0, []) (tf.layers.dropout: "
                "training=False, or a placeholder_with_default(False, []))")
        return np.ones((), dtype=floor.outputs[0].dtype.np)


def _is_uniform_noise(t: Tensor, depth: int = 3) -> bool:
    """Whether `t` is a RandomUniform, possibly scaled and shifted (random_uniform's min/max)."""
    op = t.op
    if op.type == "RandomUniform":
        return True
    return depth > 0 and op.type in _NOISE_STEPS and any(
        _is_uniform_noise(i, depth - 1) for i in op.inputs)


def _is_dropout_mask(floor) -> bool:
    """tf.nn.dropout's mask: Floor(keep_prob + uniform noise)."""
    add = floor.inputs[0].op
    return add.type in ("Add", "AddV2") and len(add.inputs) == 2 and \
        sum(_is_uniform_noise(i) for i in add.inputs) == 1
