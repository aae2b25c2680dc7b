"""Joining and splitting along an axis: concat, stack (Pack), unstack (Unpack), split.

Multi-output ops (unstack, split) return Python lists, as in TF1; their gradients treat an
unused output's gradient as zeros.
"""

from __future__ import annotations

import numpy as np

from graphflow.core.node import Tensor
from graphflow.errors import dtype_rule, shape_rule
from graphflow.ops.array_util import (
    norm_axis,
    shape_tensor_value,
    static,
    static_int,
    static_ints,
)
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.registry import Op, apply_op, register, spec
from graphflow.ops.shape_ops import shape, zeros_for

__all__ = ["concat", "stack", "unstack", "split"]

# --- joining and splitting ------------------------------------------------------------------------
def _same_dtype(values, what: str):
    first = values[0].dtype
    for i, v in enumerate(values):
        if v.dtype is not first:
            raise dtype_rule(f"all {what} must have one dtype, but input 0 is {first.name} and "
                             f"input {i} is {v.dtype.name}")


def _merge(values, skip=None):
    """The common shape of `values` (all dims but `skip` must agree); None for unknown rank."""
    known = [v.shape for v in values if v.shape.dims is not None]
    if not known:
        return None
    rank = len(known[0].dims)
    merged = [None] * rank
    for i, v in enumerate(values):
        dims = v.shape.dims
        if dims is None:
            continue
        if len(dims) != rank:
            raise shape_rule(f"all inputs must have the same rank, but input 0 has shape "
                             f"{known[0]} and input {i} has shape {v.shape}")
        for k, d in enumerate(dims):
            if k == skip or d is None:
                continue
            if merged[k] is not None and merged[k] != d:
                raise shape_rule(f"dimension {k} must match in all inputs, but it is "
                                 f"{merged[k]} in one and {d} in input {i} (shapes "
                                 f"{', '.join(str(x.shape) for x in values)})")
            merged[k] = d
    return merged


@register("ConcatV2")
class ConcatV2(Op):
    """The inputs joined along `axis`; all other dimensions must match."""

    fresh_output = True
    attrs = {"axis": 0}

    def infer(self, *values):
        if not values:
            raise shape_rule("concat needs at least one input")
        _same_dtype(values, "concat inputs")
        rank = next((v.shape.rank for v in values if v.shape.rank is not None), None)
        if rank is None:
            return spec(values[0].dtype, None)
        if rank == 0:
            raise shape_rule("cannot concatenate scalars; use stack to make a vector")
        axis = norm_axis(self.axis, rank)
        merged = _merge(values, skip=axis)
        sizes = [v.shape.dims[axis] if v.shape.dims is not None else None for v in values]
        merged[axis] = None if None in sizes else sum(sizes)
        return spec(values[0].dtype, merged)

    def compute(self, *values):
        return np.concatenate(values, axis=self.axis)

    def gradient(self, node, dy):
        xs = node.inputs
        if len(xs) == 1:
            return [dy]
        rank = next((x.shape.rank for x in xs if x.shape.rank is not None), None)
        axis = self.axis if rank is None else norm_axis(self.axis, rank)
        sizes = [x.shape[axis] for x in xs]
        if None not in sizes:
            return list(split(dy, sizes, axis))
        runtime = stack([shape(x)[axis] for x in xs])
        return list(apply_op(Split(num_split=len(xs), axis=axis), [dy, runtime]))

    @staticmethod
    def examples(s):
        return s.concat_example()


@register("Pack")
class Pack(Op):
    """N tensors of one shape stacked along a new axis `axis`."""

    fresh_output = True
    attrs = {"axis": 0}

    def infer(self, *values):
        if not values:
            raise shape_rule("stack needs at least one input")
        _same_dtype(values, "stacked tensors")
        merged = _merge(values)
        if merged is None:
            return spec(values[0].dtype, None)
        axis = norm_axis(self.axis, len(merged) + 1)
        return spec(values[0].dtype, merged[:axis] + [len(values)] + merged[axis:])

    def compute(self, *values):
        return np.stack(values, axis=self.axis)

    def gradient(self, node, dy):
        return unstack(dy, num=len(node.inputs), axis=self.axis)

    @staticmethod
    def examples(s):
        return s.stack_example()


def _outputs(arrays):
    """A multi-output compute's result: one array alone, several as a tuple."""
    arrays = tuple(arrays)
    return arrays[0] if len(arrays) == 1 else arrays


@register("Unpack")
class Unpack(Op):
    """`num` tensors: the slices of `value` along `axis` (the axis removed)."""

    attrs = {"num": None, "axis": 0}
    input_names = ("value",)

    def infer(self, x):
        dims = x.shape.dims
        if dims is None:
            if self.num is None:
                raise shape_rule("cannot infer num from a tensor of unknown rank; pass num=")
            return [spec(x.dtype, None)] * self.num
        axis = norm_axis(self.axis, len(dims))
        num = self.num if self.num is not None else dims[axis]
        if num is None:
            raise shape_rule(f"Cannot infer num from shape {x.shape} (axis {self.axis} is "
                             "unknown); pass num=")
        if dims[axis] is not None and dims[axis] != num:
            raise shape_rule(f"num={num} but axis {self.axis} of shape {x.shape} has size "
                             f"{dims[axis]}")
        return [spec(x.dtype, dims[:axis] + dims[axis + 1:])] * num

    def compute(self, x):
        if x.shape[self.axis] != self.num:
            raise ValueError(f"unstack: num={self.num} but axis {self.axis} of the value's shape "
                             f"{list(x.shape)} has size {x.shape[self.axis]}")
        return _outputs(np.moveaxis(x, self.axis, 0))

    def gradient(self, node, *dys):
        return [stack(zeros_for(dys, node.outputs), axis=self.axis)]

    @staticmethod
    def examples(s):
        return s.unstack_example()


@register("Split")
class Split(Op):
    """`value` cut along `axis` into `num_split` equal parts or parts of `size_splits` (one -1).

    With a second input (a runtime int vector of sizes) `num_split` gives the number of parts.
    """

    attrs = {"num_split": None, "size_splits": None, "axis": 0}
    input_names = ("value", "size_splits")

    def _count(self):
        return self.num_split if self.size_splits is None else len(self.size_splits)

    def infer(self, x, sizes_t=None):
        n = self._count()
        dims = x.shape.dims
        if dims is None:
            return [spec(x.dtype, None)] * n
        axis = norm_axis(self.axis, len(dims))
        d = dims[axis]
        if sizes_t is not None:
            sizes = shape_tensor_value(sizes_t) or [None] * n
            if len(sizes) != n:
                raise shape_rule(f"num_split={n} but the sizes vector has {len(sizes)} entries")
            sizes = [None if v is None or v < 0 else v for v in sizes]
        elif self.size_splits is not None:
            sizes = list(self.size_splits)
            if any(v < -1 for v in sizes) or sizes.count(-1) > 1:
                raise shape_rule(f"size_splits {sizes} may hold non-negative sizes and one -1")
            total = sum(v for v in sizes if v != -1)
            if d is not None and (total > d or (-1 not in sizes and total != d)):
                raise shape_rule(f"size_splits {sizes} add up to {total}, but dimension "
                                 f"{axis} of the input {x.shape} is {d}")
            if -1 in sizes:
                sizes[sizes.index(-1)] = None if d is None else d - total
        else:
            if d is not None and d % n:
                raise shape_rule(f"Number of ways to split should evenly divide the split "
                                 f"dimension, but got split_dim {axis} (size = {d}) and "
                                 f"num_split {n} (input shape {x.shape})")
            sizes = [None if d is None else d // n] * n
        return [spec(x.dtype, dims[:axis] + (v,) + dims[axis + 1:]) for v in sizes]

    def compute(self, x, sizes_t=None):
        d = x.shape[self.axis]
        if sizes_t is None and self.size_splits is None:
            if d % self.num_split:
                raise ValueError(f"split: dimension {self.axis} of size {d} does not divide "
                                 f"into {self.num_split} parts")
            return _outputs(np.split(x, self.num_split, axis=self.axis))
        sizes = [int(v) for v in (sizes_t if sizes_t is not None else self.size_splits)]
        if -1 in sizes:
            sizes[sizes.index(-1)] = d - (sum(sizes) + 1)
        if sum(sizes) != d or min(sizes) < 0:
            raise ValueError(f"split: sizes {sizes} do not add up to dimension {self.axis} of "
                             f"size {d}")
        return _outputs(np.split(x, np.cumsum(sizes)[:-1], axis=self.axis))

    def gradient(self, node, *dys):
        return [concat(zeros_for(dys, node.outputs), self.axis)] + \
            [None] * (len(node.inputs) - 1)

    @staticmethod
    def examples(s):
        return s.split_example()


# --- public functions ---------------------------------------------------------------------------
def _convert_all(values, fn: str) -> list:
    if isinstance(values, Tensor):
        raise TypeError(f"{fn} takes a list of tensors; to split one tensor use unstack/split")
    values = list(values)
    if not values:
        raise ValueError(f"{fn} needs at least one value")
    hint = next((v.dtype for v in values if isinstance(v, Tensor)), None)
    return [convert_to_tensor(v, dtype_hint=hint) for v in values]


def concat(values, axis, name: str = "concat") -> Tensor:
    """Join tensors along an existing `axis` (negative counts from the end).

    Args:
        values: A list of tensors of one dtype and rank, equal in every dim but `axis`.
        axis: The axis to join along.
        name: A name for the op.

    Returns:
        A Tensor whose `axis` is the sum of the inputs' along it.

    Examples:
        >>> a = tf.constant([[1, 2], [3, 4]])
        >>> b = tf.constant([[5, 6]])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.concat([a, b], axis=0)))
        ...     print(sess.run(tf.concat([a, a], axis=-1)))
        [[1 2]
         [3 4]
         [5 6]]
        [[1 2 1 2]
         [3 4 3 4]]
    """
    return apply_op(ConcatV2(axis=static_int(axis, "axis", "concat")),
                    _convert_all(values, "concat"), name=name)


def stack(values, axis: int = 0, name: str = "stack") -> Tensor:
    """Join same-shaped tensors along a new `axis` (TF1's `pack`).

    Args:
        values: A list of tensors of one shape and dtype.
        axis: Where the new axis goes.
        name: A name for the op.

    Returns:
        A Tensor with one more dimension, of size `len(values)`.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.stack([[1, 2], [3, 4]], axis=1)))
        [[1 3]
         [2 4]]
    """
    return apply_op(Pack(axis=static_int(axis, "axis", "stack")), _convert_all(values, "stack"),
                    name=name)


def unstack(value, num: int | None = None, axis: int = 0, name: str = "unstack") -> list:
    """The list of slices along `axis`; `num` is needed when that dimension is unknown.

    Args:
        value: A tensor.
        num: The number of slices, if value's `axis` dimension is not known while building.
        axis: The axis to slice along.
        name: A name for the op.

    Returns:
        A list of Tensors, each without `axis`.

    Examples:
        >>> a, b = tf.unstack(tf.constant([[1, 2], [3, 4]]))
        >>> with tf.Session() as sess:
        ...     print(sess.run(b))
        [3 4]
    """
    x = convert_to_tensor(value)
    axis = static_int(axis, "axis", "unstack")
    if num is None and x.shape.dims is not None:
        if not -len(x.shape.dims) <= axis < len(x.shape.dims):
            raise ValueError(f"unstack: axis {axis} is out of range for shape {x.shape}")
        num = x.shape.dims[axis]
    if num is None:
        raise ValueError(f"Cannot infer num from shape {x.shape}: unstack needs num= when "
                         f"dimension {axis} is unknown")
    out = apply_op(Unpack(num=int(num), axis=axis), [x], name=name)
    return [out] if isinstance(out, Tensor) else list(out) if isinstance(out, tuple) else []


def split(value, num_or_size_splits, axis=0, num: int | None = None,
          name: str = "split") -> list:
    """Cut `value` along `axis` into N equal parts, or into parts of the given sizes (one -1).

    Args:
        value: A tensor.
        num_or_size_splits: An int N (the dimension must divide by it) or a list of sizes, one
            of which may be -1 (the rest).
        axis: The axis to cut.
        num: TF1's count of outputs for sizes given as a tensor; graphflow needs the sizes
            while building, so it is accepted and not used.
        name: A name for the op.

    Returns:
        A list of Tensors.

    Examples:
        >>> x = tf.constant([1, 2, 3, 4, 5])
        >>> parts = tf.split(x, [2, -1])
        >>> with tf.Session() as sess:
        ...     print(sess.run(parts))
        [array([1, 2], dtype=int32), array([3, 4, 5], dtype=int32)]
    """
    x = convert_to_tensor(value)
    axis = static_int(axis, "axis", "split")
    arg = static(num_or_size_splits, "num_or_size_splits", "split")
    if isinstance(arg, (int, np.integer)) and not isinstance(arg, bool):
        if arg < 1:
            raise ValueError(f"split: num_or_size_splits must be at least 1, got {arg}")
        op = Split(num_split=int(arg), axis=axis)
    else:
        sizes = static_ints(arg, "num_or_size_splits", "split")
        if not sizes:
            raise ValueError("split: num_or_size_splits must not be empty")
        op = Split(size_splits=tuple(sizes), axis=axis)
    out = apply_op(op, [x], name=name)
    return [out] if isinstance(out, Tensor) else list(out)
