"""`tf.data.Dataset`: TF1's input-pipeline API over host-side stages (see stage.py).

A Dataset wraps one `Stage` (what it yields and how); each method returns a new Dataset on a
new stage. Nothing runs while building: an iterator streams the pipeline when it is
initialised in a Session, and `get_next()` hands elements to the graph.
"""

from __future__ import annotations

import operator
import os

from graphflow.core.node import Tensor
from graphflow.core.site import argument_error
from graphflow.data import iterator, structure
from graphflow.data.mapping import Filter, FlatMap, Interleave, Map
from graphflow.data.records import TFRecords
from graphflow.data.shuffle import Shuffle
from graphflow.data.sources import Generator, Range, Tensors, TensorSlices
from graphflow.data.stage import count_argument
from graphflow.data.text import TextLines
from graphflow.data.transforms import (
    Batch,
    Cache,
    Concatenate,
    PaddedBatch,
    Prefetch,
    Repeat,
    Shard,
    Skip,
    Take,
    Zip,
)
from graphflow.data.windows import Window


class Dataset:
    """A sequence of elements (nested tuples and dicts of tensors), built from sources and
    transformed by chained methods, as in TF1.

    Build one with a source (`from_tensor_slices`, `range`, `from_generator`, a file dataset);
    each method returns a new Dataset and nothing runs until an iterator is used in a Session.
    Graph mode only: iterating a Dataset in Python raises, as TF1's does without eager mode.

    Args:
        stage: The host-side stage that yields the elements (internal; use a source instead).

    Examples:
        >>> ds = tf.data.Dataset.range(6).map(lambda x: x * 10).batch(4)
        >>> nxt = ds.make_one_shot_iterator().get_next()
        >>> with tf.Session() as sess:
        ...     print([sess.run(nxt).tolist() for _ in range(2)])
        [[0, 10, 20, 30], [40, 50]]
    """

    def __init__(self, stage):
        self.stage = stage

    # --- sources ------------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors) -> Dataset:
        """One element per row of the components (NumPy values or graph tensors, e.g. a
        placeholder fed when an initializable iterator is initialised).

        Args:
            tensors: A component, or a tuple/dict nest of them, all with the same first dimension.
                A list is one component (a list of values becomes one tensor), as in TF1.

        Returns:
            A Dataset whose elements have the components' shapes without the first dimension.

        Examples:
            >>> ds = tf.data.Dataset.from_tensor_slices(({'x': [1, 2]}, ['a', 'b']))
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(2)])
            [({'x': 1}, b'a'), ({'x': 2}, b'b')]
        """
        return Dataset(TensorSlices(tensors))

    @staticmethod
    def from_tensors(tensors) -> Dataset:
        """A single element: the components themselves.

        Args:
            tensors: A component, or a tuple/dict nest of them.

        Returns:
            A Dataset of one element.

        Examples:
            >>> ds = tf.data.Dataset.from_tensors([1, 2]).repeat(2)
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt).tolist() for _ in range(2)])
            [[1, 2], [1, 2]]
        """
        return Dataset(Tensors(tensors))

    @staticmethod
    def range(*args) -> Dataset:  # noqa: A003 - TF1's name
        """int64 scalars `range(stop)`, `range(start, stop)`, `range(start, stop, step)`.

        Args:
            *args: One to three Python ints, as for Python's `range`.

        Returns:
            A Dataset of int64 scalars.

        Examples:
            >>> ds = tf.data.Dataset.range(2, 11, 4)
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(3)])
            [2, 6, 10]
        """
        return Dataset(Range(*args))

    @staticmethod
    def from_generator(generator, output_types, output_shapes=None, args=None) -> Dataset:
        """The elements `generator(*args)` yields (`args` evaluated at initialisation).

        Args:
            generator: A callable returning an iterator; called anew each time the iterator starts.
            output_types: The dtype of each component (a nest like the elements).
            output_shapes: Their static shapes (default: unknown).
            args: Tensors (or values) whose values are passed to `generator` when it starts.

        Returns:
            A Dataset of what the generator yields, converted to `output_types`.

        Examples:
            >>> ds = tf.data.Dataset.from_generator(lambda n: range(n), tf.int32, args=(3,))
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(3)])
            [0, 1, 2]
        """
        return Dataset(Generator(generator, output_types, output_shapes, args))

    @staticmethod
    def zip(datasets) -> Dataset:  # noqa: A003 - TF1's name
        """Elements of a nest (tuple or dict) of datasets side by side, to the shortest.

        Args:
            datasets: A tuple or dict of Datasets.

        Returns:
            A Dataset whose elements are tuples (dicts) of the datasets' elements.

        Examples:
            >>> ds = tf.data.Dataset.zip((tf.data.Dataset.range(3), tf.data.Dataset.range(10, 20)))
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(3)])
            [(0, 10), (1, 11), (2, 12)]
        """
        nested = structure.normalize(datasets)
        stages = structure.of(nested, [_stage(d, "Dataset.zip") for d in structure.leaves(nested)])
        return Dataset(Zip(stages))

    # --- transformations ----------------------------------------------------------------------
    def map(self, map_func, num_parallel_calls=None) -> Dataset:
        """`map_func` traced over this dataset's element (a tuple's components as arguments).

        The function is traced once into graph ops, as in TF1; it runs for each element.

        Args:
            map_func: A function of the element's components, returning a nest of tensors.
            num_parallel_calls: Accepted for TF1 scripts; elements are made one at a time.

        Returns:
            A Dataset of the function's results.

        Examples:
            >>> ds = tf.data.Dataset.range(3).map(lambda x: (x, x * x))
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(3)])
            [(0, 0), (1, 1), (2, 4)]
        """
        return Dataset(Map(self.stage, map_func))

    def flat_map(self, map_func) -> Dataset:
        """The elements of the dataset `map_func` makes of each element, one after another.

        Args:
            map_func: A function of the element's components, returning a Dataset.

        Returns:
            The concatenation of those datasets.

        Examples:
            >>> ds = tf.data.Dataset.range(2).flat_map(
            ...     lambda x: tf.data.Dataset.from_tensors(x).repeat(2))
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(4)])
            [0, 0, 1, 1]
        """
        return Dataset(FlatMap(self.stage, map_func, Dataset))

    def interleave(self, map_func, cycle_length=None, block_length=None,
                   num_parallel_calls=None) -> Dataset:
        """The datasets `map_func` makes, `cycle_length` at a time (default: the number of
        CPUs, as TF's runtime picks), `block_length` (default 1) elements from each in turn.

        For reading several files at once: map each file name to a file dataset.

        Args:
            map_func: A function of the element's components, returning a Dataset.
            cycle_length: How many of those datasets are open at a time (None or -1: the CPUs).
            block_length: How many elements to take from one before moving to the next.
            num_parallel_calls: Accepted for TF1 scripts; elements are made one at a time.

        Returns:
            The interleaved Dataset.

        Examples:
            >>> ds = tf.data.Dataset.range(1, 3).interleave(
            ...     lambda x: tf.data.Dataset.from_tensors(x).repeat(3), cycle_length=2)
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(6)])
            [1, 2, 1, 2, 1, 2]
        """
        what = "Dataset.interleave"
        cycle = (os.cpu_count() or 1) if cycle_length in (None, -1) \
            else count_argument(cycle_length, "cycle_length", what)
        block = 1 if block_length is None else count_argument(block_length, "block_length",
                                                               what)
        return Dataset(Interleave(self.stage, map_func, cycle, block, Dataset))

    def window(self, size, shift=None, stride=1, drop_remainder: bool = False) -> Dataset:
        """Windows of `size` elements, `shift` (default size) apart, `stride` apart within a
        window; each a dataset, to flat_map or interleave (see windows.py).

        Args:
            size: How many elements per window.
            shift: How many elements the next window starts after this one (default `size`).
            stride: The step between the elements within a window.
            drop_remainder: Drop the last windows when they are shorter than `size`.

        Returns:
            A Dataset whose elements are Datasets.

        Examples:
            >>> ds = tf.data.Dataset.range(5).window(3, shift=1, drop_remainder=True)
            >>> nxt = ds.flat_map(lambda w: w.batch(3)).make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt).tolist() for _ in range(3)])
            [[0, 1, 2], [1, 2, 3], [2, 3, 4]]
        """
        what = "Dataset.window"
        return Dataset(Window(self.stage, count_argument(size, "size", what),
                              None if shift is None else count_argument(shift, "shift", what),
                              count_argument(stride, "stride", what), drop_remainder))

    def filter(self, predicate) -> Dataset:  # noqa: A003 - TF1's name
        """The elements for which `predicate` is true.

        Args:
            predicate: A function of the element's components returning a bool scalar tensor
                (use `tf.equal`, not `==`, which compares tensors as objects, as in TF1).

        Returns:
            A Dataset of the kept elements.

        Examples:
            >>> ds = tf.data.Dataset.range(10).filter(lambda x: tf.equal(x % 3, 0))
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(4)])
            [0, 3, 6, 9]
        """
        return Dataset(Filter(self.stage, predicate))

    def batch(self, batch_size, drop_remainder: bool = False) -> Dataset:
        """Consecutive elements stacked into batches of `batch_size` along a new first dimension.

        Args:
            batch_size: How many elements per batch (a positive int).
            drop_remainder: Drop a last, smaller batch; then the batch dimension is static.

        Returns:
            A Dataset of batches; their first dimension is None unless `drop_remainder`.

        Examples:
            >>> ds = tf.data.Dataset.range(5).batch(2)
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt).tolist() for _ in range(3)])
            [[0, 1], [2, 3], [4]]
        """
        _tensors_only(self, "Dataset.batch")
        return Dataset(Batch(self.stage, count_argument(batch_size, "batch_size",
                                                        "Dataset.batch"), drop_remainder))

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder: bool = False) -> Dataset:
        """Like `batch`, for elements of different shapes: each is padded to `padded_shapes`.

        Args:
            batch_size: How many elements per batch.
            padded_shapes: The shape to pad each component to; None dims pad to the longest in
                the batch (default: every unknown dim).
            padding_values: The value to pad with, per component (default 0, or b'' for strings).
            drop_remainder: Drop a last, smaller batch.

        Returns:
            A Dataset of padded batches.

        Examples:
            >>> ds = tf.data.Dataset.range(1, 4).map(tf.range).padded_batch(2, padded_shapes=[None])
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt).tolist() for _ in range(2)])
            [[[0, 0], [0, 1]], [[0, 1, 2]]]
        """
        _tensors_only(self, "Dataset.padded_batch")
        size = count_argument(batch_size, "batch_size", "Dataset.padded_batch")
        return Dataset(PaddedBatch(self.stage, size, padded_shapes, padding_values,
                                   drop_remainder))

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None) -> Dataset:
        """The elements in random order, drawn from a buffer of `buffer_size` of them.

        Args:
            buffer_size: How many elements the buffer holds (the whole dataset for a full shuffle).
            seed: An int for a repeatable order (with the graph seed, as in TF1).
            reshuffle_each_iteration: Whether each restart draws a new order (default True).

        Returns:
            The shuffled Dataset.

        Examples:
            >>> ds = tf.data.Dataset.range(5).shuffle(5, seed=1)
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print(sorted(sess.run(nxt) for _ in range(5)))
            [0, 1, 2, 3, 4]
        """
        size = count_argument(buffer_size, "buffer_size", "Dataset.shuffle")
        return Dataset(Shuffle(self.stage, size, seed, reshuffle_each_iteration))

    def repeat(self, count=None) -> Dataset:
        """This dataset `count` times over (forever when `count` is None or -1).

        Args:
            count: How many times (a non-negative int), or None.

        Returns:
            The repeated Dataset.

        Examples:
            >>> ds = tf.data.Dataset.range(2).repeat(3)
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(6)])
            [0, 1, 0, 1, 0, 1]
        """
        count = None if count is None else count_argument(count, "count", "Dataset.repeat")
        return Dataset(Repeat(self.stage, count))

    def take(self, count) -> Dataset:
        """The first `count` elements (all of them when `count` is -1).

        Args:
            count: How many elements.

        Returns:
            The shorter Dataset.

        Examples:
            >>> ds = tf.data.Dataset.range(10).take(3)
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(3)])
            [0, 1, 2]
        """
        return Dataset(Take(self.stage, count_argument(count, "count", "Dataset.take")))

    def skip(self, count) -> Dataset:
        """All but the first `count` elements.

        Args:
            count: How many to skip (-1 skips all).

        Returns:
            The remaining Dataset.

        Examples:
            >>> ds = tf.data.Dataset.range(5).skip(3)
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(2)])
            [3, 4]
        """
        return Dataset(Skip(self.stage, count_argument(count, "count", "Dataset.skip")))

    def shard(self, num_shards: int, index: int) -> Dataset:
        """Every `num_shards`-th element from `index` on (Python ints).

        For splitting input between workers: worker `i` of `n` takes `shard(n, i)`.

        Args:
            num_shards: The number of shards.
            index: This shard's index, 0 <= index < num_shards.

        Returns:
            The shard's Dataset.

        Examples:
            >>> ds = tf.data.Dataset.range(10).shard(3, 1)
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(3)])
            [1, 4, 7]
        """
        return Dataset(Shard(self.stage, operator.index(num_shards), operator.index(index)))

    def prefetch(self, buffer_size) -> Dataset:
        """A pass-through here: elements are made when a run asks for them.

        Kept so TF1 pipelines run unchanged; there is no background thread to fill a buffer.

        Args:
            buffer_size: Accepted and ignored (TF1: how many elements to prepare ahead).

        Returns:
            A Dataset of the same elements.

        Examples:
            >>> ds = tf.data.Dataset.range(3).prefetch(1)
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(3)])
            [0, 1, 2]
        """
        return Dataset(Prefetch(self.stage, buffer_size))

    def cache(self, filename: str = "") -> Dataset:
        """The elements, kept after the first pass so later passes do not recompute them.

        Args:
            filename: A file to cache in; "" (the default) caches in memory.

        Returns:
            A Dataset of the same elements.

        Examples:
            >>> ds = tf.data.Dataset.range(2).map(lambda x: x + 1).cache().repeat(2)
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(4)])
            [1, 2, 1, 2]
        """
        return Dataset(Cache(self.stage, filename))

    def concatenate(self, dataset) -> Dataset:
        """This dataset's elements, then those of `dataset`.

        Args:
            dataset: A Dataset with elements of the same structure and dtypes.

        Returns:
            The concatenated Dataset.

        Examples:
            >>> ds = tf.data.Dataset.range(2).concatenate(tf.data.Dataset.range(5, 7))
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(4)])
            [0, 1, 5, 6]
        """
        return Dataset(Concatenate(self.stage, _stage(dataset, "Dataset.concatenate")))

    def apply(self, transformation_func) -> Dataset:
        """`transformation_func(self)`, which must return a Dataset.

        For reusable transformations such as those in `tf.data.experimental`.

        Args:
            transformation_func: A function from a Dataset to a Dataset.

        Returns:
            The Dataset it returns.

        Examples:
            >>> ds = tf.data.Dataset.range(5).apply(lambda d: d.skip(1).take(2))
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(2)])
            [1, 2]
        """
        result = transformation_func(self)
        _stage(result, "Dataset.apply (the transformation's result)")
        return result

    # --- iterators ------------------------------------------------------------------------------
    def make_one_shot_iterator(self) -> iterator.Iterator:
        """An iterator that starts by itself the first time it is used.

        It cannot read a placeholder (nothing would feed it); use
        `make_initializable_iterator` for that.

        Returns:
            An Iterator; `get_next()` gives the element ops.

        Examples:
            >>> ds = tf.data.Dataset.range(3)
            >>> nxt = ds.make_one_shot_iterator().get_next()
            >>> with tf.Session() as sess:
            ...     print([sess.run(nxt) for _ in range(3)])
            [0, 1, 2]
        """
        return iterator.make_one_shot_iterator(self)

    def make_initializable_iterator(self, shared_name=None) -> iterator.Iterator:
        """An iterator that starts, and restarts, when its `initializer` runs.

        The initializer run's feeds reach the dataset's placeholders.

        Args:
            shared_name: Accepted for TF1 scripts (a name to share the iterator between sessions).

        Returns:
            An Iterator with an `initializer` op.

        Examples:
            >>> n = tf.placeholder(tf.int64, [])
            >>> it = tf.data.Dataset.range(n).make_initializable_iterator()
            >>> nxt = it.get_next()
            >>> with tf.Session() as sess:
            ...     sess.run(it.initializer, {n: 2})
            ...     print([sess.run(nxt) for _ in range(2)])
            [0, 1]
        """
        return iterator.make_initializable_iterator(self, shared_name)

    def __iter__(self):
        raise RuntimeError("__iter__() is only supported when eager execution is enabled, "
                           "which graphflow does not have; in a graph, use "
                           "make_one_shot_iterator() and get_next().")

    # --- the element's structure -----------------------------------------------------------
    @property
    def element_spec(self):
        """A TensorSpec for each component, nested as the elements are."""
        return structure.pack(self.stage.structure, structure.leaves(self.stage.structure))

    @property
    def output_types(self):
        """The dtype of each component, nested as the elements are (TF1's name)."""
        return structure.fields(self.stage.structure, "dtype")

    @property
    def output_shapes(self):
        """The static TensorShape of each component, nested as the elements are."""
        return structure.fields(self.stage.structure, "shape")

    @property
    def output_classes(self):
        """The Python class of each component: Tensor, or a DatasetSpec for a window."""
        return structure.pack(self.stage.structure, [
            s if isinstance(s, structure.DatasetSpec) else Tensor
            for s in structure.leaves(self.stage.structure)])

    def __repr__(self):
        return f"<{type(self.stage).__name__}Dataset element_spec={self.element_spec!r}>"


class TextLineDataset(Dataset):
    r"""The lines of text files (`filenames`: a string, a list of them, or a string
    tensor), without their line endings; read when the iterator reaches them.

    Args:
        filenames: A path, a list of paths, or a string tensor of them.
        compression_type: None or "" for plain files, "GZIP" or "ZLIB".
        buffer_size: Accepted for TF1 scripts (a read buffer's size).
        num_parallel_reads: Accepted for TF1 scripts; files are read one after another.
        name: Accepted for TF1 scripts.

    Examples:
        >>> with open("lines.txt", "w") as f:
        ...     _ = f.write("first\nsecond\n")
        >>> ds = tf.data.TextLineDataset("lines.txt")
        >>> nxt = ds.make_one_shot_iterator().get_next()
        >>> with tf.Session() as sess:
        ...     print([sess.run(nxt) for _ in range(2)])
        [b'first', b'second']
    """

    def __init__(self, filenames, compression_type=None, buffer_size=None,
                 num_parallel_reads=None, name=None):
        super().__init__(TextLines(filenames, compression_type))


class TFRecordDataset(Dataset):
    """The records of TFRecord files (`filenames`: a string, a list of them, or a string
    tensor) as string scalars, read and CRC-checked when the iterator reaches them.

    Args:
        filenames: A path, a list of paths, or a string tensor of them.
        compression_type: None or "" for plain files, "GZIP" or "ZLIB".
        buffer_size: Accepted for TF1 scripts (a read buffer's size).
        num_parallel_reads: Accepted for TF1 scripts; files are read one after another.
        name: Accepted for TF1 scripts.

    Examples:
        >>> with tf.io.TFRecordWriter("data.tfrecord") as w:
        ...     w.write(b"one")
        ...     w.write(b"two")
        >>> nxt = tf.data.TFRecordDataset("data.tfrecord").make_one_shot_iterator().get_next()
        >>> with tf.Session() as sess:
        ...     print([sess.run(nxt) for _ in range(2)])
        [b'one', b'two']
    """

    def __init__(self, filenames, compression_type=None, buffer_size=None,
                 num_parallel_reads=None, name=None):
        super().__init__(TFRecords(filenames, compression_type))


def _tensors_only(dataset, function: str) -> None:
    """Refuse a dataset of windows where its elements must be tensors."""
    if structure.has_datasets(dataset.stage.structure):
        raise argument_error(function, "the elements are datasets (from Dataset.window); "
                             "flat_map or interleave them into tensors first, e.g. "
                             ".flat_map(lambda w: w.batch(n))", TypeError)


def _stage(dataset, function: str):
    if not isinstance(dataset, Dataset):
        raise argument_error(function, f"takes tf.data Datasets, got {type(dataset).__name__}",
                             TypeError)
    return dataset.stage


def get_output_types(dataset_or_iterator):
    """`tf.compat.v1.data.get_output_types(ds)` (a Dataset or an Iterator).

    Args:
        dataset_or_iterator: A Dataset or an Iterator.

    Returns:
        The dtype of each component, nested as the elements are.

    Examples:
        >>> ds = tf.data.Dataset.from_tensor_slices(([1, 2], [0.5, 1.5]))
        >>> tf.data.get_output_types(ds)
        (graphflow.int32, graphflow.float32)
    """
    return dataset_or_iterator.output_types


def get_output_shapes(dataset_or_iterator):
    """`tf.compat.v1.data.get_output_shapes(ds)` (a Dataset or an Iterator).

    Args:
        dataset_or_iterator: A Dataset or an Iterator.

    Returns:
        The static TensorShape of each component, nested as the elements are.

    Examples:
        >>> tf.data.get_output_shapes(tf.data.Dataset.range(5).batch(2))
        TensorShape([None])
    """
    return dataset_or_iterator.output_shapes


def get_output_classes(dataset_or_iterator):
    """`tf.compat.v1.data.get_output_classes(ds)` (a Dataset or an Iterator).

    Args:
        dataset_or_iterator: A Dataset or an Iterator.

    Returns:
        The class of each component (Tensor; a DatasetSpec for a window), nested as the
        elements are.

    Examples:
        >>> tf.data.get_output_classes(tf.data.Dataset.range(2)).__name__
        'Tensor'
    """
    return dataset_or_iterator.output_classes
