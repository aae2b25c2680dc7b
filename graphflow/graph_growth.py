"""A warning, once per graph, when a Session keeps meeting new ops: ops built inside a loop.

TF1 programs that call `tf.reduce_mean(...)` or an optimizer's `minimize` inside the training
loop add nodes to the graph on every iteration, so memory and compile time grow without bound.
Each new run signature of a Session is checked against the graph's size (never per run).
"""

from __future__ import annotations

import warnings

from graphflow.errors import GraphGrowthWarning

# This many new run signatures in a row, each meeting a larger graph, is a loop that builds ops.
GROWING_SIGNATURES = 10


class GrowthWatch:
    def __init__(self, graph):
        self.graph = graph
        self.last_size = len(graph)
        self.streak = 0

    def observe(self, signatures: int) -> None:
        size = len(self.graph)
        self.streak = self.streak + 1 if size > self.last_size else 0
        self.last_size = size
        if self.streak >= GROWING_SIGNATURES and not getattr(self.graph, "_growth_warned", False):
            self.graph._growth_warned = True
            warnings.warn(GraphGrowthWarning(
                f"The graph keeps growing between runs: {self.streak} new run signatures in a "
                f"row each met new ops (now {size} ops, {signatures} signatures compiled by this "
                "Session). Ops built inside the training loop are added to the graph on every "
                "iteration; build them once before the loop, or call graph.finalize() before it "
                "to make any op added later an error."), stacklevel=4)
