"""TF1's bidirectional RNNs: a forward cell over the sequence and a backward cell over it
reversed (each row within its `sequence_length`), under the scopes `fw` and `bw`."""

from __future__ import annotations

from graphflow import nest
from graphflow.core.site import argument_error
from graphflow.nn.rnn.dynamic_rnn import dynamic_rnn
from graphflow.nn.rnn.sequences import reverse_time, sequence_lengths
from graphflow.nn.rnn.static_rnn import check_cell, static_rnn
from graphflow.ops.joining import concat, stack, unstack
from graphflow.variable_scope import variable_scope


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None,
                              initial_state_fw=None, initial_state_bw=None, dtype=None,
                              parallel_iterations=None, swap_memory: bool = False,
                              time_major: bool = False, scope=None):
    """((output_fw, output_bw), (output_state_fw, output_state_bw)); output_bw is put back in
    forward time order, so output_bw[:, t] has seen the steps from t to the row's end.

    Args:
        cell_fw: The forward RNNCell.
        cell_bw: The backward RNNCell.
        inputs: A `[batch, time, depth]` tensor.
        sequence_length: A `[batch]` int tensor of row lengths (the backward pass starts at
            each row's end).
        initial_state_fw: The forward cell's first state.
        initial_state_bw: The backward cell's first state.
        dtype: The states' dtype when the initial states are not given.
        parallel_iterations: Changes nothing.
        swap_memory: Changes nothing.
        time_major: The inputs and outputs are `[time, batch, ...]`.
        scope: The variable scope (default "bidirectional_rnn", with "fw" and "bw" inside).

    Returns:
        A pair of pairs `((output_fw, output_bw), (state_fw, state_bw))`.

    Examples:
        >>> x = tf.ones([2, 5, 4])
        >>> (fw, bw), _ = tf.nn.bidirectional_dynamic_rnn(
        ...     tf.nn.rnn_cell.GRUCell(3), tf.nn.rnn_cell.GRUCell(3), x, dtype=tf.float32)
        >>> print(fw.shape, bw.shape, tf.concat([fw, bw], axis=2).shape)
        (2, 5, 3) (2, 5, 3) (2, 5, 6)
    """
    check_cell("bidirectional_dynamic_rnn", cell_fw)
    check_cell("bidirectional_dynamic_rnn", cell_bw)
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, state_fw = dynamic_rnn(
                cell_fw, inputs, sequence_length=sequence_length, initial_state=initial_state_fw,
                dtype=dtype, parallel_iterations=parallel_iterations, swap_memory=swap_memory,
                time_major=time_major, scope=fw_scope)
        lengths = sequence_lengths("bidirectional_dynamic_rnn", sequence_length)

        def reverse(x):
            return reverse_time(x, lengths, time_major)

        with variable_scope("bw") as bw_scope:
            reversed_inputs = nest.pack_sequence_as(
                inputs, [reverse(t) for t in nest.flatten(inputs)])
            reversed_bw, state_bw = dynamic_rnn(
                cell_bw, reversed_inputs, sequence_length=lengths,
                initial_state=initial_state_bw, dtype=dtype,
                parallel_iterations=parallel_iterations, swap_memory=swap_memory,
                time_major=time_major, scope=bw_scope)
        output_bw = nest.pack_sequence_as(reversed_bw, [reverse(t) for t in
                                                        nest.flatten(reversed_bw)])
    return (output_fw, output_bw), (state_fw, state_bw)


def static_bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None,
                             initial_state_bw=None, dtype=None, sequence_length=None,
                             scope=None):
    """(outputs, output_state_fw, output_state_bw): per step, the forward and backward outputs
    concatenated along axis 1.

    Args:
        cell_fw: The forward RNNCell.
        cell_bw: The backward RNNCell.
        inputs: A list of `[batch, depth]` tensors, one per step.
        initial_state_fw: The forward cell's first state.
        initial_state_bw: The backward cell's first state.
        dtype: The states' dtype when the initial states are not given.
        sequence_length: A `[batch]` int tensor of row lengths.
        scope: The variable scope (default "bidirectional_rnn").

    Returns:
        A triple `(outputs, state_fw, state_bw)`; outputs is a list of `[batch, 2 * units]`.

    Examples:
        >>> steps = [tf.ones([2, 4])] * 5
        >>> outputs, _, _ = tf.nn.static_bidirectional_rnn(
        ...     tf.nn.rnn_cell.GRUCell(3), tf.nn.rnn_cell.GRUCell(3), steps, dtype=tf.float32)
        >>> print(len(outputs), outputs[0].shape)
        5 (2, 6)
    """
    check_cell("static_bidirectional_rnn", cell_fw)
    check_cell("static_bidirectional_rnn", cell_bw)
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise argument_error("static_bidirectional_rnn", "inputs must be a non-empty list",
                             TypeError)
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype,
                                             sequence_length, scope=fw_scope)
        lengths = sequence_lengths("static_bidirectional_rnn", sequence_length)
        with variable_scope("bw") as bw_scope:
            reversed_inputs = _reverse_steps(inputs, lengths)
            tmp, state_bw = static_rnn(cell_bw, reversed_inputs, initial_state_bw, dtype,
                                       lengths, scope=bw_scope)
    output_bw = _reverse_steps(tmp, lengths)
    outputs = [nest.pack_sequence_as(fw, [concat([a, b], 1) for a, b in
                                          zip(nest.flatten(fw), nest.flatten(bw))])
               for fw, bw in zip(output_fw, output_bw)]
    return outputs, state_fw, state_bw


def _reverse_steps(steps: list, lengths) -> list:
    """A list of per-step structures reversed in time, each row within its length."""
    n = len(steps)
    leaves = [nest.flatten(s) for s in steps]
    columns = [reverse_time(stack([leaf[k] for leaf in leaves], 0), lengths, True)
               for k in range(len(leaves[0]))]
    per_leaf = [unstack(c, num=n, axis=0) for c in columns]
    return [nest.pack_sequence_as(steps[t], [col[t] for col in per_leaf]) for t in range(n)]
