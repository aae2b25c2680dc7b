"""TF1's `dynamic_rnn`: the cell run over the time axis inside one loop (TF1's while_loop with
TensorArrays, here `time_loop`), so the graph does not grow with the sequence length. The final
state is the loop's result (zero time steps give the initial state and an empty output).

The cell is first called while the loop body is traced, so its variables are made there (the
control-flow code lifts them to the outer graph, as TF1 does).
"""

from __future__ import annotations

from graphflow import nest
from graphflow.core.site import argument_error
from graphflow.nn.rnn.cell import zeros_for_sizes
from graphflow.nn.rnn.sequences import (
    from_time_major,
    mask_step,
    sequence_lengths,
    to_time_major,
)
from graphflow.nn.rnn.static_rnn import check_cell, start_state, state_dtype
from graphflow.nn.rnn.time_loop import time_loop
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.shape_ops import shape
from graphflow.variable_scope import variable_scope


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None,
                parallel_iterations=None, swap_memory: bool = False, time_major: bool = False,
                scope=None):
    """(outputs, state) for `inputs` [batch, time, ...] ([time, batch, ...] if time_major).

    outputs are [batch, time, output_size] (time-major if time_major); state is the final
    state. With `sequence_length` ([batch] ints), outputs past a row's length are zero and its
    state is copied through, so `state` is the state at each row's last step.

    Args:
        cell: An RNNCell, such as `tf.nn.rnn_cell.LSTMCell(64)`.
        inputs: A `[batch, time, depth]` tensor (or a nest of them).
        sequence_length: A `[batch]` int tensor of row lengths.
        initial_state: The first state (default: the cell's zero state, which needs `dtype`).
        dtype: The state's dtype when initial_state is not given.
        parallel_iterations: TF1's concurrency hint; it changes nothing.
        swap_memory: TF1's GPU-memory hint; it changes nothing.
        time_major: The inputs and outputs are `[time, batch, ...]`.
        scope: The variable scope of the cell's variables (default "rnn").

    Returns:
        A pair `(outputs, state)`.

    Examples:
        >>> cell = tf.nn.rnn_cell.BasicRNNCell(3)
        >>> outputs, state = tf.nn.dynamic_rnn(cell, tf.ones([2, 5, 4]), dtype=tf.float32,
        ...                                    sequence_length=[5, 2])
        >>> print(outputs.shape, state.shape)
        (2, 5, 3) (2, 3)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     out = sess.run(outputs)
        >>> print(float(abs(out[1, 2:]).max()))  # past row 1's length
        0.0
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

        def step(time, xs, flat_state):
            old_state = nest.pack_sequence_as(state, flat_state)
            output, new_state = cell(nest.pack_sequence_as(inputs, xs), old_state)
            if lengths is not None:
                output, new_state = mask_step(time, lengths, zero_output, old_state, output,
                                              new_state)
            return nest.flatten(output), nest.flatten(new_state)

        flat_outputs, flat_final = time_loop(step, flat, nest.flatten(state),
                                             parallel_iterations=parallel_iterations or 32,
                                             swap_memory=swap_memory, function="dynamic_rnn")
        outputs = nest.pack_sequence_as(zero_output, flat_outputs)
        final = nest.pack_sequence_as(state, flat_final)
        if not time_major:
            outputs = nest.pack_sequence_as(outputs, [from_time_major(o) for o in
                                                      nest.flatten(outputs)])
    return outputs, final

