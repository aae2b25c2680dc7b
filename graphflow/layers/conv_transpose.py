"""`Conv2DTranspose` and `conv2d_transpose`: the transpose of a strided convolution (its input
gradient), with a kernel [kh, kw, filters, in] as in TF1, plus bias and activation.

The output size per spatial axis is TF1's `deconv_output_length`: size * stride for 'same',
size * stride + max(kernel - stride, 0) for 'valid'. A batch (or height/width) unknown while
building is read from the inputs' shape at run time.
"""

from __future__ import annotations

from graphflow.core.shape import TensorShape, as_shape
from graphflow.initializers import ZEROS
from graphflow.layers.base import InputSpec
from graphflow.layers.conv import Conv
from graphflow.layers.utils import bias_add, nn_function, padding_of


def deconv_output_length(size, kernel: int, padding: str, stride: int):
    """The transposed convolution's output length along one axis (None stays None)."""
    if size is None:
        return None
    if padding_of(padding) == "VALID":
        return size * stride + max(kernel - stride, 0)
    return size * stride


def transpose_apply(inputs, kernel, bias, strides, padding):
    """conv2d_transpose(inputs, kernel [kh, kw, filters, in]) (+ bias) for NHWC inputs, the
    output size from `deconv_output_length` (at run time for dims unknown while building)."""
    from graphflow.ops.joining import stack
    from graphflow.ops.shape_ops import shape as shape_of

    kh, kw, filters = kernel.shape.as_list()[:3]
    static = inputs.shape.as_list()
    sizes = [deconv_output_length(static[i + 1], k, padding, strides[i])
             for i, k in enumerate((kh, kw))]
    if static[0] is not None and None not in sizes:
        output_shape = [static[0], *sizes, filters]
    else:
        dyn = shape_of(inputs)
        dims = [dyn[0] if static[0] is None else static[0]]
        for i, (size, k) in enumerate(zip(sizes, (kh, kw))):
            if size is None:  # an unknown height/width: the same formula at run time
                size = dyn[i + 1] * strides[i]
                if padding_of(padding) == "VALID":
                    size = size + max(k - strides[i], 0)
            dims.append(size)
        output_shape = stack([*dims, filters])
    outputs = nn_function("conv2d_transpose")(inputs, kernel, output_shape,
                                              [1, *strides, 1], padding=padding_of(padding))
    return bias_add(outputs, bias) if bias is not None else outputs


class Conv2DTranspose(Conv):
    """TF1's `tf.layers.Conv2DTranspose`: variables `kernel` [kh, kw, filters, in] and `bias`.

    The transpose of a strided convolution (its input gradient), for upsampling: each spatial
    size becomes size * stride ("same") or size * stride + max(kernel - stride, 0) ("valid").

    Args:
        filters: The number of output channels.
        kernel_size: The window's size: an int, or one per spatial axis.
        strides: The step between windows: an int, or one per spatial axis.
        padding: "valid" (no padding) or "same" (the output is size * stride), any case.
        data_format: "channels_last" only (NHWC / NWC); "channels_first" raises.
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
        >>> layer = tf.layers.Conv2DTranspose(2, 3, strides=2, padding="same")
        >>> layer(tf.placeholder(tf.float32, [None, 8, 8, 3])).shape
        TensorShape([None, 16, 16, 2])
        >>> layer.kernel.shape
        TensorShape([3, 3, 2, 3])
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=ZEROS, kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, 1, activation,
                         use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint,
                         bias_constraint, trainable, name, **kwargs)
        self.input_spec = InputSpec(ndim=4)

    def kernel_shape(self, in_channels: int) -> list:
        """The kernel's shape for `in_channels` inputs: [kh, kw, filters, in], as in TF1.

        Args:
            in_channels: The inputs' channel count.

        Returns:
            A list of 4 ints.

        Examples:
            >>> tf.layers.Conv2DTranspose(2, 3).kernel_shape(5)
            [3, 3, 2, 5]
        """
        return [*self.kernel_size, self.filters, in_channels]

    def convolve(self, inputs):
        """The transposed convolution (plus bias) of `inputs`, before the activation.

        Args:
            inputs: A [batch, height, width, in] tensor (the layer built).

        Returns:
            The [batch, height', width', filters] result.

        Examples:
            >>> layer = tf.layers.Conv2DTranspose(1, 2, strides=2, use_bias=False,
            ...                                   kernel_initializer=tf.ones_initializer())
            >>> x = tf.ones([1, 1, 1, 1])
            >>> _ = layer(x)
            >>> with tf.Session() as sess:
            ...     sess.run(tf.global_variables_initializer())
            ...     print(sess.run(layer.convolve(x))[0, :, :, 0])
            [[1. 1.]
             [1. 1.]]
        """
        return transpose_apply(inputs, self.kernel, self.bias, self.strides, self.padding)

    def compute_output_shape(self, input_shape):
        """The output shape for inputs of `input_shape`, without building anything.

        Args:
            input_shape: A TensorShape or list of 4 dims (None for unknown).

        Returns:
            The TensorShape [batch, height', width', filters].

        Examples:
            >>> tf.layers.Conv2DTranspose(8, 3, strides=2).compute_output_shape([None, 4, 4, 3])
            TensorShape([None, 9, 9, 8])
        """
        shape = as_shape(input_shape).as_list()
        sizes = [deconv_output_length(shape[i + 1], self.kernel_size[i], self.padding,
                                      self.strides[i]) for i in range(2)]
        return TensorShape([shape[0], *sizes, self.filters])


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
                     data_format="channels_last", activation=None, use_bias=True,
                     kernel_initializer=None, bias_initializer=ZEROS, kernel_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                     bias_constraint=None, trainable=True, name=None, reuse=None):
    """TF1's `tf.layers.conv2d_transpose`: a `Conv2DTranspose` layer applied once.

    Args:
        inputs: The input tensor.
        filters: The number of output channels.
        kernel_size: The window's size: an int, or one per spatial axis.
        strides: The step between windows: an int, or one per spatial axis.
        padding: "valid" (no padding) or "same" (the output is size * stride), any case.
        data_format: "channels_last" only (NHWC / NWC); "channels_first" raises.
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
        >>> tf.layers.conv2d_transpose(x, 5, 2, strides=2).shape
        TensorShape([None, 16, 16, 5])
    """
    layer = Conv2DTranspose(filters, kernel_size, strides, padding, data_format, activation,
                            use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                            bias_regularizer, activity_regularizer, kernel_constraint,
                            bias_constraint, trainable, name=name, _scope=name, _reuse=reuse)
    return layer(inputs)
