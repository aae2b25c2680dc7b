"""Keras's core layers: Dense, Activation, Dropout, Masking, Flatten, Reshape, Permute,
RepeatVector, Lambda. Dense, Activation and Dropout pass a mask on (Keras's supports_masking);
Masking makes one. Dense's product is `graphflow.layers.dense.dense_apply` (so inputs of rank
> 2 are contracted over their last axis, as Keras does)."""

from __future__ import annotations

import numpy as np

from graphflow.core.shape import TensorShape, as_shape
from graphflow.keras.engine.base_layer import InputSpec, Layer, set_keras_mask
from graphflow.keras.layers.args import (
    activation_arg,
    activity_config,
    in_training,
    serialize_activation,
    weight_args,
    weight_config,
)
from graphflow.keras.regularizers import get as get_regularizer
from graphflow.layers.utils import add_kernel_and_bias

__all__ = ["Activation", "Dense", "Dropout", "Flatten", "Lambda", "Masking", "Permute",
           "RepeatVector", "Reshape"]


class Dense(Layer):
    """activation(inputs · kernel + bias), kernel [in, units] glorot_uniform, bias zeros."""

    supports_masking = True

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        if "input_dim" in kwargs and "input_shape" not in kwargs:  # Dense(32, input_dim=784)
            kwargs["input_shape"] = (kwargs.pop("input_dim"),)
        super().__init__(activity_regularizer=get_regularizer(activity_regularizer), **kwargs)
        self.units = int(units)
        if self.units <= 0:
            raise ValueError(f"Dense {self.name!r}: units must be a positive integer, got "
                             f"{units!r}")
        self.activation = activation_arg(activation)
        self.use_bias = bool(use_bias)
        weight_args(self, kernel_initializer=kernel_initializer,
                    bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                    bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                    bias_constraint=bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.kernel = self.bias = None

    def build(self, input_shape):
        input_shape = as_shape(input_shape)
        if input_shape.rank is None or input_shape[-1] is None:
            raise ValueError(f"The last dimension of the inputs to Dense {self.name!r} should be "
                             f"defined. Found None (input shape {input_shape}).")
        in_dim = input_shape[-1]
        self.input_spec = InputSpec(min_ndim=2, axes={-1: in_dim})
        add_kernel_and_bias(self, [in_dim, self.units], self.units)
        self.built = True

    def call(self, inputs):
        from graphflow.layers.dense import dense_apply

        outputs = dense_apply(inputs, self.kernel, self.bias)
        return self.activation(outputs) if self.activation is not None else outputs

    def compute_output_shape(self, input_shape):
        input_shape = as_shape(input_shape)
        if input_shape.rank is None or input_shape[-1] is None:
            raise ValueError(f"Dense {self.name!r}: the last dimension of the input shape must "
                             f"be defined, got {input_shape}")
        return TensorShape(input_shape.as_list()[:-1] + [self.units])

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": serialize_activation(self.activation), "use_bias": self.use_bias,
                **weight_config(self, "kernel_initializer", "bias_initializer",
                                "kernel_regularizer", "bias_regularizer"),
                **activity_config(self),
                **weight_config(self, "kernel_constraint", "bias_constraint")}


class Activation(Layer):
    """An activation function as a layer (`Activation("relu")`)."""

    supports_masking = True

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activation_arg(activation)

    def call(self, inputs):
        return self.activation(inputs) if self.activation is not None else inputs

    def compute_output_shape(self, input_shape):
        return as_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "activation": serialize_activation(self.activation)}


class Dropout(Layer):
    """Zeroes each input with probability `rate` while training and scales the rest by
    1/(1 - rate); the identity otherwise. `noise_shape` shares the mask along axes of size 1
    (None entries take the input's dimension)."""

    supports_masking = True

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = float(rate)
        if not 0.0 <= self.rate < 1.0:
            raise ValueError(f"Dropout {self.name!r}: rate must be in [0, 1) (the probability "
                             f"of dropping a value), got {rate!r}")
        self.noise_shape = None if noise_shape is None else list(noise_shape)
        self.seed = seed

    def _noise_shape(self, inputs):
        if self.noise_shape is None:
            return None
        from graphflow.ops.joining import stack
        from graphflow.ops.shape_ops import shape as shape_of

        dyn = shape_of(inputs)
        static = inputs.shape.as_list()
        dims = [d if d is not None else (static[i] if static[i] is not None else dyn[i])
                for i, d in enumerate(self.noise_shape)]
        if all(isinstance(d, int) for d in dims):
            return dims
        return stack([d if not isinstance(d, int) else np.int32(d) for d in dims])

    def call(self, inputs, training=None):
        if self.rate == 0.0:
            return inputs
        from graphflow.nn import dropout

        def dropped():
            return dropout(inputs, rate=self.rate, noise_shape=self._noise_shape(inputs),
                           seed=self.seed)

        return in_training(training, dropped, lambda: inputs)

    def compute_output_shape(self, input_shape):
        return as_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape,
                "seed": self.seed}


class Masking(Layer):
    """Marks the time steps whose features all equal `mask_value` as padding: those steps are
    zeroed and the output's mask [batch, time] is False there, so recurrent layers skip them."""

    supports_masking = True

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value

    def _keep(self, inputs, keepdims):
        from graphflow.ops.constant import convert_to_tensor
        from graphflow.ops.elementwise import not_equal
        from graphflow.ops.reduce import reduce_any

        inputs = convert_to_tensor(inputs)
        value = convert_to_tensor(self.mask_value, dtype=inputs.dtype)
        return reduce_any(not_equal(inputs, value), axis=-1, keepdims=keepdims)

    def compute_mask(self, inputs, mask=None):
        return self._keep(inputs, keepdims=False)

    def call(self, inputs):
        from graphflow.ops.array import squeeze
        from graphflow.ops.cast import cast

        keep = self._keep(inputs, keepdims=True)
        outputs = inputs * cast(keep, inputs.dtype)
        set_keras_mask(outputs, squeeze(keep, axis=-1))  # made with the outputs, as Keras does
        return outputs

    def compute_output_shape(self, input_shape):
        return as_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}


def _reshape(inputs, dims):
    """reshape(inputs, [batch, *dims]) with the batch read at run time when unknown."""
    from graphflow.ops.array import reshape

    return reshape(inputs, [-1, *dims]) if -1 not in dims else _reshape_dynamic(inputs, dims)


def _reshape_dynamic(inputs, dims):
    from graphflow.ops.array import reshape
    from graphflow.ops.joining import stack
    from graphflow.ops.shape_ops import shape as shape_of

    batch = inputs.shape[0]
    lead = batch if batch is not None else shape_of(inputs)[0]
    return reshape(inputs, stack([lead, *[np.int32(d) for d in dims]]) if batch is None
                   else [batch, *dims])


class Flatten(Layer):
    """[batch, d1, d2, ...] -> [batch, d1·d2·...]."""

    def __init__(self, data_format=None, **kwargs):
        from graphflow.keras.layers.args import channels_last_only

        super().__init__(**kwargs)
        self.data_format = channels_last_only(data_format, f"Flatten {self.name!r}")
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        from graphflow.ops.array import expand_dims

        rest = inputs.shape.as_list()[1:]
        if not rest:
            return expand_dims(inputs, 1)
        if all(d is not None for d in rest):
            return _reshape(inputs, [int(np.prod(rest))])
        return _reshape_dynamic(inputs, [-1])

    def compute_output_shape(self, input_shape):
        dims = as_shape(input_shape).as_list()
        rest = dims[1:]
        flat = int(np.prod(rest)) if all(d is not None for d in rest) else None
        return TensorShape([dims[0], flat if rest else 1])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class Reshape(Layer):
    """[batch, ...] -> [batch, *target_shape]; one entry may be -1 (inferred)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)
        if sum(d == -1 for d in self.target_shape) > 1:
            raise ValueError(f"Reshape {self.name!r}: target_shape {self.target_shape} can "
                             "have at most one -1 (unknown) dimension")

    def _resolved(self, input_shape):
        """target_shape with the -1 resolved from the input's known size, checked."""
        rest = as_shape(input_shape).as_list()[1:]
        target = list(self.target_shape)
        if any(d is None for d in rest):
            return target
        total = int(np.prod(rest))
        known = int(np.prod([d for d in target if d != -1]))
        if -1 in target:
            if known == 0 or total % known:
                raise ValueError(f"Reshape {self.name!r}: cannot reshape an input of shape "
                                 f"{rest} (per sample) into {self.target_shape}")
            target[target.index(-1)] = total // known
        elif known != total:
            raise ValueError(f"Reshape {self.name!r}: total size of new array must be "
                             f"unchanged, input shape = {rest}, output shape = {target}")
        return target

    def call(self, inputs):
        return _reshape(inputs, self._resolved(inputs.shape))

    def compute_output_shape(self, input_shape):
        target = self._resolved(input_shape)
        return TensorShape([as_shape(input_shape)[0], *[None if d == -1 else d
                                                       for d in target]])

    def get_config(self):
        return {**super().get_config(), "target_shape": list(self.target_shape)}


class Permute(Layer):
    """Transposes the non-batch axes; `dims` counts from 1 (the batch axis is 0 and stays)."""

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(int(d) for d in dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(f"Permute {self.name!r}: invalid permutation dims={dims}; it must "
                             f"contain each of 1..{len(self.dims)} once (the batch axis is 0)")
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs):
        from graphflow.ops.array import transpose

        return transpose(inputs, [0, *self.dims])

    def compute_output_shape(self, input_shape):
        dims = as_shape(input_shape).as_list()
        return TensorShape([dims[0], *[dims[d] for d in self.dims]])

    def get_config(self):
        return {**super().get_config(), "dims": list(self.dims)}


class RepeatVector(Layer):
    """[batch, features] -> [batch, n, features]."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = int(n)
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        from graphflow.ops.array import expand_dims
        from graphflow.ops.slicing import tile

        return tile(expand_dims(inputs, 1), [1, self.n, 1])

    def compute_output_shape(self, input_shape):
        dims = as_shape(input_shape).as_list()
        return TensorShape([dims[0], self.n, dims[1]])

    def get_config(self):
        return {**super().get_config(), "n": self.n}


class Lambda(Layer):
    """`function(inputs, **arguments)` as a layer. Its config stores the function's NAME only
    (graphflow writes no code or pickles to files), so a saved Lambda is rebuilt only when the
    function is passed in `custom_objects` under that name. `mask` is the output's mask: a
    function `(inputs, input_mask) -> mask` or a fixed bool tensor; without one the layer drops
    the input mask, as Keras's Lambda does."""

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Lambda {self.name!r}: function must be callable, got "
                            f"{function!r}")
        if mask is not None and not callable(mask) and not hasattr(mask, "dtype"):
            raise TypeError(f"Lambda {self.name!r}: mask must be a function (inputs, mask) -> "
                            f"mask or a bool tensor, got {mask!r}")
        self.mask = mask
        self.supports_masking = mask is not None
        self.function = function
        self.arguments = dict(arguments or {})
        self._output_shape = output_shape

    def call(self, inputs):
        return self.function(inputs, **self.arguments)

    def compute_mask(self, inputs, mask=None):
        return self.mask(inputs, mask) if callable(self.mask) else self.mask

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return as_shape(self._output_shape(input_shape))
        batch = as_shape(input_shape)[0] if not isinstance(input_shape, list) or \
            all(d is None or isinstance(d, int) for d in input_shape) else None
        return TensorShape([batch, *self._output_shape])

    def get_config(self):
        name = getattr(self.function, "__name__", "<lambda>")
        if name == "<lambda>":
            name = None  # an anonymous function: the config cannot name it
        output_shape = self._output_shape
        if callable(output_shape):
            output_shape = getattr(output_shape, "__name__", None)
        config = {**super().get_config(), "function": name,
                  "output_shape": list(output_shape) if isinstance(output_shape, tuple)
                  else output_shape, "arguments": self.arguments}
        if callable(self.mask):  # by name, as the function (a fixed mask tensor is not saved)
            config["mask"] = getattr(self.mask, "__name__", None)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        name = config.pop("function")
        custom_objects = custom_objects or {}
        if name is None or name not in custom_objects:
            raise ValueError(
                f"Lambda layer {config.get('name')!r}: its function "
                f"{'(an anonymous lambda)' if name is None else repr(name)} cannot be rebuilt "
                "from a config: graphflow stores only the function's name. Define it with "
                "`def` and pass it as custom_objects={'" + str(name) + "': fn} when loading.")
        output_shape = config.pop("output_shape", None)
        if isinstance(output_shape, str):
            output_shape = custom_objects.get(output_shape)
        mask = config.pop("mask", None)
        if mask is not None and mask not in custom_objects:
            raise ValueError(f"Lambda layer {config.get('name')!r}: its mask function {mask!r} "
                             f"cannot be rebuilt from a config; pass it as "
                             f"custom_objects={{{mask!r}: fn}} when loading.")
        return cls(custom_objects[name], output_shape=output_shape,
                   mask=custom_objects.get(mask), **config)
