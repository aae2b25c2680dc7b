"""Reductions (sum, mean, max, min, prod, any, all), argmax/argmin, and composites built on them.

`axis` is static: None (all axes), an int or a list, negative counting from the end. TF1's rules:
`reduce_mean` of integers truncates toward zero; `argmax`'s default axis is 0, not "all".
Gradients broadcast `dy` back over the reduced axes with `BroadcastReduced`, which reads the input's
runtime shape, so they work with unknown dims.
"""

from __future__ import annotations

import numpy as np

from graphflow.core import dtypes
from graphflow.core.dtypes import as_dtype
from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape
from graphflow.errors import ShapeError, dtype_rule, shape_rule
from graphflow.ops.cast import cast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.elementwise import add, divide, equal, exp, log, maximum, minimum, not_equal
from graphflow.ops.naming import name_public_functions
from graphflow.ops.registry import Op, apply_op, register, spec
from graphflow.ops.state import stop_gradient

__all__ = ["arg_max", "arg_min", "argmax", "argmin", "clip_by_value", "count_nonzero",
           "reduce_all", "reduce_any", "reduce_logsumexp", "reduce_max", "reduce_mean",
           "reduce_min", "reduce_prod", "reduce_sum"]


# --- axis handling ------------------------------------------------------------------------------
def normalize_axes(axis, rank: int) -> tuple:
    """`axis` (None or a tuple of ints) as sorted non-negative axes; ValueError if out of range."""
    if axis is None:
        return tuple(range(rank))
    out = set()
    for a in axis:
        if not -rank <= a < rank:
            raise ValueError(f"axis {a} is out of range for a tensor of rank {rank} "
                             f"(valid: {-rank} to {rank - 1})" if rank else
                             f"axis {a} is out of range for a scalar (rank 0) tensor")
        out.add(a % rank)
    return tuple(sorted(out))


def reduced_shape(shape: TensorShape, axis, keepdims: bool) -> TensorShape:
    """The static shape of reducing `shape` over `axis`; raises shape_rule for a bad axis."""
    if shape.dims is None:
        return TensorShape([]) if axis is None and not keepdims else TensorShape(None)
    try:
        axes = normalize_axes(axis, len(shape.dims))
    except ValueError as err:
        raise shape_rule(f"{err}; the input is {shape.bracketed()}") from None
    if keepdims:
        return TensorShape([1 if i in axes else d for i, d in enumerate(shape.dims)])
    return TensorShape([d for i, d in enumerate(shape.dims) if i not in axes])


def _axis_attr(axis, reduction_indices=None):
    """The user's axis as an attribute: None or a tuple of ints."""
    if axis is not None and reduction_indices is not None:
        raise ValueError("pass axis or reduction_indices, not both")
    axis = reduction_indices if axis is None else axis
    if isinstance(axis, Tensor):
        if axis.op.type != "Const":
            raise TypeError(f"axis must be a Python int or list, or a constant; got "
                            f"{axis.describe()}")
        axis = axis.op.get_attr("value").tolist()
    if axis is None:
        return None
    if isinstance(axis, (int, np.integer)):
        return (int(axis),)
    return tuple(int(a) for a in axis)


def _keepdims(keepdims, keep_dims) -> bool:
    if keepdims is not None and keep_dims is not None and bool(keepdims) != bool(keep_dims):
        raise ValueError("keepdims and its old name keep_dims disagree")
    return bool(keepdims if keepdims is not None else keep_dims)


def _count(shape: tuple, axes: tuple) -> int:
    return int(np.prod([shape[a] for a in axes], dtype=np.int64))


# --- reduction ops ------------------------------------------------------------------------------
class Reduction(Op):
    """Reduce `input` over `axis`; subclasses set `allowed` and `fn(x, axes, keepdims)`."""

    attrs = {"axis": None, "keepdims": False}
    input_names = ("input",)
    allowed = "numeric"

    def infer(self, x):
        ok = x.dtype.is_bool if self.allowed == "bool" else x.dtype.is_numeric
        if not ok:
            need = "bool" if self.allowed == "bool" else "a numeric dtype"
            raise dtype_rule(f"input has dtype {x.dtype.name}, but {self.type} needs {need}")
        return spec(x.dtype, reduced_shape(x.shape, self.axis, self.keepdims))

    def compute(self, x):
        axes = normalize_axes(self.axis, x.ndim)
        return np.asarray(type(self).fn(x, axes, self.keepdims), dtype=x.dtype)

    def _grad_parts(self, node, dy):
        """(x, y, dy, y and dy broadcast back to x's shape), or None when x is not floating."""
        x, y = node.inputs[0], node.outputs[0]
        if not x.dtype.is_floating:
            return None
        return x, broadcast_reduced(y, x, self.axis, self.keepdims), \
            broadcast_reduced(dy, x, self.axis, self.keepdims)


def _sum(x, axes, keepdims):
    return np.sum(x, axis=axes, keepdims=keepdims, dtype=x.dtype)


def _mean(x, axes, keepdims):
    if x.dtype.kind not in "iu":
        return np.mean(x, axis=axes, keepdims=keepdims, dtype=x.dtype)
    total = np.sum(x, axis=axes, keepdims=keepdims, dtype=np.int64)
    n = max(_count(x.shape, axes), 1)
    return np.sign(total) * (np.abs(total) // n)  # TF1: integer mean truncated toward zero


def _extreme(fn, lowest: bool):
    def reduce(x, axes, keepdims):
        info = np.finfo(x.dtype) if x.dtype.kind == "f" else np.iinfo(x.dtype)
        init = (-np.inf if lowest else np.inf) if x.dtype.kind == "f" else \
            (info.min if lowest else info.max)  # an empty reduction gives the identity, as in TF
        return fn(x, axis=axes, keepdims=keepdims, initial=init)

    return reduce


@register("Sum")
class Sum(Reduction):
    """The sum over `axis`, in the input's dtype."""

    fresh_output = True
    fn = staticmethod(_sum)

    def gradient(self, node, dy):
        x = node.inputs[0]
        if not x.dtype.is_floating:
            return [None]
        return [broadcast_reduced(dy, x, self.axis, self.keepdims)]

    @staticmethod
    def examples(s):
        return s.reduction_example("numeric")


@register("Mean")
class Mean(Reduction):
    """The mean over `axis`; integer inputs give the sum divided by the count, toward zero."""

    fresh_output = True
    fn = staticmethod(_mean)

    def gradient(self, node, dy):
        x = node.inputs[0]
        if not x.dtype.is_floating:
            return [None]
        return [broadcast_reduced(dy, x, self.axis, self.keepdims, mean=True)]

    @staticmethod
    def examples(s):
        return s.reduction_example("numeric")


class _MaxMin(Reduction):
    def gradient(self, node, dy):
        """Routed to the positions equal to the result, split equally among ties (TF1)."""
        parts = self._grad_parts(node, dy)
        if parts is None:
            return [None]
        x, y_b, dy_b = parts
        hits = cast(equal(y_b, x), x.dtype)
        count = broadcast_reduced(reduce_sum(hits, self.axis, keepdims=self.keepdims), x,
                                  self.axis, self.keepdims)
        return [divide(hits, count) * dy_b]

    @staticmethod
    def examples(s):
        return s.reduction_example("numeric", distinct=True)


@register("Max")
class Max(_MaxMin):
    """The largest value over `axis` (the dtype's lowest value for an empty reduction)."""

    fresh_output = True
    fn = staticmethod(_extreme(np.max, lowest=True))


@register("Min")
class Min(_MaxMin):
    """The smallest value over `axis` (the dtype's largest value for an empty reduction)."""

    fresh_output = True
    fn = staticmethod(_extreme(np.min, lowest=False))


@register("Prod")
class Prod(Reduction):
    """The product over `axis`; its gradient y/x assumes no zeros in the input."""

    fresh_output = True
    fn = staticmethod(lambda x, axes, keepdims: np.prod(x, axis=axes, keepdims=keepdims,
                                                        dtype=x.dtype))

    def gradient(self, node, dy):
        parts = self._grad_parts(node, dy)
        if parts is None:
            return [None]
        x, y_b, dy_b = parts
        return [dy_b * y_b / x]

    @staticmethod
    def examples(s):
        return s.reduction_example("numeric", lo=-1.5, hi=1.5, away_from=0.0, margin=0.3)


@register("Any")
class Any(Reduction):
    """True where any element over `axis` is True."""

    fresh_output = True
    allowed = "bool"
    not_differentiable = True
    fn = staticmethod(lambda x, axes, keepdims: np.any(x, axis=axes, keepdims=keepdims))

    @staticmethod
    def examples(s):
        return s.reduction_example("bool")


@register("All")
class All(Any):
    """True where every element over `axis` is True."""

    fresh_output = True
    fn = staticmethod(lambda x, axes, keepdims: np.all(x, axis=axes, keepdims=keepdims))


@register("BroadcastReduced")
class BroadcastReduced(Op):
    """`dy`, the result of reducing `x` over `axis`, broadcast back to x's runtime shape.

    With `mean`, divided by the number of elements reduced. This is the gradient of Sum and Mean,
    and they are its gradient in turn.
    """

    fresh_output = True
    attrs = {"axis": None, "keepdims": False, "mean": False}
    input_names = ("dy", "x")
    shape_only_inputs = (1,)

    def infer(self, dy, x):
        expected = reduced_shape(x.shape, self.axis, self.keepdims)
        if not expected.is_compatible_with(dy.shape):
            raise shape_rule(f"dy is {dy.shape.bracketed()} but reducing x {x.shape.bracketed()} "
                             f"over axis {self.axis} gives {expected.bracketed()}")
        if self.mean and not dy.dtype.is_floating:
            raise dtype_rule(f"a mean gradient needs a floating dtype, got {dy.dtype.name}")
        return spec(dy.dtype, x.shape)

    def compute(self, dy, x):
        axes = normalize_axes(self.axis, x.ndim)
        kept = [1 if i in axes else d for i, d in enumerate(x.shape)]
        out = np.broadcast_to(np.reshape(dy, kept), x.shape)
        if self.mean:
            out = out / max(_count(x.shape, axes), 1)
        return np.array(out, dtype=dy.dtype)  # a real (writable) array, never a broadcast view

    def gradient(self, node, ddx):
        fn = reduce_mean if self.mean else reduce_sum
        return [fn(ddx, self.axis, keepdims=self.keepdims), None]

    @staticmethod
    def examples(s):
        return s.broadcast_reduced_example()


class _ArgReduction(Op):
    attrs = {"axis": 0, "output_type": dtypes.int64}
    input_names = ("input",)
    not_differentiable = True

    def infer(self, x):
        if not x.dtype.is_numeric:
            raise dtype_rule(f"input has dtype {x.dtype.name}, but {self.type} needs a numeric "
                             "dtype")
        if self.output_type not in (dtypes.int32, dtypes.int64):
            raise dtype_rule(f"output_type must be int32 or int64, got {self.output_type}")
        if x.shape.rank == 0:
            raise shape_rule(f"{self.type} needs a tensor of rank >= 1, got a scalar")
        return spec(self.output_type, reduced_shape(x.shape, (self.axis,), False))

    def compute(self, x):
        (axis,) = normalize_axes((self.axis,), x.ndim)
        if x.shape[axis] == 0:
            raise ValueError(f"{self.type} over an empty dimension {axis} of shape {x.shape}")
        return np.asarray(type(self).fn(x, axis=axis), dtype=self.output_type.np)

    @staticmethod
    def examples(s):
        return s.arg_reduction_example()


@register("ArgMax")
class ArgMax(_ArgReduction):
    """The index of the largest value along `axis` (the first one on ties)."""

    fresh_output = True
    fn = staticmethod(np.argmax)


@register("ArgMin")
class ArgMin(_ArgReduction):
    """The index of the smallest value along `axis` (the first one on ties)."""

    fresh_output = True
    fn = staticmethod(np.argmin)


# --- public functions ---------------------------------------------------------------------------
def broadcast_reduced(dy, x, axis, keepdims: bool = False, mean: bool = False) -> Tensor:
    """`dy` (x reduced over `axis`) broadcast back to x's shape; divided by the count if `mean`."""
    return apply_op(BroadcastReduced(axis=axis, keepdims=keepdims, mean=mean), [dy, x])


_REDUCE_DOC = """{summary}

Args:
    input_tensor: The tensor to reduce (or a value `constant` takes).
    axis: An int or a list of ints, the axes to reduce (negative ones count from the end);
        None reduces all of them.
    keepdims: Keep each reduced axis, with length 1.
    name: A name for the op.
    reduction_indices: TF1's deprecated name for `axis`.
    keep_dims: TF1's deprecated name for `keepdims`.

Returns:
    A tensor of the input's dtype without the reduced axes (with them at length 1 when
    `keepdims`); a scalar when `axis` is None.

Examples:
    >>> x = tf.constant({x})
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.{name}(x)))
    ...     print(sess.run(tf.{name}(x, axis=1)))
    ...     print(sess.run(tf.{name}(x, axis=0, keepdims=True)))
    {printed}
"""


def _reducer(cls, name, summary, x, printed):
    """A reduction's public function. The 7 share one docstring template (Args, Returns, an
    example printing the full, axis=1 and keepdims reductions of `x`)."""
    def fn(input_tensor, axis=None, keepdims: bool | None = None, name: str | None = None,
           reduction_indices=None, keep_dims: bool | None = None) -> Tensor:
        op = cls(axis=_axis_attr(axis, reduction_indices), keepdims=_keepdims(keepdims, keep_dims))
        return apply_op(op, [convert_to_tensor(input_tensor)], name=name)

    fn.__doc__ = _REDUCE_DOC.format(summary=summary, x=x, name=name,
                                    printed="\n    ".join(printed))
    return fn


_X = "[[1., 2.], [3., 4.]]"
_B = "[[True, False], [True, True]]"
reduce_sum = _reducer(Sum, "reduce_sum", "Sum over `axis` (all axes when None), in the input's "
                      "dtype.", _X, ["10.0", "[3. 7.]", "[[4. 6.]]"])
reduce_mean = _reducer(Mean, "reduce_mean", "Mean over `axis`; integer inputs give a truncated "
                       "integer mean.", _X, ["2.5", "[1.5 3.5]", "[[2. 3.]]"])
reduce_max = _reducer(Max, "reduce_max", "Maximum over `axis`; the gradient splits equally among "
                      "ties.", _X, ["4.0", "[2. 4.]", "[[3. 4.]]"])
reduce_min = _reducer(Min, "reduce_min", "Minimum over `axis`; the gradient splits equally among "
                      "ties.", _X, ["1.0", "[1. 3.]", "[[1. 2.]]"])
reduce_prod = _reducer(Prod, "reduce_prod", "Product over `axis`; differentiable where the input "
                       "has no zeros.", _X, ["24.0", "[ 2. 12.]", "[[3. 8.]]"])
reduce_any = _reducer(Any, "reduce_any", "Logical OR over `axis` of a bool tensor.", _B,
                      ["True", "[ True  True]", "[[ True  True]]"])
reduce_all = _reducer(All, "reduce_all", "Logical AND over `axis` of a bool tensor.", _B,
                      ["False", "[False  True]", "[[ True False]]"])


def _arg(cls, input, axis, dimension, output_type, name):  # noqa: A002
    if axis is not None and dimension is not None:
        raise ValueError("pass axis or dimension, not both")
    axis = dimension if axis is None else axis
    axis = _axis_attr(0 if axis is None else axis)
    if len(axis) != 1:
        raise ValueError(f"{cls.type} takes a single axis, got {list(axis)}")
    op = cls(axis=axis[0], output_type=as_dtype(output_type))
    return apply_op(op, [convert_to_tensor(input)], name=name)


def argmax(input, axis=None, name: str | None = None, dimension=None,  # noqa: A002
           output_type=dtypes.int64) -> Tensor:
    """Index of the largest value along `axis`; TF1's default axis is 0, not the flattened input.

    Args:
        input: A numeric tensor.
        axis: The axis to search (default 0; negative counts from the end).
        name: A name for the op.
        dimension: TF1's deprecated name for `axis` (pass one of the two).
        output_type: The index dtype, int64 (the default) or int32.

    Returns:
        A tensor of `output_type` with `axis` removed; ties give the first index.

    Examples:
        >>> x = tf.constant([[1., 5., 2.], [7., 3., 7.]])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.argmax(x, axis=1)))
        ...     print(sess.run(tf.argmax(x)))
        [1 0]
        [1 0 1]
    """
    return _arg(ArgMax, input, axis, dimension, output_type, name)


def argmin(input, axis=None, name: str | None = None, dimension=None,  # noqa: A002
           output_type=dtypes.int64) -> Tensor:
    """Index of the smallest value along `axis` (default 0, as in TF1).

    Args:
        input: A numeric tensor.
        axis: The axis to search (default 0; negative counts from the end).
        name: A name for the op.
        dimension: TF1's deprecated name for `axis` (pass one of the two).
        output_type: The index dtype, int64 (the default) or int32.

    Returns:
        A tensor of `output_type` with `axis` removed; ties give the first index.

    Examples:
        >>> x = tf.constant([[1., 5., 2.], [7., 3., 7.]])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.argmin(x, axis=1)))
        [0 1]
    """
    return _arg(ArgMin, input, axis, dimension, output_type, name)


def arg_max(input, dimension, output_type=dtypes.int64, name: str | None = None):  # noqa: A002
    """TF1's deprecated `arg_max`: `argmax` with the axis called `dimension` and required.

    Args:
        input: A numeric tensor.
        dimension: The axis to search.
        output_type: The index dtype, int64 (the default) or int32.
        name: A name for the op.

    Returns:
        A tensor of `output_type` with `dimension` removed.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.arg_max([[1., 5., 2.], [7., 3., 7.]], 1)))
        [1 0]
    """
    return _arg(ArgMax, input, None, dimension, output_type, name)


def arg_min(input, dimension, output_type=dtypes.int64, name: str | None = None):  # noqa: A002
    """TF1's deprecated `arg_min`: `argmin` with the axis called `dimension` and required.

    Args:
        input: A numeric tensor.
        dimension: The axis to search.
        output_type: The index dtype, int64 (the default) or int32.
        name: A name for the op.

    Returns:
        A tensor of `output_type` with `dimension` removed.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.arg_min([[1., 5., 2.], [7., 3., 7.]], 1)))
        [0 1]
    """
    return _arg(ArgMin, input, None, dimension, output_type, name)


def clip_by_value(t, clip_value_min, clip_value_max, name: str | None = None) -> Tensor:
    """`t` limited to [min, max]; the gradient passes to `t` where min <= t <= max (TF1).

    Args:
        t: A numeric tensor.
        clip_value_min: The lower bound: a scalar or a tensor of t's shape.
        clip_value_max: The upper bound: a scalar or a tensor of t's shape.
        name: A name for the op (default `clip_by_value`).

    Returns:
        A tensor of t's shape and dtype.

    Examples:
        >>> x = tf.constant([-2., 0.5, 3.])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.clip_by_value(x, -1., 1.)))
        [-1.   0.5  1. ]
    """
    t = convert_to_tensor(t)
    lo = convert_to_tensor(clip_value_min, dtype_hint=t.dtype)
    hi = convert_to_tensor(clip_value_max, dtype_hint=t.dtype)
    out = maximum(minimum(t, hi), lo, name=name or "clip_by_value")
    if not out.shape.is_compatible_with(t.shape):
        raise ShapeError(f"clip_by_value: the clip values {lo.describe()} and {hi.describe()} "
                         f"would broadcast {t.describe()} to {out.shape.bracketed()}; they must "
                         "be scalars or have t's shape")
    return out


def reduce_logsumexp(input_tensor, axis=None, keepdims: bool | None = None,
                     name: str | None = None, reduction_indices=None,
                     keep_dims: bool | None = None) -> Tensor:
    """log(sum(exp(x))) over `axis`, computed as m + log(sum(exp(x - m))) with m the max.

    Args:
        input_tensor: A floating tensor.
        axis: An int or a list of ints, the axes to reduce; None reduces all of them.
        keepdims: Keep each reduced axis, with length 1.
        name: A name for the op.
        reduction_indices: TF1's deprecated name for `axis`.
        keep_dims: TF1's deprecated name for `keepdims`.

    Returns:
        A tensor of the input's dtype without the reduced axes; it stays finite where
        `exp(x)` would overflow.

    Examples:
        >>> x = tf.constant([[0., 0.], [1000., 1000.]])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.reduce_logsumexp(x, axis=1)))
        [   0.6931 1000.6932]
    """
    x = convert_to_tensor(input_tensor)
    axis = _axis_attr(axis, reduction_indices)
    keep = _keepdims(keepdims, keep_dims)
    big = float(np.finfo(x.dtype.np).max) if x.dtype.is_floating else None
    if big is None:
        raise TypeError(f"reduce_logsumexp needs a floating tensor, got {x.describe()}")
    # A finite shift keeps an all -inf slice at -inf instead of nan; it carries no gradient.
    m = stop_gradient(minimum(maximum(reduce_max(x, axis, keepdims=True), -big), big))
    total = log(reduce_sum(exp(x - m), axis, keepdims=keep))
    return add(total, m if keep else reduce_sum(m, axis), name=name)


def count_nonzero(input_tensor=None, axis=None, keepdims: bool | None = None,
                  dtype=dtypes.int64, name: str | None = None, reduction_indices=None,
                  keep_dims: bool | None = None, input=None) -> Tensor:  # noqa: A002
    """The number of nonzero (or True) elements over `axis`, as `dtype` (int64 by default).

    Args:
        input_tensor: A numeric or bool tensor.
        axis: An int or a list of ints, the axes to count over; None counts over all.
        keepdims: Keep each reduced axis, with length 1.
        dtype: The count's dtype (int64 by default).
        name: A name for the op.
        reduction_indices: TF1's deprecated name for `axis`.
        keep_dims: TF1's deprecated name for `keepdims`.
        input: TF1's other name for `input_tensor` (pass one of the two).

    Returns:
        A tensor of `dtype` without the reduced axes.

    Examples:
        >>> x = tf.constant([[0, 1, 2], [0, 0, 3]])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.count_nonzero(x, axis=1)))
        [2 1]
    """
    if (input_tensor is None) == (input is None):
        raise TypeError("count_nonzero() takes exactly one of input_tensor and input")
    x = convert_to_tensor(input_tensor if input is None else input)
    zero = False if x.dtype.is_bool else 0
    nonzero = cast(not_equal(x, zero), dtype)
    return reduce_sum(nonzero, axis, keepdims=keepdims, name=name,
                      reduction_indices=reduction_indices, keep_dims=keep_dims)
name_public_functions(globals())
