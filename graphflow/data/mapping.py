"""Transformations by a user function: `map`, `filter` and `flat_map` (see function.py)."""

from __future__ import annotations

import numpy as np

from graphflow.core import dtypes
from graphflow.core.node import Tensor
from graphflow.core.site import argument_error
from graphflow.data import structure
from graphflow.data.function import TracedFunction
from graphflow.data.stage import Env, Stage
from graphflow.ops.constant import convert_to_tensor


class _FunctionStage(Stage):
    """A stage running a traced function per element; its captures are pipeline inputs."""

    def own_inputs(self):
        return list(self.fn.captured)

    def runner(self, env):
        """`run(element) -> outputs` for this initialisation (its own function state)."""
        fn = self.fn
        state = env.state(self, fn.new_state)
        captured = [np.asarray(env.value(t), dtype=t.dtype.np) for t in fn.captured]
        types = [s.dtype.np for s in structure.leaves(self.upstream[0].structure)]

        def run(element):
            return fn(state, [np.asarray(v, dtype=t) for v, t in zip(element, types)], captured)

        return run


def _returned_structure(result):
    """What a map function returned, as a structure of graph tensors (a list counts as a tuple
    there, and Python or NumPy values become constants)."""
    if isinstance(result, list):
        result = tuple(result)
    normalized = structure.normalize(result)
    if any(v is None for v in structure.leaves(normalized)):
        raise argument_error("Dataset.map", "the function returned None (in "
                             f"{result!r}); it must return the new element: a tensor, or a "
                             "tuple or dict of them", TypeError)
    return structure.map_leaves(convert_to_tensor, normalized)


class Map(_FunctionStage):
    def __init__(self, upstream, fn):
        self.upstream = (upstream,)
        self.fn = TracedFunction(fn, upstream.structure, "Dataset.map")
        with self.fn.graph.as_default():
            outputs = _returned_structure(self.fn.result)
        tensors = structure.leaves(outputs)
        self.fn.finish(tensors)
        self.structure = structure.map_leaves(structure.spec_of, outputs)

    def stream(self, env):
        run = self.runner(env)
        for element in self.upstream[0].stream(env):
            yield tuple(run(element))


class Filter(_FunctionStage):
    def __init__(self, upstream, predicate):
        self.upstream = (upstream,)
        self.fn = TracedFunction(predicate, upstream.structure, "Dataset.filter")
        with self.fn.graph.as_default():
            result = self.fn.result
            kept = convert_to_tensor(result) if not isinstance(result, Tensor) else result
        if kept.dtype is not dtypes.bool_ or kept.shape.rank not in (None, 0):
            raise argument_error("Dataset.filter", "`predicate` return type must be convertible "
                                 f"to a scalar boolean tensor. Was {structure.spec_of(kept)}.",
                                 ValueError)
        self.fn.finish([kept])
        self.structure = upstream.structure

    def stream(self, env):
        run = self.runner(env)
        for element in self.upstream[0].stream(env):
            if bool(run(element)[0]):
                yield element


class FlatMap(_FunctionStage):
    """`fn` returns a dataset for each element; their elements follow one another. The
    returned dataset's inputs are computed from the element by the traced function."""

    def __init__(self, upstream, fn):
        self.upstream = (upstream,)
        self.fn = TracedFunction(fn, upstream.structure, "Dataset.flat_map")
        inner = getattr(self.fn.result, "stage", None)
        if not isinstance(inner, Stage):
            raise argument_error("Dataset.flat_map", "`map_func` must return a Dataset, got "
                                 f"{type(self.fn.result).__name__}", TypeError)
        self.inner = inner
        self.inner_inputs = inner.inputs()
        self.fn.finish([self.fn.graph.capture(t) for t in self.inner_inputs])
        self.structure = inner.structure

    def stream(self, env):
        run = self.runner(env)
        for element in self.upstream[0].stream(env):
            values = dict(zip(self.inner_inputs, run(element)))
            yield from self.inner.stream(Env(values))
