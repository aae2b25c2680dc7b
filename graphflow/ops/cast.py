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
    """`x` converted to `dtype` ('float' means float32); `x` itself when it already has it.

    Floats cast to integers truncate toward zero; bools cast to 0 and 1.

    Args:
        x: A tensor, or a value `constant` takes.
        dtype: The target dtype (a DType or a name such as "int32").
        name: A name for the op.

    Returns:
        A Tensor of x's shape and `dtype`.

    Examples:
        >>> x = tf.constant([1.7, -1.7])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.cast(x, tf.int32)))
        [ 1 -1]
    """
    dt = as_dtype(dtype)
    x = convert_to_tensor(x)
    if x.dtype is dt:
        return x
    return apply_op(Cast(dtype=dt), [x], name=name)


def to_float(x, name="ToFloat"):
    """TF1's deprecated `cast(x, tf.float32)`.

    Args:
        x: A tensor, or a value `constant` takes.
        name: A name for the op.

    Returns:
        A float32 Tensor of x's shape.

    Examples:
        >>> print(tf.to_float(tf.constant([1, 2])).dtype)
        float32
    """
    return cast(x, "float32", name=name)


def to_int32(x, name="ToInt32"):
    """TF1's deprecated `cast(x, tf.int32)`.

    Args:
        x: A tensor, or a value `constant` takes.
        name: A name for the op.

    Returns:
        An int32 Tensor of x's shape.

    Examples:
        >>> print(tf.to_int32(tf.constant([1.5])).dtype)
        int32
    """
    return cast(x, "int32", name=name)


def to_int64(x, name="ToInt64"):
    """TF1's deprecated `cast(x, tf.int64)`.

    Args:
        x: A tensor, or a value `constant` takes.
        name: A name for the op.

    Returns:
        An int64 Tensor of x's shape.

    Examples:
        >>> print(tf.to_int64(tf.constant([1])).dtype)
        int64
    """
    return cast(x, "int64", name=name)
