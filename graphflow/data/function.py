"""Dataset functions (`map`, `filter`, `flat_map`): traced into their own graph, compiled once.

As in TF1, the user's function is called once, on graph tensors standing for one element: it
builds ops (`tf.cast`, `/ 255.`, `tf.one_hot`, ...) into a fresh FuncGraph (the traced-function
graph control flow uses too, here with names of its own) over placeholders of the element's
dtypes and static shapes, which give the static shapes of what it returns. Each element (or
batch, after `batch`) then runs that graph as a plan compiled for the cpu executor's target,
one plan per distinct input shape. A tensor of the outer graph that the function uses is
captured: it becomes a placeholder of the function graph, and an input of the iterator's
initialiser, so its value is taken when the iterator is initialised (a variable is read then,
not per element as a TF1 resource variable would be).
"""

from __future__ import annotations

from graphflow.compiler import compile_plan
from graphflow.core.graph import get_default_graph
from graphflow.core.site import argument_error
from graphflow.data import structure
from graphflow.data.sources import TensorSlices
from graphflow.errors import GraphError
from graphflow.executors import get_executor
from graphflow.ops.function_graph import FuncGraph

MAX_PLANS = 16  # plans kept per function, one per distinct input shape; oldest dropped first
_EXECUTOR: list = []


def _cpu():
    if not _EXECUTOR:
        _EXECUTOR.append(get_executor("cpu"))
    return _EXECUTOR[0]


def _arg(graph: FuncGraph, spec):
    """The placeholder for one component: a window (DatasetSpec) comes as its stacked rows."""
    tensor = structure.carried(spec)
    name = "window" if isinstance(spec, structure.DatasetSpec) else "arg"
    return graph.add_arg(tensor.dtype, tensor.shape, name)


def _dataset(dataset_type, rows, what: str):
    """A window handed to the user's function: a Dataset over the stacked rows."""
    if dataset_type is None:
        raise argument_error(what, "cannot take elements that are datasets (from "
                             "Dataset.window); flat_map or interleave them into tensors first, "
                             "e.g. .flat_map(lambda w: w.batch(n))", TypeError)
    return dataset_type(TensorSlices(rows))


class TracedFunction:
    """A user function traced over placeholders of `in_structure` (a structure of specs).

    `result` is what the function returned (its tensors live in `graph`); `finish(fetches)`
    fixes which of its tensors are computed, after which `__call__` runs it on host values.
    """

    def __init__(self, fn, in_structure, what: str, dataset_type=None):
        if not callable(fn):
            raise argument_error(what, f"takes a function, got {type(fn).__name__}", TypeError)
        self.what = what
        self.graph = FuncGraph(get_default_graph(), "", own_names=True, read_variables=False,
                               what=what)
        with self.graph.as_default():
            self.args = [_arg(self.graph, s) for s in structure.leaves(in_structure)]
            given = [a if not isinstance(s, structure.DatasetSpec) else _dataset(
                dataset_type, a, what) for a, s in zip(self.args, structure.leaves(in_structure))]
            element = structure.pack(in_structure, given)
            # TF1 passes a tuple's components as separate arguments, anything else as one.
            self.result = fn(*element) if type(element) is tuple else fn(element)
        if self.graph.outer_controls:
            names = ", ".join(op.name for op in self.graph.outer_controls)
            raise argument_error(what, f"its function waits (control_dependencies) on {names}, "
                                 "of the graph the dataset is built in; a dataset function "
                                 "runs apart from that graph and cannot wait for its ops",
                                 GraphError)
        self.fetches: list = []
        self._plans: dict = {}

    def finish(self, fetches: list) -> None:
        """Fix what the function computes (tensors of its graph, or captured ones)."""
        self.graph.finish(list(fetches))
        self.fetches = self.graph.outputs
        self.captured = [outer for outer, _ in self.graph.captures]
        self.feeds = self.graph.inputs
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
