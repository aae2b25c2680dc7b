"""TF1's `static_rnn`: the cell unrolled over a Python list of per-step inputs."""

from __future__ import annotations

from graphflow import nest
from graphflow.core.site import argument_error
from graphflow.nn.rnn.cell import zeros_for_sizes
from graphflow.nn.rnn.sequences import mask_step, sequence_lengths
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.shape_ops import shape
from graphflow.variable_scope import variable_scope


def check_cell(function: str, cell) -> None:
    if not callable(cell) or not hasattr(cell, "state_size") or not hasattr(cell, "zero_state"):
        raise argument_error(function, f"cell must be an instance of RNNCell, got {cell!r}",
                             TypeError)


def batch_size_of(function: str, first):
    """The batch size of a [batch, ...] step input: its static size or a scalar tensor."""
    if first.shape.rank is not None and first.shape.rank < 1:
        raise argument_error(function, f"inputs must have a batch axis, got "
                             f"{first.describe()}", ValueError)
    static = first.shape[0] if first.shape.rank else None
    return static if static is not None else shape(first)[0]


def start_state(function: str, cell, initial_state, dtype, batch_size):
    if initial_state is not None:
        return initial_state
    if dtype is None:
        raise argument_error(function, "If no initial_state is provided, argument `dtype` "
                             "must be specified", ValueError)
    return cell.zero_state(batch_size, dtype)


def state_dtype(state):
    return nest.flatten(state)[0].dtype


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
    """(outputs, state): `cell` applied to each of `inputs` (a list of [batch, depth] tensors,
    or of nested structures), the state carried from step to step.

    With `sequence_length`, outputs past a row's length are zero and its state stops changing,
    so `state` is each row's state at its last step.

    Args:
        cell: An RNNCell.
        inputs: A list of `[batch, depth]` tensors, one per step.
        initial_state: The first state (default: the cell's zero state, which needs `dtype`).
        dtype: The state's dtype when initial_state is not given.
        sequence_length: A `[batch]` int tensor of row lengths.
        scope: The variable scope of the cell's variables (default "rnn").

    Returns:
        A pair `(outputs, state)`: a list of per-step outputs and the final state.

    Examples:
        >>> steps = [tf.ones([2, 4])] * 5
        >>> outputs, state = tf.nn.static_rnn(tf.nn.rnn_cell.BasicRNNCell(3), steps,
        ...                                   dtype=tf.float32)
        >>> print(len(outputs), outputs[0].shape, state.shape)
        5 (2, 3) (2, 3)
    """
    check_cell("static_rnn", cell)
    if not isinstance(inputs, (list, tuple)):
        raise argument_error("static_rnn", f"Argument `inputs` must be a sequence. Received: "
                             f"{inputs!r}", TypeError)
    if not inputs:
        raise argument_error("static_rnn", "Argument `inputs` must not be empty.", ValueError)
    outputs = []
    with variable_scope(scope or "rnn") as varscope:
        steps = [nest.pack_sequence_as(x, [convert_to_tensor(t) for t in nest.flatten(x)])
                 for x in inputs]
        first = nest.flatten(steps[0])[0]
        batch_size = batch_size_of("static_rnn", first)
        state = start_state("static_rnn", cell, initial_state, dtype, batch_size)
        lengths = sequence_lengths("static_rnn", sequence_length)
        zero_output = None
        if lengths is not None:
            zero_output = zeros_for_sizes(cell.output_size, batch_size, state_dtype(state))
        for time, step in enumerate(steps):
            if time > 0:
                varscope.reuse_variables()
            output, new_state = cell(step, state)
            if lengths is not None:
                output, new_state = mask_step(time, lengths, zero_output, state, output,
                                              new_state)
            outputs.append(output)
            state = new_state
    return outputs, state
