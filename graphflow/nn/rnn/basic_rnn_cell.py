"""TF1's `BasicRNNCell`: h' = activation([x, h] @ kernel + bias)."""

from __future__ import annotations

from graphflow.initializers import Zeros
from graphflow.nn.rnn.cell import RNNCell, activation_fn, input_depth, linear


class BasicRNNCell(RNNCell):
    """The plain recurrent cell; variables `kernel` [depth + units, units] and `bias`."""

    base_name = "basic_rnn_cell"

    def __init__(self, num_units: int, activation=None, reuse=None, name=None, dtype=None):
        super().__init__(reuse=reuse, name=name, dtype=dtype)
        self._num_units = int(num_units)
        self._activation = activation_fn(activation)

    @property
    def state_size(self) -> int:
        return self._num_units

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, inputs) -> None:
        depth = input_depth(type(self).__name__, inputs)
        dtype = self._dtype or inputs.dtype
        self._kernel = self.add_variable("kernel", [depth + self._num_units, self._num_units],
                                         dtype)
        self._bias = self.add_variable("bias", [self._num_units], dtype, Zeros())

    def call(self, inputs, state):
        output = self._activation(linear([inputs, state], self._kernel, self._bias))
        return output, output
