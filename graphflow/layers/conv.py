"""`Conv2D`, `Conv1D` and their functions: NHWC / NWC convolutions with a kernel
[kh, kw, in, filters] ([k, in, filters] for 1-D), plus bias and activation.

`conv_apply` is the one implementation of the product (a 1-D convolution is a 2-D one over a
height of 1, as in TF1); contrib's conv2d uses `convolve` (the same over get_variable variables).
"""

from __future__ import annotations

from graphflow.core.shape import as_shape
from graphflow.initializers import ZEROS
from graphflow.layers.base import InputSpec, Layer
from graphflow.layers.utils import (
    bias_add,
    channels_last,
    known_dim,
    nn_function,
    padding_of,
    tuple_of,
)
from graphflow.ops.constant import convert_to_tensor
from graphflow.variable_scope import get_variable


def conv_apply(inputs, kernel, bias, strides, padding, dilation_rate):
    """conv2d(inputs, kernel) (+ bias) for NHWC inputs; strides and dilation_rate are pairs."""
    conv = nn_function("conv2d")
    args = (inputs, kernel, [1, *strides, 1], padding_of(padding))
    dilation = tuple(dilation_rate)
    outputs = conv(*args) if dilation == (1, 1) else conv(*args, dilations=[1, *dilation, 1])
    return bias_add(outputs, bias) if bias is not None else outputs


def conv1d_apply(inputs, kernel, bias, strides, padding, dilation_rate):
    """The 1-D convolution of [batch, width, in] inputs with a [k, in, filters] kernel: a 2-D
    one over a height of 1, as TF1 computes it."""
    from graphflow.ops.array import expand_dims, squeeze

    outputs = conv_apply(expand_dims(inputs, 1), expand_dims(kernel, 0), None,
                         (1, *strides), padding, (1, *dilation_rate))
    outputs = squeeze(outputs, [1])
    return bias_add(outputs, bias) if bias is not None else outputs


def convolve(inputs, filters, kernel_size, strides, padding, dilation_rate, kernel_name,
             kernel_initializer, kernel_regularizer, bias_name, bias_initializer,
             bias_regularizer, trainable, collections=None):
    """conv2d(inputs, W) (+ b when `bias_initializer` is not None) in the current variable scope."""
    inputs = convert_to_tensor(inputs)
    if inputs.shape.rank != 4:
        raise ValueError(f"A conv2d layer needs 4-D NHWC inputs, got {inputs.describe()}")
    kh, kw = tuple_of(kernel_size, 2, "kernel_size")
    in_channels = known_dim(inputs, -1, "conv2d")
    kernel = get_variable(kernel_name, [kh, kw, in_channels, filters], inputs.dtype,
                          kernel_initializer, kernel_regularizer, trainable, collections)
    bias = None
    if bias_initializer is not None:
        bias = get_variable(bias_name, [filters], inputs.dtype, bias_initializer,
                            bias_regularizer, trainable, collections)
    return conv_apply(inputs, kernel, bias, tuple_of(strides, 2, "strides"), padding,
                      tuple_of(dilation_rate, 2, "dilation_rate"))


class Conv(Layer):
    """A `rank`-D convolution layer (1 or 2) over channels-last inputs."""

    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=ZEROS, kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name,
                         activity_regularizer=activity_regularizer, **kwargs)
        channels_last(data_format, type(self).__name__)
        n = self.rank
        self.filters = int(filters)
        self.kernel_size = tuple_of(kernel_size, n, "kernel_size")
        self.strides = tuple_of(strides, n, "strides")
        self.padding = padding_of(padding).lower()
        self.data_format = data_format
        self.dilation_rate = tuple_of(dilation_rate, n, "dilation_rate")
        self.activation, self.use_bias = activation, use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        self.input_spec = InputSpec(ndim=n + 2)
        self.kernel = self.bias = None

    def kernel_shape(self, in_channels: int) -> list:
        return [*self.kernel_size, in_channels, self.filters]

    def build(self, input_shape):
        input_shape = as_shape(input_shape)
        in_channels = input_shape[-1] if input_shape.rank is not None else None
        if in_channels is None:
            raise ValueError(f"The channel dimension of the inputs to `{type(self).__name__}` "
                             f"should be defined. Found `None` (input shape {input_shape}).")
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={-1: in_channels})
        self.kernel = self.add_weight("kernel", self.kernel_shape(in_channels),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_weight("bias", [self.filters],
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def call(self, inputs):
        outputs = self.convolve(inputs)
        return self.activation(outputs) if self.activation is not None else outputs

    def convolve(self, inputs):
        return conv_apply(inputs, self.kernel, self.bias, self.strides, self.padding,
                          self.dilation_rate)


class Conv2D(Conv):
    """TF1's `tf.layers.Conv2D`: variables `kernel` [kh, kw, in, filters] and `bias`."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", dilation_rate=(1, 1), activation=None,
                 use_bias=True, kernel_initializer=None, bias_initializer=ZEROS,
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, trainable, name, **kwargs)


class Conv1D(Conv):
    """TF1's `tf.layers.Conv1D` over [batch, width, channels]: kernel [k, in, filters]."""

    rank = 1

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=ZEROS, kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, trainable, name, **kwargs)

    def convolve(self, inputs):
        return conv1d_apply(inputs, self.kernel, self.bias, self.strides, self.padding,
                            self.dilation_rate)


def _conv_function(cls, inputs, name, reuse, *args, **kwargs):
    layer = cls(*args, name=name, _scope=name, _reuse=reuse, **kwargs)
    return layer(inputs)


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
           data_format="channels_last", dilation_rate=(1, 1), activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=ZEROS, kernel_regularizer=None,
           bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
           bias_constraint=None, trainable=True, name=None, reuse=None):
    """TF1's `tf.layers.conv2d` (channels last): a `Conv2D` layer applied once; variables
    `<name>/kernel` (glorot_uniform by default) and `<name>/bias`."""
    return _conv_function(Conv2D, inputs, name, reuse, filters, kernel_size, strides, padding,
                          data_format, dilation_rate, activation, use_bias, kernel_initializer,
                          bias_initializer, kernel_regularizer, bias_regularizer,
                          activity_regularizer, kernel_constraint, bias_constraint, trainable)


def conv1d(inputs, filters, kernel_size, strides=1, padding="valid",
           data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=ZEROS, kernel_regularizer=None,
           bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
           bias_constraint=None, trainable=True, name=None, reuse=None):
    """TF1's `tf.layers.conv1d` over [batch, width, channels]: a `Conv1D` layer applied once."""
    return _conv_function(Conv1D, inputs, name, reuse, filters, kernel_size, strides, padding,
                          data_format, dilation_rate, activation, use_bias, kernel_initializer,
                          bias_initializer, kernel_regularizer, bias_regularizer,
                          activity_regularizer, kernel_constraint, bias_constraint, trainable)
