"""Fusion: one collective per dtype over many tensors, flattened into one buffer and split back.

A training step's gradients are dozens of small tensors; one allreduce of their concatenation
costs one latency instead of dozens (Horovod's tensor fusion, done here when the graph is built).
Tensors whose static shape is not fully known go through the collective one by one.
"""

from __future__ import annotations

from collections.abc import Callable

from graphflow.core.graph import get_default_graph
from graphflow.core.node import Tensor
from graphflow.distributed.collectives import allreduce
from graphflow.ops.array import reshape
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.joining import concat, split

__all__ = ["fused_collective", "grouped_allreduce"]


def fused_collective(tensors, collective: Callable[[Tensor], Tensor],
                     name: str = "fused") -> list:
    """`collective` (flat buffer -> flat buffer of the same length) applied to `tensors` in one
    call per dtype; returns the results in the order of `tensors`, shaped like them."""
    tensors = [convert_to_tensor(t) for t in tensors]
    results: list = [None] * len(tensors)
    groups: dict = {}
    for i, t in enumerate(tensors):
        if t.shape.is_fully_defined():
            groups.setdefault(t.dtype.name, []).append(i)
        else:
            results[i] = collective(t)
    graph = tensors[0].graph if tensors else get_default_graph()
    with graph.name_scope(name):
        for members in groups.values():
            flat = [reshape(tensors[i], [-1]) for i in members]
            sizes = [tensors[i].shape.num_elements() for i in members]
            reduced = collective(flat[0] if len(flat) == 1 else concat(flat, 0))
            parts = [reduced] if len(flat) == 1 else split(reduced, sizes, axis=0)
            for i, part in zip(members, parts):
                results[i] = reshape(part, tensors[i].shape.as_list())
    return results


def grouped_allreduce(tensors, average: bool = True, name: str = "grouped_allreduce") -> list:
    """Horovod's `grouped_allreduce`: the allreduce of each tensor, fused into one buffer."""
    return fused_collective(tensors, lambda buf: allreduce(buf, average=average), name=name)
