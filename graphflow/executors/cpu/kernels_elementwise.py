"""Elementwise kernels: NumPy ufuncs writing straight into the planned output buffer."""

from __future__ import annotations

import numpy as np

from graphflow.executors.cpu.registry import Kernel, cpu_kernel

UNARY_UFUNCS = {
    "Neg": np.negative, "Abs": np.absolute, "Sign": np.sign, "Exp": np.exp, "Log": np.log,
    "Log1p": np.log1p, "Sqrt": np.sqrt, "Square": np.square, "Floor": np.floor,
    "Ceil": np.ceil, "Reciprocal": np.reciprocal, "Tanh": np.tanh,
    "LogicalNot": np.logical_not,
    "Sin": np.sin, "Cos": np.cos, "Tan": np.tan, "Asin": np.arcsin, "Acos": np.arccos,
    "Atan": np.arctan, "Sinh": np.sinh, "Cosh": np.cosh,
}
BINARY_UFUNCS = {
    "Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "RealDiv": np.true_divide,
    "Maximum": np.maximum, "Minimum": np.minimum, "Equal": np.equal, "NotEqual": np.not_equal,
    "Less": np.less, "LessEqual": np.less_equal, "Greater": np.greater,
    "GreaterEqual": np.greater_equal, "LogicalAnd": np.logical_and, "LogicalOr": np.logical_or,
    "LogicalXor": np.logical_xor,
}


def _ufunc_kernel(ufunc):
    def run(out, *args):
        if out is None:
            return np.asarray(ufunc(*args))
        return ufunc(*args, out=out)

    return Kernel(run)


@cpu_kernel(*UNARY_UFUNCS, in_place=True)
def _unary(node):
    return _ufunc_kernel(UNARY_UFUNCS[node.type])


@cpu_kernel(*BINARY_UFUNCS, in_place=True)
def _binary(node):
    return _ufunc_kernel(BINARY_UFUNCS[node.type])


@cpu_kernel("Relu", in_place=True)
def _relu(node):
    zero = np.zeros((), dtype=node.outputs[0].dtype.np)

    def relu(out, x):
        return np.maximum(x, zero, out=out) if out is not None else np.maximum(x, zero)

    return Kernel(relu)


@cpu_kernel("Round", in_place=True)
def _round(node):
    if not node.outputs[0].dtype.is_floating:
        return Kernel(lambda x: np.array(x, copy=True), passes_out=False)
    return _ufunc_kernel(np.rint)  # half to even, like TF1


def _result(out, *args):
    """`out`, or a new array of the inputs' broadcast shape and dtype (0-d included)."""
    if out is not None:
        return out
    return np.empty(np.broadcast_shapes(*(np.shape(a) for a in args)), dtype=args[0].dtype)


@cpu_kernel("Rsqrt", in_place=True)
def _rsqrt(node):
    def rsqrt(out, x):
        out = np.sqrt(x, out=_result(out, x))
        return np.divide(1, out, out=out)

    return Kernel(rsqrt)


@cpu_kernel("Sigmoid", in_place=True)
def _sigmoid(node):
    def sigmoid(out, x):
        # 1 / (1 + e^-x) for x >= 0, e^x / (1 + e^x) otherwise: never overflows
        e = np.exp(-np.abs(x))
        numerator = np.where(x >= 0, 1, e)  # read x before `out` (which may be x) is written
        out = np.add(e, 1, out=_result(out, x))
        np.divide(numerator, out, out=out)
        return out

    return Kernel(sigmoid)


@cpu_kernel("SquaredDifference", in_place=True)
def _squared_difference(node):
    def sqdiff(out, x, y):
        out = np.subtract(x, y, out=_result(out, x, y))
        return np.square(out, out=out)

    return Kernel(sqdiff)


@cpu_kernel("Cast")
def _cast(node):
    dtype = node.outputs[0].dtype.np

    def cast(out, x):
        if out is None:
            return np.asarray(x).astype(dtype)
        np.copyto(out, x, casting="unsafe")
        return out

    return Kernel(cast)


@cpu_kernel("Pow", "FloorDiv", "FloorMod", in_place=True)
def _checked_integer_math(node):
    """These raise for integer division by zero and negative integer powers, as TF1 does."""
    if node.outputs[0].dtype.is_floating:
        return _ufunc_kernel({"Pow": np.power, "FloorDiv": np.floor_divide,
                              "FloorMod": np.mod}[node.type])
    return Kernel(node.op.compute, passes_out=False)
