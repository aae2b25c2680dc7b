"""Op attribute values as plain JSON, and back, checking every value read from a file.

Arrays are base64 of raw little-endian bytes (numeric and bool dtypes only), strings base64;
dtypes, shapes, tensors (by name), slices, tuples and dicts are one-key objects. Decoding accepts
exactly these forms, a bounded depth and 64-bit integers, so a hostile file gives an AttrError
saying what is wrong, never a raw exception or executed code.
"""

from __future__ import annotations

import base64
import binascii

import numpy as np

from graphflow.core.dtypes import DType, as_dtype
from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape

MAX_DEPTH = 32
ARRAY_DTYPES = frozenset({"bool", "int8", "int16", "int32", "int64", "uint8", "uint16",
                          "uint32", "uint64", "float16", "float32", "float64"})
_INT_RANGE = (-(1 << 63), 1 << 64)


class AttrError(ValueError):
    """An attribute value in a graph file that is not a valid encoding."""


def encode_attr(value, where: str):
    """The JSON form of one attribute value; `where` names it in the error for an unknown type."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, DType):
        return {"dtype": value.name}
    if isinstance(value, TensorShape):
        return {"shape": None if value.dims is None else list(value.dims)}
    if isinstance(value, Tensor):
        return {"tensor": value.name}
    if isinstance(value, slice):
        return {"slice": [value.start, value.stop, value.step]}
    if value is Ellipsis:
        return {"ellipsis": True}
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            flat = [base64.b64encode(v if isinstance(v, bytes) else str(v).encode()).decode()
                    for v in value.ravel()]
            return {"strings": flat, "shape": list(value.shape)}
        data = np.ascontiguousarray(value, dtype=value.dtype.newbyteorder("<"))
        return {"array": base64.b64encode(data.tobytes()).decode(), "dtype": value.dtype.name,
                "shape": list(value.shape)}
    if isinstance(value, tuple):
        return {"tuple": [encode_attr(v, where) for v in value]}
    if isinstance(value, list):
        return [encode_attr(v, where) for v in value]
    if isinstance(value, dict):
        return {"dict": {str(k): encode_attr(v, where) for k, v in value.items()}}
    if callable(value):
        raise TypeError(f"Cannot serialise attribute {where}: it is the Python function "
                        f"{getattr(value, '__qualname__', value)!r} (a py_func / py_function "
                        "op), which a graph file cannot hold; save without the graph "
                        "(Saver.save(..., write_meta_graph=False)) or build the graph without it")
    raise TypeError(f"Cannot serialise attribute {where} of type {type(value).__name__}")


def _int(value, what: str, minimum=_INT_RANGE[0]) -> int | None:
    if value is None:
        return None
    if type(value) is not int or not minimum <= value < _INT_RANGE[1]:
        raise AttrError(f"{what} must be an integer in [{minimum}, 2**64), got {value!r:.60}")
    return value


def _dims(value, what: str) -> list:
    if not isinstance(value, list) or len(value) > 64:
        raise AttrError(f"{what} must be a list of at most 64 dimensions, got {value!r:.60}")
    return [_int(d, f"a dimension of {what}", minimum=0) for d in value]


def _base64(text, what: str) -> bytes:
    if not isinstance(text, str):
        raise AttrError(f"{what} must be a base64 string, got {type(text).__name__}")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error) as err:
        raise AttrError(f"{what} is not valid base64 ({err})") from None


def _count(dims: list) -> int:
    n = 1
    for d in dims:
        n *= d
    return n


def _array(value: dict) -> np.ndarray:
    name = value["dtype"]
    if not isinstance(name, str) or name not in ARRAY_DTYPES:
        raise AttrError(f"array dtype {name!r:.40} is not one of {sorted(ARRAY_DTYPES)}")
    dtype, dims = np.dtype(name), _dims(value["shape"], "an array's shape")
    if None in dims:
        raise AttrError("an array's shape must be fully known")
    raw = _base64(value["array"], "array data")
    if len(raw) != _count(dims) * dtype.itemsize:
        raise AttrError(f"array data has {len(raw)} bytes; a {name} array of shape {dims} has "
                        f"{_count(dims) * dtype.itemsize}")
    arr = np.frombuffer(raw, dtype=dtype.newbyteorder("<")).astype(dtype).reshape(dims)
    arr.flags.writeable = False
    return arr


def _strings(value: dict) -> np.ndarray:
    items, dims = value["strings"], _dims(value["shape"], "a string array's shape")
    if not isinstance(items, list) or None in dims or len(items) != _count(dims):
        raise AttrError(f"a string array of shape {dims} needs that many base64 strings")
    out = np.empty(len(items), dtype=object)
    out[:] = [_base64(v, "a string") for v in items]
    return out.reshape(dims)


def decode_attr(value, resolve, depth: int = 0):
    """The attribute value encoded by `value`; `resolve(name)` gives the tensor of a name."""
    if depth > MAX_DEPTH:
        raise AttrError(f"attribute value nested deeper than {MAX_DEPTH} levels")
    if value is None or isinstance(value, (bool, str, float)):
        return value
    if isinstance(value, int):
        return _int(value, "an integer attribute")
    if isinstance(value, list):
        return [decode_attr(v, resolve, depth + 1) for v in value]
    if not isinstance(value, dict):
        raise AttrError(f"unexpected JSON value of type {type(value).__name__}")
    keys = frozenset(value)
    if keys == {"dtype"}:
        if not isinstance(value["dtype"], str):
            raise AttrError(f"a dtype must be a name, got {value['dtype']!r:.40}")
        try:
            return as_dtype(value["dtype"])
        except (TypeError, ValueError, KeyError) as err:
            raise AttrError(f"unknown dtype {value['dtype']!r:.40} ({err})") from None
    if keys == {"shape"}:
        dims = value["shape"]
        return TensorShape(None if dims is None else _dims(dims, "a shape"))
    if keys == {"tensor"}:
        if not isinstance(value["tensor"], str):
            raise AttrError(f"a tensor reference must be a name, got {value['tensor']!r:.40}")
        return resolve(value["tensor"])
    if keys == {"slice"}:
        parts = value["slice"]
        if not isinstance(parts, list) or len(parts) != 3:
            raise AttrError(f"a slice must be [start, stop, step], got {parts!r:.60}")
        start, stop, step = (_int(p, "a slice bound") for p in parts)
        if step == 0:
            raise AttrError("a slice step cannot be zero")
        return slice(start, stop, step)
    if keys == {"ellipsis"}:
        if value["ellipsis"] is not True:
            raise AttrError("an ellipsis is encoded as {\"ellipsis\": true}")
        return Ellipsis
    if keys == {"strings", "shape"}:
        return _strings(value)
    if keys == {"array", "dtype", "shape"}:
        return _array(value)
    if keys == {"tuple"} and isinstance(value["tuple"], list):
        return tuple(decode_attr(v, resolve, depth + 1) for v in value["tuple"])
    if keys == {"dict"} and isinstance(value["dict"], dict):
        return {k: decode_attr(v, resolve, depth + 1) for k, v in value["dict"].items()}
    raise AttrError(f"unrecognised attribute encoding with keys {sorted(keys)!r:.80}")
