"""TF1's `dynamic_rnn`: the cell run over the time axis inside one loop (a scan, TF1's
while_loop with TensorArrays), so the graph does not grow with the sequence length.

The cell is first called while the loop body is traced, so its variables are made there (the
control-flow code lifts them to the outer graph, as TF1 does).
"""

from __future__ import annotations

from graphflow import nest
from graphflow.control_flow.functional import scan
from graphflow.core.site import argument_error
from graphflow.nn.rnn.cell import zeros_for_sizes
from graphflow.nn.rnn.sequences import (
    from_time_major,
    mask_step,
    sequence_lengths,
    to_time_major,
)
from graphflow.nn.rnn.static_rnn import check_cell, start_state, state_dtype
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.shape_ops import range as range_
from graphflow.ops.shape_ops import shape
from graphflow.variable_scope import variable_scope


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None,
                parallel_iterations=None, swap_memory: bool = False, time_major: bool = False,
                scope=None):
    """(outputs, state) for `inputs` [batch, time, ...] ([time, batch, ...] if time_major).

    outputs are [batch, time, output_size] (time-major if time_major); state is the final
    state. With `sequence_length` ([batch] ints), outputs past a row's length are zero and its
    state is copied through, so `state` is the state at each row's last step.
    """
    check_cell("dynamic_rnn", cell)
    with variable_scope(scope or "rnn"):
        flat = [convert_to_tensor(t) for t in nest.flatten(inputs)]
        for t in flat:
            if t.shape.rank is not None and t.shape.rank < 2:
                raise argument_error("dynamic_rnn", f"Expected input tensor {t.name} to have "
                                     f"rank at least 2, got {t.describe()}", ValueError)
        if not time_major:
            flat = [to_time_major(t) for t in flat]
        batch_size = flat[0].shape[1] if flat[0].shape[1] is not None else shape(flat[0])[1]
        state = start_state("dynamic_rnn", cell, initial_state, dtype, batch_size)
        lengths = sequence_lengths("dynamic_rnn", sequence_length)
        zero_output = zeros_for_sizes(cell.output_size, batch_size, state_dtype(state))
        steps = flat[0].shape[0]
        times = range_(steps if steps is not None else shape(flat[0])[0])

        def step(acc, elems):
            old_output, old_state = acc
            x, time = elems
            output, new_state = cell(nest.pack_sequence_as(inputs, x), old_state)
            if lengths is not None:
                output, new_state = mask_step(time, lengths, zero_output, old_state, output,
                                              new_state)
            return _like(old_output, output), _like(old_state, new_state)

        outputs, states = scan(step, (flat, times), initializer=(zero_output, state),
                               parallel_iterations=parallel_iterations or 32,
                               swap_memory=swap_memory)
        final = nest.pack_sequence_as(state, [s[-1] for s in nest.flatten(states)])
        if not time_major:
            outputs = nest.pack_sequence_as(outputs, [from_time_major(o) for o in
                                                      nest.flatten(outputs)])
    return outputs, final


def _like(structure, values):
    """`values` in `structure`'s nesting (a cell may return a list where a tuple came in)."""
    return nest.pack_sequence_as(structure, nest.flatten(values))
