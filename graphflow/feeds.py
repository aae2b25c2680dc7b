"""Checking and converting `feed_dict` values against the placeholders they feed."""

from __future__ import annotations

import numpy as np

from graphflow._ext.runloop import shape_matches
from graphflow.core.node import Tensor
from graphflow.errors import InvalidArgumentError
from graphflow.ops.constant import to_numpy

# NumPy kinds that never convert into a numeric or bool tensor without losing meaning:
# complex (the imaginary part), datetimes and timedeltas, Python objects, raw bytes.
_REFUSED_KINDS = {"c": "complex", "M": "datetime64", "m": "timedelta64", "O": "object",
                  "V": "void (raw bytes)"}


def convert_feed(tensor: Tensor, value) -> np.ndarray:
    """Check a fed value against its tensor and convert it to the tensor's dtype."""
    if isinstance(value, Tensor):
        raise TypeError(
            f"The value fed for {tensor.describe()} is itself a graph tensor ({value.name}); "
            "feed NumPy arrays or Python values (run the tensor first to get its value)."
        )
    dtype = tensor.dtype
    if isinstance(value, np.ndarray) and value.dtype == dtype.np:
        arr = value
    else:
        arr = _converted(tensor, value)
    if tensor.shape.dims is not None and not shape_matches(arr.shape, tensor.shape.dims):
        raise InvalidArgumentError(
            f"Cannot feed value of shape {arr.shape} for Tensor '{tensor.name}', which has shape "
            f"'{tensor.shape}' (created at {tensor.op.site})"
        )
    if arr is value:  # the caller's own array: give the run a read-only view, never an alias
        arr = arr.view()
        arr.flags.writeable = False
    return arr


def _converted(tensor: Tensor, value) -> np.ndarray:
    dtype = tensor.dtype
    where = f"Tensor '{tensor.name}' (created at {tensor.op.site})"
    if dtype.is_string:
        source = value
    else:
        try:
            source = np.asarray(value)
        except ValueError as err:  # ragged nested lists
            raise InvalidArgumentError(
                f"Cannot feed a ragged nested sequence for {where}: every row must have the "
                f"same length ({err})") from None
        kind = source.dtype.kind
        if kind in _REFUSED_KINDS:
            raise InvalidArgumentError(
                f"Cannot feed a {_REFUSED_KINDS[kind]} value for {where}, which has dtype "
                f"{dtype.name}: convert it explicitly first (np.real, .astype, ...).")
    try:
        return to_numpy(source, dtype)
    except (TypeError, ValueError) as err:
        got = "string" if isinstance(value, str) else getattr(source, "dtype", type(value))
        raise InvalidArgumentError(
            f"Cannot feed a value of dtype {got} for {where}, which has dtype {dtype.name}: "
            f"{err}") from None
