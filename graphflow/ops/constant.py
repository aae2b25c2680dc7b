"""Constants and the conversion of Python values (scalars, nested lists, arrays) into tensors."""

from __future__ import annotations

import numpy as np

from graphflow.core import dtypes
from graphflow.core.dtypes import DType, as_dtype
from graphflow.core.graph import get_default_graph
from graphflow.core.node import Tensor
from graphflow.core.shape import shape_argument
from graphflow.errors import DTypeError
from graphflow.ops.registry import NoExamples, Op, apply_op, get_op, register, spec


@register("Const")
class Const(Op):
    """A fixed value stored in the graph; read-only so a fetch can never alter it."""

    attrs = {"value": None, "dtype": None}
    examples = NoExamples("no inputs; tested by tests/ops/test_constant.py")

    def infer(self):
        return spec(self.dtype, self.value.shape)

    def compute(self):
        return self.value

    def gradient(self, node, dy):
        return []


def _python_dtype(value) -> DType:
    """TF1's choice for a Python value: int -> int32 (int64 if large), float -> float32."""
    arr = np.asarray(value)
    if arr.dtype.kind in "OSU":
        return dtypes.string
    if arr.dtype.kind == "b":
        return dtypes.bool_
    if arr.dtype.kind in "iu":
        if arr.size and (arr.max() > np.iinfo(np.int32).max or arr.min() < np.iinfo(np.int32).min):
            return dtypes.int64
        return dtypes.int32
    if arr.dtype.kind == "f":
        return dtypes.float32
    raise TypeError(f"Cannot make a tensor from {value!r} (NumPy dtype {arr.dtype})")


def to_numpy(value, dtype: DType | None = None) -> np.ndarray:
    """A NumPy array of `value` in `dtype` (TF1's choice when None); refuses lossy conversions."""
    if isinstance(value, Tensor):
        raise TypeError(f"{value.describe()} is a graph tensor, not a value")
    if dtype is None:
        dtype = as_dtype(value.dtype) if isinstance(value, (np.ndarray, np.generic)) \
            else _python_dtype(value)
    if dtype.is_string:
        return _string_array(value)
    src = np.asarray(value)
    if src.dtype.kind in "OSU":
        raise DTypeError(f"Cannot convert {_short(value)} (a string) to {dtype.name}")
    out = src.astype(dtype.np, copy=False)
    if src.dtype.kind in "fc" and dtype.is_integer:
        raise DTypeError(f"Expected {dtype.name}, got {_short(value)}, a floating-point value; "
                         f"use an integer, or cast the other operand to a float type")
    if src.dtype.kind == "b" and not dtype.is_bool:
        raise DTypeError(f"Expected {dtype.name}, got boolean {_short(value)}; use cast()")
    if dtype.is_bool and src.dtype.kind != "b":
        raise DTypeError(f"Expected bool, got {_short(value)} of dtype {src.dtype}")
    if dtype.is_integer and src.dtype.kind in "iu" and src.size and \
            (src.max() > np.iinfo(dtype.np).max or src.min() < np.iinfo(dtype.np).min):
        raise DTypeError(f"{_short(value)} does not fit in {dtype.name}")
    return out


def _string_array(value) -> np.ndarray:
    def enc(v):
        if isinstance(v, str):
            return v.encode("utf-8")
        if isinstance(v, (bytes, np.bytes_)):
            return bytes(v)
        raise DTypeError(f"Expected a string (str or bytes), got {_short(v)} of type "
                         f"{type(v).__name__}")

    arr = np.asarray(value, dtype=object)
    if arr.ndim == 0:
        out = np.empty((), dtype=object)
        out[()] = enc(arr[()])
        return out
    return np.vectorize(enc, otypes=[object])(arr)


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def constant(value, dtype=None, shape=None, name: str = "Const",
             verify_shape: bool = False) -> Tensor:
    """A constant tensor: `constant(0., shape=[2, 3])` fills, a list of the right size reshapes.

    Args:
        value: A Python number, bool, string, nested list or NumPy array.
        dtype: The dtype; by default the value's (Python floats are float32 and ints int32, as
            in TF1).
        shape: The tensor's shape: a scalar value fills it, a value with as many elements is
            reshaped to it.
        name: A name for the op.
        verify_shape: Require the value to have `shape` exactly (TF1's option).

    Returns:
        A Tensor holding the value.

    Examples:
        >>> c = tf.constant([[1, 2], [3, 4]])
        >>> print(c.dtype, c.shape)
        int32 (2, 2)
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.constant(0.5, shape=[2, 3])))
        [[0.5 0.5 0.5]
         [0.5 0.5 0.5]]
    """
    dt = as_dtype(dtype) if dtype is not None else None
    arr = to_numpy(value, dt)
    if shape is not None:
        target = tuple(shape_argument(shape, "constant").as_list())
        if verify_shape and arr.shape != target:
            raise TypeError(f"constant: Expected Tensor's shape: {target}, but got "
                            f"{arr.shape} (verify_shape=True)")
        if arr.size == 1:
            arr = np.full(target, arr.reshape(()), dtype=arr.dtype)
        elif arr.size == int(np.prod(target)):
            arr = arr.reshape(target)
        else:
            raise ValueError(f"constant: {arr.size} values cannot fill shape {list(target)}")
    arr = np.array(arr, copy=True)
    arr.flags.writeable = False
    return apply_op(Const(value=arr, dtype=as_dtype(arr.dtype) if dt is None else dt), [],
                    name=name)


def convert_to_tensor(value, dtype=None, name: str | None = None, preferred_dtype=None,
                      dtype_hint=None) -> Tensor:
    """A Tensor as is (its dtype checked), or a Python/NumPy value as a Const.

    `dtype_hint` (TF1's older name: `preferred_dtype`) is the dtype of the other operand: a
    Python scalar adopts it (`f32 * 2`), but never by losing information (`i32 * 2.5` raises).

    Args:
        value: A Tensor, or a value `constant` takes.
        dtype: The dtype the result must have (a Tensor of another dtype raises).
        name: A name for a new Const.
        preferred_dtype: TF1's older name for `dtype_hint`.
        dtype_hint: The dtype a Python scalar or list should take, where it can.

    Returns:
        A Tensor.

    Examples:
        >>> t = tf.convert_to_tensor(2, dtype_hint=tf.float32)
        >>> print(t.dtype)
        float32
    """
    dtype_hint = preferred_dtype if dtype_hint is None else dtype_hint
    if isinstance(value, Tensor):
        if dtype is not None and as_dtype(dtype) is not value.dtype:
            raise DTypeError(
                f"Tensor conversion requested dtype {as_dtype(dtype).name} for Tensor with dtype "
                f"{value.dtype.name}: {value.describe()}. Use graphflow.cast({value.op.name}, "
                f"{as_dtype(dtype).name}) to convert it."
            )
        return value
    if hasattr(value, "_as_graph_tensor"):
        return convert_to_tensor(value._as_graph_tensor(), dtype, name, dtype_hint=dtype_hint)
    if isinstance(value, (list, tuple)) and any(isinstance(v, Tensor) for v in _flat(value)):
        # TF1's auto-pack: a list holding tensors becomes one `Pack`. The op is taken from the
        # registry (joining.py defines it) because joining.py converts its inputs with this module.
        parts = [convert_to_tensor(v, dtype, dtype_hint=dtype_hint) for v in value]
        return apply_op(get_op("Pack")(axis=0), parts, name=name or "packed")
    target = dtype if dtype is not None else dtype_hint
    return constant(value, dtype=target, name=name or "Const")


def convert_operands(x, y, names=(None, None)) -> tuple[Tensor, Tensor]:
    """Both operands of a binary op as tensors; a Python value adopts the tensor operand's dtype
    and becomes a Const named `names[0]` / `names[1]` (TF1's operators name them `x`, `y`)."""
    if isinstance(x, Tensor) or not isinstance(y, Tensor):
        x = convert_to_tensor(x, name=names[0])
        return x, convert_to_tensor(y, dtype_hint=x.dtype, name=names[1])
    y = convert_to_tensor(y, name=names[1])
    return convert_to_tensor(x, dtype_hint=y.dtype, name=names[0]), y


def apply_binary(op, x, y, name=None, names=("x", "y")):
    """`op` over x and y as TF1's generated functions build it: a Python operand becomes a Const
    inside the op's own scope, named after its argument (`tf.add(a, 2.0)` reads `Add/y`)."""
    if isinstance(x, Tensor) and isinstance(y, Tensor):
        return apply_op(op, [x, y], name=name)
    graph = x.graph if isinstance(x, Tensor) else \
        y.graph if isinstance(y, Tensor) else get_default_graph()
    with graph.name_scope(name or op.type) as full:
        return apply_op(op, list(convert_operands(x, y, names)), name=full)


def _flat(value):
    for v in value:
        if isinstance(v, (list, tuple)):
            yield from _flat(v)
        else:
            yield v
