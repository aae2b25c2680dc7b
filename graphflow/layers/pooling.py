"""Pooling layers over channels-last inputs: `MaxPooling2D`, `AveragePooling2D` (NHWC) and
`MaxPooling1D`, `AveragePooling1D` (NWC, pooled as a height of 1, as TF1 does), with their
functions. The stride has no default (TF1 requires it), the padding defaults to 'valid'."""

from __future__ import annotations

from graphflow.layers.base import InputSpec, Layer
from graphflow.layers.utils import channels_last, nn_function, padding_of, tuple_of


class Pooling(Layer):
    """A `rank`-D pool (`pool_function`: 'max_pool' or 'avg_pool' of graphflow.nn)."""

    rank = 2
    pool_function = "max_pool"

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        channels_last(data_format, type(self).__name__)
        self.pool_size = tuple_of(pool_size, self.rank, "pool_size")
        self.strides = tuple_of(strides, self.rank, "strides")
        self.padding = padding_of(padding).lower()
        self.data_format = data_format
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        pool = nn_function(self.pool_function)
        if self.rank == 2:
            return pool(inputs, [1, *self.pool_size, 1], [1, *self.strides, 1],
                        padding_of(self.padding))
        from graphflow.ops.array import expand_dims, squeeze

        pooled = pool(expand_dims(inputs, 1), [1, 1, *self.pool_size, 1],
                      [1, 1, *self.strides, 1], padding_of(self.padding))
        return squeeze(pooled, [1])


class MaxPooling2D(Pooling):
    """The maximum of each `pool_size` window, windows `strides` apart."""

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name, **kwargs)


class AveragePooling2D(Pooling):
    """The mean of each window; with 'same' padding the padded cells are not counted."""

    pool_function = "avg_pool"

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name, **kwargs)


class MaxPooling1D(Pooling):
    """The maximum of each window along the width of [batch, width, channels] inputs."""

    rank = 1

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name, **kwargs)


class AveragePooling1D(Pooling):
    """The mean of each window along the width of [batch, width, channels] inputs."""

    rank = 1
    pool_function = "avg_pool"

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name, **kwargs)


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    """TF1's `tf.layers.max_pooling2d`: a `MaxPooling2D` layer applied once."""
    return MaxPooling2D(pool_size, strides, padding, data_format, name=name)(inputs)


def average_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                      name=None):
    """TF1's `tf.layers.average_pooling2d`: an `AveragePooling2D` layer applied once."""
    return AveragePooling2D(pool_size, strides, padding, data_format, name=name)(inputs)


def max_pooling1d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    """TF1's `tf.layers.max_pooling1d`: a `MaxPooling1D` layer applied once."""
    return MaxPooling1D(pool_size, strides, padding, data_format, name=name)(inputs)


def average_pooling1d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                      name=None):
    """TF1's `tf.layers.average_pooling1d`: an `AveragePooling1D` layer applied once."""
    return AveragePooling1D(pool_size, strides, padding, data_format, name=name)(inputs)
