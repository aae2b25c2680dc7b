"""TF1's `tf.data.Iterator`: a handle op in the graph, initializers, and `get_next()` ops.

`make_one_shot_iterator(ds)` starts on first use; `make_initializable_iterator(ds)` starts (and
restarts) when `iterator.initializer` runs, with the run's feeds for the dataset's placeholders;
`Iterator.from_structure(types, shapes)` starts on whichever compatible dataset
`make_initializer(ds)` names. Datasets are duck-typed here (their `stage`), so this module does
not import dataset.py, which imports it.
"""

from __future__ import annotations

from graphflow.core.graph import get_default_graph
from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape, as_shape
from graphflow.core.site import argument_error
from graphflow.data import structure
from graphflow.data.ops import IteratorGetNext, IteratorHandle, MakeIterator, OneShotIterator
from graphflow.data.structure import TensorSpec, same_structure
from graphflow.ops.constant import convert_to_tensor


class Iterator:
    """Iterates a dataset in a Session: `get_next()` builds an op giving the next element."""

    def __init__(self, iterator_resource, initializer, output_types, output_shapes,
                 output_classes):
        """As TF1's: `iterator_resource` is the handle tensor (a string scalar here)."""
        self._handle = iterator_resource
        self._initializer = initializer
        self._structure = _spec_structure(structure.normalize(output_types), output_shapes,
                                          "Iterator")

    @staticmethod
    def _of(handle: Tensor, spec_structure, initializer=None) -> Iterator:
        """An iterator over elements of `spec_structure` (a structure of specs)."""
        return Iterator(handle, initializer, structure.fields(spec_structure, "dtype"),
                        structure.fields(spec_structure, "shape"), None)

    # --- construction ---------------------------------------------------------------------
    @staticmethod
    def from_structure(output_types, output_shapes=None, shared_name=None, output_classes=None):
        """An iterator for any dataset of this structure (`make_initializer(ds)` each)."""
        _spec_structure(structure.normalize(output_types), output_shapes,
                        "Iterator.from_structure")  # checked before any op is built
        handle = get_default_graph().create_node(
            IteratorHandle(shared_name=shared_name or ""), [], name="Iterator").outputs[0]
        return Iterator(handle, None, output_types, output_shapes, output_classes)

    @staticmethod
    def from_string_handle(string_handle, output_types, output_shapes=None,
                           output_classes=None):
        """An iterator over whichever iterator the fed handle (`it.string_handle()`) names."""
        handle = convert_to_tensor(string_handle)
        if not handle.dtype.is_string or handle.shape.rank not in (None, 0):
            raise argument_error("Iterator.from_string_handle", "string_handle must be a string "
                                 f"scalar, got {handle.describe()}", TypeError)
        return Iterator(handle, None, output_types, output_shapes, output_classes)

    # --- running ----------------------------------------------------------------------------
    @property
    def initializer(self):
        if self._initializer is None:
            raise ValueError("Iterator does not have an initializer.")
        return self._initializer

    def make_initializer(self, dataset, name=None):
        """The op that (re)starts this iterator on `dataset`, checked to fit its structure."""
        stage = _stage_of(dataset, "make_initializer")
        _check_compatible(self._structure, stage.structure, "make_initializer")
        return make_iterator_op(self._handle, stage, name or "make_initializer")

    def get_next(self, name=None):
        """An op giving the next element: each call builds its own (TF1's rule)."""
        specs = structure.leaves(self._structure)
        op = IteratorGetNext(output_types=[s.dtype for s in specs],
                             output_shapes=[s.shape for s in specs])
        node = self._handle.graph.create_node(op, [self._handle], name=name or "IteratorGetNext")
        return structure.pack(self._structure, list(node.outputs))

    def string_handle(self, name=None) -> Tensor:
        """The handle as a string scalar: feed it to `Iterator.from_string_handle`'s placeholder."""
        return self._handle

    # --- the element's structure -----------------------------------------------------------
    @property
    def element_spec(self):
        return structure.pack(self._structure, structure.leaves(self._structure))

    @property
    def output_types(self):
        return structure.fields(self._structure, "dtype")

    @property
    def output_shapes(self):
        return structure.fields(self._structure, "shape")

    @property
    def output_classes(self):
        return structure.pack(self._structure, [Tensor for _ in structure.leaves(self._structure)])


def make_iterator_op(handle: Tensor, stage, name: str):
    op = MakeIterator()
    op.__dict__["stage"] = stage
    return handle.graph.create_node(op, [handle, *stage.inputs()], name=name)


def make_initializable_iterator(dataset, shared_name=None) -> Iterator:
    """`tf.compat.v1.data.make_initializable_iterator(ds)`: run `it.initializer` to (re)start."""
    stage = _stage_of(dataset, "make_initializable_iterator")
    handle = get_default_graph().create_node(
        IteratorHandle(shared_name=shared_name or ""), [], name="Iterator").outputs[0]
    return Iterator._of(handle, stage.structure, make_iterator_op(handle, stage, "MakeIterator"))


def make_one_shot_iterator(dataset) -> Iterator:
    """`tf.compat.v1.data.make_one_shot_iterator(ds)`: starts the first time it is used; a
    dataset that reads a placeholder cannot be used (TF1's rule: nothing would feed it)."""
    stage = _stage_of(dataset, "make_one_shot_iterator")
    inputs = stage.inputs()
    for t in inputs:
        if t.op.type == "Placeholder":
            raise argument_error("make_one_shot_iterator", "Cannot capture a placeholder "
                                 f"(name:{t.op.name}, type:Placeholder) by value. A one-shot "
                                 "iterator has no initializer to feed it; use "
                                 "make_initializable_iterator.", ValueError)
    op = OneShotIterator()
    op.__dict__["stage"] = stage
    handle = get_default_graph().create_node(op, inputs, name="OneShotIterator").outputs[0]
    return Iterator._of(handle, stage.structure)


def _stage_of(dataset, function: str):
    stage = getattr(dataset, "stage", None)
    if stage is None:
        raise argument_error(function, f"takes a tf.data Dataset, got {type(dataset).__name__}",
                             TypeError)
    return stage


def _spec_structure(types, output_shapes, function: str):
    if output_shapes is None:
        shapes = structure.map_leaves(lambda _: TensorShape(None), types)
    else:
        shapes = structure.shapes_like(types, output_shapes, function)
    return structure.of(types, [TensorSpec(as_shape(s), t) for t, s in
                                zip(structure.leaves(types), structure.leaves(shapes))])


def _check_compatible(expected, actual, function: str) -> None:
    """TF1's checks in make_initializer: the same nesting, equal dtypes, compatible shapes."""
    if not same_structure(expected, actual):
        raise argument_error(function, "The two structures don't have the same nested "
                             f"structure.\nFirst structure: {_render(expected, lambda s: s.dtype)}"
                             f"\nSecond structure: {_render(actual, lambda s: s.dtype)}",
                             ValueError)
    want, got = structure.leaves(expected), structure.leaves(actual)
    if any(a.dtype is not b.dtype for a, b in zip(want, got)):
        raise argument_error(function, "Expected output types "
                             f"{_render(expected, lambda s: s.dtype)} but got dataset with output "
                             f"types {_render(actual, lambda s: s.dtype)}.", TypeError)
    if not all(a.shape.is_compatible_with(b.shape) for a, b in zip(want, got)):
        raise argument_error(function, "Expected output shapes compatible with "
                             f"{_render(expected, lambda s: s.shape)} but got dataset with output "
                             f"shapes {_render(actual, lambda s: s.shape)}.", TypeError)


def _render(spec_structure, field) -> str:
    return structure.describe(spec_structure, field)
