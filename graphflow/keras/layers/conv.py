"""Keras's convolution layers over channels-last inputs: Conv1D, Conv2D, Conv2DTranspose, and
ZeroPadding2D. The products are graphflow.layers' `conv_apply` / `conv1d_apply` /
`transpose_apply`; kernels are [*kernel_size, in, filters] ([kh, kw, filters, in] transposed)."""

from __future__ import annotations

from graphflow.core.shape import TensorShape, as_shape
from graphflow.keras.engine.base_layer import InputSpec, Layer
from graphflow.keras.layers.args import (
    activation_arg,
    activity_config,
    channels_last_only,
    int_tuple,
    serialize_activation,
    weight_args,
    weight_config,
)
from graphflow.keras.regularizers import get as get_regularizer
from graphflow.layers.utils import add_kernel_and_bias

__all__ = ["Conv1D", "Conv2D", "Conv2DTranspose", "ZeroPadding2D", "conv_output_length"]


def conv_output_length(size, kernel: int, padding: str, stride: int, dilation: int = 1):
    """The length along one axis after a convolution or pool (None stays None)."""
    if size is None:
        return None
    span = (kernel - 1) * dilation + 1
    out = size - span + 1 if padding == "valid" else size
    return (out + stride - 1) // stride


class Conv(Layer):
    """A `rank`-D convolution: activation(conv(inputs, kernel) + bias)."""

    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        groups = kwargs.pop("groups", 1)
        super().__init__(activity_regularizer=get_regularizer(activity_regularizer), **kwargs)
        where = f"{type(self).__name__} {self.name!r}"
        if groups != 1:
            raise ValueError(f"{where}: grouped convolutions (groups={groups}) are not "
                             "supported by graphflow")
        n = self.rank
        self.filters = int(filters)
        if self.filters <= 0:
            raise ValueError(f"{where}: filters must be a positive integer, got {filters!r}")
        self.kernel_size = int_tuple(kernel_size, n, "kernel_size", where)
        self.strides = int_tuple(strides, n, "strides", where)
        self.padding = str(padding).lower()
        if self.padding not in ("valid", "same"):
            raise ValueError(f"{where}: padding must be 'valid' or 'same', got {padding!r}")
        self.data_format = channels_last_only(data_format, where)
        self.dilation_rate = int_tuple(dilation_rate, n, "dilation_rate", where)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{where}: strides > 1 are not compatible with dilation_rate > 1 "
                             f"(got strides={self.strides}, dilation_rate={self.dilation_rate})")
        self.activation = activation_arg(activation)
        self.use_bias = bool(use_bias)
        weight_args(self, kernel_initializer=kernel_initializer,
                    bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                    bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                    bias_constraint=bias_constraint)
        self.input_spec = InputSpec(ndim=n + 2)
        self.kernel = self.bias = None

    def kernel_shape(self, in_channels: int) -> list:
        return [*self.kernel_size, in_channels, self.filters]

    def build(self, input_shape):
        input_shape = as_shape(input_shape)
        channels = input_shape[-1] if input_shape.rank is not None else None
        if channels is None:
            raise ValueError(f"The channel dimension of the inputs to {type(self).__name__} "
                             f"{self.name!r} should be defined. Found None (input shape "
                             f"{input_shape}).")
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={-1: channels})
        add_kernel_and_bias(self, self.kernel_shape(channels), self.filters)
        self.built = True

    def convolve(self, inputs):
        from graphflow.layers.conv import conv_apply

        return conv_apply(inputs, self.kernel, self.bias, self.strides, self.padding,
                          self.dilation_rate)

    def call(self, inputs):
        outputs = self.convolve(inputs)
        return self.activation(outputs) if self.activation is not None else outputs

    def compute_output_shape(self, input_shape):
        dims = as_shape(input_shape).as_list()
        sizes = [conv_output_length(dims[i + 1], self.kernel_size[i], self.padding,
                                    self.strides[i], self.dilation_rate[i])
                 for i in range(self.rank)]
        return TensorShape([dims[0], *sizes, self.filters])

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": list(self.kernel_size), "strides": list(self.strides),
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": list(self.dilation_rate),
                "activation": serialize_activation(self.activation), "use_bias": self.use_bias,
                **weight_config(self, "kernel_initializer", "bias_initializer",
                                "kernel_regularizer", "bias_regularizer"),
                **activity_config(self),
                **weight_config(self, "kernel_constraint", "bias_constraint")}


class Conv2D(Conv):
    """2-D convolution of [batch, rows, cols, channels] inputs; kernel [kh, kw, in, filters]."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, **kwargs)


class Conv1D(Conv):
    """1-D convolution of [batch, steps, channels] inputs; kernel [k, in, filters]."""

    rank = 1

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        causal = str(padding).lower() == "causal"
        super().__init__(filters, kernel_size, strides, "valid" if causal else padding,
                         data_format, dilation_rate, activation, use_bias, kernel_initializer,
                         bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, **kwargs)
        if causal:
            self.padding = "causal"

    def convolve(self, inputs):
        from graphflow.layers.conv import conv1d_apply

        padding = self.padding
        if padding == "causal":  # zeros before the first step: output t sees steps <= t only
            from graphflow.ops.slicing import pad

            inputs = pad(inputs, [[0, 0], [self.dilation_rate[0] * (self.kernel_size[0] - 1), 0],
                                  [0, 0]])
            padding = "valid"
        return conv1d_apply(inputs, self.kernel, self.bias, self.strides, padding,
                            self.dilation_rate)

    def compute_output_shape(self, input_shape):
        if self.padding != "causal":
            return super().compute_output_shape(input_shape)
        dims = as_shape(input_shape).as_list()
        return TensorShape([dims[0], conv_output_length(dims[1], 1, "valid", self.strides[0]),
                            self.filters])


class Conv2DTranspose(Conv):
    """The transpose of a strided 2-D convolution; kernel [kh, kw, filters, in]. Output size
    per axis: size·stride for 'same', size·stride + max(kernel - stride, 0) for 'valid'."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        for unsupported in ("output_padding", "dilation_rate"):
            value = kwargs.pop(unsupported, None)
            if value not in (None, 1, (1, 1), [1, 1]):
                raise ValueError(f"Conv2DTranspose: {unsupported}={value!r} is not supported "
                                 "by graphflow")
        super().__init__(filters, kernel_size, strides, padding, data_format, 1, activation,
                         use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint,
                         bias_constraint, **kwargs)

    def kernel_shape(self, in_channels: int) -> list:
        return [*self.kernel_size, self.filters, in_channels]

    def convolve(self, inputs):
        from graphflow.layers.conv_transpose import transpose_apply

        return transpose_apply(inputs, self.kernel, self.bias, self.strides, self.padding)

    def compute_output_shape(self, input_shape):
        from graphflow.layers.conv_transpose import deconv_output_length

        dims = as_shape(input_shape).as_list()
        sizes = [deconv_output_length(dims[i + 1], self.kernel_size[i], self.padding,
                                      self.strides[i]) for i in range(2)]
        return TensorShape([dims[0], *sizes, self.filters])

    def get_config(self):
        config = super().get_config()
        del config["dilation_rate"]
        return config


class ZeroPadding2D(Layer):
    """Zeros around the rows and columns: `padding` an int, (rows, cols) or
    ((top, bottom), (left, right))."""

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        where = f"ZeroPadding2D {self.name!r}"
        self.data_format = channels_last_only(data_format, where)
        if isinstance(padding, int):
            pads = ((padding, padding), (padding, padding))
        elif len(padding) == 2 and all(isinstance(p, int) for p in padding):
            pads = ((padding[0], padding[0]), (padding[1], padding[1]))
        else:
            pads = tuple(int_tuple(p, 2, "padding", where) for p in padding)
            if len(pads) != 2:
                raise ValueError(f"{where}: padding must be an int, 2 ints or 2 pairs of ints, "
                                 f"got {padding!r}")
        self.padding = pads
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        from graphflow.ops.slicing import pad

        return pad(inputs, [[0, 0], list(self.padding[0]), list(self.padding[1]), [0, 0]])

    def compute_output_shape(self, input_shape):
        dims = as_shape(input_shape).as_list()
        rows = None if dims[1] is None else dims[1] + sum(self.padding[0])
        cols = None if dims[2] is None else dims[2] + sum(self.padding[1])
        return TensorShape([dims[0], rows, cols, dims[3]])

    def get_config(self):
        return {**super().get_config(), "padding": [list(p) for p in self.padding],
                "data_format": self.data_format}
