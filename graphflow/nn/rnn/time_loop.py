"""One While over the time axis, shared by `dynamic_rnn` and the Keras recurrent layers.

The loop variables are the step counter and the state alone; each step's outputs leave the loop
as stacked values ([time, ...], TF1's output TensorArray). So the final state is the loop's own
result, not the last row of a stack of every step's state: a run that needs no gradient keeps
one state, and zero time steps give the initial state back with an empty [0, ...] output.
"""

from __future__ import annotations

from graphflow.control_flow.build import build_while
from graphflow.core import dtypes
from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape
from graphflow.core.site import argument_error
from graphflow.ops.constant import constant, convert_to_tensor
from graphflow.ops.gather import gather
from graphflow.ops.registry import graph_of
from graphflow.ops.shape_ops import shape

__all__ = ["time_loop"]


def time_loop(step, inputs: list, states: list, name: str = "while", reverse: bool = False,
              parallel_iterations: int = 32, swap_memory: bool = False,
              function: str = "rnn") -> tuple[list, list]:
    """(stacked outputs, final states) of `step(time, xs, states) -> (outputs, new_states)`.

    `inputs` are time-major tensors [time, batch, ...] (a flat list, read at step `time`, from
    the end when `reverse`); `states` a flat list of tensors whose shapes the step keeps.
    Outputs come back as [time, ...] tensors in the order of the steps' `time` (so reversed
    time order when `reverse`, as Keras's go_backwards gives them).
    """
    flat = [convert_to_tensor(t) for t in inputs]
    init = [convert_to_tensor(t) for t in states]
    if not flat:
        raise argument_error(function, "the recurrent loop needs at least one input tensor",
                             ValueError)
    graph = graph_of(flat + init)
    steps = flat[0].shape[0] if flat[0].shape.rank else None
    with graph.name_scope(name) as scope:
        n = constant(steps, dtypes.int32, name="n") if steps is not None else \
            shape(flat[0], name="n")[0]
        i0 = constant(0, dtypes.int32, name="time")
        n_states = len(init)

        def cond(i, *_):
            return i < n

        def body(i, *acc):
            t = (n - 1 - i) if reverse else i
            outputs, new_states = step(t, [gather(x, t) for x in flat], list(acc))
            if len(new_states) != n_states:
                raise argument_error(function, f"the cell returned {len(new_states)} state "
                                     f"tensors for a state of {n_states}", ValueError)
            return [i + 1] + [convert_to_tensor(s) for s in new_states] + \
                [convert_to_tensor(o) for o in outputs]

        node = build_while(graph, cond, body, [i0] + init, [i0.shape] + [t.shape for t in init],
                           None, scope[:-1], n_stacked=None,
                           parallel_iterations=parallel_iterations, swap_memory=swap_memory,
                           function=function)
    final = list(node.outputs[1:1 + n_states])
    n_out = node.get_attr("n_stacked")
    stacked = [_with_steps(t, steps) for t in node.outputs[1 + n_states:1 + n_states + n_out]]
    return stacked, final


def _with_steps(t: Tensor, steps) -> Tensor:
    if steps is not None and t.shape.rank is not None:
        t.set_shape(TensorShape([steps] + list(t.shape.dims[1:])))
    return t
