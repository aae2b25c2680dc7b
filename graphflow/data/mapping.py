"""Transformations by a user function: `map`, `filter` and `flat_map` (see function.py)."""

from __future__ import annotations

import numpy as np

from graphflow.core import dtypes
from graphflow.core.node import Tensor
from graphflow.core.site import argument_error
from graphflow.data import structure
from graphflow.data.function import TracedFunction
from graphflow.data.stage import Env, Stage, check_positive, tensor_inputs
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
        types = [structure.carried(s).dtype.np
                 for s in structure.leaves(self.upstream[0].structure)]

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
    returned dataset's inputs are computed from the element by the traced function. A window
    (Dataset.window) reaches `fn` as a Dataset (`dataset_type` makes it)."""

    what = "Dataset.flat_map"

    def __init__(self, upstream, fn, dataset_type=None):
        self.upstream = (upstream,)
        self.fn = TracedFunction(fn, upstream.structure, self.what, dataset_type)
        inner = getattr(self.fn.result, "stage", None)
        if not isinstance(inner, Stage):
            raise argument_error(self.what, "`map_func` must return a Dataset, got "
                                 f"{type(self.fn.result).__name__}", TypeError)
        self.inner = inner
        self.inner_inputs = inner.inputs()
        self.fn.finish([self.fn.graph.capture(t) for t in self.inner_inputs])
        self.structure = inner.structure

    def inner_streams(self, env):
        """The dataset `fn` makes of each element, as a fresh stream of its elements."""
        run = self.runner(env)
        for element in self.upstream[0].stream(env):
            yield self.inner.stream(Env(dict(zip(self.inner_inputs, run(element)))))

    def stream(self, env):
        for inner in self.inner_streams(env):
            yield from inner


class Interleave(FlatMap):
    """`cycle_length` of the datasets `fn` makes open at once, `block_length` elements from
    each in turn; an exhausted one is replaced by the next input element's (TF1's order)."""

    what = "Dataset.interleave"

    def __init__(self, upstream, fn, cycle_length, block_length, dataset_type=None):
        super().__init__(upstream, fn, dataset_type)
        self.cycle_length, self.block_length = cycle_length, block_length
        check_positive(cycle_length, "cycle_length", self.what, building=True)
        check_positive(block_length, "block_length", self.what, building=True)

    def own_inputs(self):
        return super().own_inputs() + tensor_inputs(self.cycle_length, self.block_length)

    def check(self, env):
        check_positive(env.count(self.cycle_length), "cycle_length", self.what)
        check_positive(env.count(self.block_length), "block_length", self.what)

    def stream(self, env):
        cycle, block = env.count(self.cycle_length), env.count(self.block_length)
        inputs = self.inner_streams(env)
        slots: list = [None] * cycle
        index = taken = is_open = 0
        exhausted = False
        while not exhausted or is_open:
            if slots[index] is not None:
                element = next(slots[index], None)
                if element is not None:
                    yield element
                    taken += 1
                    if taken < block:
                        continue
                else:
                    slots[index] = None
                    is_open -= 1
            elif not exhausted:
                slots[index] = next(inputs, None)
                if slots[index] is None:
                    exhausted = True
                else:
                    is_open += 1
                continue
            index, taken = (index + 1) % cycle, 0
