"""Layers without variables: `Flatten` and `Dropout`, with their functions."""

from __future__ import annotations

from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape, as_shape
from graphflow.layers.base import InputSpec, Layer
from graphflow.layers.utils import nn_function


class Flatten(Layer):
    """Keep the first (batch) axis, merge the rest: (N, 5, 5, 16) -> (N, 400).

    Args:
        data_format: None or "channels_last" keep the order; "channels_first" flattens NCHW
            inputs in NHWC order, as TF1 does.
        **kwargs: The base Layer's arguments (`dtype`); others raise a TypeError.

    Examples:
        >>> tf.layers.Flatten()(tf.placeholder(tf.float32, [None, 5, 5, 16])).shape
        TensorShape([None, 400])
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if data_format not in (None, "channels_last", "channels_first"):
            raise ValueError(f"data_format must be 'channels_last' or 'channels_first', got "
                             f"{data_format!r}")
        self.data_format = data_format
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        """The inputs reshaped to [batch, the product of the other dims].

        Args:
            inputs: A tensor of known rank, at least 1.

        Returns:
            The 2-D tensor (its second dim unknown when any of the merged dims is).

        Examples:
            >>> with tf.Session() as sess:
            ...     print(sess.run(tf.layers.Flatten()(tf.ones([2, 2, 3]))))
            [[1. 1. 1. 1. 1. 1.]
             [1. 1. 1. 1. 1. 1.]]
        """
        from graphflow.ops.array import reshape, transpose
        from graphflow.ops.joining import stack
        from graphflow.ops.shape_ops import shape as shape_of

        if inputs.shape.rank is None:
            raise ValueError(f"`flatten` needs inputs of known rank, got {inputs.describe()}")
        rank = inputs.shape.rank
        if self.data_format == "channels_first" and rank > 2:  # flatten in NHWC order
            inputs = transpose(inputs, [0, *range(2, rank), 1])
        rest = inputs.shape.as_list()[1:]
        if all(d is not None for d in rest):
            n = 1
            for d in rest:
                n *= d
            return reshape(inputs, [-1, n])
        return reshape(inputs, stack([shape_of(inputs)[0], -1]))

    def compute_output_shape(self, input_shape):
        """The flattened shape for inputs of `input_shape`, without building anything.

        Args:
            input_shape: A TensorShape or list of dims.

        Returns:
            The TensorShape [batch, product of the rest].

        Examples:
            >>> tf.layers.Flatten().compute_output_shape([None, 5, 5, 16])
            TensorShape([None, 400])
        """
        dims = as_shape(input_shape).as_list()
        rest = dims[1:]
        n = None if any(d is None for d in rest) else int(_product(rest))
        return TensorShape([dims[0], n])


def _product(dims):
    out = 1
    for d in dims:
        out *= d
    return out


class Dropout(Layer):
    """TF1's `tf.layers.Dropout`: `rate` of the values set to 0 while training, the rest scaled
    by 1 / (1 - rate); the identity otherwise. `training` is a bool or a bool tensor.

    Args:
        rate: The fraction of values dropped, in [0, 1) (not TF1's `keep_prob` of tf.nn.dropout).
        noise_shape: The shape of the keep/drop mask, broadcast over the inputs (default theirs).
        seed: An int for a repeatable mask (with the graph seed).
        name: The layer's name.
        **kwargs: The base Layer's arguments (`dtype`); others raise a TypeError.

    Examples:
        >>> layer = tf.layers.Dropout(0.5, seed=1)
        >>> training = tf.placeholder(tf.bool, [])
        >>> y = layer(tf.ones([1000]), training=training)
        >>> with tf.Session() as sess:
        ...     print(np.unique(sess.run(y, {training: True})), sess.run(y, {training: False})[:3])
        [0. 2.] [1. 1. 1.]
    """

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, inputs, training=False):
        """The dropped-out inputs when `training`, else the inputs unchanged.

        Args:
            inputs: The input tensor.
            training: A Python bool, or a bool scalar tensor to choose at run time.

        Returns:
            A tensor of the inputs' shape.

        Examples:
            >>> y = tf.layers.Dropout(0.25)(tf.ones([4]), training=False)
            >>> with tf.Session() as sess:
            ...     print(sess.run(y))
            [1. 1. 1. 1.]
        """
        from graphflow.layers.utils import choose
        from graphflow.ops.state import identity

        if not isinstance(training, Tensor):
            return self._drop(inputs) if training else identity(inputs)
        if training.dtype.name != "bool":
            raise TypeError(f"`training` must be a bool or a bool tensor, got "
                            f"{training.describe()}")
        return choose(training, self._drop(inputs), identity(inputs))

    def _drop(self, inputs):
        fn = nn_function("dropout")
        if self.noise_shape is None:
            return fn(inputs, rate=self.rate, seed=self.seed)
        return fn(inputs, rate=self.rate, noise_shape=self.noise_shape, seed=self.seed)

    def compute_output_shape(self, input_shape):
        """The inputs' shape: dropout does not change it.

        Args:
            input_shape: A TensorShape or list of dims.

        Returns:
            The same TensorShape.

        Examples:
            >>> tf.layers.Dropout().compute_output_shape([None, 8])
            TensorShape([None, 8])
        """
        return as_shape(input_shape)


def flatten(inputs, name=None, data_format="channels_last"):
    """TF1's `tf.layers.flatten`: a `Flatten` layer applied once.

    Args:
        inputs: A tensor of known rank, at least 1.
        name: The layer's name.
        data_format: "channels_last" keeps the order; "channels_first" flattens NCHW inputs
            in NHWC order.

    Returns:
        The [batch, product of the rest] tensor.

    Examples:
        >>> tf.layers.flatten(tf.placeholder(tf.float32, [None, 8, 8, 3])).shape
        TensorShape([None, 192])
    """
    return Flatten(data_format=data_format, name=name)(inputs)


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """TF1's `tf.layers.dropout`: a `Dropout` layer applied once (`rate` is the fraction
    dropped; `training` a bool or a bool tensor choosing at run time).

    Note `training=False` by default: pass `training=True` (or a placeholder) while training.

    Args:
        inputs: The input tensor.
        rate: The fraction of values dropped; the rest are scaled by 1 / (1 - rate).
        noise_shape: The mask's shape, broadcast over the inputs (default theirs).
        seed: An int for a repeatable mask (with the graph seed).
        training: A Python bool, or a bool scalar tensor.
        name: The layer's name.

    Returns:
        A tensor of the inputs' shape.

    Examples:
        >>> y = tf.layers.dropout(tf.ones([1000]), rate=0.75, training=True, seed=3)
        >>> with tf.Session() as sess:
        ...     print(np.unique(sess.run(y)))
        [0. 4.]
    """
    return Dropout(rate, noise_shape=noise_shape, seed=seed, name=name)(inputs, training=training)
