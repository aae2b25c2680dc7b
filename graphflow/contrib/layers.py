"""TF1's `tf.contrib.layers` names: fully_connected, conv2d, pools, flatten, regularizers and the
contrib initialisers. Variables are `<scope>/weights` and `<scope>/biases`, as there."""

from __future__ import annotations

import math

from graphflow.core import dtypes
from graphflow.core.graph import get_default_graph
from graphflow.initializers import (
    ZEROS,
    Initializer,
    compute_fans,
    known_shape,
    xavier_initializer,
)
from graphflow.layers.conv import convolve
from graphflow.layers.dense import affine
from graphflow.layers.pooling import average_pooling2d, max_pooling2d
from graphflow.ops.elementwise import relu
from graphflow.variable_scope import variable_scope

__all__ = ["avg_pool2d", "conv2d", "flatten", "fully_connected", "l1_regularizer",
           "l2_regularizer", "max_pool2d", "variance_scaling_initializer", "xavier_initializer",
           "xavier_initializer_conv2d"]

xavier_initializer_conv2d = xavier_initializer


def _contrib_layer(core, default_scope, activation_fn, normalizer_fn, normalizer_params,
                   biases_initializer, reuse, scope):
    with variable_scope(scope, default_name=default_scope, reuse=reuse):
        outputs = core(None if normalizer_fn is not None else biases_initializer)
        if normalizer_fn is not None:  # a normaliser replaces the biases, as in TF1
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        return activation_fn(outputs) if activation_fn is not None else outputs


def fully_connected(inputs, num_outputs: int, activation_fn=relu, normalizer_fn=None,
                    normalizer_params=None, weights_initializer=None, weights_regularizer=None,
                    biases_initializer=ZEROS, biases_regularizer=None, reuse=None,
                    variables_collections=None, outputs_collections=None,
                    trainable: bool = True, scope: str | None = None):
    """A dense layer with ReLU by default (`activation_fn=None` for logits)."""
    def core(bias_init):
        return affine(inputs, num_outputs, "weights", weights_initializer or xavier_initializer(),
                      weights_regularizer, "biases", bias_init, biases_regularizer, trainable,
                      _collections(variables_collections))

    return _contrib_layer(core, "fully_connected", activation_fn, normalizer_fn,
                          normalizer_params, biases_initializer, reuse, scope)


def conv2d(inputs, num_outputs: int, kernel_size, stride=1, padding: str = "SAME",
           data_format=None, rate=1, activation_fn=relu, normalizer_fn=None,
           normalizer_params=None, weights_initializer=None, weights_regularizer=None,
           biases_initializer=ZEROS, biases_regularizer=None, reuse=None,
           variables_collections=None, outputs_collections=None, trainable: bool = True,
           scope: str | None = None):
    """An NHWC convolution, 'SAME' and ReLU by default; variables under the scope `Conv`."""
    if data_format not in (None, "NHWC"):
        raise ValueError(f"conv2d supports data_format='NHWC' only, got {data_format!r}")

    def core(bias_init):
        return convolve(inputs, num_outputs, kernel_size, stride, padding, rate, "weights",
                        weights_initializer or xavier_initializer(), weights_regularizer,
                        "biases", bias_init, biases_regularizer, trainable,
                        _collections(variables_collections))

    return _contrib_layer(core, "Conv", activation_fn, normalizer_fn, normalizer_params,
                          biases_initializer, reuse, scope)


def max_pool2d(inputs, kernel_size, stride=2, padding: str = "VALID", data_format: str = "NHWC",
               outputs_collections=None, scope: str | None = None):
    return max_pooling2d(inputs, kernel_size, stride, padding, data_format, scope or "MaxPool2D")


def avg_pool2d(inputs, kernel_size, stride=2, padding: str = "VALID", data_format: str = "NHWC",
               outputs_collections=None, scope: str | None = None):
    return average_pooling2d(inputs, kernel_size, stride, padding, data_format,
                             scope or "AvgPool2D")


def flatten(inputs, outputs_collections=None, scope: str | None = None):
    """(N, ...) -> (N, k), under the name scope `Flatten`."""
    from graphflow.layers.core import flatten as _flatten

    return _flatten(inputs, name=scope or "Flatten")


def _collections(extra):
    from graphflow.core.graph import GraphKeys

    if not extra:
        return None
    return [GraphKeys.GLOBAL_VARIABLES, *([extra] if isinstance(extra, str) else extra)]


def l2_regularizer(scale: float, scope: str | None = None):
    """`weights -> scale * l2_loss(weights)` (Σw²/2); a scale of 0 gives no penalty (None)."""
    def penalty(weights):
        from graphflow.nn import l2_loss

        return l2_loss(weights)

    return _regularizer(scale, scope, "l2_regularizer", penalty)


def l1_regularizer(scale: float, scope: str | None = None):
    """`weights -> scale * Σ|w|`."""
    from graphflow.ops.elementwise import abs as abs_
    from graphflow.ops.reduce import reduce_sum

    return _regularizer(scale, scope, "l1_regularizer", lambda w: reduce_sum(abs_(w)))


def _regularizer(scale, scope, default_name, penalty):
    if scale < 0.0:
        raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale}")
    if scale == 0.0:
        return lambda weights: None

    def regularize(weights):
        from graphflow.ops.constant import convert_to_tensor
        from graphflow.ops.elementwise import multiply

        with get_default_graph().name_scope(scope or default_name) as name:
            factor = convert_to_tensor(scale, dtype=weights.dtype, name="scale")
            return multiply(factor, penalty(weights), name=name)

    return regularize


class variance_scaling_initializer(Initializer):  # noqa: N801 - TF1's name
    """contrib's He initialiser: factor/n variance; the normal case is a truncated normal with
    stddev √(1.3·factor/n), contrib's own approximate correction (core's uses 1/0.8796²)."""

    def __init__(self, factor=2.0, mode="FAN_IN", uniform=False, seed=None,
                 dtype=dtypes.float32):
        if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
            raise TypeError(f"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]")
        self.factor, self.mode, self.uniform, self.seed = factor, mode, uniform, seed
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        from graphflow.ops.random import random_uniform, truncated_normal

        shape = known_shape(shape)
        fan_in, fan_out = compute_fans(shape)
        n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2}[self.mode]
        dtype = self._dtype(dtype)
        if self.uniform:
            limit = math.sqrt(3.0 * self.factor / n)
            return random_uniform(shape, -limit, limit, dtype, self.seed)
        return truncated_normal(shape, 0.0, math.sqrt(1.3 * self.factor / n), dtype, self.seed)
