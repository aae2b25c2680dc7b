"""TF1's `GRUCell` (Cho et al. 2014): reset and update gates r, u, then a candidate.

    r, u = sigmoid([x, h] @ gates/kernel + gates/bias)     (gates/bias starts at 1)
    c    = activation([x, r * h] @ candidate/kernel + candidate/bias)
    h'   = u * h + (1 - u) * c
"""

from __future__ import annotations

from graphflow.initializers import Constant, Zeros
from graphflow.nn.rnn.cell import RNNCell, activation_fn, input_depth, linear
from graphflow.ops.elementwise import sigmoid
from graphflow.ops.joining import split
from graphflow.variable_scope import variable_scope


class GRUCell(RNNCell):
    """Gated recurrent unit; variables under `gates/` ([depth + units, 2 units]) and
    `candidate/` ([depth + units, units])."""

    base_name = "gru_cell"

    def __init__(self, num_units: int, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None):
        super().__init__(reuse=reuse, name=name, dtype=dtype)
        self._num_units = int(num_units)
        self._activation = activation_fn(activation)
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    @property
    def state_size(self) -> int:
        return self._num_units

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, inputs) -> None:
        depth = input_depth(type(self).__name__, inputs)
        dtype = self._dtype or inputs.dtype
        n = self._num_units
        with variable_scope("gates"):
            self._gate_kernel = self.add_variable("kernel", [depth + n, 2 * n], dtype,
                                                  self._kernel_initializer)
            self._gate_bias = self.add_variable(
                "bias", [2 * n], dtype, self._bias_initializer or Constant(1.0))
        with variable_scope("candidate"):
            self._candidate_kernel = self.add_variable("kernel", [depth + n, n], dtype,
                                                       self._kernel_initializer)
            self._candidate_bias = self.add_variable(
                "bias", [n], dtype, self._bias_initializer or Zeros())

    def call(self, inputs, state):
        value = sigmoid(linear([inputs, state], self._gate_kernel, self._gate_bias))
        r, u = split(value, 2, axis=1)
        candidate = self._activation(linear([inputs, r * state], self._candidate_kernel,
                                            self._candidate_bias))
        new_h = u * state + (1 - u) * candidate
        return new_h, new_h
