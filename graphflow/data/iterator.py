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
    """Iterates a dataset in a Session: `get_next()` builds an op giving the next element.

    Make one with `make_one_shot_iterator`, `make_initializable_iterator`,
    `Iterator.from_structure` or `Iterator.from_string_handle` rather than calling this class.
    The end of the data raises `tf.errors.OutOfRangeError` from `Session.run`, as in TF1.

    Args:
        iterator_resource: The handle tensor (a string scalar here).
        initializer: The op that starts the iterator, or None.
        output_types: The dtype of each component, nested as the elements are.
        output_shapes: Their static shapes, nested the same way.
        output_classes: Accepted for TF1's signature (every component is a Tensor).

    Examples:
        >>> it = tf.data.Dataset.range(2).make_one_shot_iterator()
        >>> nxt = it.get_next()
        >>> with tf.Session() as sess:
        ...     print(sess.run(nxt), sess.run(nxt))
        ...     try:
        ...         sess.run(nxt)
        ...     except tf.errors.OutOfRangeError:
        ...         print("end of data")
        0 1
        end of data
    """

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
        """An iterator for any dataset of this structure (`make_initializer(ds)` each).

        For switching one input pipeline between datasets (training and validation data).

        Args:
            output_types: The dtype of each component, nested as the elements are.
            output_shapes: Their static shapes (default: unknown); each dataset must fit them.
            shared_name: Accepted for TF1 scripts (a name to share the iterator between sessions).
            output_classes: Accepted for TF1's signature.

        Returns:
            An Iterator without an initializer of its own.

        Examples:
            >>> it = tf.data.Iterator.from_structure(tf.int64, [])
            >>> nxt = it.get_next()
            >>> train = it.make_initializer(tf.data.Dataset.range(10))
            >>> test = it.make_initializer(tf.data.Dataset.range(100, 110))
            >>> with tf.Session() as sess:
            ...     sess.run(train)
            ...     print(sess.run(nxt))
            ...     sess.run(test)
            ...     print(sess.run(nxt))
            0
            100
        """
        _spec_structure(structure.normalize(output_types), output_shapes,
                        "Iterator.from_structure")  # checked before any op is built
        handle = get_default_graph().create_node(
            IteratorHandle(shared_name=shared_name or ""), [], name="Iterator").outputs[0]
        return Iterator(handle, None, output_types, output_shapes, output_classes)

    @staticmethod
    def from_string_handle(string_handle, output_types, output_shapes=None,
                           output_classes=None):
        """An iterator over whichever iterator the fed handle (`it.string_handle()`) names.

        Args:
            string_handle: A string scalar tensor, usually a placeholder fed with the value of
                another iterator's `string_handle()`.
            output_types: The dtype of each component, nested as the elements are.
            output_shapes: Their static shapes (default: unknown).
            output_classes: Accepted for TF1's signature.

        Returns:
            An Iterator; its `get_next()` reads from the iterator the handle names.

        Examples:
            >>> handle = tf.placeholder(tf.string, [])
            >>> it = tf.data.Iterator.from_string_handle(handle, tf.int64, [])
            >>> nxt = it.get_next()
            >>> a = tf.data.Dataset.range(3).make_one_shot_iterator()
            >>> b = tf.data.Dataset.range(50, 53).make_one_shot_iterator()
            >>> with tf.Session() as sess:
            ...     ha, hb = sess.run([a.string_handle(), b.string_handle()])
            ...     print(sess.run(nxt, {handle: ha}), sess.run(nxt, {handle: hb}),
            ...           sess.run(nxt, {handle: ha}))
            0 50 1
        """
        handle = convert_to_tensor(string_handle)
        if not handle.dtype.is_string or handle.shape.rank not in (None, 0):
            raise argument_error("Iterator.from_string_handle", "string_handle must be a string "
                                 f"scalar, got {handle.describe()}", TypeError)
        return Iterator(handle, None, output_types, output_shapes, output_classes)

    # --- running ----------------------------------------------------------------------------
    @property
    def initializer(self):
        """The op that (re)starts the iterator (a one-shot iterator has none: ValueError)."""
        if self._initializer is None:
            raise ValueError("Iterator does not have an initializer.")
        return self._initializer

    def make_initializer(self, dataset, name=None):
        """The op that (re)starts this iterator on `dataset`, checked to fit its structure.

        Args:
            dataset: A Dataset whose element types and shapes fit the iterator's.
            name: The op's name (default "make_initializer").

        Returns:
            An op to run in a Session.

        Examples:
            >>> it = tf.data.Iterator.from_structure(tf.int64, [])
            >>> init = it.make_initializer(tf.data.Dataset.range(5, 8))
            >>> nxt = it.get_next()
            >>> with tf.Session() as sess:
            ...     sess.run(init)
            ...     print([sess.run(nxt) for _ in range(3)])
            [5, 6, 7]
        """
        stage = _stage_of(dataset, "make_initializer")
        _check_compatible(self._structure, stage.structure, "make_initializer")
        return make_iterator_op(self._handle, stage, name or "make_initializer")

    def get_next(self, name=None):
        """An op giving the next element: each call builds its own (TF1's rule).

        Call it once, outside the training loop, and run the result each step; each run of it
        advances the iterator.

        Args:
            name: The op's name (default "IteratorGetNext").

        Returns:
            A nest of tensors shaped like the dataset's elements.

        Examples:
            >>> ds = tf.data.Dataset.from_tensor_slices({"x": [1, 2], "y": [3, 4]})
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> sorted(nxt)
            ['x', 'y']
            >>> with tf.Session() as sess:
            ...     print(sess.run(nxt))
            {'x': 1, 'y': 3}
        """
        specs = structure.leaves(self._structure)
        op = IteratorGetNext(output_types=[s.dtype for s in specs],
                             output_shapes=[s.shape for s in specs])
        node = self._handle.graph.create_node(op, [self._handle], name=name or "IteratorGetNext")
        return structure.pack(self._structure, list(node.outputs))

    def string_handle(self, name=None) -> Tensor:
        """The handle as a string scalar: feed it to `Iterator.from_string_handle`'s placeholder.

        Args:
            name: Accepted for TF1 scripts (the handle tensor already exists).

        Returns:
            A string scalar tensor.

        Examples:
            >>> it = tf.data.Dataset.range(3).make_one_shot_iterator()
            >>> it.string_handle().dtype
            graphflow.string
        """
        return self._handle

    # --- the element's structure -----------------------------------------------------------
    @property
    def element_spec(self):
        """A TensorSpec for each component, nested as the elements are."""
        return structure.pack(self._structure, structure.leaves(self._structure))

    @property
    def output_types(self):
        """The dtype of each component, nested as the elements are (TF1's name)."""
        return structure.fields(self._structure, "dtype")

    @property
    def output_shapes(self):
        """The static TensorShape of each component, nested as the elements are."""
        return structure.fields(self._structure, "shape")

    @property
    def output_classes(self):
        """The Python class of each component (Tensor), nested as the elements are."""
        return structure.pack(self._structure, [Tensor for _ in structure.leaves(self._structure)])


def make_iterator_op(handle: Tensor, stage, name: str):
    op = MakeIterator()
    op.__dict__["stage"] = stage
    return handle.graph.create_node(op, [handle, *stage.inputs()], name=name)


def make_initializable_iterator(dataset, shared_name=None) -> Iterator:
    """`tf.compat.v1.data.make_initializable_iterator(ds)`: run `it.initializer` to (re)start.

    Args:
        dataset: The Dataset to iterate; the initializer run's feeds reach its placeholders.
        shared_name: Accepted for TF1 scripts (a name to share the iterator between sessions).

    Returns:
        An Iterator with an `initializer` op.

    Examples:
        >>> data = tf.placeholder(tf.float32, [None])
        >>> it = tf.data.make_initializable_iterator(tf.data.Dataset.from_tensor_slices(data))
        >>> nxt = it.get_next()
        >>> with tf.Session() as sess:
        ...     sess.run(it.initializer, {data: [1.5, 2.5]})
        ...     print(sess.run(nxt), sess.run(nxt))
        1.5 2.5
    """
    stage = _stage_of(dataset, "make_initializable_iterator")
    handle = get_default_graph().create_node(
        IteratorHandle(shared_name=shared_name or ""), [], name="Iterator").outputs[0]
    return Iterator._of(handle, stage.structure, make_iterator_op(handle, stage, "MakeIterator"))


def make_one_shot_iterator(dataset) -> Iterator:
    """`tf.compat.v1.data.make_one_shot_iterator(ds)`: starts the first time it is used; a
    dataset that reads a placeholder cannot be used (TF1's rule: nothing would feed it).

    Args:
        dataset: The Dataset to iterate.

    Returns:
        An Iterator without an initializer.

    Examples:
        >>> it = tf.data.make_one_shot_iterator(tf.data.Dataset.range(3))
        >>> nxt = it.get_next()
        >>> with tf.Session() as sess:
        ...     print([sess.run(nxt) for _ in range(3)])
        [0, 1, 2]
    """
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
    if structure.has_datasets(stage.structure):
        raise argument_error(function, "cannot iterate over elements that are datasets (from "
                             "Dataset.window): graphflow's get_next() gives tensors; flat_map "
                             "or interleave the windows first, e.g. "
                             ".flat_map(lambda w: w.batch(n))", TypeError)
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
