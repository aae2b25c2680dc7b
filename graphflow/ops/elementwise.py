"""Elementwise math: unary functions and broadcasting binary operators, with TF1's dtype rules.

Each op is one entry: its allowed dtypes, NumPy reference and gradient side by side. Binary ops
never mix dtypes (int32 + float32 raises, naming `cast`), and broadcast NumPy-style.
"""

from __future__ import annotations

import math
import types

import numpy as np

from graphflow.core import dtypes
from graphflow.core.graph import get_default_graph
from graphflow.core.shape import broadcast_shapes
from graphflow.errors import dtype_rule, shape_rule
from graphflow.ops.broadcast_grad import unbroadcast
from graphflow.ops.cast import cast
from graphflow.ops.constant import apply_binary, convert_operands, convert_to_tensor
from graphflow.ops.naming import name_public_functions
from graphflow.ops.registry import Op, apply_op, register, spec

FLOAT = "float"
NUMERIC = "numeric"
SIGNED = "signed"  # numeric but not unsigned
BOOL = "bool"
ANY = "any"


def _check_dtype(dtype, allowed: str, what: str):
    ok = {
        FLOAT: dtype.is_floating,
        NUMERIC: dtype.is_numeric,
        SIGNED: dtype.is_floating or dtype.kind == "int",
        BOOL: dtype.is_bool,
        ANY: not dtype.is_string,
    }[allowed]
    if not ok:
        need = {FLOAT: "a floating-point dtype (float16/32/64)", NUMERIC: "a numeric dtype",
                SIGNED: "a signed numeric dtype", BOOL: "bool", ANY: "a non-string dtype"}[allowed]
        raise dtype_rule(f"{what} has dtype {dtype.name}, but this op needs {need}")


class UnaryOp(Op):
    """y = f(x), same shape; subclasses set `allowed`, `fn` and `grad`."""

    input_names = ("x",)
    elementwise = True
    allowed = FLOAT
    out_dtype = None  # None: same as input

    def infer(self, x):
        _check_dtype(x.dtype, self.allowed, "x")
        return spec(self.out_dtype or x.dtype, x.shape)

    def compute(self, x):
        return np.asarray(type(self).fn(x), dtype=x.dtype if self.out_dtype is None
                          else self.out_dtype.np)

    def gradient(self, node, dy):
        grad = type(self).grad
        if grad is None:
            return [None]
        return [grad(node.inputs[0], node.outputs[0], dy)]

    grad = None


class BinaryOp(Op):
    """z = f(x, y) with NumPy broadcasting; both operands share one dtype."""

    input_names = ("x", "y")
    elementwise = True
    allowed = NUMERIC
    out_dtype = None

    def infer(self, x, y):
        if x.dtype is not y.dtype:
            raise dtype_rule(
                f"x is {x.dtype.name} and y is {y.dtype.name}; both operands must have the same "
                f"dtype (TF1 rule: no implicit {x.dtype.name}/{y.dtype.name} promotion)"
            )
        _check_dtype(x.dtype, self.allowed, "x")
        try:
            shape = broadcast_shapes(x.shape, y.shape)
        except ValueError as err:
            raise shape_rule(f"shapes {x.shape} and {y.shape} do not broadcast: {err}") from None
        return spec(self.out_dtype or x.dtype, shape)

    def compute(self, x, y):
        return np.asarray(type(self).fn(x, y),
                          dtype=self.out_dtype.np if self.out_dtype else x.dtype)

    def gradient(self, node, dz):
        grad = type(self).grad
        if grad is None:
            return [None, None]
        x, y = node.inputs
        gx, gy = grad(x, y, node.outputs[0], dz)
        return [unbroadcast(gx, x) if gx is not None else None,
                unbroadcast(gy, y) if gy is not None else None]


def _unary(name, fn, allowed=FLOAT, grad=None, example=None, out_dtype=None, doc="",
           scalar=None, cost=1):
    cls = type(name, (UnaryOp,), {"__module__": __name__, "not_differentiable": grad is None,
        "scalar": scalar, "scalar_cost": cost,
        "fn": staticmethod(fn), "grad": staticmethod(grad) if grad else None,
        "allowed": allowed, "out_dtype": out_dtype, "__doc__": doc or f"Elementwise {name}.",
        "examples": staticmethod(example or (lambda s: s.unary_example(allowed))),
    })
    return register(name)(cls)


def _binary(name, fn, allowed=NUMERIC, grad=None, example=None, out_dtype=None, doc="",
            scalar=None, cost=1):
    cls = type(name, (BinaryOp,), {"__module__": __name__, "not_differentiable": grad is None,
        "scalar": scalar, "scalar_cost": cost,
        "fn": staticmethod(fn), "grad": staticmethod(grad) if grad else None,
        "allowed": allowed, "out_dtype": out_dtype, "__doc__": doc or f"Elementwise {name}.",
        "examples": staticmethod(example or (lambda s: s.binary_example(allowed))),
    })
    return register(name)(cls)


# --- numerically careful references ------------------------------------------------------------
def _sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _int_checked(fn):
    def checked(x, y):
        if x.dtype.kind in "iu" and np.any(y == 0):
            raise ZeroDivisionError("integer division by zero")
        return fn(x, y)

    return checked


def _pow(x, y):
    if x.dtype.kind in "iu" and np.any(y < 0):
        raise ValueError("integers to negative integer powers are not allowed")
    return np.power(x, y)


def _erf(x):
    return np.vectorize(math.erf, otypes=[np.float64])(x).astype(x.dtype)


def _truncate_div(x, y):
    if x.dtype.kind in "iu":
        return (x - np.fmod(x, y)) // y  # exact: x - fmod(x, y) is a multiple of y
    return np.trunc(x / y)


# --- unary ops ------------------------------------------------------------------------------------
Neg = _unary("Neg", np.negative, SIGNED, lambda x, y, dy: -dy, scalar="-x")
Abs = _unary("Abs", np.abs, SIGNED, lambda x, y, dy: dy * sign(x),
             lambda s: s.unary_example(SIGNED, away_from=0.0), scalar="M_FABS(x)")
Sign = _unary("Sign", np.sign, SIGNED,
              scalar="x > (T)0 ? (T)1 : (x < (T)0 ? (T)-1 : x)")  # NaN stays NaN
Exp = _unary("Exp", np.exp, FLOAT, lambda x, y, dy: dy * y, scalar="M_EXP(x)", cost=8)
Log = _unary("Log", np.log, FLOAT, lambda x, y, dy: dy / x,
             lambda s: s.unary_example(FLOAT, lo=0.1, hi=10.0), scalar="M_LOG(x)", cost=8)
Log1p = _unary("Log1p", np.log1p, FLOAT, lambda x, y, dy: dy / (x + 1),
               lambda s: s.unary_example(FLOAT, lo=-0.9, hi=10.0), scalar="M_LOG1P(x)", cost=8)
Sqrt = _unary("Sqrt", np.sqrt, FLOAT, lambda x, y, dy: dy * 0.5 / y,
              lambda s: s.unary_example(FLOAT, lo=0.1, hi=10.0), scalar="M_SQRT(x)", cost=2)
Rsqrt = _unary("Rsqrt", lambda x: 1 / np.sqrt(x), FLOAT, lambda x, y, dy: dy * -0.5 * y * y * y,
               lambda s: s.unary_example(FLOAT, lo=0.1, hi=10.0), scalar="(T)1 / M_SQRT(x)",
               cost=2)
Reciprocal = _unary("Reciprocal", np.reciprocal, FLOAT, lambda x, y, dy: -dy * y * y,
                    lambda s: s.unary_example(FLOAT, away_from=0.0, lo=-5, hi=5, margin=0.1),
                    scalar="(T)1 / x", cost=2)
Square = _unary("Square", np.square, NUMERIC, lambda x, y, dy: dy * 2 * x, scalar="x * x")
Sigmoid = _unary("Sigmoid", _sigmoid, FLOAT, lambda x, y, dy: dy * y * (1 - y),
                 scalar="M_SIGMOID(x)", cost=8)
Tanh = _unary("Tanh", np.tanh, FLOAT, lambda x, y, dy: dy * (1 - y * y), scalar="M_TANH(x)",
              cost=8)
Relu = _unary("Relu", lambda x: np.maximum(x, 0), NUMERIC,
              lambda x, y, dy: dy * cast(greater(x, 0), dy.dtype),
              lambda s: s.unary_example(NUMERIC, away_from=0.0),
              doc="max(x, 0); its gradient at 0 is 0, as in TF1.",
              scalar="x < (T)0 ? (T)0 : x")  # NaN stays NaN, as np.maximum(x, 0)
Floor = _unary("Floor", np.floor, FLOAT, scalar="M_FLOOR(x)")
Ceil = _unary("Ceil", np.ceil, FLOAT, scalar="M_CEIL(x)")
Round = _unary("Round", np.round, NUMERIC, doc="Round half to even, as TF1 and NumPy do.",
               scalar="M_RINT(x)")  # half to even in the default rounding mode
# Trigonometric and special functions: the fused evaluator has no macros for them (scalar None).
Sin = _unary("Sin", np.sin, FLOAT, lambda x, y, dy: dy * cos(x))
Cos = _unary("Cos", np.cos, FLOAT, lambda x, y, dy: -dy * sin(x))
Tan = _unary("Tan", np.tan, FLOAT, lambda x, y, dy: dy * (1 + y * y),
             lambda s: s.unary_example(FLOAT, lo=-1.2, hi=1.2))
Asin = _unary("Asin", np.arcsin, FLOAT, lambda x, y, dy: dy * rsqrt(1 - x * x),
              lambda s: s.unary_example(FLOAT, lo=-0.9, hi=0.9))
Acos = _unary("Acos", np.arccos, FLOAT, lambda x, y, dy: -dy * rsqrt(1 - x * x),
              lambda s: s.unary_example(FLOAT, lo=-0.9, hi=0.9))
Atan = _unary("Atan", np.arctan, FLOAT, lambda x, y, dy: dy / (1 + x * x))
Sinh = _unary("Sinh", np.sinh, FLOAT, lambda x, y, dy: dy * cosh(x))
Cosh = _unary("Cosh", np.cosh, FLOAT, lambda x, y, dy: dy * sinh(x))
Erf = _unary("Erf", _erf, FLOAT, lambda x, y, dy: dy * (2 / np.sqrt(np.pi)) * exp(-x * x),
             doc="The error function 2/sqrt(pi) * integral of exp(-t**2) from 0 to x.")

# --- binary ops -----------------------------------------------------------------------------------
Add = _binary("Add", np.add, NUMERIC, lambda x, y, z, dz: (dz, dz), scalar="x + y")
Sub = _binary("Sub", np.subtract, NUMERIC, lambda x, y, z, dz: (dz, -dz), scalar="x - y")
Mul = _binary("Mul", np.multiply, NUMERIC, lambda x, y, z, dz: (dz * y, dz * x), scalar="x * y")
RealDiv = _binary("RealDiv", np.true_divide, FLOAT,
                  lambda x, y, z, dz: (dz / y, -dz * x / (y * y)),
                  lambda s: s.binary_example(FLOAT, rhs_away_from=0.0),
                  doc="x / y for floating-point tensors (`divide` casts ints first).",
                  scalar="x / y", cost=2)
FloorDiv = _binary("FloorDiv", _int_checked(np.floor_divide), NUMERIC,
                   example=lambda s: s.binary_example(NUMERIC, rhs_away_from=0.0))
FloorMod = _binary("FloorMod", _int_checked(np.mod), NUMERIC,
                   example=lambda s: s.binary_example(NUMERIC, rhs_away_from=0.0))
Pow = _binary("Pow", _pow, NUMERIC,
              lambda x, y, z, dz: (dz * y * pow(x, y - 1), dz * z * log(x)),
              lambda s: s.binary_example(NUMERIC, lo=0.5, hi=2.0))
Maximum = _binary("Maximum", np.maximum, NUMERIC,
                  lambda x, y, z, dz: (dz * cast(greater_equal(x, y), dz.dtype),
                                       dz * cast(less(x, y), dz.dtype)),
                  lambda s: s.binary_example(NUMERIC, distinct=True),
                  scalar="(x >= y) | (x != x) ? x : y")  # NaN from either side wins
Minimum = _binary("Minimum", np.minimum, NUMERIC,
                  lambda x, y, z, dz: (dz * cast(less_equal(x, y), dz.dtype),
                                       dz * cast(greater(x, y), dz.dtype)),
                  lambda s: s.binary_example(NUMERIC, distinct=True),
                  scalar="(x <= y) | (x != x) ? x : y")
SquaredDifference = _binary("SquaredDifference", lambda x, y: np.square(x - y), NUMERIC,
                            lambda x, y, z, dz: (dz * 2 * (x - y), dz * -2 * (x - y)),
                            scalar="(x - y) * (x - y)")
TruncateDiv = _binary("TruncateDiv", _int_checked(_truncate_div), NUMERIC,
                      example=lambda s: s.binary_example(NUMERIC, rhs_away_from=0.0),
                      doc="x / y rounded toward zero (C's rule), keeping the dtype.")
TruncateMod = _binary("TruncateMod", _int_checked(np.fmod), NUMERIC,
                      example=lambda s: s.binary_example(NUMERIC, rhs_away_from=0.0),
                      doc="The remainder of truncatediv: it has the sign of x (C's fmod).")

# Identities the compiler may use (x + 0, 0 + x, x - 0, x * 1, 1 * x, x / 1, -(-x)).
Add.unit, Add.unit_sides = 0, (0, 1)
Sub.unit, Sub.unit_sides = 0, (1,)
Mul.unit, Mul.unit_sides = 1, (0, 1)
RealDiv.unit, RealDiv.unit_sides = 1, (1,)
Neg.involution = True

# --- comparisons and logic (no gradient) ------------------------------------------------------
# Bools are held as 0 / 1 of the computing type in scalar expressions.
Equal = _binary("Equal", np.equal, ANY, out_dtype=dtypes.bool_, scalar="x == y ? (T)1 : (T)0")
NotEqual = _binary("NotEqual", np.not_equal, ANY, out_dtype=dtypes.bool_,
                   scalar="x != y ? (T)1 : (T)0")
Less = _binary("Less", np.less, NUMERIC, out_dtype=dtypes.bool_, scalar="x < y ? (T)1 : (T)0")
LessEqual = _binary("LessEqual", np.less_equal, NUMERIC, out_dtype=dtypes.bool_,
                    scalar="x <= y ? (T)1 : (T)0")
Greater = _binary("Greater", np.greater, NUMERIC, out_dtype=dtypes.bool_,
                  scalar="x > y ? (T)1 : (T)0")
GreaterEqual = _binary("GreaterEqual", np.greater_equal, NUMERIC, out_dtype=dtypes.bool_,
                       scalar="x >= y ? (T)1 : (T)0")
LogicalAnd = _binary("LogicalAnd", np.logical_and, BOOL, scalar="x * y")
LogicalOr = _binary("LogicalOr", np.logical_or, BOOL, scalar="x + y - x * y")
LogicalXor = _binary("LogicalXor", np.logical_xor, BOOL)
LogicalNot = _unary("LogicalNot", np.logical_not, BOOL, scalar="(T)1 - x")


# --- public functions ---------------------------------------------------------------------------
# One docstring template per family: Args and Returns come from the op's definition (its dtypes),
# the example's values and printed result from the line that makes the function.
_DTYPES = {FLOAT: "a floating dtype (float16, float32 or float64)",
           NUMERIC: "a numeric dtype", SIGNED: "a signed numeric dtype",
           BOOL: "dtype bool", ANY: "any dtype but string"}


def _doc(cls, summary, operands, example, printed):
    dtype = "dtype bool" if cls.out_dtype is dtypes.bool_ else "the operands' dtype"
    names = " and ".join(operands)
    args = [f"    {n}: A tensor of {_DTYPES[cls.allowed]}, or a value `constant` takes"
            + (" (x and y must share one dtype; they broadcast NumPy-style)." if n == "y"
               else ".") for n in operands]
    shape = "x's shape" if len(operands) == 1 else "the broadcast shape of x and y"
    setup = [f"    >>> {n} = tf.constant({v})" for n, v in zip(operands, example)]
    return "\n".join([
        summary, "", "Args:", *args,
        f"    name: A name for the op (default: its type, `{cls.__name__}`).", "",
        "Returns:", f"    A tensor of {shape} and {dtype}, computed from {names}.", "",
        "Examples:", *setup, "    >>> with tf.Session() as sess:",
        f"    ...     print(sess.run(tf.{{name}}({', '.join(operands)})))",
        f"    {printed}", ""])


def _unary_fn(cls, doc, example=("[-1.5, 0., 0.5, 2.]",), printed=""):
    def fn(x, name=None):
        return apply_op(cls(), [convert_to_tensor(x)], name=name)

    fn.__doc__ = _doc(cls, doc, ("x",), example, printed)
    return fn


def _binary_fn(cls, doc, example=("[7., -7., 2.5]", "[2., 2., -1.]"), printed=""):
    def fn(x, y, name=None):
        return apply_binary(cls(), x, y, name=name)

    fn.__doc__ = _doc(cls, doc, ("x", "y"), example, printed)
    return fn


_POSITIVE = ("[0.25, 0.5, 1., 4.]",)
_UNIT = ("[-1., 0., 0.5, 1.]",)
_INTS = ("[7, -7, 9]", "[2, 2, -4]")
_BOOLS = ("[True, True, False]", "[True, False, False]")

negative = _unary_fn(Neg, "-x elementwise.", printed="[ 1.5 -0.  -0.5 -2. ]")
abs = _unary_fn(Abs, "|x| elementwise.", printed="[1.5 0.  0.5 2. ]")  # noqa: A001
sign = _unary_fn(Sign, "-1, 0 or 1 elementwise.", printed="[-1.  0.  1.  1.]")
exp = _unary_fn(Exp, "e**x elementwise.", printed="[0.2231 1.     1.6487 7.3891]")
log = _unary_fn(Log, "Natural log; log(0) is -inf, not an error.", _POSITIVE,
                "[-1.3863 -0.6931  0.      1.3863]")
log1p = _unary_fn(Log1p, "log(1 + x), accurate for small x.", _POSITIVE,
                  "[0.2231 0.4055 0.6931 1.6094]")
sqrt = _unary_fn(Sqrt, "Square root elementwise.", _POSITIVE, "[0.5    0.7071 1.     2.    ]")
rsqrt = _unary_fn(Rsqrt, "1 / sqrt(x) elementwise.", _POSITIVE, "[2.     1.4142 1.     0.5   ]")
reciprocal = _unary_fn(Reciprocal, "1 / x elementwise.", _POSITIVE, "[4.   2.   1.   0.25]")
square = _unary_fn(Square, "x * x elementwise.", printed="[2.25 0.   0.25 4.  ]")
sigmoid = _unary_fn(Sigmoid, "1 / (1 + e**-x), stable for large |x|.",
                    printed="[0.1824 0.5    0.6225 0.8808]")
tanh = _unary_fn(Tanh, "Hyperbolic tangent elementwise.",
                 printed="[-0.9051  0.      0.4621  0.964 ]")
relu = _unary_fn(Relu, "max(x, 0) elementwise.", printed="[0.  0.  0.5 2. ]")
floor = _unary_fn(Floor, "Largest integer not above x.", printed="[-2.  0.  0.  2.]")
ceil = _unary_fn(Ceil, "Smallest integer not below x.", printed="[-1.  0.  1.  2.]")
round = _unary_fn(Round, "Round half to even (0.5 rounds to 0, 1.5 to 2).",  # noqa: A001
                  ("[-1.5, 0.5, 1.5, 2.]",), "[-2.  0.  2.  2.]")
logical_not = _unary_fn(LogicalNot, "Elementwise NOT of a bool tensor.", _BOOLS[:1],
                        "[False False  True]")

add = _binary_fn(Add, "x + y with broadcasting.", printed="[ 9.  -5.   1.5]")
subtract = _binary_fn(Sub, "x - y with broadcasting.", printed="[ 5.  -9.   3.5]")
multiply = _binary_fn(Mul, "x * y with broadcasting.", printed="[ 14.  -14.   -2.5]")
floor_div = _binary_fn(FloorDiv, "x // y, keeping the dtype (integer division by zero raises).",
                       _INTS, "[ 3 -4 -3]")


def floordiv(x, y, name=None):
    with get_default_graph().name_scope(name or "floordiv") as full:  # TF1 names it `floordiv`
        return floor_div(*convert_operands(x, y, ("x", "y")), name=full)


floordiv.__doc__ = floor_div.__doc__.replace("(default: its type, `FloorDiv`)",
                                              "(default: `floordiv`, TF1's name)")
mod = _binary_fn(FloorMod, "x mod y with the sign of y (Python's rule).", _INTS, "[ 1  1 -3]")
floormod = mod
pow = _binary_fn(Pow, "x ** y elementwise (an integer to a negative power raises).",  # noqa: A001
                 ("[2., 4., 9.]", "[3., 0.5, -1.]"), "[8.     2.     0.1111]")
maximum = _binary_fn(Maximum, "Elementwise max; ties route the gradient to x.",
                     printed="[7.  2.  2.5]")
minimum = _binary_fn(Minimum, "Elementwise min; ties route the gradient to x.",
                     printed="[ 2. -7. -1.]")
squared_difference = _binary_fn(SquaredDifference, "(x - y) ** 2 elementwise.",
                                printed="[25.   81.   12.25]")
equal = _binary_fn(Equal, "x == y elementwise (bool).", ("[1, 2, 3]", "[1, 0, 3]"),
                   "[ True False  True]")
not_equal = _binary_fn(NotEqual, "x != y elementwise (bool).", ("[1, 2, 3]", "[1, 0, 3]"),
                       "[False  True False]")
less = _binary_fn(Less, "x < y elementwise (bool).", ("[1, 2, 3]", "[2, 2, 2]"),
                  "[ True False False]")
less_equal = _binary_fn(LessEqual, "x <= y elementwise (bool).", ("[1, 2, 3]", "[2, 2, 2]"),
                        "[ True  True False]")
greater = _binary_fn(Greater, "x > y elementwise (bool).", ("[1, 2, 3]", "[2, 2, 2]"),
                     "[False False  True]")
greater_equal = _binary_fn(GreaterEqual, "x >= y elementwise (bool).",
                           ("[1, 2, 3]", "[2, 2, 2]"), "[False  True  True]")
logical_and = _binary_fn(LogicalAnd, "Elementwise AND of bool tensors.", _BOOLS,
                         "[ True False False]")
logical_or = _binary_fn(LogicalOr, "Elementwise OR of bool tensors.", _BOOLS,
                        "[ True  True False]")


def logical_xor(x, y, name="LogicalXor"):
    """Elementwise XOR of bool tensors.

    Args:
        x: A bool tensor, or a value `constant` takes.
        y: A bool tensor; x and y broadcast NumPy-style.
        name: A name for the op.

    Returns:
        A bool tensor of the broadcast shape of x and y.

    Examples:
        >>> x = tf.constant([True, True, False])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.logical_xor(x, [True, False, False])))
        [False  True False]
    """
    return apply_op(LogicalXor(), list(convert_operands(x, y)), name=name)


realdiv = _binary_fn(RealDiv, "x / y for floats (integers are refused: `divide` casts them).",
                     printed="[ 3.5 -3.5 -2.5]")
_real_div = realdiv


def divide(x, y, name=None):
    """True division (TF1 `truediv`): int32/int32 gives float64, int8/int16 give float32.

    Args:
        x: A numeric tensor, or a value `constant` takes.
        y: A tensor of x's dtype; x and y broadcast NumPy-style.
        name: A name for the op.

    Returns:
        A floating tensor of the broadcast shape: x's dtype for floats, float64 for int32
        and int64, float32 for int8, int16 and uint8. The op is a `RealDiv` named `truediv`
        (TF1's name), integer operands cast inside its scope.

    Examples:
        >>> x = tf.constant([7, -7, 9])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.divide(x, 2)))
        [ 3.5 -3.5  4.5]
    """
    with get_default_graph().name_scope(name or "truediv") as full:  # TF1's names, casts inside
        x, y = convert_operands(x, y, ("x", "y"))
        if x.dtype is not y.dtype:
            return _real_div(x, y, name=full)  # raises the dtype error with full context
        target = dtypes.true_division_dtype(x.dtype) if not x.dtype.is_string else x.dtype
        if target is not x.dtype:
            x, y = cast(x, target), cast(y, target)
        return _real_div(x, y, name=full)


truediv = divide


def div(x, y, name=None):
    """Division with Python 2's rule (TF1's deprecated `tf.div`): integers floor-divide.

    TF1 scripts written before `truediv` rely on `tf.div(7, 2)` being 3, and on -7 / 2 being -4
    (floor, as NumPy's `//`); floats divide exactly. Use `divide` for true division.

    Args:
        x: A numeric tensor, or a value `constant` takes.
        y: A tensor of x's dtype; x and y broadcast NumPy-style.
        name: A name for the op (TF1's default: `div`).

    Returns:
        A tensor of x's dtype and the broadcast shape: `FloorDiv` for integers (division by
        zero raises), `RealDiv` for floats.

    Examples:
        >>> x = tf.constant([7, -7, 9])
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.div(x, 2)), sess.run(tf.div(tf.cast(x, tf.float32), 2.0)))
        [ 3 -4  4] [ 3.5 -3.5  4.5]
    """
    with get_default_graph().name_scope(name or "div") as full:
        x, y = convert_operands(x, y, ("x", "y"))
        if x.dtype is y.dtype and x.dtype.is_integer:
            return floordiv(x, y, name=full)
        return _real_div(x, y, name=full)

sin = _unary_fn(Sin, "Sine elementwise (radians).", printed="[-0.9975  0.      0.4794  0.9093]")
cos = _unary_fn(Cos, "Cosine elementwise (radians).", printed="[ 0.0707  1.      0.8776 -0.4161]")
tan = _unary_fn(Tan, "Tangent elementwise (radians).",
                printed="[-14.1014   0.       0.5463  -2.185 ]")
asin = _unary_fn(Asin, "Arcsine elementwise; nan outside [-1, 1].", _UNIT,
                 "[-1.5708  0.      0.5236  1.5708]")
acos = _unary_fn(Acos, "Arccosine elementwise; nan outside [-1, 1].", _UNIT,
                 "[3.1416 1.5708 1.0472 0.    ]")
atan = _unary_fn(Atan, "Arctangent elementwise.", printed="[-0.9828  0.      0.4636  1.1071]")
sinh = _unary_fn(Sinh, "Hyperbolic sine elementwise.",
                 printed="[-2.1293  0.      0.5211  3.6269]")
cosh = _unary_fn(Cosh, "Hyperbolic cosine elementwise.",
                 printed="[2.3524 1.     1.1276 3.7622]")
erf = _unary_fn(Erf, "The Gauss error function elementwise.",
                printed="[-0.9661  0.      0.5205  0.9953]")
truncatediv = _binary_fn(TruncateDiv, "x / y rounded toward zero, keeping the dtype (C's rule).",
                         _INTS, "[ 3 -3 -2]")
truncatemod = _binary_fn(TruncateMod, "The remainder of truncatediv, with the sign of x.", _INTS,
                         "[ 1 -1  1]")
name_public_functions(globals())
for _fn in (v for v in list(globals().values()) if isinstance(v, types.FunctionType)):
    if _fn.__doc__ and "{name}" in _fn.__doc__:  # the template's example calls tf.<its name>
        _fn.__doc__ = _fn.__doc__.replace("{name}", _fn.__name__)
