"""A pipeline stage: what one dataset yields (its element structure) and how it streams it.

Datasets hold host values: a stage streams elements as flat tuples of NumPy arrays, on the host,
when an iterator over it is initialised. The graph tensors a pipeline reads (a fed placeholder
given to `from_tensor_slices`, a tensor argument, a tensor a `map` function captures) are its
`inputs`: they become inputs of the op that initialises the iterator, so a run computes them
(from its feeds) and hands their values to the streams through an `Env`.
"""

from __future__ import annotations

import numpy as np

from graphflow.core import dtypes
from graphflow.core.node import Tensor
from graphflow.core.site import argument_error
from graphflow.errors import InvalidArgumentError


class Env:
    """One initialisation of an iterator: the values of the pipeline's input tensors, and each
    stage's state for that initialisation (a shuffle's seed and epoch, a cache's contents)."""

    def __init__(self, values: dict):
        self.values = values
        self._state: dict = {}

    def value(self, arg):
        """The value of `arg` for this initialisation: a tensor's, or `arg` itself."""
        return self.values[arg] if isinstance(arg, Tensor) else arg

    def count(self, arg) -> int:
        return int(self.value(arg))

    def state(self, stage, make):
        """`stage`'s state for this initialisation, made by `make()` on first use."""
        found = self._state.get(id(stage))
        if found is None:
            found = self._state[id(stage)] = (stage, make())
        return found[1]


class Stage:
    """One dataset's elements: `structure` (a normalized structure of TensorSpecs) and a fresh
    `stream(env)` of flat element tuples for each pass over the data."""

    structure = None
    upstream: tuple = ()

    def own_inputs(self) -> list:
        """The graph tensors this stage itself reads at initialisation."""
        return []

    def inputs(self) -> list:
        """Every graph tensor the pipeline up to this stage reads, each once, in order."""
        found: dict = {}
        for stage in self.upstream:
            found.update(dict.fromkeys(stage.inputs()))
        found.update(dict.fromkeys(self.own_inputs()))
        return list(found)

    def check(self, env: Env) -> None:
        """Checks of this initialisation's input values, made when the iterator starts."""

    def stages(self):
        """This stage and every stage upstream of it."""
        yield self
        for stage in self.upstream:
            yield from stage.stages()

    def stream(self, env: Env):
        raise TypeError(f"{type(self).__name__} does not stream")  # every stage overrides it


def count_argument(value, what: str, function: str):
    """A count argument (batch size, take count, ...): a Python int, or an int64 scalar tensor
    whose value is read when the iterator is initialised."""
    if hasattr(value, "_as_graph_tensor"):
        value = value._as_graph_tensor()
    if isinstance(value, Tensor):
        if not value.dtype.is_integer or value.shape.rank not in (None, 0):
            raise argument_error(function, f"{what} must be an integer scalar, got "
                                 f"{value.describe()}", TypeError)
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise argument_error(function, f"{what} must be a Python int or an integer scalar "
                             f"tensor, got {value!r} of type {type(value).__name__}", TypeError)
    return int(value)


def tensor_inputs(*args) -> list:
    return [a for a in args if isinstance(a, Tensor)]


def static_count(value):
    """A count's value when it is known while building (a Python int), else None."""
    return None if isinstance(value, Tensor) else value


def converted(value: np.ndarray, spec) -> np.ndarray:
    """A component value in its spec's dtype (streams hand out only declared dtypes)."""
    if spec.dtype is dtypes.string or value.dtype == spec.dtype.np:
        return value
    return value.astype(spec.dtype.np)


def check_positive(n, what: str, function: str, building: bool = False) -> None:
    """A count that must be positive: checked while building when it is a Python int (the
    error names the user's line), else when the iterator is initialised."""
    if isinstance(n, Tensor) or n > 0:
        return
    if building:
        raise argument_error(function, f"{what} must be greater than zero.", InvalidArgumentError)
    raise InvalidArgumentError(f"{function}: {what} must be greater than zero.")
