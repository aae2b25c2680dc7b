"""Keras's recurrent cells: one time step each, `output, new_states = cell(x, states)`.

Weights and gate order as tf-keras 2.x (so `set_weights` with Keras arrays gives Keras's
numbers): `kernel` [in, k·units], `recurrent_kernel` [units, k·units], `bias`.

- SimpleRNNCell: h' = act(x·W + b + h·U).
- LSTMCell, gates i, f, c, o: z = x·W + h·U + b; c' = σ(f)·c + σ(i)·act(c̃); h' = σ(o)·act(c');
  state [h, c]; `unit_forget_bias` starts the forget bias at 1.
- GRUCell, gates z, r, h. `reset_after=True` (tf-keras 2.x's default, the CuDNN convention) has
  bias [2, 3·units] (input and recurrent biases) and h̃ = act(x·W_h + b_h + r·(h·U_h + b'_h));
  `reset_after=False` (Keras 2.2 and TF1's GRUCell) has bias [3·units] and
  h̃ = act(x·W_h + b_h + (r·h)·U_h). Both: h' = z·h + (1 - z)·h̃.
- StackedRNNCells: cells run one after the other in a step; the state is their states in order.

Dropout (`dropout` on inputs, `recurrent_dropout` on the state) uses one mask per call of the
layer, the same at every step, drawn only in the training phase (Keras's implementation 2).
"""

from __future__ import annotations

from graphflow.core.site import argument_error
from graphflow.initializers import Initializer
from graphflow.keras import activations, constraints, initializers, regularizers
from graphflow.keras.engine.base_layer import Layer
from graphflow.keras.layers.args import in_training
from graphflow.nn.rnn.cell import zeros_for_sizes
from graphflow.ops.joining import concat, split
from graphflow.ops.matmul import matmul
from graphflow.ops.nn_misc import dropout as dropout_op
from graphflow.ops.nn_norm import bias_add
from graphflow.ops.shape_ops import ones, ones_like
from graphflow.variable_scope import variable_scope

__all__ = ["GRUCell", "LSTMCell", "SimpleRNNCell", "StackedRNNCells", "build_sublayer",
           "flat_state_sizes", "layer_config", "layer_from_config",
           "zero_states"]


def flat_state_sizes(state_size) -> list[int]:
    """A cell's `state_size` (an int or a nested list of ints) as a flat list."""
    if isinstance(state_size, int):
        return [state_size]
    return [n for s in state_size for n in flat_state_sizes(s)]


def build_sublayer(layer, input_shape) -> None:
    """Build `layer` in its own variable scope under the current one (`lstm/lstm_cell/...`), as
    its first call would, without calling it (a cell's first call happens inside the loop)."""
    if layer.built:
        return
    from graphflow.core.graph import get_default_graph

    layer._set_scope(None)
    with variable_scope(layer._scope, auxiliary_name_scope=False):
        with get_default_graph().name_scope(layer._scope.original_name_scope):
            layer.build(input_shape)
    layer.built = True


class _ForgetBias(Initializer):
    """The LSTM bias with `unit_forget_bias`: the forget gate's quarter ones, the rest from
    `base` (Keras's rule)."""

    def __init__(self, base, units: int):
        self.base, self.units = base, units

    def __call__(self, shape, dtype=None, partition_info=None):
        u = self.units
        return concat([self.base((u,), dtype=dtype), ones((u,), dtype=dtype),
                       self.base((2 * u,), dtype=dtype)], 0)


def layer_config(layer) -> dict:
    """`{"class_name", "config"}` of a layer, as Keras nests layers in a config."""
    return {"class_name": type(layer).__name__, "config": layer.get_config()}


def _layer_classes(base) -> dict:
    found = {}
    for sub in base.__subclasses__():
        found.setdefault(sub.__name__, sub)
        for name, cls in _layer_classes(sub).items():
            found.setdefault(name, cls)
    return found


def layer_from_config(config: dict, custom_objects=None):
    """The layer `layer_config` describes, its class from `custom_objects` or among the Keras
    layer classes defined so far (graphflow.keras.layers defines them all)."""
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _layer_classes(Layer).get(name)
    if cls is None:
        raise ValueError(f"Unknown layer: {name!r}; pass it in custom_objects")
    if "custom_objects" in cls.from_config.__code__.co_varnames:
        return cls.from_config(config["config"], custom_objects=custom_objects)
    return cls.from_config(config["config"])


def _serial(module, value):
    return None if value is None else module.serialize(value)


class _Cell(Layer):
    """Shared arguments of the three cells: activations, weight options, dropout masks. Each
    cell defines `step(zx, states, h_in) -> (output, new states)` from the projected inputs
    `zx = project(x)`, the states, and `h_in`, the state as the recurrent kernel reads it
    (masked by recurrent dropout)."""

    n_gates = 1

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, **kwargs):
        kwargs.pop("implementation", None)  # one implementation here (Keras's 2)
        super().__init__(**kwargs)
        if int(units) <= 0:
            raise argument_error(type(self).__name__, f"units must be a positive integer, got "
                                 f"{units!r}", ValueError)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = min(1.0, max(0.0, float(dropout)))
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
        self._masks = None

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self) -> int:
        return self.units

    def _weights(self, input_shape, bias_shape, bias_initializer=None) -> None:
        depth = input_shape[-1]
        if depth is None:
            raise argument_error(type(self).__name__, "the last axis of the inputs must be "
                                 f"known to build the cell, got input shape {input_shape}")
        width = self.n_gates * self.units
        self.kernel = self.add_weight("kernel", (depth, width),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight("recurrent_kernel", (self.units, width),
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)
        self.bias = self.add_weight("bias", bias_shape,
                                    initializer=bias_initializer or self.bias_initializer,
                                    regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None

    def build(self, input_shape) -> None:
        self._weights(input_shape, (self.n_gates * self.units,))

    # --- dropout masks, drawn once per layer call ------------------------------------------
    def prepare_masks(self, step_input, states, training) -> None:
        """Draw this call's masks (outside the time loop, so every step shares them) for
        inputs like `step_input` [batch, in] and the state `states[0]` [batch, units]."""
        def mask(like, rate):
            if rate <= 0:
                return None
            return in_training(training, lambda: dropout_op(ones_like(like), rate=rate),
                               lambda: ones_like(like))

        self._masks = (mask(step_input, self.dropout), mask(states[0], self.recurrent_dropout))

    def reset_masks(self) -> None:
        self._masks = None

    def _masked(self, x, h, training):
        if self._masks is None and (self.dropout > 0 or self.recurrent_dropout > 0):
            self.prepare_masks(x, [h], training)  # a cell called on its own: masks for this call
            masks, self._masks = self._masks, None
        else:
            masks = self._masks or (None, None)
        x = x if masks[0] is None else x * masks[0]
        h = h if masks[1] is None else h * masks[1]
        return x, h

    # --- one step: the input part, which needs no state, and the recurrent part -----------
    def call(self, inputs, states, training=None):
        states = _states(self, states)
        x, h_in = self._masked(inputs, states[0], training)
        return self.step(self.project(x), states, h_in)

    def input_bias(self):
        return self.bias

    def project(self, x):
        """x·W (+ the input bias): the part of a step that does not need the state."""
        z = matmul(x, self.kernel)
        bias = self.input_bias() if self.bias is not None else None
        return z if bias is None else bias_add(z, bias)

    def get_config(self) -> dict:
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "use_bias": self.use_bias,
                "kernel_initializer": _serial(initializers, self.kernel_initializer),
                "recurrent_initializer": _serial(initializers, self.recurrent_initializer),
                "bias_initializer": _serial(initializers, self.bias_initializer),
                "kernel_regularizer": _serial(regularizers, self.kernel_regularizer),
                "recurrent_regularizer": _serial(regularizers, self.recurrent_regularizer),
                "bias_regularizer": _serial(regularizers, self.bias_regularizer),
                "kernel_constraint": _serial(constraints, self.kernel_constraint),
                "recurrent_constraint": _serial(constraints, self.recurrent_constraint),
                "bias_constraint": _serial(constraints, self.bias_constraint),
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout}


def _states(cell, states) -> list:
    states = list(states) if isinstance(states, (list, tuple)) else [states]
    want = len(flat_state_sizes(cell.state_size))
    if len(states) != want:
        raise argument_error(type(cell).__name__, f"expected {want} state tensor(s), got "
                             f"{len(states)}", ValueError)
    return states


class SimpleRNNCell(_Cell):
    """The Elman cell: h' = act(x·W + b + h·U); its output is its state."""

    def __init__(self, units, activation="tanh", **kwargs):
        kwargs.pop("recurrent_activation", None)
        super().__init__(units, activation=activation, **kwargs)

    def step(self, zx, states, h_in):
        out = self.activation(zx + matmul(h_in, self.recurrent_kernel))
        return out, [out]

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("recurrent_activation")
        return config


class LSTMCell(_Cell):
    """Keras's LSTM step, gates i, f, c, o in that order along the kernels' columns."""

    n_gates = 4

    def __init__(self, units, unit_forget_bias=True, **kwargs):
        super().__init__(units, **kwargs)
        self.unit_forget_bias = bool(unit_forget_bias)

    @property
    def state_size(self):
        return [self.units, self.units]

    def build(self, input_shape) -> None:
        init = _ForgetBias(self.bias_initializer, self.units) if self.unit_forget_bias else None
        self._weights(input_shape, (4 * self.units,), init)

    def step(self, zx, states, h_in):
        c = states[1]
        i, f, g, o = split(zx + matmul(h_in, self.recurrent_kernel), 4, axis=1)
        c_new = self.recurrent_activation(f) * c + \
            self.recurrent_activation(i) * self.activation(g)
        h_new = self.recurrent_activation(o) * self.activation(c_new)
        return h_new, [h_new, c_new]

    def get_config(self) -> dict:
        return {**super().get_config(), "unit_forget_bias": self.unit_forget_bias}


class GRUCell(_Cell):
    """Keras's GRU step, gates z, r, h; `reset_after` (default True, tf-keras 2.x) picks where
    the reset gate applies (see the module docstring)."""

    n_gates = 3

    def __init__(self, units, reset_after=True, **kwargs):
        super().__init__(units, **kwargs)
        self.reset_after = bool(reset_after)

    def build(self, input_shape) -> None:
        width = 3 * self.units
        self._weights(input_shape, (2, width) if self.reset_after else (width,))

    def input_bias(self):
        return self.bias[0] if self.reset_after else self.bias

    def step(self, zx, states, h_in):
        h, u = states[0], self.units
        x_z, x_r, x_h = split(zx, 3, axis=1)
        if self.reset_after:
            hu = matmul(h_in, self.recurrent_kernel)
            if self.bias is not None:
                hu = bias_add(hu, self.bias[1])
            h_z, h_r, h_h = split(hu, 3, axis=1)
            z = self.recurrent_activation(x_z + h_z)
            r = self.recurrent_activation(x_r + h_r)
            candidate = self.activation(x_h + r * h_h)
        else:
            u_zr, u_h = split(self.recurrent_kernel, [2 * u, u], axis=1)
            h_z, h_r = split(matmul(h_in, u_zr), 2, axis=1)
            z = self.recurrent_activation(x_z + h_z)
            r = self.recurrent_activation(x_r + h_r)
            candidate = self.activation(x_h + matmul(r * h_in, u_h))
        h_new = z * h + (1 - z) * candidate
        return h_new, [h_new]

    def get_config(self) -> dict:
        return {**super().get_config(), "reset_after": self.reset_after}


class StackedRNNCells(Layer):
    """Cells applied in turn within each step (Keras's multi-layer cell); the output is the
    last cell's, the state every cell's states in order."""

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if not (hasattr(cell, "call") and hasattr(cell, "state_size")):
                raise argument_error("StackedRNNCells", f"all cells must have a `call` method "
                                     f"and a `state_size` attribute, got {cell!r}", ValueError)
        self.cells = list(cells)

    @property
    def state_size(self):
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self) -> int:
        return self.cells[-1].output_size

    def build(self, input_shape) -> None:
        shape = list(input_shape)
        for cell in self.cells:
            if cell.dtype is None:
                cell.dtype = self.dtype
            build_sublayer(cell, shape)
            shape = shape[:-1] + [cell.output_size]

    def prepare_masks(self, step_input, states, training) -> None:
        """Each cell's masks, for its own inputs (the previous cell's output) and state."""
        like, at = step_input, 0
        for cell in self.cells:
            n = len(flat_state_sizes(cell.state_size))
            if hasattr(cell, "prepare_masks"):
                cell.prepare_masks(like, states[at:at + n], training)
            at += n
            like = ones_like(step_input[:, :1]) * ones([cell.output_size], like.dtype)

    def reset_masks(self) -> None:
        for cell in self.cells:
            if hasattr(cell, "reset_masks"):
                cell.reset_masks()

    def call(self, inputs, states, training=None):
        flat = list(states) if isinstance(states, (list, tuple)) else [states]
        new_states, at = [], 0
        for cell in self.cells:
            n = len(flat_state_sizes(cell.state_size))
            inputs, cell_states = cell.call(inputs, flat[at:at + n], training=training)
            new_states.extend(cell_states)
            at += n
        return inputs, new_states

    def get_config(self) -> dict:
        return {**super().get_config(), "cells": [layer_config(c) for c in self.cells]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cells = [layer_from_config(c, custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)


def zero_states(cell, batch_size, dtype) -> list:
    """Zeros [batch, size] for each of the cell's state tensors (`batch_size` an int or a
    scalar tensor)."""
    return [zeros_for_sizes(n, batch_size, dtype) for n in flat_state_sizes(cell.state_size)]
