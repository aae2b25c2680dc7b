"""Where elements come from: slices of tensors, whole tensors, ranges, Python generators."""

from __future__ import annotations

import numpy as np

from graphflow.core import dtypes
from graphflow.core.dtypes import as_dtype
from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape, as_shape
from graphflow.core.site import argument_error
from graphflow.data import structure
from graphflow.data.stage import Stage, converted, count_argument, tensor_inputs
from graphflow.errors import InvalidArgumentError
from graphflow.ops.constant import convert_to_tensor, to_numpy


def component(value):
    """One component given by the user: a graph tensor as is, anything else as a read-only
    NumPy array in TF1's dtype for it (Python ints are int32, floats float32)."""
    if hasattr(value, "_as_graph_tensor"):
        value = value._as_graph_tensor()
    if isinstance(value, Tensor):
        return value
    if isinstance(value, list) and any(isinstance(v, Tensor) for v in value):
        return convert_to_tensor(value)
    arr = np.array(to_numpy(value), copy=True)
    arr.flags.writeable = False
    return arr


def components(tensors):
    """A normalized structure of components from a user's nest of values."""
    return structure.map_leaves(component, structure.normalize(tensors))


_SLICES = "Dataset.from_tensor_slices"


class TensorSlices(Stage):
    """`from_tensor_slices`: element i holds row i of every component."""

    def __init__(self, tensors):
        self.components = components(tensors)
        values = structure.leaves(self.components)
        specs = [structure.spec_of(v) for v in values]
        first = TensorShape([None])
        for spec in specs:
            if spec.shape.rank == 0:
                raise argument_error(_SLICES, "Unbatching a tensor is only supported for rank "
                                     f">= 1; got a scalar of dtype {spec.dtype}", ValueError)
            if spec.shape.rank is not None:
                if not first.is_compatible_with(spec.shape[:1]):
                    raise argument_error(_SLICES, f"Dimensions {first[0]} and {spec.shape[0]} "
                                         "are not compatible (every component needs the same "
                                         "first dimension; got shapes "
                                         f"{', '.join(str(s.shape) for s in specs)})",
                                         ValueError)
                first = first.merge_with(spec.shape[:1])
        self.structure = structure.of(self.components, [
            structure.TensorSpec(s.shape[1:], s.dtype) for s in specs])

    def own_inputs(self):
        return tensor_inputs(*structure.leaves(self.components))

    def check(self, env):
        values = [env.value(v) for v in structure.leaves(self.components)]
        if len({len(v) for v in values}) > 1:
            raise InvalidArgumentError(
                f"{_SLICES}: all components must have the same size in the first dimension; "
                f"got shapes {', '.join(str(np.shape(v)) for v in values)}")

    def stream(self, env):
        values = [env.value(v) for v in structure.leaves(self.components)]
        for i in range(len(values[0]) if values else 0):
            yield tuple(v[i] for v in values)


class Tensors(Stage):
    """`from_tensors`: one element, the given components."""

    def __init__(self, tensors):
        self.components = components(tensors)
        self.structure = structure.map_leaves(structure.spec_of, self.components)

    def own_inputs(self):
        return tensor_inputs(*structure.leaves(self.components))

    def stream(self, env):
        yield tuple(env.value(v) for v in structure.leaves(self.components))


class Range(Stage):
    """`range([start,] stop[, step])`: int64 scalars, as Python's range."""

    def __init__(self, *args):
        if not 1 <= len(args) <= 3:
            raise argument_error("Dataset.range", "takes 1 to 3 arguments (start, stop, step), "
                                 f"got {len(args)}", TypeError)
        self.args = tuple(_range_argument(a) for a in args)
        if len(self.args) == 3 and self.args[2] == 0:
            raise argument_error("Dataset.range", "step must be a non-zero integer.",
                                 InvalidArgumentError)
        self.structure = structure.leaf(structure.TensorSpec([], dtypes.int64))

    def own_inputs(self):
        return tensor_inputs(*self.args)

    def stream(self, env):
        args = [env.count(a) for a in self.args]
        if len(args) == 3 and args[2] == 0:
            raise InvalidArgumentError("Dataset.range: step must be a non-zero integer.")
        for i in range(*args):
            yield (np.int64(i),)


def _range_argument(value):
    if not (hasattr(value, "_as_graph_tensor") or isinstance(value, (Tensor, int, np.integer))) \
            or isinstance(value, (bool, np.bool_)):
        raise argument_error("Dataset.range", f"Expected int64, but got {value!r} of type "
                             f"'{type(value).__name__}'.", TypeError)
    return count_argument(value, "each argument", "Dataset.range")


class Generator(Stage):
    """`from_generator`: the elements a Python generator yields, checked against the declared
    types and shapes (`args`, tensors or values, are evaluated at initialisation and passed)."""

    def __init__(self, generator, output_types, output_shapes=None, args=None):
        if not callable(generator):
            raise argument_error("Dataset.from_generator", "`generator` must be callable (a "
                                 "function returning an iterator), got "
                                 f"{type(generator).__name__}", TypeError)
        types = structure.normalize(output_types)
        if output_shapes is None:
            shapes = structure.map_leaves(lambda _: TensorShape(None), types)
        else:
            shapes = structure.shapes_like(types, output_shapes, "Dataset.from_generator")
        self.generator = generator
        self.structure = structure.of(types, [
            structure.TensorSpec(as_shape(s), as_dtype(t))
            for t, s in zip(structure.leaves(types), structure.leaves(shapes))])
        self.args = [component(a) for a in (args or ())]

    def own_inputs(self):
        return tensor_inputs(*self.args)

    def stream(self, env):
        specs = structure.leaves(self.structure)
        for element in self.generator(*[env.value(a) for a in self.args]):
            values = _flat_yield(element, self.structure)
            yield tuple(_checked_yield(v, spec, element) for v, spec in zip(values, specs))


def _flat_yield(element, spec_structure) -> list:
    if structure.is_leaf(spec_structure):
        return [element]
    if isinstance(element, list) and isinstance(spec_structure, tuple):
        element = tuple(element)  # a list yielded for a tuple of types is its components
    normalized = structure.normalize(element)
    if not structure.same_structure(normalized, spec_structure):
        raise InvalidArgumentError(
            "`generator` yielded an element that did not match the expected structure. The "
            f"expected structure was {_types(spec_structure)}, but the yielded element was "
            f"{element!r}.")
    return structure.leaves(normalized)


def _checked_yield(value, spec, element) -> np.ndarray:
    try:
        arr = converted(to_numpy(value, spec.dtype), spec)
    except (TypeError, ValueError) as err:
        raise InvalidArgumentError(
            "`generator` yielded an element that could not be converted to the expected type. "
            f"The expected type was {spec.dtype.name}, but the yielded element was {element!r} "
            f"({err}).") from None
    if not spec.shape.is_compatible_with(arr.shape):
        raise InvalidArgumentError(
            f"`generator` yielded an element of shape {TensorShape(arr.shape)} where an element "
            f"of shape {spec.shape} was expected.")
    return arr


def _types(spec_structure) -> str:
    return structure.describe(spec_structure, lambda s: s.dtype)
