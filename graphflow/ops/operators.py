"""Python operators on Tensors (`+ - * / // % ** @`, comparisons, `~ & | ^`, indexing).

Each binary operator builds its op as TF1's does: inside a name scope named after the operator
(`add`, `sub`, `mul`, `truediv`, `floordiv`, `mod`, `pow`, `matmul`, `and`, `or`, `xor`; the
comparisons use their op's type, `Less` ...), the op named exactly as the scope and a Python
operand converted there as `y` (`x` for the reflected form `2.0 + a`; `b` for `m @ [[1.]]`). So
`tf.constant(1.0) + 2.0` is the op `add` reading the Const `add/y`, as in TF1, while `tf.add`
keeps the name `Add`. Unary operators and indexing keep their ops' names (`Neg`, `Abs`,
`LogicalNot`, `strided_slice`), which are TF1's too.
"""

from __future__ import annotations

from graphflow.core.node import Tensor
from graphflow.ops import elementwise as ew
from graphflow.ops.constant import convert_operands


def _matmul(a, b, name=None):
    from graphflow.ops.matmul import matmul

    return matmul(a, b, name=name)


def _getitem(t, key):
    from graphflow.ops.indexing import getitem

    return getitem(t, key)


def _scoped(scope, fn, names=("x", "y")):
    """fn(x, y) built in the name scope `scope`, its op named as the scope (TF1's operators)."""
    def build(x, y, graph):
        with graph.name_scope(scope) as full:
            x, y = convert_operands(x, y, names)
            return fn(x, y, name=full)  # a name ending in "/" names the op exactly

    def forward(self, other):
        return build(self, other, self.graph)

    def reflected(self, other):
        return build(other, self, self.graph)

    return forward, reflected


# operator -> (TF1's scope name, the function it builds, the operand names)
_BINARY = {
    "add": ("add", ew.add), "sub": ("sub", ew.subtract), "mul": ("mul", ew.multiply),
    "truediv": ("truediv", ew.divide), "floordiv": ("floordiv", ew.floordiv),
    "mod": ("mod", ew.mod), "pow": ("pow", ew.pow), "matmul": ("matmul", _matmul),
    "and": ("and", ew.logical_and), "or": ("or", ew.logical_or),
    "xor": ("xor", ew.logical_xor),
}
_COMPARISONS = {"lt": ("Less", ew.less), "le": ("LessEqual", ew.less_equal),
                "gt": ("Greater", ew.greater), "ge": ("GreaterEqual", ew.greater_equal)}


def _install():
    for name, (scope, fn) in _BINARY.items():
        names = ("x", "b") if name == "matmul" else ("x", "y")  # TF1: `m @ [[1.]]` reads matmul/b
        forward, reflected = _scoped(scope, fn, names)
        setattr(Tensor, f"__{name}__", forward)
        setattr(Tensor, f"__r{name}__", reflected)
    for name, (scope, fn) in _COMPARISONS.items():
        setattr(Tensor, f"__{name}__", _scoped(scope, fn)[0])  # `2 < a` is `a > 2` (Python)
    Tensor.__neg__ = lambda self: ew.negative(self)
    Tensor.__abs__ = lambda self: ew.abs(self)
    Tensor.__invert__ = lambda self: ew.logical_not(self)
    Tensor.__getitem__ = _getitem


_install()
