"""Keras's recurrent layers: `RNN(cell)` runs a cell over the time axis of [batch, time, ...]
inputs, and SimpleRNN, LSTM and GRU are RNNs of their cells (recurrent_cells.py).

The steps run inside one While (graphflow.nn.rnn.time_loop, as dynamic_rnn does) whose loop
variables are the state and the last output; only `return_sequences=True` stacks the outputs.
`unroll=True` builds every step into the graph instead (the time axis must be known).
A boolean mask [batch, time] (from Embedding(mask_zero=True), or `mask=`) makes masked steps
keep the previous state and output, as Keras does (`zero_output_for_mask=True`: output zeros
there instead, which Bidirectional asks for with return_sequences). `stateful=True` keeps the
final states in variables that start the next call (`reset_states()` zeroes them); it needs a
fixed batch size.
"""

from __future__ import annotations

import inspect

import numpy as np

from graphflow import nest
from graphflow.core import dtypes
from graphflow.core.graph import get_default_graph
from graphflow.core.shape import TensorShape
from graphflow.core.site import argument_error
from graphflow.keras.engine.base_layer import Layer
from graphflow.keras.layers.recurrent_cells import (
    GRUCell,
    LSTMCell,
    SimpleRNNCell,
    StackedRNNCells,
    build_sublayer,
    flat_state_sizes,
    layer_config,
    layer_from_config,
    zero_states,
)
from graphflow.layers.base import to_snake_case
from graphflow.nn.rnn.sequences import from_time_major, to_time_major
from graphflow.nn.rnn.time_loop import time_loop
from graphflow.ops.cast import cast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.gather import where
from graphflow.ops.joining import stack, unstack
from graphflow.ops.shape_ops import ones, ones_like, shape, zeros_like
from graphflow.ops.state import identity

__all__ = ["GRU", "LSTM", "RNN", "SimpleRNN"]


def _output_size(cell) -> int:
    size = getattr(cell, "output_size", None)
    return size if size is not None else flat_state_sizes(cell.state_size)[0]


class RNN(Layer):
    """A cell (or a list of cells, stacked) run over time; returns the last output, or every
    output with `return_sequences`, followed by the final states with `return_state`."""

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, time_major=False, **kwargs):
        zero_output_for_mask = bool(kwargs.pop("zero_output_for_mask", False))
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if not (hasattr(cell, "call") and hasattr(cell, "state_size")):
            raise argument_error("RNN", f"the cell must have a `call` method and a "
                                 f"`state_size` attribute, got {cell!r}", ValueError)
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards, self.stateful = bool(go_backwards), bool(stateful)
        self.unroll, self.time_major = bool(unroll), bool(time_major)
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self.states = None  # the state variables of a stateful layer
        self._cell_takes_training = "training" in inspect.signature(cell.call).parameters

    # --- building ---------------------------------------------------------------------------
    def _sequence_shape(self, input_shape) -> TensorShape:
        if isinstance(input_shape, (list, tuple)) and input_shape and \
                not isinstance(input_shape[0], (int, type(None))):
            input_shape = input_shape[0]  # [inputs, *initial states]
        shape_ = TensorShape(input_shape)
        if shape_.rank is not None and shape_.rank < 3:
            raise argument_error(f'layer "{self.name}"', f"input 0 is incompatible with the "
                                 f"layer: expected ndim=3, found ndim={shape_.rank}. Full "
                                 f"shape received: {shape_}", ValueError)
        return shape_

    def build(self, input_shape) -> None:
        seq = self._sequence_shape(input_shape)
        batch = seq[1] if self.time_major else seq[0]
        if getattr(self.cell, "dtype", None) is None:
            self.cell.dtype = self.dtype
        build_sublayer(self.cell, (batch, *seq.as_list()[2:]))
        if self.stateful:
            self._make_state_variables(batch)

    def _make_state_variables(self, batch) -> None:
        from graphflow.variables import Variable

        if batch is None:
            raise argument_error(f'layer "{self.name}"', "If a RNN is stateful, it needs to "
                                 "know its batch size. Specify the batch size of your input "
                                 "tensors: pass `batch_input_shape=(batch, time, features)` "
                                 "(or `batch_size=`) to the first layer", ValueError)
        dtype = self.dtype or dtypes.float32
        self.states = [Variable(np.zeros((batch, n), dtype.np), trainable=False,
                                name=f"state_{i}")
                       for i, n in enumerate(flat_state_sizes(self.cell.state_size))]

    def reset_states(self, states=None) -> None:
        """Zero the stateful layer's states (or set them to the given arrays)."""
        from graphflow.keras import backend

        if not self.stateful or self.states is None:
            raise argument_error(f'layer "{self.name}"', "reset_states needs a stateful RNN "
                                 "that has been built", AttributeError)
        values = states if states is not None else [None] * len(self.states)
        values = values if isinstance(values, (list, tuple)) else [values]
        if len(values) != len(self.states):
            raise argument_error(f'layer "{self.name}"', f"expects {len(self.states)} "
                                 f"states, but it received {len(values)} state values",
                                 ValueError)
        backend.batch_set_value([
            (v, np.zeros(v.shape.as_list()) if a is None else a)
            for v, a in zip(self.states, values)])

    # --- calling ----------------------------------------------------------------------------
    def call(self, inputs, mask=None, training=None, initial_state=None):
        if isinstance(inputs, (list, tuple)):
            inputs, *given = inputs
            initial_state = initial_state if initial_state is not None else (given or None)
        x = convert_to_tensor(inputs)
        self._sequence_shape(x.shape)
        xt = x if self.time_major else to_time_major(x)
        batch = xt.shape[1] if xt.shape[1] is not None else shape(xt)[1]
        states = self._start_states(initial_state, batch, x.dtype)
        n_states = len(states)
        cell = self.cell
        if hasattr(cell, "prepare_masks"):
            like = ones_like(states[0][:, :1]) * ones(xt.shape.as_list()[2:], x.dtype)
            cell.prepare_masks(like, states, training)
        steps_in = [xt]
        if mask is not None:
            mask = convert_to_tensor(mask)
            mask = mask if mask.dtype is dtypes.bool_ else cast(mask, dtypes.bool_)
            steps_in.append(mask if self.time_major else to_time_major(mask))
        zero_out = zero_states_like(_output_size(cell), batch, x.dtype)

        def step(time, xs, carried):
            old, old_out = carried[:n_states], carried[n_states]
            kwargs = {"training": training} if self._cell_takes_training else {}
            out, new = cell.call(xs[0], old, **kwargs)
            new = nest.flatten(new)
            if mask is not None:
                keep = xs[1]
                new = [where(keep, a, b) for a, b in zip(new, old)]
                out = where(keep, out, zeros_like(out) if self.zero_output_for_mask
                            else old_out)
            return ([out] if self.return_sequences else []), new + [out]

        try:
            if self.unroll:
                outputs, final = self._unrolled(step, steps_in, states + [zero_out])
            else:
                outputs, final = time_loop(step, steps_in, states + [zero_out],
                                           name="while", reverse=self.go_backwards,
                                           function=f'layer "{self.name}"')
        finally:
            if hasattr(cell, "reset_masks"):
                cell.reset_masks()
        final_states, last = final[:n_states], final[n_states]
        if self.stateful:
            final_states, last, outputs = self._update_states(final_states, last, outputs)
        result = last
        if self.return_sequences:
            result = outputs[0] if self.time_major else from_time_major(outputs[0])
        return [result] + list(final_states) if self.return_state else result

    def _start_states(self, initial_state, batch, dtype) -> list:
        if initial_state is not None:
            given = [convert_to_tensor(s) for s in nest.flatten(initial_state)]
            want = len(flat_state_sizes(self.cell.state_size))
            if len(given) != want:
                raise argument_error(f'layer "{self.name}"', f"An `initial_state` was "
                                     f"passed that is not compatible with `cell.state_size`. "
                                     f"Received {len(given)} initial state tensor(s) for a "
                                     f"state of {want} ({self.cell.state_size})", ValueError)
            return given
        if self.stateful:
            return [identity(v) for v in self.states]
        return zero_states(self.cell, batch, dtype)

    def _unrolled(self, step, steps_in, carried):
        steps = steps_in[0].shape[0]
        if not steps:
            raise argument_error(f'layer "{self.name}"', "Cannot unroll a RNN if the time "
                                 f"dimension is undefined or zero (input "
                                 f"{steps_in[0].describe()}, time-major)", ValueError)
        columns = [unstack(t, num=steps) for t in steps_in]
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        outputs = []
        for t in order:
            out, carried = step(t, [c[t] for c in columns], carried)
            outputs.append(out)
        if not self.return_sequences:
            return [], carried
        return [stack([o[0] for o in outputs])], carried

    def _update_states(self, final_states, last, outputs):
        """Assign the final states to the state variables; every result waits for that."""
        from graphflow.assign_ops import assign

        updates = [assign(v, s) for v, s in zip(self.states, final_states)]
        with get_default_graph().control_dependencies(updates):
            return ([identity(s) for s in final_states], identity(last),
                    [identity(o) for o in outputs])

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        out_mask = mask if self.return_sequences else None
        if self.return_state:
            return [out_mask] + [None] * len(flat_state_sizes(self.cell.state_size))
        return out_mask

    def compute_output_shape(self, input_shape):
        seq = self._sequence_shape(input_shape)
        batch, steps = (seq[1], seq[0]) if self.time_major else (seq[0], seq[1])
        units = _output_size(self.cell)
        if self.return_sequences:
            out = TensorShape([steps, batch, units] if self.time_major else
                              [batch, steps, units])
        else:
            out = TensorShape([batch, units])
        if self.return_state:
            return [out] + [TensorShape([batch, n])
                            for n in flat_state_sizes(self.cell.state_size)]
        return out

    def get_config(self) -> dict:
        config = {**super().get_config(), "return_sequences": self.return_sequences,
                  "return_state": self.return_state, "go_backwards": self.go_backwards,
                  "stateful": self.stateful, "unroll": self.unroll,
                  "time_major": self.time_major, "cell": layer_config(self.cell)}
        if self.zero_output_for_mask:  # only when set, as tf-keras writes it
            config["zero_output_for_mask"] = True
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cell = layer_from_config(config.pop("cell"), custom_objects)
        return cls(cell, **config)


def zero_states_like(size: int, batch, dtype):
    """A [batch, size] zero tensor (the last output before the first step)."""
    from graphflow.nn.rnn.cell import zeros_for_sizes

    return zeros_for_sizes(size, batch, dtype)


_LAYER_KEYS = ("name", "trainable", "dtype", "batch_input_shape", "batch_size", "input_shape",
               "return_sequences", "return_state", "go_backwards", "stateful", "unroll",
               "time_major", "activity_regularizer", "zero_output_for_mask")


class _CellRNN(RNN):
    """An RNN that makes its own cell from the layer's arguments (SimpleRNN, LSTM, GRU)."""

    cell_class = SimpleRNNCell

    def __init__(self, units, **kwargs):
        layer_kwargs = {k: kwargs.pop(k) for k in _LAYER_KEYS if k in kwargs}
        cell = self.cell_class(units, name=to_snake_case(self.cell_class.__name__),
                               dtype=layer_kwargs.get("dtype"), **kwargs)
        super().__init__(cell, **layer_kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        cell = config.pop("cell")["config"]
        for key in ("name", "trainable", "dtype"):
            cell.pop(key, None)
        return {**config, **cell}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)


def _from_cell(*names):
    """Read-only properties that give the cell's attributes (Keras's `lstm.units`, ...)."""
    def add(cls):
        for name in names:
            setattr(cls, name, property(lambda self, n=name: getattr(self.cell, n),
                                        doc=f"The cell's `{name}`."))
        return cls
    return add


_from_cell("units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
           "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
           "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
           "recurrent_dropout")(_CellRNN)


class SimpleRNN(_CellRNN):
    """`RNN(SimpleRNNCell(units, activation='tanh', ...))`."""

    cell_class = SimpleRNNCell


@_from_cell("recurrent_activation", "unit_forget_bias")
class LSTM(_CellRNN):
    """`RNN(LSTMCell(units, ...))`: gates i, f, c, o; returns [output, h, c] with
    return_state."""

    cell_class = LSTMCell


@_from_cell("recurrent_activation", "reset_after")
class GRU(_CellRNN):
    """`RNN(GRUCell(units, reset_after=True, ...))`; reset_after=True is tf-keras 2.x's
    default (bias [2, 3·units]); reset_after=False is Keras 2.2's and TF1's convention."""

    cell_class = GRUCell
