"""`eye`: identity matrices (optionally batched) of static size, as a constant."""

from __future__ import annotations

import numpy as np

from graphflow.core import dtypes
from graphflow.core.dtypes import as_dtype
from graphflow.core.node import Tensor
from graphflow.ops.constant import constant

__all__ = ["eye"]


def _static_int(value, what: str) -> int:
    if isinstance(value, Tensor) and value.op.type == "Const":
        value = value.op.get_attr("value")
        value = value.item() if np.ndim(value) == 0 else value
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise TypeError(f"eye: {what} must be a non-negative Python int (or a constant), got "
                        f"{value!r}; graphflow builds eye as a constant of known size")
    return int(value)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32,
        name: str | None = None) -> Tensor:
    """A [*batch_shape, num_rows, num_columns] tensor with ones on the diagonal.

    Args:
        num_rows: The number of rows.
        num_columns: The number of columns (default: num_rows).
        batch_shape: Leading dims to repeat the matrix over.
        dtype: The dtype (default float32).
        name: A name for the op.

    Returns:
        A constant Tensor.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.eye(2, 3)))
        [[1. 0. 0.]
         [0. 1. 0.]]
    """
    rows = _static_int(num_rows, "num_rows")
    cols = rows if num_columns is None else _static_int(num_columns, "num_columns")
    batch = [] if batch_shape is None else [_static_int(b, "batch_shape") for b in batch_shape]
    value = np.broadcast_to(np.eye(rows, cols, dtype=as_dtype(dtype).np), (*batch, rows, cols))
    return constant(np.ascontiguousarray(value), dtype=dtype, name=name or "eye")
