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
    add_kernel_and_bias,
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
        add_kernel_and_bias(self, self.kernel_shape(in_channels), self.filters)
        self.built = True

    def call(self, inputs):
        outputs = self.convolve(inputs)
        return self.activation(outputs) if self.activation is not None else outputs

    def convolve(self, inputs):
        return conv_apply(inputs, self.kernel, self.bias, self.strides, self.padding,
                          self.dilation_rate)


class Conv2D(Conv):
    """TF1's `tf.layers.Conv2D`: variables `kernel` [kh, kw, in, filters] and `bias`.

    Channels last (NHWC) only; TF1 also takes "channels_first".

    Args:
        filters: The number of output channels.
        kernel_size: The window's size: an int, or one per spatial axis.
        strides: The step between windows: an int, or one per spatial axis.
        padding: "valid" (no padding) or "same" (the output keeps size / stride), any case.
        data_format: "channels_last" only (NHWC / NWC); "channels_first" raises.
        dilation_rate: The spacing between kernel taps: an int, or one per spatial axis.
        activation: A function applied to the output (e.g. `tf.nn.relu`), or None for linear.
        use_bias: Whether to add a `bias` variable.
        kernel_initializer: The kernel's initializer (None: glorot_uniform, as in TF1).
        bias_initializer: The bias's initializer (zeros).
        kernel_regularizer: A function of the kernel giving a loss for REGULARIZATION_LOSSES.
        bias_regularizer: The same for the bias.
        activity_regularizer: A function of the output giving a loss for REGULARIZATION_LOSSES.
        kernel_constraint: A function applied to the kernel after each optimizer update.
        bias_constraint: The same for the bias.
        trainable: Whether the variables go to TRAINABLE_VARIABLES.
        name: The layer's name, and its variable scope's.
        **kwargs: The base Layer's arguments (`dtype`); others raise a TypeError.

    Examples:
        >>> layer = tf.layers.Conv2D(4, (3, 3), strides=2)
        >>> layer(tf.placeholder(tf.float32, [None, 8, 8, 3])).shape
        TensorShape([None, 3, 3, 4])
        >>> layer.kernel.shape, layer.count_params()
        (TensorShape([3, 3, 3, 4]), 112)
    """

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
    """TF1's `tf.layers.Conv1D` over [batch, width, channels]: kernel [k, in, filters].

    Computed as a 2-D convolution over a height of 1, as TF1 does.

    Args:
        filters: The number of output channels.
        kernel_size: The window's size: an int, or one per spatial axis.
        strides: The step between windows: an int, or one per spatial axis.
        padding: "valid" (no padding) or "same" (the output keeps size / stride), any case.
        data_format: "channels_last" only (NHWC / NWC); "channels_first" raises.
        dilation_rate: The spacing between kernel taps: an int, or one per spatial axis.
        activation: A function applied to the output (e.g. `tf.nn.relu`), or None for linear.
        use_bias: Whether to add a `bias` variable.
        kernel_initializer: The kernel's initializer (None: glorot_uniform, as in TF1).
        bias_initializer: The bias's initializer (zeros).
        kernel_regularizer: A function of the kernel giving a loss for REGULARIZATION_LOSSES.
        bias_regularizer: The same for the bias.
        activity_regularizer: A function of the output giving a loss for REGULARIZATION_LOSSES.
        kernel_constraint: A function applied to the kernel after each optimizer update.
        bias_constraint: The same for the bias.
        trainable: Whether the variables go to TRAINABLE_VARIABLES.
        name: The layer's name, and its variable scope's.
        **kwargs: The base Layer's arguments (`dtype`); others raise a TypeError.

    Examples:
        >>> layer = tf.layers.Conv1D(2, 3)
        >>> layer(tf.placeholder(tf.float32, [None, 10, 3])).shape
        TensorShape([None, 8, 2])
        >>> layer.kernel.shape
        TensorShape([3, 3, 2])
    """

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
        """The convolution (plus bias) of built variables with `inputs`, before the activation.

        Args:
            inputs: A [batch, width, in] tensor.

        Returns:
            The [batch, new width, filters] result.

        Examples:
            >>> layer = tf.layers.Conv1D(2, 3, use_bias=False,
            ...                          kernel_initializer=tf.ones_initializer())
            >>> x = tf.ones([1, 4, 1])
            >>> _ = layer(x)
            >>> with tf.Session() as sess:
            ...     sess.run(tf.global_variables_initializer())
            ...     print(sess.run(layer.convolve(x))[0])
            [[3. 3.]
             [3. 3.]]
        """
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
    `<name>/kernel` (glorot_uniform by default) and `<name>/bias`.

    Args:
        inputs: The input tensor.
        filters: The number of output channels.
        kernel_size: The window's size: an int, or one per spatial axis.
        strides: The step between windows: an int, or one per spatial axis.
        padding: "valid" (no padding) or "same" (the output keeps size / stride), any case.
        data_format: "channels_last" only (NHWC / NWC); "channels_first" raises.
        dilation_rate: The spacing between kernel taps: an int, or one per spatial axis.
        activation: A function applied to the output (e.g. `tf.nn.relu`), or None for linear.
        use_bias: Whether to add a `bias` variable.
        kernel_initializer: The kernel's initializer (None: glorot_uniform, as in TF1).
        bias_initializer: The bias's initializer (zeros).
        kernel_regularizer: A function of the kernel giving a loss for REGULARIZATION_LOSSES.
        bias_regularizer: The same for the bias.
        activity_regularizer: A function of the output giving a loss for REGULARIZATION_LOSSES.
        kernel_constraint: A function applied to the kernel after each optimizer update.
        bias_constraint: The same for the bias.
        trainable: Whether the variables go to TRAINABLE_VARIABLES.
        name: The layer's name, and its variable scope's.
        reuse: Reuse the variables of a previous call with the same `name`.

    Returns:
        The [batch, height', width', filters] output.

    Examples:
        >>> x = tf.placeholder(tf.float32, [None, 8, 8, 3])
        >>> y = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu, name="conv")
        >>> y.shape, [v.name for v in tf.global_variables()]
        (TensorShape([None, 8, 8, 4]), ['conv/kernel:0', 'conv/bias:0'])
    """
    return _conv_function(Conv2D, inputs, name, reuse, filters, kernel_size, strides, padding,
                          data_format, dilation_rate, activation, use_bias, kernel_initializer,
                          bias_initializer, kernel_regularizer, bias_regularizer,
                          activity_regularizer, kernel_constraint, bias_constraint, trainable)


def conv1d(inputs, filters, kernel_size, strides=1, padding="valid",
           data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=ZEROS, kernel_regularizer=None,
           bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
           bias_constraint=None, trainable=True, name=None, reuse=None):
    """TF1's `tf.layers.conv1d` over [batch, width, channels]: a `Conv1D` layer applied once.

    Args:
        inputs: The input tensor.
        filters: The number of output channels.
        kernel_size: The window's size: an int, or one per spatial axis.
        strides: The step between windows: an int, or one per spatial axis.
        padding: "valid" (no padding) or "same" (the output keeps size / stride), any case.
        data_format: "channels_last" only (NHWC / NWC); "channels_first" raises.
        dilation_rate: The spacing between kernel taps: an int, or one per spatial axis.
        activation: A function applied to the output (e.g. `tf.nn.relu`), or None for linear.
        use_bias: Whether to add a `bias` variable.
        kernel_initializer: The kernel's initializer (None: glorot_uniform, as in TF1).
        bias_initializer: The bias's initializer (zeros).
        kernel_regularizer: A function of the kernel giving a loss for REGULARIZATION_LOSSES.
        bias_regularizer: The same for the bias.
        activity_regularizer: A function of the output giving a loss for REGULARIZATION_LOSSES.
        kernel_constraint: A function applied to the kernel after each optimizer update.
        bias_constraint: The same for the bias.
        trainable: Whether the variables go to TRAINABLE_VARIABLES.
        name: The layer's name, and its variable scope's.
        reuse: Reuse the variables of a previous call with the same `name`.

    Returns:
        The [batch, width', filters] output.

    Examples:
        >>> x = tf.placeholder(tf.float32, [None, 10, 3])
        >>> tf.layers.conv1d(x, 5, 2, strides=2).shape
        TensorShape([None, 5, 5])
    """
    return _conv_function(Conv1D, inputs, name, reuse, filters, kernel_size, strides, padding,
                          data_format, dilation_rate, activation, use_bias, kernel_initializer,
                          bias_initializer, kernel_regularizer, bias_regularizer,
                          activity_regularizer, kernel_constraint, bias_constraint, trainable)
