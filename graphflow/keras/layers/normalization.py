"""Keras's BatchNormalization and LayerNormalization.

BatchNormalization: gamma/beta trainable, moving_mean/moving_variance not (4 values
per channel, 2 of them non-trainable).

Training normalises with the batch's statistics and adds the moving-average updates
`moving -= (moving - batch) · (1 - momentum)` through `add_update` (the engine runs them with the
training step); inference uses the moving statistics. With `training` None the learning phase
decides at run time; a frozen layer (`trainable=False`) always runs in inference mode, as in
tf.keras 2. As tf.keras's fused kernel does for 4-D inputs (channels last or first), the
moving variance is fed the unbiased batch variance (× m/(m-1), m values per channel); the
outputs always use the biased one.
"""

from __future__ import annotations

from graphflow.core.node import Tensor
from graphflow.core.shape import as_shape
from graphflow.keras.engine.base_layer import InputSpec, Layer
from graphflow.keras.layers.args import training_value, weight_args, weight_config

__all__ = ["BatchNormalization", "LayerNormalization"]


class BatchNormalization(Layer):
    """Normalise over every axis but `axis` (one int, default -1, the channels)."""

    supports_masking = True  # the mask passes on; training statistics skip masked steps

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        for unsupported in ("renorm", "virtual_batch_size", "adjustment"):
            if kwargs.pop(unsupported, None):
                raise ValueError(f"BatchNormalization: {unsupported} is not supported by "
                                 "graphflow")
        kwargs.pop("fused", None)
        kwargs.pop("renorm_clipping", None)
        kwargs.pop("renorm_momentum", None)
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)) and len(axis) == 1:
            axis = axis[0]
        if not isinstance(axis, int):
            raise TypeError(f"BatchNormalization {self.name!r}: graphflow takes one int axis, "
                            f"got {axis!r}")
        self.axis, self.momentum, self.epsilon = axis, float(momentum), float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        weight_args(self, beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
                    moving_mean_initializer=moving_mean_initializer,
                    moving_variance_initializer=moving_variance_initializer,
                    beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
                    beta_constraint=beta_constraint, gamma_constraint=gamma_constraint)
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None

    def build(self, input_shape):
        input_shape = as_shape(input_shape)
        rank = input_shape.rank
        if rank is None or not -rank <= self.axis < rank:
            raise ValueError(f"BatchNormalization {self.name!r}: axis {self.axis} is out of "
                             f"range for inputs of shape {input_shape}")
        axis = self.axis % rank
        channels = input_shape[axis]
        if channels is None:
            raise ValueError(f"BatchNormalization {self.name!r}: axis {self.axis} of the "
                             f"inputs should have a defined dimension, got {input_shape}")
        self._axis = axis
        self.input_spec = InputSpec(ndim=rank, axes={axis: channels})
        if self.scale:
            self.gamma = self.add_weight("gamma", [channels], initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight("beta", [channels], initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)
        self.moving_mean = self.add_weight("moving_mean", [channels], trainable=False,
                                           initializer=self.moving_mean_initializer)
        self.moving_variance = self.add_weight("moving_variance", [channels], trainable=False,
                                               initializer=self.moving_variance_initializer)
        self.built = True

    def _shaped(self, t, rank):
        """A [C] tensor reshaped to broadcast along the channel axis."""
        if t is None or self._axis == rank - 1:
            return t
        from graphflow.ops.array import reshape

        channels = self.moving_mean.shape[0]
        return reshape(t, [channels if i == self._axis else 1 for i in range(rank)])

    def _normalize(self, inputs, mean, variance):
        from graphflow.nn import batch_normalization

        rank = inputs.shape.rank
        return batch_normalization(inputs, self._shaped(mean, rank),
                                   self._shaped(variance, rank), self._shaped(self.beta, rank),
                                   self._shaped(self.gamma, rank), self.epsilon)

    def _masked_moments(self, inputs, mask, axes):
        """Mean and variance over `axes` of the unmasked steps only (Keras's weighted moments
        with the mask [batch, steps] as frequency weights)."""
        from graphflow.ops.array import expand_dims
        from graphflow.ops.cast import cast
        from graphflow.ops.elementwise import maximum, square
        from graphflow.ops.reduce import reduce_sum
        from graphflow.ops.shape_ops import ones_like

        weights = expand_dims(cast(mask, inputs.dtype), -1)
        count = maximum(reduce_sum(weights * ones_like(inputs), axes), 1.0)
        mean = reduce_sum(inputs * weights, axes) / count
        variance = reduce_sum(square(inputs - mean) * weights, axes) / count
        return mean, variance

    def call(self, inputs, training=None, mask=None):
        from graphflow.layers.utils import choose
        from graphflow.nn import moments

        # tf.keras 2: a frozen layer (trainable=False) normalises with its moving statistics
        # and does not update them, whatever the training flag (fine-tuning keeps them).
        training = training_value(training) if self.trainable else False
        if training is False:
            return self._normalize(inputs, self.moving_mean, self.moving_variance)
        rank = inputs.shape.rank
        axes = [i for i in range(rank) if i != self._axis]
        if mask is not None and self._axis == rank - 1 and mask.shape.rank == rank - 1:
            batch_mean, batch_var = self._masked_moments(inputs, mask, axes)
        else:
            batch_mean, batch_var = moments(inputs, axes)
        update_var = self._unbiased(inputs, batch_var) if rank == 4 and \
            self._axis in (1, 3) else batch_var
        if isinstance(training, Tensor):
            mean = choose(training, batch_mean, self.moving_mean)
            variance = choose(training, batch_var, self.moving_variance)
            new_mean = choose(training, batch_mean, self.moving_mean)
            new_var = choose(training, update_var, self.moving_variance)
        else:
            mean, variance, new_mean, new_var = batch_mean, batch_var, batch_mean, update_var
        self.add_update([self._moving_average(self.moving_mean, new_mean),
                         self._moving_average(self.moving_variance, new_var)])
        return self._normalize(inputs, mean, variance)

    def _moving_average(self, variable, value):
        from graphflow.core.graph import get_default_graph

        with get_default_graph().name_scope("AssignMovingAvg") as scope:
            return variable.assign_sub((variable - value) * (1.0 - self.momentum), name=scope)

    def _unbiased(self, inputs, batch_var):
        """batch_var · m/(m-1), m the values per channel (at run time when unknown)."""
        from graphflow.ops.cast import cast
        from graphflow.ops.elementwise import maximum
        from graphflow.ops.shape_ops import size

        channels = self.moving_mean.shape[0]
        count = inputs.shape.num_elements()
        if count is not None:
            m = count // channels
            return batch_var * (m / max(m - 1, 1))
        m = cast(size(inputs), inputs.dtype) / float(channels)
        return batch_var * (m / maximum(m - 1.0, 1.0))

    def compute_output_shape(self, input_shape):
        return as_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
                **weight_config(self, "beta_initializer", "gamma_initializer",
                                "moving_mean_initializer", "moving_variance_initializer",
                                "beta_regularizer", "gamma_regularizer", "beta_constraint",
                                "gamma_constraint")}


class LayerNormalization(Layer):
    """Each sample normalised over `axis` (an int or a list, default the last) with its own mean
    and variance, then scaled by gamma and shifted by beta (shaped like those axes)."""

    supports_masking = True

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.axis = [int(a) for a in axis] if isinstance(axis, (list, tuple)) else int(axis)
        self.epsilon, self.center, self.scale = float(epsilon), bool(center), bool(scale)
        weight_args(self, beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
                    beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
                    beta_constraint=beta_constraint, gamma_constraint=gamma_constraint)
        self.gamma = self.beta = None

    def build(self, input_shape):
        input_shape = as_shape(input_shape)
        rank = input_shape.rank
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        if rank is None or any(not -rank <= a < rank for a in axes):
            raise ValueError(f"LayerNormalization {self.name!r}: axis {self.axis} is out of "
                             f"range for inputs of shape {input_shape}")
        self._axes = sorted(a % rank for a in axes)
        dims = [input_shape[a] for a in self._axes]
        if any(d is None for d in dims):
            raise ValueError(f"LayerNormalization {self.name!r}: the normalised axes need known "
                             f"sizes, got input shape {input_shape}")
        if self.scale:
            self.gamma = self.add_weight("gamma", dims, initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight("beta", dims, initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)
        self.built = True

    def _shaped(self, t, rank):
        if t is None or self._axes == list(range(rank - len(self._axes), rank)):
            return t  # trailing axes broadcast as they are
        from graphflow.ops.array import reshape

        dims = t.shape.as_list()
        shape = [1] * rank
        for a, d in zip(self._axes, dims):
            shape[a] = d
        return reshape(t, shape)

    def call(self, inputs):
        from graphflow.nn import batch_normalization, moments

        rank = inputs.shape.rank
        mean, variance = moments(inputs, self._axes, keep_dims=True)
        return batch_normalization(inputs, mean, variance, self._shaped(self.beta, rank),
                                   self._shaped(self.gamma, rank), self.epsilon)

    def compute_output_shape(self, input_shape):
        return as_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale,
                **weight_config(self, "beta_initializer", "gamma_initializer",
                                "beta_regularizer", "gamma_regularizer", "beta_constraint",
                                "gamma_constraint")}
