"""Layers without variables: `Flatten` and `Dropout`, with their functions."""

from __future__ import annotations

from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape, as_shape
from graphflow.layers.base import InputSpec, Layer
from graphflow.layers.utils import nn_function


class Flatten(Layer):
    """Keep the first (batch) axis, merge the rest: (N, 5, 5, 16) -> (N, 400)."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if data_format not in (None, "channels_last", "channels_first"):
            raise ValueError(f"data_format must be 'channels_last' or 'channels_first', got "
                             f"{data_format!r}")
        self.data_format = data_format
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
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
    by 1 / (1 - rate); the identity otherwise. `training` is a bool or a bool tensor."""

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, inputs, training=False):
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
        return as_shape(input_shape)


def flatten(inputs, name=None, data_format="channels_last"):
    """TF1's `tf.layers.flatten`: a `Flatten` layer applied once."""
    return Flatten(data_format=data_format, name=name)(inputs)


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """TF1's `tf.layers.dropout`: a `Dropout` layer applied once (`rate` is the fraction
    dropped; `training` a bool or a bool tensor choosing at run time)."""
    return Dropout(rate, noise_shape=noise_shape, seed=seed, name=name)(inputs, training=training)
