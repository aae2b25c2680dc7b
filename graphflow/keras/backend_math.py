"""The tensor functions of Keras's backend (`K.mean`, `K.square`, `K.dot`, ...), which
custom losses, metrics and Lambda layers are written with, as graphflow ops with Keras's
conventions: `axis` / `keepdims`, bool means as floats, sqrt clipped at 0, `dot` contracting the
last axis of x with the second-to-last of y. `keras.backend` re-exports them."""

from __future__ import annotations

import numpy as np

from graphflow.ops import array, elementwise, reduce, shape_ops
from graphflow.ops.cast import cast as _cast
from graphflow.ops.constant import constant as _constant
from graphflow.ops.constant import convert_to_tensor

__all__ = ["abs", "argmax", "argmin", "cast", "clip", "concatenate", "constant", "dot",
           "equal", "exp", "expand_dims", "gradients", "log", "max",
           "maximum", "mean", "min", "minimum", "ones", "ones_like", "pow", "random_normal",
           "random_uniform", "relu", "reshape", "round", "shape", "sigmoid", "softmax", "sqrt",
           "square", "sum", "tanh", "transpose", "variable", "zeros", "zeros_like"]

_builtin_abs, _builtin_max, _builtin_min, _builtin_round = abs, max, min, round


def _float(x):
    x = convert_to_tensor(x)
    return _cast(x, "float32") if x.dtype.is_bool else x


def mean(x, axis=None, keepdims=False):
    return reduce.reduce_mean(_float(x), axis=axis, keepdims=keepdims)


def sum(x, axis=None, keepdims=False):  # noqa: A001
    return reduce.reduce_sum(x, axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    return reduce.reduce_max(x, axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    return reduce.reduce_min(x, axis=axis, keepdims=keepdims)


def argmax(x, axis=-1):
    return reduce.argmax(x, axis=axis)


def argmin(x, axis=-1):
    return reduce.argmin(x, axis=axis)


def square(x):
    return elementwise.square(x)


def sqrt(x):
    """sqrt(max(x, 0)): Keras clips first, so rounding below zero gives 0, not NaN."""
    return elementwise.sqrt(reduce.clip_by_value(x, 0.0, np.inf))


def abs(x):  # noqa: A001
    return elementwise.abs(x)


def exp(x):
    return elementwise.exp(x)


def log(x):
    return elementwise.log(x)


def pow(x, a):  # noqa: A001
    return elementwise.pow(x, a)


def round(x):  # noqa: A001
    return elementwise.round(x)


def maximum(x, y):
    return elementwise.maximum(x, y)


def minimum(x, y):
    return elementwise.minimum(x, y)


def equal(x, y):
    return elementwise.equal(x, y)


def clip(x, min_value, max_value):
    """x clipped to [min_value, max_value]; None is unbounded, and max below min means min."""
    low = -np.inf if min_value is None else min_value
    high = np.inf if max_value is None else max_value
    if isinstance(low, (int, float)) and isinstance(high, (int, float)) and high < low:
        high = low
    return reduce.clip_by_value(x, low, high)


def sigmoid(x):
    return elementwise.sigmoid(x)


def tanh(x):
    return elementwise.tanh(x)


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    from graphflow.keras.activations import relu as _relu

    return _relu(x, alpha=alpha, max_value=max_value, threshold=threshold)


def softmax(x, axis=-1):
    from graphflow.nn import softmax as _softmax

    return _softmax(x, axis=axis)


def cast(x, dtype):
    return _cast(x, dtype)


def constant(value, dtype=None, shape=None, name=None):
    return _constant(value, dtype=dtype or "float32", shape=shape, name=name)


def variable(value, dtype=None, name=None, constraint=None):
    """A variable holding `value` (initialised by the Keras session when first used)."""
    from graphflow.variables import Variable

    value = np.asarray(value, dtype=dtype or "float32")
    return Variable(value, name=name, constraint=constraint)


def zeros(shape, dtype=None, name=None):
    return variable(np.zeros(shape), dtype=dtype, name=name)


def ones(shape, dtype=None, name=None):
    return variable(np.ones(shape), dtype=dtype, name=name)


def zeros_like(x, dtype=None, name=None):
    return shape_ops.zeros_like(x, dtype=dtype, name=name)


def ones_like(x, dtype=None, name=None):
    return shape_ops.ones_like(x, dtype=dtype, name=name)


def shape(x):
    return shape_ops.shape(x)


def reshape(x, shape):  # noqa: A002
    return array.reshape(x, shape)


def transpose(x):
    return array.transpose(x)


def expand_dims(x, axis=-1):
    return array.expand_dims(x, axis)


def concatenate(tensors, axis=-1):
    from graphflow.ops.joining import concat

    return concat(list(tensors), axis=axis)


def dot(x, y):
    """Keras's dot: the last axis of x against the second-to-last of y (the only one if 1-D)."""
    from graphflow.ops.matmul import matmul, tensordot

    x, y = convert_to_tensor(x), convert_to_tensor(y)
    if x.shape.rank == 2 and y.shape.rank == 2:
        return matmul(x, y)
    return tensordot(x, y, [[x.shape.rank - 1], [_builtin_max(y.shape.rank - 2, 0)]])


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):  # noqa: A002
    from graphflow.ops.random import random_normal as _normal

    return _normal(shape, mean=mean, stddev=stddev, dtype=dtype or "float32", seed=seed)


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):  # noqa: A002
    from graphflow.ops.random import random_uniform as _uniform

    return _uniform(shape, minval=minval, maxval=maxval, dtype=dtype or "float32", seed=seed)


def gradients(loss, variables):
    from graphflow.autodiff.gradients import gradients as _gradients

    return _gradients(loss, variables)
