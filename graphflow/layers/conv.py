"""`conv2d`: an NHWC convolution with a [kh, kw, in, filters] kernel, plus bias and activation."""

from __future__ import annotations

from graphflow.initializers import ZEROS
from graphflow.layers.utils import (
    attach_constraints,
    bias_add,
    channels_last,
    finish,
    known_dim,
    nn_function,
    padding_of,
    pair,
)
from graphflow.ops.constant import convert_to_tensor
from graphflow.variable_scope import get_variable, variable_scope


def conv2d(inputs, filters: int, kernel_size, strides=(1, 1), padding: str = "valid",
           data_format: str = "channels_last", dilation_rate=(1, 1), activation=None,
           use_bias: bool = True, kernel_initializer=None, bias_initializer=ZEROS,
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable: bool = True,
           name: str | None = None, reuse=None):
    """TF1's `tf.layers.conv2d` (channels last): variables `<name>/kernel` (glorot_uniform by
    default) and `<name>/bias` [filters]; padding 'valid' or 'same'."""
    channels_last(data_format, "conv2d")
    with variable_scope(name, default_name="conv2d", reuse=reuse):
        outputs = convolve(inputs, filters, kernel_size, strides, padding, dilation_rate,
                           "kernel", kernel_initializer, kernel_regularizer, "bias",
                           bias_initializer if use_bias else None, bias_regularizer, trainable)
        attach_constraints(kernel=kernel_constraint, bias=bias_constraint)
        return finish(outputs, activation, activity_regularizer)


def convolve(inputs, filters, kernel_size, strides, padding, dilation_rate, kernel_name,
             kernel_initializer, kernel_regularizer, bias_name, bias_initializer,
             bias_regularizer, trainable, collections=None):
    """conv2d(inputs, W) (+ b when `bias_initializer` is not None) in the current variable scope."""
    inputs = convert_to_tensor(inputs)
    if inputs.shape.rank != 4:
        raise ValueError(f"A conv2d layer needs 4-D NHWC inputs, got {inputs.describe()}")
    kh, kw = pair(kernel_size, "kernel_size")
    sh, sw = pair(strides, "strides")
    dilation = pair(dilation_rate, "dilation_rate")
    in_channels = known_dim(inputs, -1, "conv2d")
    conv = nn_function("conv2d")
    kernel = get_variable(kernel_name, [kh, kw, in_channels, filters], inputs.dtype,
                          kernel_initializer, kernel_regularizer, trainable, collections)
    args = (inputs, kernel, [1, sh, sw, 1], padding_of(padding))
    outputs = conv(*args) if dilation == (1, 1) else conv(*args, dilations=[1, *dilation, 1])
    if bias_initializer is not None:
        bias = get_variable(bias_name, [filters], inputs.dtype, bias_initializer,
                            bias_regularizer, trainable, collections)
        outputs = bias_add(outputs, bias)
    return outputs
