"""Transformations that reorder, group or combine elements: batch, padded_batch, repeat, take,
skip, shard, zip, concatenate, cache and prefetch."""

from __future__ import annotations

import itertools

import numpy as np

from graphflow.core.shape import TensorShape
from graphflow.core.site import argument_error
from graphflow.data import structure
from graphflow.data.stage import Stage, check_positive, static_count, tensor_inputs
from graphflow.errors import InvalidArgumentError


def batched_structure(spec_structure, batch_size, drop_remainder: bool, shapes=None):
    """Each component's spec with a leading batch dimension: known only when the remainder is
    dropped and the size is a Python int (TF1's rule)."""
    dim = static_count(batch_size) if drop_remainder else None
    specs = structure.leaves(spec_structure)
    shapes = shapes or [s.shape for s in specs]
    return structure.of(spec_structure, [structure.TensorSpec(TensorShape([dim]).concatenate(sh),
                                                              s.dtype)
                                         for s, sh in zip(specs, shapes)])


def groups(elements, size: int, drop_remainder: bool):
    """Consecutive lists of `size` elements (the last one shorter unless dropped)."""
    it = iter(elements)
    while True:
        group = list(itertools.islice(it, size))
        if not group or (drop_remainder and len(group) < size):
            return
        yield group


class Batch(Stage):
    def __init__(self, upstream, batch_size, drop_remainder: bool):
        self.upstream = (upstream,)
        self.batch_size, self.drop_remainder = batch_size, bool(drop_remainder)
        check_positive(batch_size, "Batch size", "Dataset.batch", building=True)
        self.structure = batched_structure(upstream.structure, batch_size, drop_remainder)

    def own_inputs(self):
        return tensor_inputs(self.batch_size)

    def check(self, env):
        check_positive(env.count(self.batch_size), "Batch size", "Dataset.batch")

    def stream(self, env):
        size = env.count(self.batch_size)
        for group in groups(self.upstream[0].stream(env), size, self.drop_remainder):
            yield tuple(_stack([e[i] for e in group], i) for i in range(len(group[0])))


def _stack(values, component: int) -> np.ndarray:
    first = np.shape(values[0])
    for j, v in enumerate(values):
        if np.shape(v) != first:
            raise InvalidArgumentError(
                f"Cannot batch tensors with different shapes in component {component}. First "
                f"element had shape {list(first)} and element {j} had shape {list(np.shape(v))}"
                "; use padded_batch to batch elements of different shapes.")
    return np.stack(values)


_PADDED = "Dataset.padded_batch"


def _check_padded_shape(shape: TensorShape, padded: TensorShape) -> None:
    """A padded shape gives every dimension's rank, and no known size below the component's."""
    if padded.rank is None:
        raise argument_error(_PADDED, "padded_shapes must give the rank of every component",
                             ValueError)
    if (shape.rank is not None and shape.rank != padded.rank) or any(
            p is not None and c is not None and p < c for p, c in zip(padded, shape.dims or ())):
        raise argument_error(_PADDED, f"The padded shape {padded} is not compatible with the "
                             f"corresponding input component shape {shape}.", ValueError)


class PaddedBatch(Stage):
    """Batches elements of different shapes, padding each dimension that `padded_shapes`
    leaves unknown to the longest in the batch (with `padding_values`, default 0 or b'')."""

    def __init__(self, upstream, batch_size, padded_shapes, padding_values, drop_remainder):
        self.upstream = (upstream,)
        self.batch_size, self.drop_remainder = batch_size, bool(drop_remainder)
        check_positive(batch_size, "Batch size", "Dataset.padded_batch", building=True)
        specs = structure.leaves(upstream.structure)
        if padded_shapes is None:
            shapes = [s.shape for s in specs]
        else:
            shapes = structure.leaves(structure.shapes_like(upstream.structure, padded_shapes,
                                                            _PADDED))
        for s, padded in zip(specs, shapes):
            _check_padded_shape(s.shape, padded)
        self.shapes = shapes
        if padding_values is None:
            self.padding = [b"" if s.dtype.is_string else 0 for s in specs]
        elif structure.is_leaf(upstream.structure):
            self.padding = [padding_values]
        else:
            self.padding = structure.leaves(structure.normalize(padding_values))
            if len(self.padding) != len(specs):
                raise argument_error(_PADDED, "padding_values must have the structure of the "
                                     f"elements, got {padding_values!r}", ValueError)
        self.structure = batched_structure(upstream.structure, batch_size, drop_remainder,
                                           shapes)

    def own_inputs(self):
        return tensor_inputs(self.batch_size)

    def check(self, env):
        check_positive(env.count(self.batch_size), "Batch size", _PADDED)

    def stream(self, env):
        size = env.count(self.batch_size)
        for group in groups(self.upstream[0].stream(env), size, self.drop_remainder):
            yield tuple(self._pad([e[i] for e in group], i) for i in range(len(group[0])))

    def _pad(self, values, i: int) -> np.ndarray:
        target = self.shapes[i]
        rank = target.rank if target.rank is not None else np.ndim(values[0])
        dims = []
        for d in range(rank):
            longest = max(np.shape(v)[d] for v in values)
            want = target[d] if target.dims is not None else None
            if want is not None and longest > want:
                raise InvalidArgumentError(
                    f"Attempted to pad to a smaller size than the input element: component {i} "
                    f"has size {longest} in dimension {d}, padded_shapes asks for {want}.")
            dims.append(longest if want is None else want)
        out = np.full([len(values)] + dims, self.padding[i], dtype=np.asarray(values[0]).dtype)
        for j, v in enumerate(values):
            out[(j,) + tuple(slice(0, n) for n in np.shape(v))] = v
        return out


class Repeat(Stage):
    """`count` passes over the data (None or -1: forever; an empty pass ends it)."""

    def __init__(self, upstream, count):
        self.upstream, self.count = (upstream,), count
        self.structure = upstream.structure

    def own_inputs(self):
        return tensor_inputs(self.count)

    def stream(self, env):
        count = -1 if self.count is None else env.count(self.count)
        epochs = itertools.count() if count < 0 else range(count)
        for _ in epochs:
            empty = True
            for element in self.upstream[0].stream(env):
                empty = False
                yield element
            if empty:
                return


class Take(Stage):
    def __init__(self, upstream, count):
        self.upstream, self.count = (upstream,), count
        self.structure = upstream.structure

    def own_inputs(self):
        return tensor_inputs(self.count)

    def stream(self, env):
        count = env.count(self.count)
        elements = self.upstream[0].stream(env)
        return elements if count < 0 else itertools.islice(elements, count)


class Skip(Stage):
    def __init__(self, upstream, count):
        self.upstream, self.count = (upstream,), count
        self.structure = upstream.structure

    def own_inputs(self):
        return tensor_inputs(self.count)

    def stream(self, env):
        count = env.count(self.count)
        elements = self.upstream[0].stream(env)
        if count < 0:
            for _ in elements:
                pass
            return iter(())
        return itertools.islice(elements, count, None)


class Shard(Stage):
    """Every `num_shards`-th element, starting at `index` (for one worker of many)."""

    def __init__(self, upstream, num_shards: int, index: int):
        if not 0 <= index < num_shards:
            raise argument_error("Dataset.shard", f"index {index} must be in [0, "
                                 f"num_shards={num_shards})", InvalidArgumentError)
        self.upstream, self.num_shards, self.index = (upstream,), num_shards, index
        self.structure = upstream.structure

    def stream(self, env):
        return itertools.islice(self.upstream[0].stream(env), self.index, None, self.num_shards)


class Zip(Stage):
    """Elements of several datasets side by side, as long as the shortest."""

    def __init__(self, stages_structure):
        stages = structure.leaves(stages_structure)
        self.upstream = tuple(stages)
        self.structure = structure.pack(stages_structure, [s.structure for s in stages])

    def stream(self, env):
        for parts in zip(*[s.stream(env) for s in self.upstream]):
            yield tuple(v for part in parts for v in part)


class Concatenate(Stage):
    """This dataset's elements, then another's: the same structure and dtypes; each shape the
    most specific one both fit."""

    def __init__(self, first, second):
        if not structure.same_structure(first.structure, second.structure):
            raise argument_error("Dataset.concatenate", "the two datasets have different "
                                 f"structures: {_describe(first.structure)} and "
                                 f"{_describe(second.structure)}", TypeError)
        a, b = structure.leaves(first.structure), structure.leaves(second.structure)
        if any(x.dtype is not y.dtype for x, y in zip(a, b)):
            raise argument_error("Dataset.concatenate", "the two datasets have different types: "
                                 f"{structure.describe(first.structure, lambda s: s.dtype)} and "
                                 f"{structure.describe(second.structure, lambda s: s.dtype)}",
                                 TypeError)
        self.upstream = (first, second)
        self.structure = structure.of(first.structure, [
            structure.TensorSpec(common_shape(x.shape, y.shape), x.dtype) for x, y in zip(a, b)])

    def stream(self, env):
        return itertools.chain(self.upstream[0].stream(env), self.upstream[1].stream(env))


def common_shape(a: TensorShape, b: TensorShape) -> TensorShape:
    """The most specific shape that both `a` and `b` fit."""
    if a.rank is None or b.rank is None or a.rank != b.rank:
        return TensorShape(None)
    return TensorShape([x if x == y else None for x, y in zip(a.dims, b.dims)])


def _describe(spec_structure) -> str:
    return structure.describe(spec_structure, lambda s: s)


class Cache(Stage):
    """Keeps the elements of the first complete pass (per initialisation) in memory and replays
    them on later passes (after `repeat`)."""

    def __init__(self, upstream, filename: str):
        if filename:
            raise argument_error("Dataset.cache", "graphflow caches in memory only "
                                 f"(filename=''); got filename={filename!r}", ValueError)
        self.upstream = (upstream,)
        self.structure = upstream.structure

    def stream(self, env):
        cache = env.state(self, dict)
        if "elements" in cache:
            yield from cache["elements"]
            return
        seen = []
        for element in self.upstream[0].stream(env):
            seen.append(element)
            yield element
        cache["elements"] = seen


class Prefetch(Stage):
    """A pass-through: elements are made on demand in the run that asks for them, so there is
    nothing to overlap with (no background thread)."""

    def __init__(self, upstream, buffer_size):
        self.upstream, self.buffer_size = (upstream,), buffer_size
        self.structure = upstream.structure

    def stream(self, env):
        return self.upstream[0].stream(env)
