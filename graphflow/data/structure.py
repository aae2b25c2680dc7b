"""The structure of a dataset element: nested tuples and dicts of components, as TF1 has them.

As in TF1, tuples (and namedtuples) and dicts are structure and a list is one component (a list
of values becomes one tensor); a dict's components are flattened in sorted key order, and dicts
come back with their keys in the order they were given. A stream carries an element as a flat
tuple of NumPy arrays; `pack` rebuilds the user's structure around them.
"""

from __future__ import annotations

import numpy as np

from graphflow import nest
from graphflow.core import dtypes
from graphflow.core.dtypes import as_dtype
from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape, as_shape
from graphflow.core.site import argument_error


class TensorSpec:
    """The dtype and static shape of one component (TF's `tf.TensorSpec`).

    What `Dataset.element_spec` holds for each component.

    Args:
        shape: A TensorShape, or a list of dims (None for unknown).
        dtype: A DType (default float32).
        name: An optional name.

    Examples:
        >>> spec = tf.TensorSpec([None, 3], tf.int32)
        >>> spec.shape.as_list(), spec.dtype
        ([None, 3], graphflow.int32)
        >>> tf.data.Dataset.range(3).element_spec
        TensorSpec(shape=(), dtype=graphflow.int64, name=None)
    """

    __slots__ = ("shape", "dtype", "name")

    def __init__(self, shape, dtype=dtypes.float32, name: str | None = None):
        self.shape = as_shape(shape)
        self.dtype = as_dtype(dtype)
        self.name = name

    def is_compatible_with(self, other: TensorSpec) -> bool:
        """Whether a value of `other`'s spec fits this one: the same dtype, compatible shapes.

        Args:
            other: Another TensorSpec.

        Returns:
            True or False.

        Examples:
            >>> tf.TensorSpec([None, 3]).is_compatible_with(tf.TensorSpec([2, 3]))
            True
            >>> tf.TensorSpec([None, 3]).is_compatible_with(tf.TensorSpec([2, 3], tf.int32))
            False
        """
        return self.dtype is other.dtype and self.shape.is_compatible_with(other.shape)

    def __eq__(self, other):
        return (isinstance(other, TensorSpec) and self.dtype is other.dtype
                and self.shape == other.shape and self.name == other.name)

    def __hash__(self):
        return hash((self.dtype.name, self.shape, self.name))

    def __repr__(self):
        return f"TensorSpec(shape={self.shape}, dtype={self.dtype!r}, name={self.name!r})"


class DatasetSpec:
    """A component that is itself a dataset of `element` (a TensorSpec): what `Dataset.window`
    yields. Such a component is carried as one tensor stacking the window's elements (shape
    [None] + element.shape), and a function given it (flat_map, interleave) sees a Dataset."""

    __slots__ = ("element",)

    def __init__(self, element: TensorSpec):
        self.element = element

    def __eq__(self, other):
        return isinstance(other, DatasetSpec) and self.element == other.element

    def __hash__(self):
        return hash(("dataset", self.element))

    def __repr__(self):
        return f"DatasetSpec({self.element!r}, TensorShape([]))"


def carried(spec) -> TensorSpec:
    """The spec of the tensor that carries a component: a window's stacked rows for a
    DatasetSpec, the spec itself otherwise."""
    if isinstance(spec, DatasetSpec):
        return TensorSpec(TensorShape([None]).concatenate(spec.element.shape),
                          spec.element.dtype)
    return spec


def has_datasets(spec_structure) -> bool:
    """Whether any component of a structure of specs is a dataset (a window)."""
    return any(isinstance(s, DatasetSpec) for s in leaves(spec_structure))


def normalize(value):
    """`value` with TF1's structure rules: tuples and dicts stay structure, lists and everything
    else are leaves."""
    if isinstance(value, dict):
        return {k: normalize(value[k]) for k in value}
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):  # a namedtuple
        return type(value)(*[normalize(v) for v in value])
    if isinstance(value, tuple):
        return tuple(normalize(v) for v in value)
    return _Leaf(value)


class _Leaf:
    """A component held in a structure, so that nest never descends into a list."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def _sorted(structure):
    """`structure` with every dict's keys in sorted order: the order components flatten in."""
    if isinstance(structure, dict):
        return {k: _sorted(structure[k]) for k in sorted(structure)}
    if isinstance(structure, tuple) and hasattr(type(structure), "_fields"):
        return type(structure)(*[_sorted(v) for v in structure])
    if isinstance(structure, tuple):
        return tuple(_sorted(v) for v in structure)
    return structure


def _in_order_of(template, built):
    """`built` (nested like `template`, dict keys sorted) with `template`'s key order."""
    if isinstance(template, dict):
        return type(template)((k, _in_order_of(template[k], built[k])) for k in template)
    if isinstance(template, tuple) and hasattr(type(template), "_fields"):
        return type(template)(*[_in_order_of(t, b) for t, b in zip(template, built)])
    if isinstance(template, tuple):
        return tuple(_in_order_of(t, b) for t, b in zip(template, built))
    return built


def leaves(structure) -> list:
    """The components of a normalized structure, in order (dict keys sorted)."""
    return [leaf.value for leaf in nest.flatten(_sorted(structure))]


def pack(structure, flat):
    """The user's structure (plain values at the leaves) with the components `flat`."""
    if isinstance(structure, _Leaf):
        return flat[0]
    return _in_order_of(structure, nest.pack_sequence_as(_sorted(structure), list(flat)))


def of(structure, flat):
    """A normalized structure of `structure`'s shape holding `flat` (for specs, tensors)."""
    return pack(structure, [_Leaf(v) for v in flat])


def map_leaves(fn, structure):
    """A normalized structure with each component replaced by `fn(component)`."""
    return of(structure, [fn(v) for v in leaves(structure)])


def fields(spec_structure, name: str):
    """The user's structure of one field of each spec (`"dtype"`, `"shape"`); a dataset
    component gives its DatasetSpec for every field, as TF's do."""
    return pack(spec_structure, [s if isinstance(s, DatasetSpec) else getattr(s, name)
                                 for s in leaves(spec_structure)])


def spec_of(value) -> TensorSpec:
    if isinstance(value, Tensor):
        return TensorSpec(value.shape, value.dtype)
    return TensorSpec(TensorShape(np.shape(value)), as_dtype(value.dtype))


def describe(structure, what) -> str:
    """The user-facing rendering of a structure of specs: `what` picks a field of each."""
    return repr(pack(structure, [what(s) for s in leaves(structure)]))


def same_structure(a, b) -> bool:
    """True when two normalized structures nest the same way (the same keys, the same arity)."""
    if isinstance(a, _Leaf) or isinstance(b, _Leaf):
        return isinstance(a, _Leaf) and isinstance(b, _Leaf)
    if isinstance(a, dict) or isinstance(b, dict):
        return (isinstance(a, dict) and isinstance(b, dict) and sorted(a) == sorted(b)
                and all(same_structure(a[k], b[k]) for k in a))
    return (isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b)
            and all(same_structure(x, y) for x, y in zip(a, b)))


def leaf(value):
    """A structure that is a single component."""
    return _Leaf(value)


def is_leaf(structure) -> bool:
    return isinstance(structure, _Leaf)


def shapes_like(types, shapes, function: str):
    """`shapes` (a user's nest of shapes) as a structure like `types`: a shape given as a tuple
    or list of dims is one leaf wherever `types` has a dtype."""
    if is_leaf(types):
        return leaf(as_shape(shapes))
    try:
        if isinstance(types, dict):
            if sorted(shapes) != sorted(types):
                raise KeyError(sorted(shapes))
            return {k: shapes_like(types[k], shapes[k], function) for k in types}
        if len(shapes) != len(types):
            raise ValueError(len(shapes))
        return type(types)(*[shapes_like(t, s, function) for t, s in zip(types, shapes)]) \
            if hasattr(type(types), "_fields") else \
            tuple(shapes_like(t, s, function) for t, s in zip(types, shapes))
    except (KeyError, ValueError, TypeError, IndexError):
        raise argument_error(function, f"the shapes {shapes!r} do not have the structure of "
                             "the types", ValueError) from None
