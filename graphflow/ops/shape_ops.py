"""Shapes as values and tensors made from shapes: shape/size/rank, fill, zeros/ones, range.

`shape(x)` is a runtime int32 vector, so graphs stay valid for any batch size; when `x`'s shape is
already known the ops that read it (reshape, fill) still infer a fully known static shape.
"""

from __future__ import annotations

import math

import numpy as np

from graphflow.core import dtypes
from graphflow.core.dtypes import as_dtype
from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape
from graphflow.core.site import argument_error
from graphflow.errors import dtype_rule, shape_rule, value_rule
from graphflow.ops.array_util import (
    constant_value,
    fmt,
    shape_tensor_value,
    static,
    static_ints,
)
from graphflow.ops.broadcast_grad import unbroadcast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.reduce import reduce_sum
from graphflow.ops.registry import Op, apply_op, register, spec

__all__ = ["shape", "size", "rank", "fill", "zeros", "ones", "zeros_like", "ones_like", "range",
           "broadcast_to"]


class _ShapeQuery(Op):
    input_names = ("input",)
    shape_only_inputs = (0,)

    not_differentiable = True  # TF1: NotDifferentiable

    @staticmethod
    def examples(s):
        return s.unary_example("any", attrs={})


@register("Shape")
class Shape(_ShapeQuery):
    """The runtime shape of `input` as a 1-D int32 (or int64) tensor."""

    fresh_output = True
    attrs = {"out_type": dtypes.int32}

    def infer(self, x):
        return spec(self.out_type, [x.shape.rank])

    def compute(self, x):
        return np.asarray(x.shape, dtype=self.out_type.np)


@register("Size")
class Size(_ShapeQuery):
    """The number of elements of `input`, a scalar."""

    fresh_output = True
    attrs = {"out_type": dtypes.int32}

    def infer(self, x):
        return spec(self.out_type, [])

    def compute(self, x):
        return np.asarray(x.size, dtype=self.out_type.np)


@register("Rank")
class Rank(_ShapeQuery):
    """The number of dimensions of `input`, an int32 scalar."""

    fresh_output = True
    def infer(self, x):
        return spec(dtypes.int32, [])

    def compute(self, x):
        return np.asarray(x.ndim, dtype=np.int32)


def _dims_input(dims: Tensor, fn: str) -> list | None:
    """Static knowledge of a runtime shape input (a 1-D int tensor)."""
    if not dims.dtype.is_integer:
        raise dtype_rule(f"the shape argument of {fn} must be int32 or int64, got "
                         f"{dims.dtype.name}")
    if dims.shape.rank not in (None, 1):
        raise shape_rule(f"the shape argument of {fn} must be 1-D, got shape {dims.shape}")
    return shape_tensor_value(dims)


@register("Fill")
class Fill(Op):
    """A tensor of shape `shape` (attr) or `dims` (runtime input) filled with the scalar `value`."""

    fresh_output = True
    attrs = {"shape": None}
    input_names = ("value", "dims")

    def infer(self, value, dims=None):
        if value.shape.rank not in (None, 0):
            raise shape_rule(f"value must be a scalar, got shape {value.shape}")
        if dims is None:
            return spec(value.dtype, self.shape)
        known = _dims_input(dims, "fill")
        return spec(value.dtype, TensorShape(None if known is None else
                                             [None if d is None or d < 0 else d for d in known]))

    def compute(self, value, dims=None):
        target = self.shape if dims is None else [int(d) for d in dims]
        if any(d < 0 for d in target):
            raise ValueError(f"fill: dimensions must be non-negative, got {list(target)}")
        return np.full(target, value, dtype=value.dtype)

    def gradient(self, node, dy):
        return [reduce_sum(dy)] + [None] * (len(node.inputs) - 1)

    @staticmethod
    def examples(s):
        return s.fill_example()


class _Like(Op):
    attrs = {"dtype": None}
    input_names = ("input",)
    shape_only_inputs = (0,)  # and its dtype, which the stand-in keeps
    fill_value = 0

    def infer(self, x):
        return spec(self.dtype or x.dtype, x.shape)

    def compute(self, x):
        return np.full(x.shape, self.fill_value, dtype=(self.dtype.np if self.dtype else x.dtype))

    not_differentiable = True

    @staticmethod
    def examples(s):
        return s.unary_example("numeric")


@register("ZerosLike")
class ZerosLike(_Like):
    """Zeros with `input`'s shape and dtype (or `dtype`)."""

    fresh_output = True

@register("OnesLike")
class OnesLike(_Like):
    """Ones with `input`'s shape and dtype (or `dtype`)."""

    fresh_output = True
    fill_value = 1


def range_length(start, limit, delta) -> int:
    """TF's element count: ceil((limit - start) / delta), at least 0."""
    if delta == 0:
        raise ValueError("range: delta must not be 0")
    return max(0, int(math.ceil((limit - start) / delta)))


@register("Range")
class Range(Op):
    """start, start + delta, ... up to (not including) limit: static attrs or 3 scalar inputs."""

    fresh_output = True
    attrs = {"start": 0, "limit": None, "delta": 1, "dtype": dtypes.int32}
    input_names = ("start", "limit", "delta")

    def infer(self, *args):
        if not args:
            try:
                return spec(self.dtype, [range_length(self.start, self.limit, self.delta)])
            except ValueError as err:
                raise value_rule(str(err)) from None
        if len(args) != 3:
            raise shape_rule("Range takes no inputs or exactly three (start, limit, delta)")
        for t in args:
            if t.dtype is not self.dtype:
                raise dtype_rule(f"start, limit and delta must all be {self.dtype.name}; got "
                                 f"{[a.dtype.name for a in args]}")
            if t.shape.rank not in (None, 0):
                raise shape_rule(f"start, limit and delta must be scalars, got shape {t.shape}")
        return spec(self.dtype, [None])

    def compute(self, *args):
        start, limit, delta = (self.start, self.limit, self.delta) if not args else \
            (a.item() for a in args)
        n = range_length(start, limit, delta)
        return np.asarray(start + delta * np.arange(n), dtype=self.dtype.np)

    not_differentiable = True

    @staticmethod
    def examples(s):
        return s.range_example()


@register("BroadcastTo")
class BroadcastTo(Op):
    """`input` repeated along its size-1 (or missing leading) axes to reach `shape`."""

    attrs = {"shape": None}
    input_names = ("input",)
    noop_when_shape_kept = True

    def infer(self, x):
        target = list(self.shape)
        dims = x.shape.dims
        if dims is not None:
            aligned = zip(dims[::-1], target[::-1], strict=False)
            if len(dims) > len(target) or any(d not in (None, 1, t) for d, t in aligned):
                raise shape_rule(f"cannot broadcast shape {x.shape} to {fmt(target)}: each "
                                 "input dimension must be 1 or equal the target's, counted "
                                 "from the last")
        return spec(x.dtype, target)

    def compute(self, x):
        return np.array(np.broadcast_to(x, self.shape))

    def gradient(self, node, dy):
        return [unbroadcast(dy, node.inputs[0])]

    @staticmethod
    def examples(s):
        return s.broadcast_to_example()


# --- public functions ---------------------------------------------------------------------------
def shape(input, name: str | None = None, out_type=None) -> Tensor:  # noqa: A002
    """The runtime shape of `input` (int32 by default); works for any batch size.

    `x.shape` is the static shape known while building; `tf.shape(x)` is the shape of the
    value at run time.

    Args:
        input: A tensor.
        name: A name for the op.
        out_type: int32 (the default) or int64.

    Returns:
        A 1-D Tensor with one entry per dimension.

    Examples:
        >>> x = tf.placeholder(tf.float32, [None, 3])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.shape(x), {x: np.zeros((4, 3))}))
        [4 3]
    """
    return apply_op(Shape(out_type=as_dtype(out_type or dtypes.int32)), [convert_to_tensor(input)],
                    name=name or "Shape")


def size(input, name: str | None = None, out_type=None) -> Tensor:  # noqa: A002
    """The number of elements of `input` (int32 scalar).

    Args:
        input: A tensor.
        name: A name for the op.
        out_type: int32 (the default) or int64.

    Returns:
        A scalar Tensor.

    Examples:
        >>> x = tf.placeholder(tf.float32, [None, 3])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.size(x), {x: np.zeros((4, 3))}))
        12
    """
    return apply_op(Size(out_type=as_dtype(out_type or dtypes.int32)), [convert_to_tensor(input)],
                    name=name or "Size")


def rank(input, name: str | None = None) -> Tensor:  # noqa: A002
    """The number of dimensions of `input` (int32 scalar).

    Args:
        input: A tensor.
        name: A name for the op.

    Returns:
        A scalar int32 Tensor.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.rank(tf.zeros([2, 3, 4]))))
        3
    """
    return apply_op(Rank(), [convert_to_tensor(input)], name=name or "Rank")


def _fill(dims, value: Tensor, name: str) -> Tensor:
    if isinstance(dims, Tensor) and constant_value(dims) is None:
        return apply_op(Fill(), [value, dims], name=name)
    if isinstance(dims, TensorShape):
        if not dims.is_fully_defined():
            raise ValueError(f"{name}: shape {dims} is not fully known while building; pass a "
                             f"runtime shape instead, e.g. {name}(graphflow.shape(x))")
        dims = dims.as_list()
    target = static_ints(dims, "dims", name)
    if any(d < 0 for d in target):
        raise argument_error(name, f"dimensions must be non-negative, got {target}")
    return apply_op(Fill(shape=tuple(target)), [value], name=name)


def fill(dims, value, name: str | None = None) -> Tensor:
    """A tensor of shape `dims` (a list, or a runtime int32 vector like `shape(x)`) of `value`.

    Args:
        dims: The shape: a list of ints or a 1-D int32 tensor.
        value: The scalar to fill with (its dtype is the result's).
        name: A name for the op.

    Returns:
        A Tensor of shape `dims`.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.fill([2, 2], 7)))
        [[7 7]
         [7 7]]
    """
    return _fill(dims, convert_to_tensor(value), name or "Fill")


def zeros(shape, dtype=dtypes.float32, name: str | None = None) -> Tensor:  # noqa: A002
    """A tensor of zeros; `shape` may be a list or a runtime int32 vector.

    Args:
        shape: A list of ints or a 1-D int32 tensor.
        dtype: The dtype (default float32).
        name: A name for the op.

    Returns:
        A Tensor of zeros.

    Examples:
        >>> x = tf.placeholder(tf.float32, [None])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.zeros([2, 3], tf.int32)))
        ...     print(sess.run(tf.zeros(tf.shape(x)), {x: [5., 6.]}))
        [[0 0 0]
         [0 0 0]]
        [0. 0.]
    """
    dt = as_dtype(dtype)
    return _fill(shape, convert_to_tensor(np.zeros((), dtype=dt.np), dtype=dt), name or "zeros")


def ones(shape, dtype=dtypes.float32, name: str | None = None) -> Tensor:  # noqa: A002
    """A tensor of ones; `shape` may be a list or a runtime int32 vector.

    Args:
        shape: A list of ints or a 1-D int32 tensor.
        dtype: The dtype (default float32).
        name: A name for the op.

    Returns:
        A Tensor of ones.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.ones([3])))
        [1. 1. 1.]
    """
    dt = as_dtype(dtype)
    return _fill(shape, convert_to_tensor(np.ones((), dtype=dt.np), dtype=dt), name or "ones")


def zeros_like(tensor, dtype=None, name: str | None = None, optimize: bool = True) -> Tensor:
    """Zeros shaped like `tensor`, in its dtype unless `dtype` is given.

    Args:
        tensor: A tensor (its runtime shape is used when the static one is not known).
        dtype: The result's dtype (default: tensor's).
        name: A name for the op.
        optimize: TF1's hint; it changes nothing.

    Returns:
        A Tensor of tensor's shape.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.zeros_like([[1, 2], [3, 4]])))
        [[0 0]
         [0 0]]
    """
    return apply_op(ZerosLike(dtype=as_dtype(dtype) if dtype is not None else None),
                    [convert_to_tensor(tensor)], name=name or "zeros_like")


def ones_like(tensor, dtype=None, name: str | None = None, optimize: bool = True) -> Tensor:
    """Ones shaped like `tensor`, in its dtype unless `dtype` is given.

    Args:
        tensor: A tensor.
        dtype: The result's dtype (default: tensor's).
        name: A name for the op.
        optimize: TF1's hint; it changes nothing.

    Returns:
        A Tensor of tensor's shape.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.ones_like([1.5, 2.5], dtype=tf.int32)))
        [1 1]
    """
    return apply_op(OnesLike(dtype=as_dtype(dtype) if dtype is not None else None),
                    [convert_to_tensor(tensor)], name=name or "ones_like")


def range(start, limit=None, delta=1, dtype=None, name: str = "range") -> Tensor:  # noqa: A001
    """TF1's `range`: int32 when all arguments are ints, else float32 (or `dtype`).

    Args:
        start: The first value; with no `limit`, the limit (and start is 0).
        limit: The end, not included.
        delta: The step.
        dtype: The result's dtype.
        name: A name for the op.

    Returns:
        A 1-D Tensor of ceil((limit - start) / delta) values.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.range(5)), sess.run(tf.range(1, 2, 0.25)))
        [0 1 2 3 4] [1.   1.25 1.5  1.75]
    """
    if limit is None:
        start, limit = 0, start
    args = [start, limit, delta]
    is_float = any((a.dtype.is_floating if isinstance(a, Tensor) else
                    np.asarray(a).dtype.kind == "f") for a in args)
    tensor_dt = next((a.dtype for a in args if isinstance(a, Tensor)), None)
    dt = as_dtype(dtype) if dtype is not None else \
        tensor_dt or (dtypes.float32 if is_float else dtypes.int32)
    vals = []
    for a in args:
        v = static(a, "range argument", "range") if not isinstance(a, Tensor) or \
            a.op.type == "Const" else None
        vals.append(v)
    if all(v is not None for v in vals):
        cast = float if dt.is_floating else int
        if not dt.is_floating and any(isinstance(v, float) and v != int(v) for v in vals):
            raise TypeError(f"range: {vals} are not integers but dtype is {dt.name}")
        start_v, limit_v, delta_v = (cast(v) for v in vals)
        if delta_v == 0:
            raise ValueError("range: delta must not be 0")
        return apply_op(Range(start=start_v, limit=limit_v, delta=delta_v, dtype=dt), [],
                        name=name or "range")
    tensors = [convert_to_tensor(a, dtype=dt) for a in args]
    return apply_op(Range(dtype=dt), tensors, name=name or "range")


def broadcast_to(input, shape, name: str | None = None) -> Tensor:  # noqa: A002
    """`input` broadcast to `shape` (NumPy rules); `shape` must be known while building.

    Args:
        input: A tensor.
        shape: The target shape: a list of ints or a TensorShape.
        name: A name for the op.

    Returns:
        A Tensor of shape `shape`.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.broadcast_to([1, 2], [2, 2])))
        [[1 2]
         [1 2]]
    """
    target = shape.as_list() if isinstance(shape, TensorShape) else \
        static_ints(shape, "shape", "broadcast_to")
    return apply_op(BroadcastTo(shape=tuple(target)), [convert_to_tensor(input)],
                    name=name or "BroadcastTo")


# --- helpers for other ops' gradients -------------------------------------------------------------
def shape_arg(like: Tensor):
    """`like`'s shape for an op that takes a static `shape` attr or a runtime shape input."""
    if like.shape.is_fully_defined():
        return tuple(like.shape.as_list()), []
    return None, [shape(like)]


def zeros_for(dys, outputs):
    """`dys` with each None replaced by zeros shaped like the matching output."""
    return [zeros_like(o) if d is None else d for d, o in zip(dys, outputs, strict=False)]
