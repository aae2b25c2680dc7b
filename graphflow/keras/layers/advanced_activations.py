"""Keras's activation layers with parameters: LeakyReLU, ReLU, ELU, Softmax, and PReLU (a
learned slope `alpha` per input position, shared along `shared_axes`)."""

from __future__ import annotations

from graphflow.core.shape import as_shape
from graphflow.keras import activations
from graphflow.keras.engine.base_layer import InputSpec, Layer
from graphflow.keras.layers.args import weight_args, weight_config

__all__ = ["ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax"]


class _Elementwise(Layer):
    """A shape-preserving activation layer (a mask passes through, as in Keras)."""

    supports_masking = True

    def compute_output_shape(self, input_shape):
        return as_shape(input_shape)


class LeakyReLU(_Elementwise):
    """x for x >= 0, alpha·x below (alpha 0.3 by default, as Keras 2)."""

    def __init__(self, alpha=0.3, **kwargs):
        super().__init__(**kwargs)
        if alpha is None:
            raise ValueError(f"LeakyReLU {self.name!r}: alpha of None is not allowed")
        self.alpha = float(alpha)

    def call(self, inputs):
        from graphflow.nn import leaky_relu

        return leaky_relu(inputs, alpha=self.alpha)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}


class ReLU(_Elementwise):
    """`activations.relu` with max_value, negative_slope and threshold."""

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0:
            raise ValueError(f"ReLU {self.name!r}: max_value must be >= 0, got {max_value}")
        if negative_slope < 0:
            raise ValueError(f"ReLU {self.name!r}: negative_slope must be >= 0, got "
                             f"{negative_slope}")
        self.max_value = None if max_value is None else float(max_value)
        self.negative_slope, self.threshold = float(negative_slope), float(threshold)

    def call(self, inputs):
        return activations.relu(inputs, alpha=self.negative_slope, max_value=self.max_value,
                                threshold=self.threshold)

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}


class ELU(_Elementwise):
    """x for x > 0, alpha·(exp(x) - 1) otherwise."""

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = float(alpha)

    def call(self, inputs):
        return activations.elu(inputs, self.alpha)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}


class Softmax(_Elementwise):
    """exp(x) normalised along `axis`."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)

    def call(self, inputs):
        return activations.softmax(inputs, axis=self.axis)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class PReLU(_Elementwise):
    """x for x >= 0, alpha·x below, alpha a weight shaped like one sample (size 1 along the
    `shared_axes`, counted from 1 as the batch is axis 0)."""

    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None,
                 alpha_constraint=None, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        weight_args(self, alpha_initializer=alpha_initializer,
                    alpha_regularizer=alpha_regularizer, alpha_constraint=alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, int):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = [int(a) for a in shared_axes]
        self.alpha = None

    def build(self, input_shape):
        dims = as_shape(input_shape).as_list()[1:]
        for axis in self.shared_axes or []:
            if not 1 <= axis <= len(dims):
                raise ValueError(f"PReLU {self.name!r}: shared axis {axis} is out of range for "
                                 f"inputs of shape {input_shape} (axes count from 1)")
            dims[axis - 1] = 1
        if any(d is None for d in dims):
            raise ValueError(f"PReLU {self.name!r}: every non-shared axis needs a known size, "
                             f"got input shape {input_shape}")
        self.alpha = self.add_weight("alpha", dims, initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint)
        axes = {i + 1: d for i, d in enumerate(dims) if d != 1}
        self.input_spec = InputSpec(ndim=len(dims) + 1, axes=axes)
        self.built = True

    def call(self, inputs):
        from graphflow.ops.elementwise import relu

        return relu(inputs) - self.alpha * relu(-inputs)

    def get_config(self):
        return {**super().get_config(),
                **weight_config(self, "alpha_initializer", "alpha_regularizer",
                                "alpha_constraint"), "shared_axes": self.shared_axes}
