"""Keras's regularising noise layers, active only while training (the learning phase or
`training=True`): GaussianNoise (adds N(0, stddev²)), GaussianDropout (multiplies by
N(1, rate/(1-rate))), and SpatialDropout1D/2D (Dropout with one mask value per channel of each
sample, so whole feature maps are dropped)."""

from __future__ import annotations

from graphflow.core.shape import as_shape
from graphflow.keras.engine.base_layer import Layer
from graphflow.keras.layers.args import channels_last_only, in_training
from graphflow.keras.layers.core import Dropout

__all__ = ["GaussianDropout", "GaussianNoise", "SpatialDropout1D", "SpatialDropout2D"]


def _normal_like(inputs, mean, stddev, seed):
    from graphflow.ops.random import random_normal
    from graphflow.ops.shape_ops import shape

    return random_normal(shape(inputs), mean, stddev, inputs.dtype, seed)


class GaussianNoise(Layer):
    """inputs + N(0, stddev²) noise while training."""

    supports_masking = True

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.stddev, self.seed = float(stddev), seed

    def call(self, inputs, training=None):
        return in_training(training,
                           lambda: inputs + _normal_like(inputs, 0.0, self.stddev, self.seed),
                           lambda: inputs)

    def compute_output_shape(self, input_shape):
        return as_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


class GaussianDropout(Layer):
    """inputs · N(1, rate/(1 - rate)) while training (mean-preserving multiplicative noise)."""

    supports_masking = True

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate, self.seed = float(rate), seed
        if not 0.0 <= self.rate < 1.0:
            raise ValueError(f"GaussianDropout {self.name!r}: rate must be in [0, 1), got "
                             f"{rate!r}")

    def call(self, inputs, training=None):
        if self.rate == 0.0:
            return inputs
        stddev = (self.rate / (1.0 - self.rate)) ** 0.5
        return in_training(training,
                           lambda: inputs * _normal_like(inputs, 1.0, stddev, self.seed),
                           lambda: inputs)

    def compute_output_shape(self, input_shape):
        return as_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


class SpatialDropout1D(Dropout):
    """Dropout of whole channels of [batch, steps, channels] inputs."""

    rank = 1

    def __init__(self, rate, data_format=None, **kwargs):
        kwargs.pop("noise_shape", None)  # fixed by the layer; a saved config may carry it
        super().__init__(rate, **kwargs)
        self.data_format = channels_last_only(data_format, f"{type(self).__name__} "
                                                           f"{self.name!r}")
        self.noise_shape = [None, *[1] * self.rank, None]

    def get_config(self):
        config = super().get_config()
        del config["noise_shape"]
        if self.rank == 2:
            config["data_format"] = self.data_format
        return config


class SpatialDropout2D(SpatialDropout1D):
    """Dropout of whole feature maps of [batch, rows, cols, channels] inputs."""

    rank = 2
