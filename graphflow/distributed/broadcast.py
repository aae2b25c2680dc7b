"""Broadcasting variables from one rank: every rank starts training from the same values.

Run `broadcast_global_variables(0)` once, after the variables are initialised (each rank drew
its own random initial values). The values travel in one broadcast per dtype (see fusion).
"""

from __future__ import annotations

from graphflow.core.graph import GraphKeys, get_default_graph
from graphflow.distributed.collectives import broadcast
from graphflow.distributed.fusion import fused_collective
from graphflow.ops.state import group

__all__ = ["broadcast_global_variables", "broadcast_variables"]


def broadcast_variables(variables, root_rank: int = 0, name: str | None = None):
    """An op that sets each of `variables` to its value on rank `root_rank`."""
    variables = list(variables)
    if not variables:
        raise ValueError("broadcast_variables: no variables to broadcast; build the model first")
    root_rank = int(root_rank)
    values = fused_collective([v.read_value() for v in variables],
                              lambda buf: broadcast(buf, root_rank=root_rank),
                              name=name or "broadcast_variables")
    return group(*[v.assign(value) for v, value in zip(variables, values)],
                 name=name or "broadcast_variables")


def broadcast_global_variables(root_rank: int = 0, graph=None):
    """`broadcast_variables` of every global variable of the default graph (or `graph`)."""
    graph = graph or get_default_graph()
    with graph.as_default():
        return broadcast_variables(graph.get_collection(GraphKeys.GLOBAL_VARIABLES), root_rank,
                                   name="broadcast_global_variables")
