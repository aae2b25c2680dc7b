"""TF1's `MultiRNNCell`: cells stacked in depth, cell i under the scope `cell_i`."""

from __future__ import annotations

from graphflow import nest
from graphflow.core.graph import get_default_graph
from graphflow.core.site import argument_error
from graphflow.nn.rnn.cell import RNNCell
from graphflow.ops.joining import concat, split
from graphflow.variable_scope import variable_scope


class MultiRNNCell(RNNCell):
    """Each cell's output is the next cell's input; the state is a tuple with one entry per
    cell (or, with state_is_tuple=False, their concatenation along axis 1)."""

    base_name = "multi_rnn_cell"

    def __init__(self, cells, state_is_tuple: bool = True):
        super().__init__()
        cells = list(cells) if isinstance(cells, (list, tuple)) else cells
        if not cells:
            raise argument_error("MultiRNNCell", "Must specify at least one cell for "
                                 "MultiRNNCell.", ValueError)
        if not isinstance(cells, list):
            raise argument_error("MultiRNNCell", f"cells must be a list or tuple, but saw: "
                                 f"{cells!r}.", TypeError)
        if not state_is_tuple and any(isinstance(c.state_size, tuple) for c in cells):
            raise argument_error("MultiRNNCell", "Some cells return tuples of states, but the "
                                 "flag state_is_tuple is not set. State sizes are: "
                                 f"{[c.state_size for c in cells]}", ValueError)
        self._cells = cells
        self._state_is_tuple = state_is_tuple

    @property
    def state_size(self):
        sizes = tuple(c.state_size for c in self._cells)
        return sizes if self._state_is_tuple else sum(sizes)

    @property
    def output_size(self):
        return self._cells[-1].output_size

    @property
    def variables(self) -> list:
        return [v for c in self._cells for v in c.variables]

    @property
    def trainable_variables(self) -> list:
        return [v for c in self._cells for v in c.trainable_variables]

    def zero_state(self, batch_size, dtype):
        with get_default_graph().name_scope(type(self).__name__ + "ZeroState"):
            if self._state_is_tuple:
                return tuple(c.zero_state(batch_size, dtype) for c in self._cells)
            return super().zero_state(batch_size, dtype)

    def call(self, inputs, state):
        if self._state_is_tuple:
            if not isinstance(state, (tuple, list)) or len(state) != len(self._cells):
                raise argument_error("MultiRNNCell", f"Expected state to be a tuple of length "
                                     f"{len(self._cells)}, but received: {state!r}",
                                     ValueError)
            states = list(state)
        else:
            states = split(state, [c.state_size for c in self._cells], axis=1)
        current, new_states = inputs, []
        for i, cell in enumerate(self._cells):
            with variable_scope(f"cell_{i}"):
                current, new_state = cell(current, states[i])
            new_states.append(new_state)
        if self._state_is_tuple:
            return current, tuple(new_states)
        return current, concat(nest.flatten(new_states), 1)
