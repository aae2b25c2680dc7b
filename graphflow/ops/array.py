"""Array ops that move elements without changing them: reshape, transpose, expand_dims, squeeze.

The rest of TF1's array API lives in joining.py, shape_ops.py, slicing.py, gather.py and
indexing.py; `graphflow` (the public package) imports each of them.

Shapes, axes and permutations are attributes known while building (TF1 users pass Python lists);
`reshape` alone also takes a runtime shape vector such as `shape(x)`. Every op infers as much of
its output shape as the inputs allow (unknown batch dims stay `?`) and its errors name the shapes.
"""

from __future__ import annotations

import builtins

import numpy as np

from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape
from graphflow.errors import dtype_rule, shape_rule
from graphflow.ops.array_util import (
    constant_value,
    fmt,
    norm_axis,
    shape_tensor_value,
    static_int,
    static_ints,
)
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.registry import Op, apply_op, register, spec
from graphflow.ops.shape_ops import shape

__all__ = ["reshape", "transpose", "expand_dims", "squeeze"]


# --- reshape --------------------------------------------------------------------------------------
def _reshape_shape(in_shape: TensorShape, target: list) -> TensorShape:
    """The static result of reshaping `in_shape` to `target` (ints, -1 once, None = unknown)."""
    if any(d is not None and d < -1 for d in target):
        raise shape_rule(f"shape {fmt(target)} has a negative dimension other than -1")
    if sum(d == -1 for d in target) > 1:
        raise shape_rule(f"only one dimension of the new shape may be -1, got {fmt(target)}")
    n_in = in_shape.num_elements()
    fixed = [d for d in target if d is not None and d != -1]
    prod = int(np.prod(fixed)) if fixed else 1
    complete = None not in target
    if -1 in target:
        if n_in is None or not complete:
            return TensorShape([None if d == -1 else d for d in target])
        if prod == 0 or n_in % prod:
            raise shape_rule(f"Cannot reshape a tensor with {n_in} elements to shape "
                             f"{fmt(target)}: {n_in} is not a multiple of {prod}, the product "
                             "of the other dimensions")
        return TensorShape([n_in // prod if d == -1 else d for d in target])
    if complete and n_in is not None and n_in != prod:
        raise shape_rule(f"Cannot reshape a tensor with {n_in} elements to shape {fmt(target)} "
                         f"({prod} elements)")
    if complete and in_shape.dims is not None and n_in is None:
        known = int(np.prod([d for d in in_shape.dims if d is not None]))
        if (known == 0 and prod != 0) or (known and prod % known):
            raise shape_rule(f"Cannot reshape a tensor of shape {in_shape} to {fmt(target)} "
                             f"({prod} elements): that is not a multiple of {known}, the "
                             "product of its known dimensions")
    return TensorShape(target)


@register("Reshape")
class Reshape(Op):
    """`tensor`'s elements in row-major order, in a new shape (attr `shape`, or a runtime input)."""

    attrs = {"shape": None}
    input_names = ("tensor", "shape")
    noop_when_shape_kept = True

    def absorbs(self, inner) -> bool:
        return inner.type == "Reshape"  # reshape(reshape(x, a), b) is reshape(x, b)

    def infer(self, x, shape_t=None):
        if shape_t is None:
            return spec(x.dtype, _reshape_shape(x.shape, list(self.shape)))
        if not shape_t.dtype.is_integer or shape_t.shape.rank not in (None, 1):
            raise dtype_rule(f"the shape argument must be a 1-D int32/int64 tensor, got "
                             f"{shape_t.dtype.name}{shape_t.shape.bracketed()}")
        target = shape_tensor_value(shape_t)
        if target is None:
            return spec(x.dtype, None)
        return spec(x.dtype, _reshape_shape(x.shape, target))

    def compute(self, x, shape_t=None):
        target = list(self.shape) if shape_t is None else [int(d) for d in shape_t]
        try:
            return np.reshape(x, target)
        except ValueError:
            raise ValueError(f"Input to reshape is a tensor with {x.size} values, but the "
                             f"requested shape {target} does not fit it") from None

    def gradient(self, node, dy):
        return [reshape_like(dy, node.inputs[0])] + [None] * (len(node.inputs) - 1)

    @staticmethod
    def examples(s):
        return s.reshape_example()


def _perm(perm, rank):
    if perm is None:
        return None if rank is None else list(builtins.range(rank))[::-1]
    return list(perm)


@register("Transpose")
class Transpose(Op):
    """Axes permuted: output axis i is input axis perm[i] (perm None: reversed)."""

    attrs = {"perm": None}
    input_names = ("x",)

    def cancels(self, inner, rank) -> bool:
        """A transpose undone by this one (perm None reverses the axes)."""
        if inner.type != "Transpose":
            return False
        p1, p2 = _perm(inner.attrs["perm"], rank), _perm(self.perm, rank)
        return p1 is not None and p2 is not None and len(p1) == len(p2) and \
            [p1[i] for i in p2] == list(builtins.range(len(p2)))

    def infer(self, x):
        dims = x.shape.dims
        if self.perm is None:
            return spec(x.dtype, None if dims is None else dims[::-1])
        perm = list(self.perm)
        if sorted(perm) != list(builtins.range(len(perm))):
            raise shape_rule(f"perm {perm} is not a permutation of 0..{len(perm) - 1}")
        if dims is None:
            return spec(x.dtype, [None] * len(perm))
        if len(perm) != len(dims):
            raise shape_rule(f"perm {perm} has {len(perm)} entries but the input {x.shape} has "
                             f"rank {len(dims)}")
        return spec(x.dtype, [dims[p] for p in perm])

    def compute(self, x):
        return np.transpose(x, self.perm)

    def gradient(self, node, dy):
        inverse = None if self.perm is None else [int(i) for i in np.argsort(self.perm)]
        return [transpose(dy, inverse)]

    @staticmethod
    def examples(s):
        return s.transpose_example()


@register("ExpandDims")
class ExpandDims(Op):
    """A new axis of size 1 inserted at `axis` (-1 appends one)."""

    attrs = {"axis": 0}
    input_names = ("input",)

    def infer(self, x):
        dims = x.shape.dims
        if dims is None:
            return spec(x.dtype, None)
        axis = norm_axis(self.axis, len(dims) + 1)
        return spec(x.dtype, dims[:axis] + (1,) + dims[axis:])

    def compute(self, x):
        return np.expand_dims(x, self.axis)

    def gradient(self, node, dy):
        return [reshape_like(dy, node.inputs[0])]

    @staticmethod
    def examples(s):
        return s.expand_dims_example()


@register("Squeeze")
class Squeeze(Op):
    """`input` without its size-1 axes (all of them, or those listed in `axis`)."""

    attrs = {"axis": None}
    input_names = ("input",)

    def infer(self, x):
        dims = x.shape.dims
        if dims is None:
            return spec(x.dtype, None)
        if not self.axis:
            if None in dims:  # an unknown dim may turn out to be 1
                return spec(x.dtype, None)
            return spec(x.dtype, [d for d in dims if d != 1])
        axes = {norm_axis(a, len(dims)) for a in self.axis}
        for a in sorted(axes):
            if dims[a] not in (1, None):
                raise shape_rule(f"Can not squeeze dim[{a}], expected a dimension of 1, got "
                                 f"{dims[a]} (input shape {x.shape})")
        return spec(x.dtype, [d for i, d in enumerate(dims) if i not in axes])

    def compute(self, x):
        if not self.axis:
            return np.squeeze(x)
        for a in self.axis:
            if x.shape[a] != 1:
                raise ValueError(f"Can not squeeze dim[{a}], expected a dimension of 1, got "
                                 f"{x.shape[a]}")
        return np.squeeze(x, axis=tuple(self.axis))

    def gradient(self, node, dy):
        return [reshape_like(dy, node.inputs[0])]

    @staticmethod
    def examples(s):
        return s.squeeze_example()


# --- public functions ---------------------------------------------------------------------------
def reshape(tensor, shape, name: str | None = None) -> Tensor:
    """`tensor` with a new shape (one -1 is inferred); `shape` may be a runtime int32 vector.

    Args:
        tensor: A tensor, or a value `constant` takes.
        shape: A list of ints (one of them may be -1), a TensorShape, or an int32 tensor such
            as `tf.shape(x)`.
        name: A name for the op.

    Returns:
        A Tensor with tensor's elements in row-major order. A shape whose element count differs
        raises a ShapeError naming both shapes.

    Examples:
        >>> x = tf.constant([1, 2, 3, 4, 5, 6])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.reshape(x, [2, -1])))
        [[1 2 3]
         [4 5 6]]
    """
    x = convert_to_tensor(tensor)
    if isinstance(shape, TensorShape):
        shape = [-1 if d is None else d for d in shape.as_list()]
    if isinstance(shape, (list, tuple)) and any(isinstance(v, Tensor) for v in shape):
        shape = convert_to_tensor(list(shape), dtype="int32")
    if isinstance(shape, Tensor):
        if constant_value(shape) is None:
            return apply_op(Reshape(), [x, shape], name=name or "Reshape")
    target = static_ints(shape, "shape", "reshape")
    return apply_op(Reshape(shape=tuple(target)), [x], name=name or "Reshape")


def transpose(a, perm=None, name: str = "transpose", conjugate: bool = False) -> Tensor:
    """Permute the axes (reversed when `perm` is None; `transpose(x)` of a matrix is x^T).

    Args:
        a: A tensor.
        perm: The new order of a's axes; None reverses them.
        name: A name for the op.
        conjugate: TF1's option for complex tensors; graphflow has none, so it changes nothing.

    Returns:
        A Tensor whose axis i is a's axis `perm[i]`.

    Examples:
        >>> x = tf.constant([[1, 2, 3], [4, 5, 6]])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.transpose(x)))
        [[1 4]
         [2 5]
         [3 6]]
    """
    p = None if perm is None else tuple(static_ints(perm, "perm", "transpose"))
    return apply_op(Transpose(perm=p), [convert_to_tensor(a)], name=name or "transpose")


def expand_dims(input, axis=None, name: str | None = None, dim=None) -> Tensor:  # noqa: A002
    """Insert a size-1 axis at `axis` (TF1 also accepts the older `dim=`).

    Args:
        input: A tensor.
        axis: Where the new axis goes (negative counts from the end: -1 appends).
        name: A name for the op.
        dim: TF1's deprecated name for `axis`.

    Returns:
        A Tensor with one more dimension.

    Examples:
        >>> x = tf.constant([1, 2, 3])
        >>> print(tf.expand_dims(x, 0).shape, tf.expand_dims(x, -1).shape)
        (1, 3) (3, 1)
    """
    if axis is None:
        axis = dim
    if axis is None:
        raise TypeError("expand_dims: `axis` is required")
    return apply_op(ExpandDims(axis=static_int(axis, "axis", "expand_dims")),
                    [convert_to_tensor(input)], name=name or "ExpandDims")


def squeeze(input, axis=None, name: str | None = None, squeeze_dims=None) -> Tensor:  # noqa: A002
    """Remove size-1 axes: all of them, or those in `axis` (an int or a list).

    Args:
        input: A tensor.
        axis: The axes to remove (each must have size 1); None removes every size-1 axis.
        name: A name for the op.
        squeeze_dims: TF1's deprecated name for `axis`.

    Returns:
        A Tensor with the same elements and fewer dimensions.

    Examples:
        >>> x = tf.zeros([1, 3, 1])
        >>> print(tf.squeeze(x).shape, tf.squeeze(x, axis=[2]).shape)
        (3,) (1, 3)
    """
    if axis is None:
        axis = squeeze_dims
    axes = None if axis is None else tuple(static_ints(axis, "axis", "squeeze"))
    return apply_op(Squeeze(axis=axes), [convert_to_tensor(input)], name=name or "Squeeze")



def reshape_like(x: Tensor, like: Tensor) -> Tensor:
    """`x` reshaped to `like`'s shape: a static attribute when known, else `shape(like)`."""
    if like.shape.is_fully_defined():
        if x.shape.is_fully_defined() and x.shape.as_list() == like.shape.as_list():
            return x
        return reshape(x, like.shape.as_list())
    return reshape(x, shape(like))
