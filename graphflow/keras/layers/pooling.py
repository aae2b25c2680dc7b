"""Keras's pooling layers (channels last): Max/AveragePooling1D/2D with `pool_size` 2 and
`strides` defaulting to the pool size, and the global poolings (the max or mean over every
spatial position, one value per channel)."""

from __future__ import annotations

from graphflow.core.shape import TensorShape, as_shape
from graphflow.keras.engine.base_layer import InputSpec, Layer
from graphflow.keras.layers.args import channels_last_only, int_tuple
from graphflow.keras.layers.conv import conv_output_length

__all__ = ["AveragePooling1D", "AveragePooling2D", "GlobalAveragePooling1D",
           "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "MaxPooling1D",
           "MaxPooling2D"]


class Pooling(Layer):
    """A `rank`-D window pool: `pool` is graphflow.nn's 'max_pool' or 'avg_pool'."""

    rank = 2
    pool = "max_pool"

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(**kwargs)
        where = f"{type(self).__name__} {self.name!r}"
        n = self.rank
        self.pool_size = int_tuple(pool_size, n, "pool_size", where)
        self.strides = self.pool_size if strides is None else int_tuple(strides, n, "strides",
                                                                         where)
        self.padding = str(padding).lower()
        if self.padding not in ("valid", "same"):
            raise ValueError(f"{where}: padding must be 'valid' or 'same', got {padding!r}")
        self.data_format = channels_last_only(data_format, where)
        self.input_spec = InputSpec(ndim=n + 2)

    def call(self, inputs):
        from graphflow import nn

        pool = getattr(nn, self.pool)
        pad = self.padding.upper()
        if self.rank == 2:
            return pool(inputs, [1, *self.pool_size, 1], [1, *self.strides, 1], pad)
        from graphflow.ops.array import expand_dims, squeeze

        pooled = pool(expand_dims(inputs, 1), [1, 1, *self.pool_size, 1],
                      [1, 1, *self.strides, 1], pad)
        return squeeze(pooled, [1])

    def compute_output_shape(self, input_shape):
        dims = as_shape(input_shape).as_list()
        sizes = [conv_output_length(dims[i + 1], self.pool_size[i], self.padding,
                                    self.strides[i]) for i in range(self.rank)]
        return TensorShape([dims[0], *sizes, dims[-1]])

    def get_config(self):
        return {**super().get_config(), "pool_size": list(self.pool_size),
                "strides": list(self.strides), "padding": self.padding,
                "data_format": self.data_format}


class MaxPooling2D(Pooling):
    """The maximum of each pool_size window (default 2×2, strides = pool_size)."""


class AveragePooling2D(Pooling):
    """The mean of each window; with 'same' padding the padded cells are not counted."""

    pool = "avg_pool"


class MaxPooling1D(Pooling):
    """The maximum of each window along the steps of [batch, steps, channels] inputs."""

    rank = 1


class AveragePooling1D(Pooling):
    """The mean of each window along the steps of [batch, steps, channels] inputs."""

    rank = 1
    pool = "avg_pool"


class GlobalPooling(Layer):
    """The max or mean over all spatial axes: [batch, ..., channels] -> [batch, channels]
    ([batch, 1, ..., channels] with keepdims)."""

    rank = 2
    reduce = "reduce_max"

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = channels_last_only(data_format, f"{type(self).__name__} "
                                                           f"{self.name!r}")
        self.keepdims = bool(keepdims)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        from graphflow.ops import reduce

        return getattr(reduce, self.reduce)(inputs, list(range(1, self.rank + 1)),
                                            keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        dims = as_shape(input_shape).as_list()
        if self.keepdims:
            return TensorShape([dims[0], *[1] * self.rank, dims[-1]])
        return TensorShape([dims[0], dims[-1]])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}


class GlobalMaxPooling2D(GlobalPooling):
    """The maximum over rows and columns, per channel."""


class GlobalAveragePooling2D(GlobalPooling):
    """The mean over rows and columns, per channel."""

    reduce = "reduce_mean"


class GlobalMaxPooling1D(GlobalPooling):
    """The maximum over the steps, per channel."""

    rank = 1


class GlobalAveragePooling1D(GlobalPooling):
    """The mean over the steps, per channel; with a mask [batch, steps] (from
    Embedding(mask_zero=True)) the mean over the unmasked steps only, as Keras. The mask stops
    here."""

    rank = 1
    reduce = "reduce_mean"
    supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        from graphflow.ops.array import expand_dims
        from graphflow.ops.cast import cast
        from graphflow.ops.reduce import reduce_sum

        weights = expand_dims(cast(mask, inputs.dtype), -1)
        return reduce_sum(inputs * weights, 1, keepdims=self.keepdims) / \
            reduce_sum(weights, 1, keepdims=self.keepdims)

    def compute_mask(self, inputs, mask=None):
        return None
