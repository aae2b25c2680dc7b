"""Dataset functions (`map`, `filter`, `flat_map`): traced into their own graph, compiled once.

As in TF1, the user's function is called once, on graph tensors standing for one element: it
builds ops (`tf.cast`, `/ 255.`, `tf.one_hot`, ...) into a fresh `FunctionGraph` over
placeholders of the element's dtypes and static shapes, which give the static shapes of what it
returns. Each element (or batch, after `batch`) then runs that graph as a plan compiled for the
cpu executor's target, one plan per distinct input shape. A tensor of the outer graph that the
function uses is captured: it becomes a placeholder of the function graph, and an input of the
iterator's initialiser, so its value is taken when the iterator is initialised (a variable is
read then, not per element as a TF1 resource variable would be).
"""

from __future__ import annotations

from graphflow.compiler import compile_plan
from graphflow.core.graph import Graph, get_default_graph
from graphflow.core.node import Tensor
from graphflow.core.site import argument_error
from graphflow.data import structure
from graphflow.errors import GraphError
from graphflow.executors import get_executor
from graphflow.ops.state import Placeholder, placeholder

MAX_PLANS = 16  # plans kept per function, one per distinct input shape; oldest dropped first
_EXECUTOR: list = []


def _cpu():
    if not _EXECUTOR:
        _EXECUTOR.append(get_executor("cpu"))
    return _EXECUTOR[0]


class FunctionGraph(Graph):
    """The graph a dataset function is traced into; tensors of the graph around it that its ops
    use become its own placeholders (`captures`: outer tensor -> placeholder)."""

    def __init__(self, outer: Graph, what: str):
        super().__init__()
        self.outer = outer
        self.what = what
        self.seed = outer.seed
        self.captures: dict = {}

    def capture(self, tensor: Tensor) -> Tensor:
        if tensor.graph is self:
            return tensor
        if tensor.graph is not self.outer and isinstance(self.outer, FunctionGraph):
            tensor = self.outer.capture(tensor)
        if tensor.graph is not self.outer:
            raise argument_error(self.what, f"its function uses {tensor.describe()}, which "
                                 "belongs to neither its own graph nor the graph the dataset "
                                 "is built in", GraphError)
        inner = self.captures.get(tensor)
        if inner is None:
            op = Placeholder(dtype=tensor.dtype, shape=tensor.shape)
            inner = super().create_node(op, [], name="captured").outputs[0]
            self.captures[tensor] = inner
        return inner

    def create_node(self, op, inputs=(), name=None):
        inputs = [self.capture(t) if isinstance(t, Tensor) else t for t in inputs]
        return super().create_node(op, inputs, name)


class TracedFunction:
    """A user function traced over placeholders of `in_structure` (a structure of specs).

    `result` is what the function returned (its tensors live in `graph`); `finish(fetches)`
    fixes which of its tensors are computed, after which `__call__` runs it on host values.
    """

    def __init__(self, fn, in_structure, what: str):
        if not callable(fn):
            raise argument_error(what, f"takes a function, got {type(fn).__name__}", TypeError)
        self.what = what
        self.graph = FunctionGraph(get_default_graph(), what)
        with self.graph.as_default():
            self.args = [placeholder(s.dtype, s.shape, name="arg")
                         for s in structure.leaves(in_structure)]
            element = structure.pack(in_structure, self.args)
            # TF1 passes a tuple's components as separate arguments, anything else as one.
            self.result = fn(*element) if type(element) is tuple else fn(element)
        self.fetches: list = []
        self._plans: dict = {}

    def finish(self, fetches: list) -> None:
        self.fetches = list(fetches)
        self.captured = list(self.graph.captures)
        self.feeds = self.args + [self.graph.captures[t] for t in self.captured]
        self.graph.finalize()

    def new_state(self):
        """The function's own session state (its random streams), one per initialisation."""
        return _cpu().create_state(self.graph)

    def __call__(self, state, values, captured_values) -> list:
        if not self.fetches:
            return []
        feeds = list(values) + list(captured_values)
        shapes = tuple(v.shape for v in feeds)
        runnable = self._plans.get(shapes)
        if runnable is None:
            runnable = self._compile(shapes)
        return runnable(state, feeds)

    def _compile(self, shapes):
        executor = _cpu()
        plan = compile_plan(self.fetches, [], self.feeds, list(shapes), (), executor.target())
        plan.program = None
        while len(self._plans) >= MAX_PLANS:
            self._plans.pop(next(iter(self._plans)))
        runnable = self._plans[shapes] = executor.lower(plan)
        return runnable
