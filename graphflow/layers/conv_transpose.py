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
    """TF1's `tf.layers.Conv2DTranspose`: variables `kernel` [kh, kw, filters, in] and `bias`."""

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
        return [*self.kernel_size, self.filters, in_channels]

    def convolve(self, inputs):
        return transpose_apply(inputs, self.kernel, self.bias, self.strides, self.padding)

    def compute_output_shape(self, input_shape):
        shape = as_shape(input_shape).as_list()
        sizes = [deconv_output_length(shape[i + 1], self.kernel_size[i], self.padding,
                                      self.strides[i]) for i in range(2)]
        return TensorShape([shape[0], *sizes, self.filters])


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
                     data_format="channels_last", activation=None, use_bias=True,
                     kernel_initializer=None, bias_initializer=ZEROS, kernel_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                     bias_constraint=None, trainable=True, name=None, reuse=None):
    """TF1's `tf.layers.conv2d_transpose`: a `Conv2DTranspose` layer applied once."""
    layer = Conv2DTranspose(filters, kernel_size, strides, padding, data_format, activation,
                            use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                            bias_regularizer, activity_regularizer, kernel_constraint,
                            bias_constraint, trainable, name=name, _scope=name, _reuse=reuse)
    return layer(inputs)
