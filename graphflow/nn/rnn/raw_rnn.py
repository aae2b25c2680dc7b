"""TF1's `raw_rnn`: a cell driven by the user's `loop_fn`, which picks each step's input, says
which rows are finished, and shapes what is emitted; the loop runs until every row is finished.

`loop_fn(time, cell_output, cell_state, loop_state)` returns `(finished, next_input,
next_cell_state, emit_output, next_loop_state)`. At time 0 it is called with None for the last
three and gives the initial state (and, as emit_output, the structure of what each step emits,
or None for the cell's output). Rows already finished emit zeros and keep their state, as TF1
does. TF1 returns the emitted steps as TensorArrays; graphflow has no TensorArray, so each
emitted leaf is an `EmittedSteps` with TF1's `stack()`, `read(i)` and `size()`. The loop state
must be tensors (TF1 also allowed TensorArrays there).
"""

from __future__ import annotations

from graphflow import nest
from graphflow.control_flow.build import build_while
from graphflow.core import dtypes
from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape
from graphflow.core.site import argument_error
from graphflow.nn.rnn.static_rnn import check_cell
from graphflow.ops.constant import constant, convert_to_tensor
from graphflow.ops.elementwise import logical_not, logical_or
from graphflow.ops.gather import gather, where
from graphflow.ops.joining import stack
from graphflow.ops.reduce import reduce_all
from graphflow.ops.registry import graph_of
from graphflow.ops.shape_ops import shape, zeros
from graphflow.variable_scope import variable_scope

__all__ = ["EmittedSteps", "raw_rnn"]


class EmittedSteps:
    """The values one emitted leaf took at each step, [time, batch, ...] (what TF1's
    TensorArray of raw_rnn's results holds)."""

    def __init__(self, stacked: Tensor):
        self._stacked = stacked

    @property
    def dtype(self):
        return self._stacked.dtype

    def stack(self, name: str | None = None) -> Tensor:
        del name
        return self._stacked

    def read(self, index, name: str | None = None) -> Tensor:
        return gather(self._stacked, index, name=name)

    def size(self, name: str | None = None) -> Tensor:
        return shape(self._stacked, name=name)[0]

    def __repr__(self):
        return f"<EmittedSteps {self._stacked.describe()}>"


def raw_rnn(cell, loop_fn, parallel_iterations=None, swap_memory: bool = False, scope=None):
    """Run `cell` with inputs, states and emitted values chosen by `loop_fn` (TF1's raw_rnn).

    The loop stops once every row of `finished` is True; a finished row emits zeros and keeps
    its state.

    Args:
        cell: an RNNCell.
        loop_fn: `(time, cell_output, cell_state, loop_state) -> (finished, next_input,
            next_cell_state, emit_output, next_loop_state)`; called at time 0 with None for the
            last three, when it gives the initial state and the emit structure (None: the
            cell's output).
        parallel_iterations: how many iterations may run at once (TF1's hint; 32 if None).
        swap_memory: TF1's hint to swap the loop's memory to the host.
        scope: the variable scope, "rnn" if None.

    Returns:
        (emitted, final_state, final_loop_state): `emitted` has the emit structure with an
        `EmittedSteps` ([time, batch, ...], read with `stack()`) per leaf; the final loop
        state is None when loop_fn gave none.

    Examples:
        >>> cell = tf.nn.rnn_cell.BasicRNNCell(2)
        >>> inputs = tf.ones([3, 1, 4])                   # [time, batch, depth]
        >>> def loop_fn(time, cell_output, cell_state, loop_state):
        ...     state = cell.zero_state(1, tf.float32) if cell_output is None else cell_state
        ...     finished = time >= tf.constant([2])       # one row, two steps
        ...     next_input = tf.gather(inputs, tf.minimum(time, 2))
        ...     return finished, next_input, state, cell_output, None
        >>> emitted, state, _ = tf.nn.raw_rnn(cell, loop_fn)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     print(sess.run(emitted.stack()).shape)
        (2, 1, 2)
    """
    check_cell("raw_rnn", cell)
    if not callable(loop_fn):
        raise argument_error("raw_rnn", "loop_fn must be a callable", TypeError)
    with variable_scope(scope or "rnn"):
        time = constant(0, dtypes.int32, name="time")
        finished, first_input, state, emit_structure, loop_state = loop_fn(time, None, None,
                                                                           None)
        if state is None:
            raise argument_error("raw_rnn", "loop_fn must return the initial cell state at "
                                 "time 0 (next_cell_state was None)", ValueError)
        finished = convert_to_tensor(finished)
        if finished.dtype is not dtypes.bool_ or finished.shape.rank != 1:
            raise argument_error("raw_rnn", f"loop_fn's `finished` must be a bool vector "
                                 f"[batch], got {finished.describe()}", TypeError)
        batch = finished.shape[0] if finished.shape[0] is not None else shape(finished)[0]
        flat_in = [convert_to_tensor(t) for t in nest.flatten(first_input)]
        flat_state = [convert_to_tensor(t) for t in nest.flatten(state)]
        had_loop_state = loop_state is not None
        flat_loop = [convert_to_tensor(t) for t in nest.flatten(loop_state)] \
            if had_loop_state else []
        emit_like = emit_structure if emit_structure is not None else cell.output_size
        zero_emit = [_zeros_for(e, batch, flat_state[0].dtype)
                     for e in nest.flatten(emit_like)]
        sizes = (1, len(flat_in), len(flat_state), len(flat_loop))

        def cond(t, done, *_):
            return logical_not(reduce_all(done))

        def body(t, done, *rest):
            inputs, states, loops = _split(list(rest), sizes[1:])
            output, new_state = cell(nest.pack_sequence_as(first_input, inputs),
                                     nest.pack_sequence_as(state, states))
            step = loop_fn(t + 1, output, new_state,
                           nest.pack_sequence_as(loop_state, loops) if had_loop_state else None)
            next_done, next_input, next_state, emit, next_loop = step
            if next_state is None:
                raise argument_error("raw_rnn", "loop_fn returned None for next_cell_state "
                                     "at a step after time 0", ValueError)
            emit = output if emit is None else emit
            flat_emit = [_keep(done, z, convert_to_tensor(e))
                         for z, e in zip(zero_emit, nest.flatten(emit))]
            flat_next = [_keep(done, s, convert_to_tensor(n))
                         for s, n in zip(states, nest.flatten(next_state))]
            loops = loops if next_loop is None else nest.flatten(next_loop)
            return ([t + 1, logical_or(done, next_done)] + nest.flatten(next_input) +
                    flat_next + list(loops) + flat_emit)

        graph = graph_of([finished] + flat_in + flat_state)
        with graph.name_scope("while") as loop_scope:
            loop_vars = [time, finished] + flat_in + flat_state + flat_loop
            node = build_while(graph, cond, body, loop_vars, [t.shape for t in loop_vars],
                               None, loop_scope[:-1], n_stacked=len(zero_emit),
                               parallel_iterations=parallel_iterations or 32,
                               swap_memory=swap_memory, function="raw_rnn")
        n = len(loop_vars)
        _, final_state, final_loop = _split(list(node.outputs[2:n]), sizes[1:])
        emitted = [EmittedSteps(t) for t in node.outputs[n:n + len(zero_emit)]]
    return (nest.pack_sequence_as(emit_like, emitted),
            nest.pack_sequence_as(state, final_state),
            nest.pack_sequence_as(loop_state, final_loop) if had_loop_state else None)


def _split(values: list, sizes) -> list:
    out, at = [], 0
    for n in sizes:
        out.append(values[at:at + n])
        at += n
    return out


def _zeros_for(like, batch, default_dtype) -> Tensor:
    """[batch, *size] zeros for one emitted leaf: an int size, or a tensor whose shape (one
    row's) and dtype it gives, as TF1's emit_structure does."""
    if isinstance(like, int):
        dims, dtype = [like], default_dtype
    else:
        like = convert_to_tensor(like)
        dims, dtype = like.shape.as_list(), like.dtype
        if like.shape.rank is None or None in dims:
            raise argument_error("raw_rnn", f"the emit structure's shapes must be known, got "
                                 f"{like.describe()}", ValueError)
    if isinstance(batch, int):
        return zeros([batch, *dims], dtype=dtype)
    out = zeros(stack([batch, *dims]), dtype=dtype)
    out.set_shape(TensorShape([None, *dims]))
    return out


def _keep(done: Tensor, old: Tensor, new: Tensor) -> Tensor:
    """TF1's copy-through: finished rows keep `old`; scalars take `new`."""
    if new.shape.rank == 0:
        return new
    return where(done, old, new)
