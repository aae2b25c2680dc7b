"""`tf.data.Dataset`: TF1's input-pipeline API over host-side stages (see stage.py).

A Dataset wraps one `Stage` (what it yields and how); each method returns a new Dataset on a
new stage. Nothing runs while building: an iterator streams the pipeline when it is
initialised in a Session, and `get_next()` hands elements to the graph.
"""

from __future__ import annotations

import operator

from graphflow.core.node import Tensor
from graphflow.core.site import argument_error
from graphflow.data import iterator, structure
from graphflow.data.mapping import Filter, FlatMap, Map
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


class Dataset:
    """A sequence of elements (nested tuples and dicts of tensors), built from sources and
    transformed by chained methods, as in TF1."""

    def __init__(self, stage):
        self.stage = stage

    # --- sources ------------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors) -> Dataset:
        """One element per row of the components (NumPy values or graph tensors, e.g. a
        placeholder fed when an initializable iterator is initialised)."""
        return Dataset(TensorSlices(tensors))

    @staticmethod
    def from_tensors(tensors) -> Dataset:
        """A single element: the components themselves."""
        return Dataset(Tensors(tensors))

    @staticmethod
    def range(*args) -> Dataset:  # noqa: A003 - TF1's name
        """int64 scalars `range(stop)`, `range(start, stop)`, `range(start, stop, step)`."""
        return Dataset(Range(*args))

    @staticmethod
    def from_generator(generator, output_types, output_shapes=None, args=None) -> Dataset:
        """The elements `generator(*args)` yields (`args` evaluated at initialisation)."""
        return Dataset(Generator(generator, output_types, output_shapes, args))

    @staticmethod
    def zip(datasets) -> Dataset:  # noqa: A003 - TF1's name
        """Elements of a nest (tuple or dict) of datasets side by side, to the shortest."""
        nested = structure.normalize(datasets)
        stages = structure.of(nested, [_stage(d, "Dataset.zip") for d in structure.leaves(nested)])
        return Dataset(Zip(stages))

    # --- transformations ----------------------------------------------------------------------
    def map(self, map_func, num_parallel_calls=None) -> Dataset:
        """`map_func` traced over this dataset's element (a tuple's components as arguments)."""
        return Dataset(Map(self.stage, map_func))

    def flat_map(self, map_func) -> Dataset:
        return Dataset(FlatMap(self.stage, map_func))

    def filter(self, predicate) -> Dataset:  # noqa: A003 - TF1's name
        return Dataset(Filter(self.stage, predicate))

    def batch(self, batch_size, drop_remainder: bool = False) -> Dataset:
        return Dataset(Batch(self.stage, count_argument(batch_size, "batch_size",
                                                        "Dataset.batch"), drop_remainder))

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder: bool = False) -> Dataset:
        size = count_argument(batch_size, "batch_size", "Dataset.padded_batch")
        return Dataset(PaddedBatch(self.stage, size, padded_shapes, padding_values,
                                   drop_remainder))

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None) -> Dataset:
        size = count_argument(buffer_size, "buffer_size", "Dataset.shuffle")
        return Dataset(Shuffle(self.stage, size, seed, reshuffle_each_iteration))

    def repeat(self, count=None) -> Dataset:
        count = None if count is None else count_argument(count, "count", "Dataset.repeat")
        return Dataset(Repeat(self.stage, count))

    def take(self, count) -> Dataset:
        return Dataset(Take(self.stage, count_argument(count, "count", "Dataset.take")))

    def skip(self, count) -> Dataset:
        return Dataset(Skip(self.stage, count_argument(count, "count", "Dataset.skip")))

    def shard(self, num_shards: int, index: int) -> Dataset:
        """Every `num_shards`-th element from `index` on (Python ints)."""
        return Dataset(Shard(self.stage, operator.index(num_shards), operator.index(index)))

    def prefetch(self, buffer_size) -> Dataset:
        """A pass-through here: elements are made when a run asks for them."""
        return Dataset(Prefetch(self.stage, buffer_size))

    def cache(self, filename: str = "") -> Dataset:
        return Dataset(Cache(self.stage, filename))

    def concatenate(self, dataset) -> Dataset:
        return Dataset(Concatenate(self.stage, _stage(dataset, "Dataset.concatenate")))

    def apply(self, transformation_func) -> Dataset:
        """`transformation_func(self)`, which must return a Dataset."""
        result = transformation_func(self)
        _stage(result, "Dataset.apply (the transformation's result)")
        return result

    # --- iterators ------------------------------------------------------------------------------
    def make_one_shot_iterator(self) -> iterator.Iterator:
        return iterator.make_one_shot_iterator(self)

    def make_initializable_iterator(self, shared_name=None) -> iterator.Iterator:
        return iterator.make_initializable_iterator(self, shared_name)

    def __iter__(self):
        raise RuntimeError("__iter__() is only supported when eager execution is enabled, "
                           "which graphflow does not have; in a graph, use "
                           "make_one_shot_iterator() and get_next().")

    # --- the element's structure -----------------------------------------------------------
    @property
    def element_spec(self):
        return structure.pack(self.stage.structure, structure.leaves(self.stage.structure))

    @property
    def output_types(self):
        return structure.fields(self.stage.structure, "dtype")

    @property
    def output_shapes(self):
        return structure.fields(self.stage.structure, "shape")

    @property
    def output_classes(self):
        return structure.pack(self.stage.structure,
                              [Tensor for _ in structure.leaves(self.stage.structure)])

    def __repr__(self):
        return f"<{type(self.stage).__name__}Dataset element_spec={self.element_spec!r}>"


class TextLineDataset(Dataset):
    """The lines of text files (`filenames`: a string, a list of them, or a string tensor),
    without their line endings; read when the iterator reaches them."""

    def __init__(self, filenames, compression_type=None, buffer_size=None,
                 num_parallel_reads=None, name=None):
        super().__init__(TextLines(filenames, compression_type))


def _stage(dataset, function: str):
    if not isinstance(dataset, Dataset):
        raise argument_error(function, f"takes tf.data Datasets, got {type(dataset).__name__}",
                             TypeError)
    return dataset.stage


def get_output_types(dataset_or_iterator):
    """`tf.compat.v1.data.get_output_types(ds)` (a Dataset or an Iterator)."""
    return dataset_or_iterator.output_types


def get_output_shapes(dataset_or_iterator):
    return dataset_or_iterator.output_shapes


def get_output_classes(dataset_or_iterator):
    return dataset_or_iterator.output_classes
