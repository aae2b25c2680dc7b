"""`cast`: the one explicit way to change a tensor's dtype."""

from __future__ import annotations

import numpy as np

from graphflow.core.dtypes import as_dtype
from graphflow.errors import dtype_rule
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.registry import Op, apply_op, register, spec


@register("Cast")
class Cast(Op):
    """Convert to `dtype`; float to int truncates toward zero, bool becomes 0/1 (TF1)."""

    fresh_output = True
    attrs = {"dtype": None}
    input_names = ("x",)
    elementwise = True

    def infer(self, x):
        if x.dtype.is_string != self.dtype.is_string:
            raise dtype_rule(f"cannot cast {x.dtype.name} to {self.dtype.name}")
        return spec(self.dtype, x.shape)

    def compute(self, x):
        return np.asarray(x.astype(self.dtype.np))  # always a copy: results are fresh

    def gradient(self, node, dy):
        x = node.inputs[0]
        if x.dtype.is_floating and self.dtype.is_floating:
            return [cast(dy, x.dtype)]
        return [None]

    @staticmethod
    def examples(s):
        return s.cast_example()

    @staticmethod
    def gradient_examples(s):
        return s.cast_example(floats_only=True)


def cast(x, dtype, name=None):
    """`x` converted to `dtype` ('float' means float32); a no-op when it already has it."""
    dt = as_dtype(dtype)
    x = convert_to_tensor(x)
    if x.dtype is dt:
        return x
    return apply_op(Cast(dtype=dt), [x], name=name)


def to_float(x, name="ToFloat"):
    return cast(x, "float32", name=name)


def to_int32(x, name="ToInt32"):
    return cast(x, "int32", name=name)


def to_int64(x, name="ToInt64"):
    return cast(x, "int64", name=name)
