"""Elementwise steps as the array module's ufuncs (`xp` is cupy on a GPU): what the generated
kernels do not cover (integer and mixed dtypes; the generator computes in float32 / float64),
and the activations without a `scalar` declaration (Elu, Selu, Softplus, ...). A fused group the
generator refuses is evaluated member by member, one ufunc call each."""

from __future__ import annotations

from graphflow.executors.cuda.table import Kernel, cuda_kernel, host_fallback
from graphflow.ops.nn_activations import SELU_ALPHA, SELU_SCALE

_NAMES = {
    "Neg": "negative", "Abs": "absolute", "Sign": "sign", "Exp": "exp", "Log": "log",
    "Log1p": "log1p", "Sqrt": "sqrt", "Square": "square", "Floor": "floor", "Ceil": "ceil",
    "Reciprocal": "reciprocal", "Tanh": "tanh", "LogicalNot": "logical_not", "Add": "add",
    "Sub": "subtract", "Mul": "multiply", "RealDiv": "true_divide", "Maximum": "maximum",
    "Minimum": "minimum", "Equal": "equal", "NotEqual": "not_equal", "Less": "less",
    "LessEqual": "less_equal", "Greater": "greater", "GreaterEqual": "greater_equal",
    "LogicalAnd": "logical_and", "LogicalOr": "logical_or", "LogicalXor": "logical_xor",
    "Sin": "sin", "Cos": "cos", "Tan": "tan", "Asin": "arcsin", "Acos": "arccos",
    "Atan": "arctan", "Sinh": "sinh", "Cosh": "cosh", "Atan2": "arctan2", "Expm1": "expm1",
}


def _composed(xp):
    """Op type -> f(*args) for the ops that are not one ufunc."""
    def sigmoid(x):
        e = xp.exp(-xp.abs(x))
        return xp.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)

    def sigmoid_xent(labels, logits):
        return (xp.maximum(logits, 0) - logits * labels
                + xp.log1p(xp.exp(-xp.abs(logits)))).astype(logits.dtype, copy=False)

    return {
        "Relu": lambda x: xp.maximum(x, x.dtype.type(0)),
        "Relu6": lambda x: xp.clip(x, 0, 6).astype(x.dtype, copy=False),
        "Round": lambda x: xp.rint(x) if x.dtype.kind == "f" else x.copy(),
        "Rsqrt": lambda x: 1 / xp.sqrt(x),
        "Sigmoid": sigmoid,
        "SquaredDifference": lambda x, y: xp.square(x - y),
        "SigmoidCrossEntropyWithLogits": sigmoid_xent,
        "Elu": lambda x: xp.where(x > 0, x, xp.expm1(xp.minimum(x, 0))).astype(x.dtype),
        "Selu": lambda x: (SELU_SCALE * xp.where(
            x > 0, x, SELU_ALPHA * xp.expm1(xp.minimum(x, 0)))).astype(x.dtype),
        "Softplus": lambda x: (xp.maximum(x, 0) + xp.log1p(xp.exp(-xp.abs(x)))).astype(x.dtype),
        "Softsign": lambda x: x / (1 + xp.abs(x)),
        "Identity": lambda x: x,
        "StopGradient": lambda x: x,
    }


def member_function(xp, op_type: str, attrs: dict):
    """f(*args) of one elementwise op type on `xp` arrays; None when there is none."""
    if op_type == "Cast":
        dtype = attrs["dtype"].np
        return lambda x: x.astype(dtype)
    if op_type == "LeakyRelu":
        alpha = attrs.get("alpha", 0.2)
        return lambda x: xp.where(x > 0, x, x * x.dtype.type(alpha))
    if op_type in _NAMES:
        return getattr(xp, _NAMES[op_type])
    return _composed(xp).get(op_type)


def ufunc_kernel(step, xp) -> Kernel:
    """One step (a single op, or a fused group evaluated member by member) as ufunc calls."""
    if step.type == "FusedElementwise":
        program, results = step.op.program, step.op.results
    else:
        program, results = ((step.type, dict(step.op.attrs), tuple(range(len(step.inputs)))),), (0,)
    fns = []
    for j, (op_type, attrs, _) in enumerate(program):
        fn = member_function(xp, op_type, attrs)
        if fn is None:
            raise ValueError(f"{step.describe()}: member {j} ({op_type}) has no array-module "
                             "kernel on the cuda executor")
        fns.append(fn)
    dtypes = [v.dtype.np for v in step.outputs]

    def run(out, *inputs):
        values = []
        for fn, (_, _, refs) in zip(fns, program):
            values.append(fn(*[inputs[r] if r >= 0 else values[-r - 1] for r in refs]))
        res = [xp.asarray(values[j]).astype(d, copy=False) for j, d in zip(results, dtypes)]
        outs = out if isinstance(out, tuple) else (out,)
        for k, o in enumerate(outs):
            if o is not None:
                xp.copyto(o, res[k])
                res[k] = o
        return res[0] if len(res) == 1 else tuple(res)

    return Kernel(run)


host_fallback("erf and truncating integer division: rare; the host reference keeps TF1's "
              "rounding and its division-by-zero errors exactly", "Erf", "TruncateDiv",
              "TruncateMod")
host_fallback("digamma, polygamma and zeta have no CUDA math function; the host reference's "
              "vectorised Cephes series (graphflow.ops.special_math) is TF1's algorithm",
              "Digamma", "Polygamma", "Zeta")


@cuda_kernel("Elu", "Selu", "Softplus", "Softsign", "LeakyRelu", "Relu6", "Cast",
             "LogicalXor", "Pow", "FloorDiv", "FloorMod", "Sin", "Cos", "Tan", "Asin", "Acos",
             "Atan", "Sinh", "Cosh")
def _activation(step, lowering):
    xp = lowering.backend.xp
    if step.type == "Pow":
        return _binary(xp, xp.power, step)
    if step.type in ("FloorDiv", "FloorMod"):
        if not step.outputs[0].dtype.is_floating:  # TF1 raises for integer division by zero
            return _checked_integer(xp, step, lowering)
        return _binary(xp, xp.floor_divide if step.type == "FloorDiv" else xp.mod, step)
    return ufunc_kernel(step, xp)


def _binary(xp, fn, step):
    dtype = step.outputs[0].dtype.np

    def run(out, x, y):
        res = fn(x, y).astype(dtype, copy=False)
        if out is None:
            return res
        xp.copyto(out, res)
        return out

    return Kernel(run)


def _checked_integer(xp, step, lowering):
    fn = xp.floor_divide if step.type == "FloorDiv" else xp.mod
    inner = _binary(xp, fn, step).fn

    def run(out, x, y):
        if lowering.backend.any(y == 0):
            raise ZeroDivisionError(f"integer division by zero in {step.type}")
        return inner(out, x, y)

    return Kernel(run)


__all__ = ["member_function", "ufunc_kernel"]
