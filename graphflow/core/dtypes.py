"""Data types with TF1's names and rules: no silent mixing, true division of ints gives floats."""

from __future__ import annotations

import numpy as np


class DType:
    """A tensor element type: a name, its NumPy dtype and what kind of number it is.

    Use the module's instances (`tf.float32`, `tf.int64`, `tf.bool`, ...) or `tf.as_dtype`;
    each dtype is one object, so `x.dtype is tf.float32` works.

    Args:
        name: The name, such as "float32".
        np_dtype: The NumPy dtype that holds its values.
        kind: "float", "int", "uint", "bool" or "string".

    Examples:
        >>> print(tf.float32, repr(tf.float32), tf.float32.as_numpy_dtype)
        float32 graphflow.float32 <class 'numpy.float32'>
        >>> print(tf.constant([1, 2]).dtype is tf.int32)
        True
    """

    __slots__ = ("name", "np", "kind")

    def __init__(self, name: str, np_dtype, kind: str):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.kind = kind  # "float", "int", "uint", "bool", "string"

    @property
    def as_numpy_dtype(self):
        """The NumPy scalar type of its values (`numpy.float32` for float32)."""
        return self.np.type

    @property
    def is_floating(self) -> bool:
        """Whether it is float16, float32 or float64."""
        return self.kind == "float"

    @property
    def is_integer(self) -> bool:
        """Whether it is a signed or unsigned integer type."""
        return self.kind in ("int", "uint")

    @property
    def is_bool(self) -> bool:
        """Whether it is bool."""
        return self.kind == "bool"

    @property
    def is_string(self) -> bool:
        """Whether it is string."""
        return self.kind == "string"

    @property
    def is_numeric(self) -> bool:
        """Whether it is a floating or integer type (not bool or string)."""
        return self.kind in ("float", "int", "uint")

    @property
    def tf_name(self) -> str:
        """The short name TF1 uses in feed errors ('float' for float32)."""
        return {"float32": "float", "float64": "double"}.get(self.name, self.name)

    def __repr__(self) -> str:
        return f"graphflow.{self.name}"

    def __str__(self) -> str:
        return self.name

    def __reduce__(self):
        return (as_dtype, (self.name,))


float16 = DType("float16", np.float16, "float")
float32 = DType("float32", np.float32, "float")
float64 = DType("float64", np.float64, "float")
int8 = DType("int8", np.int8, "int")
int16 = DType("int16", np.int16, "int")
int32 = DType("int32", np.int32, "int")
int64 = DType("int64", np.int64, "int")
uint8 = DType("uint8", np.uint8, "uint")
bool_ = DType("bool", np.bool_, "bool")
string = DType("string", object, "string")

ALL = (float16, float32, float64, int8, int16, int32, int64, uint8, bool_, string)
FLOATS = (float16, float32, float64)
INTEGERS = (int8, int16, int32, int64, uint8)
NUMERIC = FLOATS + INTEGERS

_BY_NAME = {d.name: d for d in ALL}
_BY_NAME.update({"float": float32, "double": float64, "half": float16, "bool_": bool_,
                 "str": string, "bytes": string, "object": string})
_BY_NP = {d.np: d for d in ALL if d is not string}


def as_dtype(type_value) -> DType:
    """Turn a DType, name ('float', 'float32'), NumPy dtype or Python type into a DType.

    Args:
        type_value: A DType, a name ("float32", or TF1's "float" and "double"), a NumPy dtype
            or a Python type (float is float32, int is int32, as in TF1).

    Returns:
        The DType; an unknown name raises a TypeError.

    Examples:
        >>> print(tf.as_dtype("float"), tf.as_dtype(np.int64), tf.as_dtype(bool))
        float32 int64 bool
    """
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        if type_value in _BY_NAME:
            return _BY_NAME[type_value]
        raise TypeError(f"Unknown dtype name {type_value!r}; expected one of {sorted(_BY_NAME)}")
    if type_value is float:
        return float32
    if type_value is int:
        return int32
    if type_value is bool:
        return bool_
    if type_value in (str, bytes):
        return string
    try:
        npd = np.dtype(type_value)
    except TypeError:
        raise TypeError(f"Cannot interpret {type_value!r} as a graphflow dtype") from None
    if npd.kind in "OSU":
        return string
    if npd in _BY_NP:
        return _BY_NP[npd]
    raise TypeError(f"NumPy dtype {npd} has no graphflow equivalent")


def true_division_dtype(dtype: DType) -> DType:
    """TF1's `truediv`: small ints divide in float32, int32/int64 in float64, floats keep theirs."""
    if dtype.is_floating:
        return dtype
    if dtype in (int8, int16, uint8):
        return float32
    if dtype in (int32, int64):
        return float64
    raise TypeError(f"true division is not defined for {dtype.name}")
