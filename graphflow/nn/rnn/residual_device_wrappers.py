"""TF1's `ResidualWrapper` (outputs = inputs + cell outputs) and `DeviceWrapper` (the cell's
ops recorded on a device). Neither adds a variable scope."""

from __future__ import annotations

from graphflow import nest
from graphflow.core.graph import get_default_graph
from graphflow.core.site import argument_error
from graphflow.nn.rnn.cell import CellWrapper, RNNCell


def default_residual(inputs, outputs):
    """inputs + outputs leaf by leaf; the structures and shapes must agree."""
    flat_in, flat_out = nest.flatten(inputs), nest.flatten(outputs)
    if len(flat_in) != len(flat_out):
        raise argument_error("ResidualWrapper", f"inputs and outputs have different "
                             f"structures: {inputs!r} vs {outputs!r}", ValueError)
    for i, o in zip(flat_in, flat_out):
        if not i.shape.is_compatible_with(o.shape):
            raise argument_error("ResidualWrapper", f"the input {i.describe()} and the cell's "
                                 f"output {o.describe()} must have the same shape", ValueError)
    sums = [i + o for i, o in zip(flat_in, flat_out)]
    return nest.pack_sequence_as(outputs, sums) if isinstance(outputs, (list, tuple)) \
        else sums[0]


class ResidualWrapper(CellWrapper):
    """`cell` whose output has its input added (`residual_fn(inputs, outputs)` if given)."""

    def __init__(self, cell: RNNCell, residual_fn=None):
        super().__init__(cell, "ResidualWrapper")
        self._residual_fn = residual_fn or default_residual

    def __call__(self, inputs, state, scope=None):
        outputs, new_state = self._cell(inputs, state, scope=scope)
        return self._residual_fn(inputs, outputs), new_state


class DeviceWrapper(CellWrapper):
    """`cell` with its ops (and zero state) built under `with device(device)`."""

    def __init__(self, cell: RNNCell, device: str):
        super().__init__(cell, "DeviceWrapper")
        self._device = device

    def zero_state(self, batch_size, dtype):
        with get_default_graph().device(self._device):
            return self._cell.zero_state(batch_size, dtype)

    def __call__(self, inputs, state, scope=None):
        with get_default_graph().device(self._device):
            return self._cell(inputs, state, scope=scope)
