"""Matrix products (`MatMul`, batched `BatchMatMulV2`, `tensordot`) and `AddN`.

`matmul` picks `MatMul` when both operands are known to be matrices and `BatchMatMulV2` otherwise
(rank >= 3, or unknown rank), as TF1 does; batch dimensions broadcast NumPy-style and their
gradients are summed back to each operand's shape.
"""

from __future__ import annotations

import numpy as np

from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape, broadcast_shapes
from graphflow.errors import dtype_rule, shape_rule
from graphflow.ops.array import reshape, transpose
from graphflow.ops.broadcast_grad import unbroadcast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.registry import Op, apply_op, register, spec

__all__ = ["add_n", "matmul", "tensordot"]


def _same_numeric_dtype(a, b):
    if a.dtype is not b.dtype:
        raise dtype_rule(f"a is {a.dtype.name} and b is {b.dtype.name}; both operands must have "
                         "the same dtype")
    if not a.dtype.is_numeric:
        raise dtype_rule(f"operands have dtype {a.dtype.name}, but a matrix product needs a "
                         "numeric dtype")


def _matrix_dims(shape: TensorShape, transposed: bool):
    """(rows, cols) of the last two dims as the product sees them (None when unknown)."""
    if shape.dims is None:
        return None, None
    rows, cols = shape.dims[-2], shape.dims[-1]
    return (cols, rows) if transposed else (rows, cols)


def _inner_and_outer(a, b, ta: bool, tb: bool):
    m, ka = _matrix_dims(a.shape, ta)
    kb, n = _matrix_dims(b.shape, tb)
    if ka is not None and kb is not None and ka != kb:
        raise shape_rule(
            f"Dimensions must be equal: inner dimensions {ka} and {kb} must match "
            f"(a {a.shape.bracketed()}{' transposed' if ta else ''} has {ka} columns, "
            f"b {b.shape.bracketed()}{' transposed' if tb else ''} has {kb} rows)"
        )
    return m, n


def _swap(x, flag: bool):
    return np.swapaxes(x, -1, -2) if flag else x


def _product_gradients(a, b, dy, ta: bool, tb: bool):
    """TF1's rule for every transpose combination: dA = G·Bᵀ, dB = Aᵀ·G before transposition."""
    if not ta and not tb:
        return matmul(dy, b, transpose_b=True), matmul(a, dy, transpose_a=True)
    if not ta and tb:
        return matmul(dy, b), matmul(dy, a, transpose_a=True)
    if ta and not tb:
        return matmul(b, dy, transpose_b=True), matmul(a, dy)
    return (matmul(b, dy, transpose_a=True, transpose_b=True),
            matmul(dy, a, transpose_a=True, transpose_b=True))


@register("MatMul")
class MatMul(Op):
    """The product of two matrices, either optionally transposed."""

    fresh_output = True
    attrs = {"transpose_a": False, "transpose_b": False}
    input_names = ("a", "b")

    def infer(self, a, b):
        _same_numeric_dtype(a, b)
        for label, t in (("a", a), ("b", b)):
            if t.shape.rank is not None and t.shape.rank != 2:
                raise shape_rule(f"Shape must be rank 2 but is rank {t.shape.rank}: {label} is "
                                 f"{t.shape.bracketed()}")
        m, n = _inner_and_outer(a, b, self.transpose_a, self.transpose_b)
        return spec(a.dtype, [m, n])

    def compute(self, a, b):
        return np.asarray(_swap(a, self.transpose_a) @ _swap(b, self.transpose_b), dtype=a.dtype)

    def gradient(self, node, dy):
        a, b = node.inputs
        return list(_product_gradients(a, b, dy, self.transpose_a, self.transpose_b))

    @staticmethod
    def examples(s):
        return s.matmul_example(batched=False)


@register("BatchMatMulV2")
class BatchMatMulV2(Op):
    """Matrix products over the last two dims; leading (batch) dims broadcast."""

    fresh_output = True
    attrs = {"adj_x": False, "adj_y": False}
    input_names = ("x", "y")

    def infer(self, x, y):
        _same_numeric_dtype(x, y)
        for label, t in (("x", x), ("y", y)):
            if t.shape.rank is not None and t.shape.rank < 2:
                raise shape_rule(f"Shape must be at least rank 2 but is rank {t.shape.rank}: "
                                 f"{label} is {t.shape.bracketed()}")
        m, n = _inner_and_outer(x, y, self.adj_x, self.adj_y)
        if x.shape.rank is None or y.shape.rank is None:
            return spec(x.dtype, None)
        try:
            batch = broadcast_shapes(x.shape[:-2], y.shape[:-2])
        except ValueError as err:
            raise shape_rule(f"batch dimensions of {x.shape.bracketed()} and "
                             f"{y.shape.bracketed()} do not broadcast: {err}") from None
        return spec(x.dtype, batch.concatenate([m, n]))

    def compute(self, x, y):
        return np.asarray(np.matmul(_swap(x, self.adj_x), _swap(y, self.adj_y)), dtype=x.dtype)

    def gradient(self, node, dy):
        x, y = node.inputs
        gx, gy = _product_gradients(x, y, dy, self.adj_x, self.adj_y)
        return [unbroadcast(gx, x), unbroadcast(gy, y)]

    @staticmethod
    def examples(s):
        return s.matmul_example(batched=True)


@register("AddN")
class AddN(Op):
    """The elementwise sum of any number of tensors of one dtype and one shape (no broadcasting)."""

    fresh_output = True
    input_names = ()

    def infer(self, *inputs):
        if not inputs:
            raise shape_rule("AddN needs at least one input")
        first = inputs[0]
        shape = first.shape
        for i, t in enumerate(inputs[1:], 1):
            if t.dtype is not first.dtype:
                raise dtype_rule(f"input 0 is {first.dtype.name} but input {i} is {t.dtype.name}; "
                                 "all inputs must have the same dtype")
            try:
                shape = shape.merge_with(t.shape)
            except ValueError:
                raise shape_rule(f"all inputs must have the same shape: input 0 is "
                                 f"{first.shape.bracketed()} and input {i} is "
                                 f"{t.shape.bracketed()}") from None
        if not first.dtype.is_numeric:
            raise dtype_rule(f"inputs have dtype {first.dtype.name}; AddN needs a numeric dtype")
        return spec(first.dtype, shape)

    def compute(self, *inputs):
        total = np.array(inputs[0], copy=True)
        for v in inputs[1:]:
            if v.shape != total.shape:
                raise ValueError(f"AddN inputs must have one shape; got {total.shape} and "
                                 f"{v.shape}")
            total += v
        return total

    def gradient(self, node, dy):
        return [dy] * len(node.inputs)

    @staticmethod
    def examples(s):
        return s.add_n_example()


# --- public functions ---------------------------------------------------------------------------
def matmul(a, b, transpose_a: bool = False, transpose_b: bool = False, adjoint_a: bool = False,
           adjoint_b: bool = False, a_is_sparse: bool = False, b_is_sparse: bool = False,
           name: str | None = None) -> Tensor:
    """`a @ b` over the last two dims; 2-D operands use `MatMul`, others `BatchMatMulV2`.

    Args:
        a: A tensor of rank 2 or more (float or int).
        b: A tensor of a's dtype; its batch dims (all but the last two) broadcast with a's.
        transpose_a: Multiply by a's transpose (of its last two dims).
        transpose_b: Multiply by b's transpose.
        adjoint_a: The same as `transpose_a` (graphflow has no complex dtypes).
        adjoint_b: The same as `transpose_b`.
        a_is_sparse: A hint TF1 may use; ignored.
        b_is_sparse: A hint TF1 may use; ignored.
        name: A name for the op.

    Returns:
        A Tensor of a's dtype, shape `[..., rows of a, columns of b]`. Inner dims that do not
        match raise a ShapeError naming both operands and where they were made.

    Examples:
        >>> a = tf.constant([[1., 2.], [3., 4.]])
        >>> b = tf.constant([[1.], [1.]])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.matmul(a, b)))
        ...     print(sess.run(tf.matmul(a, a, transpose_b=True)))
        [[3.]
         [7.]]
        [[ 5. 11.]
         [11. 25.]]
    """
    if isinstance(a, Tensor) or not isinstance(b, Tensor):
        a = convert_to_tensor(a)
        b = convert_to_tensor(b, dtype_hint=a.dtype)
    else:
        b = convert_to_tensor(b)
        a = convert_to_tensor(a, dtype_hint=b.dtype)
    ta, tb = bool(transpose_a or adjoint_a), bool(transpose_b or adjoint_b)
    if a.shape.rank == 2 and b.shape.rank == 2:
        return apply_op(MatMul(transpose_a=ta, transpose_b=tb), [a, b], name=name)
    return apply_op(BatchMatMulV2(adj_x=ta, adj_y=tb), [a, b], name=name or "MatMul")


def add_n(inputs, name: str | None = None) -> Tensor:
    """The sum of a list of same-shaped tensors; one input is returned as is (TF1).

    Args:
        inputs: A non-empty list of tensors of one shape and dtype.
        name: A name for the op.

    Returns:
        A Tensor: their elementwise sum.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.add_n([[1, 2], [10, 20], [100, 200]])))
        [111 222]
    """
    if isinstance(inputs, Tensor) or not isinstance(inputs, (list, tuple)) or not inputs:
        raise ValueError("add_n: inputs must be a non-empty list of tensors of one shape and "
                         "dtype")
    hint = next((t.dtype for t in inputs if isinstance(t, Tensor)), None)
    tensors = [convert_to_tensor(t, dtype_hint=hint) for t in inputs]
    if len(tensors) == 1 and name is None:
        return tensors[0]
    return apply_op(AddN(), tensors, name=name)


def tensordot(a, b, axes, name: str | None = None) -> Tensor:
    """Contract `axes` of `a` with `axes` of `b` (an int N: a's last N with b's first N).

    Built from transpose, reshape and a 2-D `MatMul`, as TF1 does; needs the free and contracted
    dims of both operands to be statically known.

    Args:
        a: A tensor of known shape.
        b: A tensor of a's dtype and known shape.
        axes: An int N, or a pair of lists `[a_axes, b_axes]` to contract.
        name: A name for the op (default "Tensordot").

    Returns:
        A Tensor with a's free dims followed by b's.

    Examples:
        >>> a = tf.ones([2, 3])
        >>> b = tf.ones([3, 4])
        >>> print(tf.tensordot(a, b, axes=1).shape)
        (2, 4)
    """
    a = convert_to_tensor(a)
    b = convert_to_tensor(b, dtype_hint=a.dtype)
    if a.shape.rank is None or b.shape.rank is None:
        raise ValueError(f"tensordot needs operands of known rank, got {a.describe()} and "
                         f"{b.describe()}")
    ra, rb = a.shape.rank, b.shape.rank
    if isinstance(axes, int):
        if axes < 0 or axes > min(ra, rb):
            raise ValueError(f"tensordot: axes={axes} must be in [0, {min(ra, rb)}]")
        a_axes, b_axes = list(range(ra - axes, ra)), list(range(axes))
    else:
        a_axes, b_axes = ([x] if isinstance(x, int) else list(x) for x in axes)
    a_axes = [x % ra for x in a_axes]
    b_axes = [x % rb for x in b_axes]
    if len(a_axes) != len(b_axes):
        raise ValueError(f"tensordot: {len(a_axes)} axes of a but {len(b_axes)} axes of b")
    for i, j in zip(a_axes, b_axes, strict=True):
        da, db = a.shape[i], b.shape[j]
        if da is not None and db is not None and da != db:
            raise ValueError(f"tensordot: dimension {i} of a {a.shape.bracketed()} is {da} but "
                             f"dimension {j} of b {b.shape.bracketed()} is {db}")
    a_free = [i for i in range(ra) if i not in a_axes]
    b_free = [i for i in range(rb) if i not in b_axes]
    free_dims = [a.shape[i] for i in a_free] + [b.shape[i] for i in b_free]
    if any(d is None for d in free_dims) or any(a.shape[i] is None for i in a_axes):
        raise ValueError("tensordot needs statically known dims; got "
                         f"{a.shape.bracketed()} and {b.shape.bracketed()}")
    k = int(np.prod([a.shape[i] for i in a_axes], dtype=np.int64))
    a2 = reshape(transpose(a, a_free + a_axes), [-1, k])
    b2 = reshape(transpose(b, b_axes + b_free), [k, -1])
    return reshape(matmul(a2, b2), free_dims, name=name or "Tensordot")
