"""`nn.top_k`: the k largest entries of the last axis with their indices, and its gradient.

TF1's rules: values come sorted largest first; among equal values the lower index comes first;
indices are int32; k must not exceed the last dimension. The gradient puts each value's
incoming gradient back at the position it was taken from (TopKGrad).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from graphflow.core import dtypes
from graphflow.core.node import Tensor
from graphflow.errors import dtype_rule, shape_rule
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.registry import Example, Op, apply_op, register, spec

__all__ = ["top_k"]


class TopKResult(NamedTuple):
    """What `top_k` returns, as TF1's namedtuple: unpacks as a pair, or read `.values` and
    `.indices`."""

    values: Tensor
    indices: Tensor


def _k_checked(k, last) -> int:
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 0:
        raise shape_rule(f"k must be a non-negative Python int, got {k!r}")
    if last is not None and k > last:
        raise shape_rule(f"input must have at least k={k} columns; its last dimension is {last}")
    return int(k)


def _top_k_example(s, kind="numeric"):
    """Distinct values (no ties to order), at least 1-D, k up to 2."""
    def to_example(ex):
        x = ex.inputs[0]
        return Example([x], {"k": min(2, x.shape[-1])})

    return s.reduction_example(kind, distinct=True).filter(
        lambda ex: ex.inputs[0].ndim >= 1).map(to_example)


@register("TopKV2")
class TopK(Op):
    """(values, indices) of the k largest entries along the last axis, largest first."""

    fresh_output = True
    attrs = {"k": 1, "sorted": True}
    input_names = ("input",)

    def infer(self, x):
        if not x.dtype.is_numeric:
            raise dtype_rule(f"input has dtype {x.dtype.name}; top_k needs a numeric dtype")
        if x.shape.rank == 0:
            raise shape_rule("input must be at least 1-D (top_k works along the last axis), "
                             "got a scalar")
        dims = None if x.shape.dims is None else list(x.shape.dims)
        k = _k_checked(self.k, dims[-1] if dims else None)
        out = None if dims is None else dims[:-1] + [k]
        return [spec(x.dtype, out), spec(dtypes.int32, out)]

    def compute(self, x):
        if x.ndim == 0 or self.k > x.shape[-1]:
            raise ValueError(f"input must have at least k={self.k} columns, got shape "
                             f"{list(x.shape)}")
        order = np.argsort(-x if x.dtype.kind != "u" else ~x, axis=-1, kind="stable")
        idx = order[..., :self.k]
        return np.take_along_axis(x, idx, axis=-1), idx.astype(np.int32)

    def gradient(self, node, dvalues, dindices=None):
        if dvalues is None or not node.inputs[0].dtype.is_floating:
            return [None]
        return [apply_op(TopKGrad(), [dvalues, node.outputs[1], node.inputs[0]])]

    @staticmethod
    def examples(s):
        return _top_k_example(s)


@register("TopKGrad")
class TopKGrad(Op):
    """dx: zeros of x's shape with each dvalue added at the index it was taken from."""

    fresh_output = True
    input_names = ("dvalues", "indices", "x")
    not_differentiable = True

    def infer(self, dy, indices, x):
        if dy.dtype is not x.dtype:
            raise dtype_rule(f"dvalues is {dy.dtype.name} but x is {x.dtype.name}")
        if not indices.dtype.is_integer:
            raise dtype_rule(f"indices must be integers, not {indices.dtype.name}")
        return spec(x.dtype, x.shape)

    def compute(self, dy, indices, x):
        out = np.zeros(x.shape, dtype=x.dtype)
        flat_out = out.reshape(-1, x.shape[-1]) if x.size else out
        if x.size:
            rows = np.arange(flat_out.shape[0])[:, None]
            np.add.at(flat_out, (rows, indices.reshape(flat_out.shape[0], -1)),
                      dy.reshape(flat_out.shape[0], -1))
        return out

    @staticmethod
    def examples(s):
        return _top_k_example(s, "float").map(
            lambda ex: Example([*TopK(k=ex.attrs["k"]).compute(ex.inputs[0]), ex.inputs[0]], {}))


def top_k(input, k=1, sorted=True, index_type=dtypes.int32,  # noqa: A002
          name: str | None = None) -> TopKResult:
    """The k largest entries of `input`'s last axis, largest first, and their indices (int32,
    or `index_type`).

    Args:
        input: A numeric tensor with a last axis of at least k entries.
        k: How many entries to keep.
        sorted: Sort them largest first (else in no particular order).
        index_type: int32 (the default) or int64.
        name: A name for the op.

    Returns:
        A pair `(values, indices)` (a namedtuple with `.values` and `.indices`, as in TF1),
        each with the last axis of length k; ties keep the lower index first.

    Examples:
        >>> values, indices = tf.nn.top_k([[1., 5., 3.], [4., 2., 6.]], k=2)
        >>> with tf.Session() as sess:
        ...     print(sess.run(values))
        ...     print(sess.run(indices))
        [[5. 3.]
         [6. 4.]]
        [[1 2]
         [2 0]]
    """
    from graphflow.ops.cast import cast

    x = convert_to_tensor(input)
    index_type = dtypes.as_dtype(index_type)
    if index_type not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"top_k: index_type must be int32 or int64, got {index_type.name}")
    values, indices = apply_op(TopK(k=k, sorted=bool(sorted)), [x], name=name)
    return TopKResult(values, indices if index_type is dtypes.int32 else cast(indices, index_type))
