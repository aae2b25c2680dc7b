"""Ops driven by index or mask values: gather (and its scatter-add gradient), one_hot, where."""

from __future__ import annotations

import numpy as np

from graphflow.core import dtypes
from graphflow.core.dtypes import as_dtype
from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape, broadcast_shapes
from graphflow.errors import dtype_rule, shape_rule
from graphflow.ops.array import reshape
from graphflow.ops.array_util import norm_axis, shape_tensor_value, static, static_int
from graphflow.ops.broadcast_grad import unbroadcast
from graphflow.ops.constant import convert_operands, convert_to_tensor
from graphflow.ops.registry import NoExamples, Op, apply_op, register, spec
from graphflow.ops.shape_ops import shape_arg, zeros_like

__all__ = ["gather", "one_hot", "where"]


def _check_indices(indices):
    if not indices.dtype.is_integer:
        raise dtype_rule(f"indices must be int32 or int64, got {indices.dtype.name}")


def _check_range(indices: np.ndarray, bound: int, what: str):
    bad = (indices < 0) | (indices >= bound)
    if bad.any():
        pos = tuple(int(i) for i in np.argwhere(bad)[0])
        raise IndexError(f"{what}{list(pos)} = {int(indices[pos])} is not in [0, {bound})")


def _gather_shape(params: TensorShape, indices: TensorShape, axis: int) -> TensorShape:
    if params.dims is None or indices.dims is None:
        return TensorShape(None)
    a = norm_axis(axis, len(params.dims))
    return TensorShape(params.dims[:a] + indices.dims + params.dims[a + 1:])


@register("GatherV2")
class GatherV2(Op):
    """Slices of `params` at `indices` along `axis`: params[:axis] + indices + params[axis+1:]."""

    fresh_output = True
    attrs = {"axis": 0}
    input_names = ("params", "indices")

    def infer(self, params, indices):
        _check_indices(indices)
        if params.shape.rank == 0:
            raise shape_rule("params must be at least 1-D to gather from it")
        return spec(params.dtype, _gather_shape(params.shape, indices.shape, self.axis))

    def compute(self, params, indices):
        _check_range(indices, params.shape[self.axis], "indices")
        if np.ndim(indices) == 0:  # one row: np.take would first copy all of a strided params
            axis = self.axis % params.ndim
            return np.array(params[(slice(None),) * axis + (int(indices),)])
        return np.take(params, indices, axis=self.axis)

    def gradient(self, node, dy):
        params, indices = node.inputs
        shape, extra = shape_arg(params)
        rank = params.shape.rank
        axis = self.axis if rank is None else norm_axis(self.axis, rank)
        grad = apply_op(ScatterAddTo(axis=axis, shape=shape), [dy, indices, *extra])
        return [grad, None]

    @staticmethod
    def examples(s):
        return s.gather_example()


@register("ScatterAddTo")
class ScatterAddTo(Op):
    """Zeros of `shape` with `updates` added at `indices` along `axis` (repeats accumulate).

    The gradient of gather (TF's UnsortedSegmentSum in the same role); `shape` is an attr, or a
    third input `shape(params)` when the params' shape is only known at run time.
    """

    fresh_output = True
    attrs = {"axis": 0, "shape": None}
    input_names = ("updates", "indices", "shape")

    def infer(self, updates, indices, shape_t=None):
        _check_indices(indices)
        if shape_t is None:
            out = TensorShape(self.shape)
        else:
            known = shape_tensor_value(shape_t)
            out = TensorShape(None if known is None else known)
        if out.dims is not None:
            expected = _gather_shape(out, indices.shape, self.axis)
            if not expected.is_compatible_with(updates.shape):
                raise shape_rule(f"updates of shape {updates.shape} do not fit: gathering "
                                 f"{indices.shape} indices along axis {self.axis} of {out} "
                                 f"gives {expected}")
        return spec(updates.dtype, out)

    def compute(self, updates, indices, shape_t=None):
        shape = tuple(self.shape) if shape_t is None else tuple(int(d) for d in shape_t)
        axis = self.axis if self.axis >= 0 else self.axis + len(shape)
        _check_range(indices, shape[axis], "indices")
        out = np.zeros(shape, dtype=updates.dtype)
        flat = np.reshape(indices, [-1])
        upd = np.reshape(updates, shape[:axis] + (flat.size,) + shape[axis + 1:])
        np.add.at(out, (np.s_[:],) * axis + (flat,), upd)
        return out

    def gradient(self, node, dy):
        return [gather(dy, node.inputs[1], axis=self.axis)] + [None] * (len(node.inputs) - 1)

    @staticmethod
    def examples(s):
        return s.scatter_add_example()


@register("OneHot")
class OneHot(Op):
    """`on_value` where the new axis index equals `indices`, else `off_value` (also off range)."""

    fresh_output = True
    attrs = {"depth": None, "on_value": 1, "off_value": 0, "axis": -1, "dtype": dtypes.float32}
    input_names = ("indices",)

    def infer(self, indices):
        _check_indices(indices)
        if self.depth < 0:
            raise shape_rule(f"depth must be non-negative, got {self.depth}")
        dims = indices.shape.dims
        if dims is None:
            return spec(self.dtype, None)
        axis = len(dims) if self.axis == -1 else self.axis
        if not 0 <= axis <= len(dims):
            raise shape_rule(f"axis {self.axis} must be -1 or in [0, {len(dims)}] for indices "
                             f"of shape {indices.shape}")
        return spec(self.dtype, dims[:axis] + (self.depth,) + dims[axis:])

    def compute(self, indices):
        hot = np.expand_dims(indices, -1) == np.arange(self.depth)
        out = np.where(hot, self.on_value, self.off_value).astype(self.dtype.np)
        return np.moveaxis(out, -1, self.axis) if self.axis != -1 else out

    not_differentiable = True

    @staticmethod
    def examples(s):
        return s.one_hot_example()


@register("SelectV2")
class SelectV2(Op):
    """`x` where `condition` is true, else `y`; all three broadcast together (NumPy rules)."""

    fresh_output = True
    input_names = ("condition", "x", "y")

    def infer(self, condition, x, y):
        if not condition.dtype.is_bool:
            raise dtype_rule(f"condition must be bool, got {condition.dtype.name}")
        if x.dtype is not y.dtype:
            raise dtype_rule(f"x is {x.dtype.name} and y is {y.dtype.name}; both must have "
                             "the same dtype")
        try:
            out = broadcast_shapes(broadcast_shapes(condition.shape, x.shape), y.shape)
        except ValueError as err:
            raise shape_rule(f"condition {condition.shape}, x {x.shape} and y {y.shape} do not "
                             f"broadcast: {err}") from None
        return spec(x.dtype, out)

    def compute(self, condition, x, y):
        return np.asarray(np.where(condition, x, y), dtype=x.dtype)

    def gradient(self, node, dy):
        cond, x, y = node.inputs
        zero = zeros_like(dy)
        dx = apply_op(SelectV2(), [cond, dy, zero])  # not `where`: no TF1 row-select rewrite
        dy_ = apply_op(SelectV2(), [cond, zero, dy])
        return [None, unbroadcast(dx, x), unbroadcast(dy_, y)]

    @staticmethod
    def examples(s):
        return s.select_example()


@register("Where")
class Where(Op):
    """The int64 coordinates [num_true, rank] of the true (non-zero) entries, in row-major order."""

    input_names = ("condition",)
    examples = NoExamples("its output length depends on the values, so the generated test's "
                          "'known shapes give a known output' rule cannot hold; tested in "
                          "tests/ops/test_array_ops.py")

    def infer(self, condition):
        if condition.dtype.is_string:
            raise dtype_rule("condition must be bool or numeric")
        return spec(dtypes.int64, [None, condition.shape.rank])

    def compute(self, condition):
        return np.argwhere(condition).astype(np.int64)

    not_differentiable = True


# --- public functions ---------------------------------------------------------------------------
def gather(params, indices, validate_indices=None, name: str | None = None, axis=None,
           batch_dims=0) -> Tensor:
    """params[..., indices, ...] along `axis` (default 0); out-of-range indices raise at run time.

    Args:
        params: The tensor to take from.
        indices: An int32 or int64 tensor of indices into params' `axis`.
        validate_indices: TF1's deprecated flag; indices are always checked.
        name: A name for the op.
        axis: The axis of params to index (default 0).
        batch_dims: Only TF1's default 0 is supported; other values raise.

    Returns:
        A Tensor of params' dtype, shaped `params.shape[:axis] + indices.shape +
        params.shape[axis + 1:]`.

    Examples:
        >>> params = tf.constant([[1, 2], [3, 4], [5, 6]])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.gather(params, [2, 0])))
        ...     print(sess.run(tf.gather(params, [1], axis=1)))
        [[5 6]
         [1 2]]
        [[2]
         [4]
         [6]]
    """
    from graphflow.compat.missing import unsupported_argument

    if batch_dims != 0:
        raise unsupported_argument("gather", "batch_dims", batch_dims)
    p = convert_to_tensor(params)
    i = convert_to_tensor(indices)
    axis = 0 if axis is None else axis
    return apply_op(GatherV2(axis=static_int(axis, "axis", "gather")), [p, i],
                    name=name or "GatherV2")


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None,
            name: str | None = None) -> Tensor:
    """One-hot vectors of length `depth` along `axis` (default last); float32 unless told.

    An index outside [0, depth) gives a row of `off_value`, as in TF1.

    Args:
        indices: An integer tensor of class indices.
        depth: The number of classes.
        on_value: The value at the index (default 1).
        off_value: The value elsewhere (default 0).
        axis: Where the new axis of length `depth` goes (default -1, the last).
        dtype: The result's dtype (default float32, or that of a tensor on_value/off_value).
        name: A name for the op.

    Returns:
        A Tensor with one more dimension than indices.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.one_hot([0, 2, 5], depth=3)))
        [[1. 0. 0.]
         [0. 0. 1.]
         [0. 0. 0.]]
    """
    i = convert_to_tensor(indices)
    on = 1 if on_value is None else static(on_value, "on_value", "one_hot")
    off = 0 if off_value is None else static(off_value, "off_value", "one_hot")
    if dtype is not None:
        dt = as_dtype(dtype)
    elif isinstance(on_value, Tensor):
        dt = on_value.dtype
    elif isinstance(off_value, Tensor):
        dt = off_value.dtype
    else:
        dt = dtypes.float32
    op = OneHot(depth=static_int(depth, "depth", "one_hot"), on_value=on, off_value=off,
                axis=-1 if axis is None else static_int(axis, "axis", "one_hot"), dtype=dt)
    return apply_op(op, [i], name=name or "one_hot")


def where(condition, x=None, y=None, name: str | None = None) -> Tensor:
    """With x and y: pick x where `condition` is true, else y (broadcasting); without, the
    int64 coordinates of the true entries.

    As in TF1, a 1-D condition with higher-rank x picks whole rows (x[i] where condition[i]).

    Args:
        condition: A bool tensor.
        x: The values where condition is true (give x and y, or neither).
        y: The values where it is false, of x's dtype.
        name: A name for the op.

    Returns:
        A Tensor of x's dtype and the broadcast shape; without x and y, an int64 tensor of
        shape `[number of true entries, rank of condition]`.

    Examples:
        >>> c = tf.constant([True, False, True])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.where(c, [1, 2, 3], [10, 20, 30])))
        ...     print(sess.run(tf.where(c)))
        [ 1 20  3]
        [[0]
         [2]]
    """
    c = convert_to_tensor(condition)
    if x is None and y is None:
        return apply_op(Where(), [c], name=name or "Where")
    if x is None or y is None:
        raise ValueError("where: x and y must both be given, or neither")
    xt, yt = convert_operands(x, y)
    xr = xt.shape.rank if xt.shape.rank is not None else yt.shape.rank
    if c.shape.rank == 1 and xr is not None and xr > 1:
        d = xt.shape[0] if xt.shape.rank else yt.shape[0]
        if c.shape[0] is None or d is None or c.shape[0] == d:
            c = reshape(c, [-1] + [1] * (xr - 1))
    out = apply_op(SelectV2(), [c, xt, yt], name=name or "Select")
    if c.shape.rank is None and xt.shape.rank is not None and \
            xt.shape.is_compatible_with(yt.shape):
        out.set_shape(xt.shape.merge_with(yt.shape))  # TF1's Select: x's shape, whatever cond's
    return out
