"""Python operators on Tensors (`+ - * / // % ** @`, comparisons, `~ & | ^`, indexing)."""

from __future__ import annotations

from graphflow.core.node import Tensor
from graphflow.ops import elementwise as ew


def _matmul(a, b):
    from graphflow.ops.matmul import matmul

    return matmul(a, b)


def _getitem(t, key):
    from graphflow.ops.indexing import getitem

    return getitem(t, key)


def _binary(fn):
    return lambda self, other: fn(self, other), lambda self, other: fn(other, self)


def _install():
    table = {
        "add": ew.add, "sub": ew.subtract, "mul": ew.multiply, "truediv": ew.divide,
        "floordiv": ew.floordiv, "mod": ew.mod, "pow": ew.pow, "matmul": _matmul,
        "and": ew.logical_and, "or": ew.logical_or, "xor": ew.logical_xor,
    }
    for name, fn in table.items():
        forward, reflected = _binary(fn)
        setattr(Tensor, f"__{name}__", forward)
        setattr(Tensor, f"__r{name}__", reflected)
    Tensor.__neg__ = lambda self: ew.negative(self)
    Tensor.__abs__ = lambda self: ew.abs(self)
    Tensor.__invert__ = lambda self: ew.logical_not(self)
    Tensor.__lt__ = lambda self, other: ew.less(self, other)
    Tensor.__le__ = lambda self, other: ew.less_equal(self, other)
    Tensor.__gt__ = lambda self, other: ew.greater(self, other)
    Tensor.__ge__ = lambda self, other: ew.greater_equal(self, other)
    Tensor.__getitem__ = _getitem


_install()
