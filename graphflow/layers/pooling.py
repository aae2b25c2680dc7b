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
    """The maximum of each `pool_size` window, windows `strides` apart.

    Over [batch, height, width, channels] inputs.

    Args:
        pool_size: The window's size: an int, or one per spatial axis.
        strides: The step between windows: an int, or one per spatial axis (no default, as in TF1).
        padding: "valid" (windows inside the input) or "same" (size / stride windows), any case.
        data_format: "channels_last" only; TF1 also takes "channels_first".
        name: The layer's name.
        **kwargs: The base Layer's arguments (`dtype`); others raise a TypeError.

    Examples:
        >>> x = tf.reshape(tf.range(16.0), [1, 4, 4, 1])
        >>> y = tf.layers.MaxPooling2D(2, 2)(x)
        >>> with tf.Session() as sess:
        ...     print(sess.run(y)[0, :, :, 0])
        [[ 5.  7.]
         [13. 15.]]
    """

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name, **kwargs)


class AveragePooling2D(Pooling):
    """The mean of each window; with 'same' padding the padded cells are not counted.

    Over [batch, height, width, channels] inputs.

    Args:
        pool_size: The window's size: an int, or one per spatial axis.
        strides: The step between windows: an int, or one per spatial axis (no default, as in TF1).
        padding: "valid" (windows inside the input) or "same" (size / stride windows), any case.
        data_format: "channels_last" only; TF1 also takes "channels_first".
        name: The layer's name.
        **kwargs: The base Layer's arguments (`dtype`); others raise a TypeError.

    Examples:
        >>> x = tf.reshape(tf.range(16.0), [1, 4, 4, 1])
        >>> y = tf.layers.AveragePooling2D(2, 2)(x)
        >>> with tf.Session() as sess:
        ...     print(sess.run(y)[0, :, :, 0])
        [[ 2.5  4.5]
         [10.5 12.5]]
    """

    pool_function = "avg_pool"

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name, **kwargs)


class MaxPooling1D(Pooling):
    """The maximum of each window along the width of [batch, width, channels] inputs.

    Args:
        pool_size: The window's size: an int, or one per spatial axis.
        strides: The step between windows: an int, or one per spatial axis (no default, as in TF1).
        padding: "valid" (windows inside the input) or "same" (size / stride windows), any case.
        data_format: "channels_last" only; TF1 also takes "channels_first".
        name: The layer's name.
        **kwargs: The base Layer's arguments (`dtype`); others raise a TypeError.

    Examples:
        >>> x = tf.reshape(tf.range(6.0), [1, 6, 1])
        >>> y = tf.layers.MaxPooling1D(2, 2)(x)
        >>> with tf.Session() as sess:
        ...     print(sess.run(y)[0, :, 0])
        [1. 3. 5.]
    """

    rank = 1

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name, **kwargs)


class AveragePooling1D(Pooling):
    """The mean of each window along the width of [batch, width, channels] inputs.

    Args:
        pool_size: The window's size: an int, or one per spatial axis.
        strides: The step between windows: an int, or one per spatial axis (no default, as in TF1).
        padding: "valid" (windows inside the input) or "same" (size / stride windows), any case.
        data_format: "channels_last" only; TF1 also takes "channels_first".
        name: The layer's name.
        **kwargs: The base Layer's arguments (`dtype`); others raise a TypeError.

    Examples:
        >>> x = tf.reshape(tf.range(6.0), [1, 6, 1])
        >>> y = tf.layers.AveragePooling1D(3, 3)(x)
        >>> with tf.Session() as sess:
        ...     print(sess.run(y)[0, :, 0])
        [1. 4.]
    """

    rank = 1
    pool_function = "avg_pool"

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name, **kwargs)


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    """TF1's `tf.layers.max_pooling2d`: a `MaxPooling2D` layer applied once.

    Args:
        inputs: The input tensor.
        pool_size: The window's size: an int, or one per spatial axis.
        strides: The step between windows: an int, or one per spatial axis (no default, as in TF1).
        padding: "valid" (windows inside the input) or "same" (size / stride windows), any case.
        data_format: "channels_last" only; TF1 also takes "channels_first".
        name: The layer's name.

    Returns:
        The pooled tensor.

    Examples:
        >>> x = tf.reshape(tf.range(16.0), [1, 4, 4, 1])
        >>> y = tf.layers.max_pooling2d(x, 3, 1)
        >>> with tf.Session() as sess:
        ...     print(sess.run(y)[0, :, :, 0])
        [[10. 11.]
         [14. 15.]]
    """
    return MaxPooling2D(pool_size, strides, padding, data_format, name=name)(inputs)


def average_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                      name=None):
    """TF1's `tf.layers.average_pooling2d`: an `AveragePooling2D` layer applied once.

    Args:
        inputs: The input tensor.
        pool_size: The window's size: an int, or one per spatial axis.
        strides: The step between windows: an int, or one per spatial axis (no default, as in TF1).
        padding: "valid" (windows inside the input) or "same" (size / stride windows), any case.
        data_format: "channels_last" only; TF1 also takes "channels_first".
        name: The layer's name.

    Returns:
        The pooled tensor.

    Examples:
        >>> x = tf.ones([1, 3, 3, 1])
        >>> y = tf.layers.average_pooling2d(x, 2, 2, padding="same")
        >>> with tf.Session() as sess:
        ...     print(sess.run(y)[0, :, :, 0])
        [[1. 1.]
         [1. 1.]]
    """
    return AveragePooling2D(pool_size, strides, padding, data_format, name=name)(inputs)


def max_pooling1d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    """TF1's `tf.layers.max_pooling1d`: a `MaxPooling1D` layer applied once.

    Args:
        inputs: The input tensor.
        pool_size: The window's size: an int, or one per spatial axis.
        strides: The step between windows: an int, or one per spatial axis (no default, as in TF1).
        padding: "valid" (windows inside the input) or "same" (size / stride windows), any case.
        data_format: "channels_last" only; TF1 also takes "channels_first".
        name: The layer's name.

    Returns:
        The pooled tensor.

    Examples:
        >>> x = tf.reshape(tf.range(6.0), [1, 6, 1])
        >>> y = tf.layers.max_pooling1d(x, 3, 2, padding="same")
        >>> with tf.Session() as sess:
        ...     print(sess.run(y)[0, :, 0])
        [2. 4. 5.]
    """
    return MaxPooling1D(pool_size, strides, padding, data_format, name=name)(inputs)


def average_pooling1d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                      name=None):
    """TF1's `tf.layers.average_pooling1d`: an `AveragePooling1D` layer applied once.

    Args:
        inputs: The input tensor.
        pool_size: The window's size: an int, or one per spatial axis.
        strides: The step between windows: an int, or one per spatial axis (no default, as in TF1).
        padding: "valid" (windows inside the input) or "same" (size / stride windows), any case.
        data_format: "channels_last" only; TF1 also takes "channels_first".
        name: The layer's name.

    Returns:
        The pooled tensor.

    Examples:
        >>> x = tf.reshape(tf.range(6.0), [1, 6, 1])
        >>> y = tf.layers.average_pooling1d(x, 2, 2)
        >>> with tf.Session() as sess:
        ...     print(sess.run(y)[0, :, 0])
        [0.5 2.5 4.5]
    """
    return AveragePooling1D(pool_size, strides, padding, data_format, name=name)(inputs)
