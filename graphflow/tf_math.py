"""`tf.math`: TF1's `tf.math.*` names for the math ops graphflow has (the same functions as the
top-level `tf.*` ones); a TF1 name not here raises an AttributeError that says so."""

from graphflow.compat.missing import module_getattr
from graphflow.nn import l2_normalize, log_softmax, softmax
from graphflow.ops.elementwise import (
    abs,  # noqa: A004 - TF1's public name
    acos,
    add,
    asin,
    atan,
    ceil,
    cos,
    cosh,
    divide,
    equal,
    erf,
    exp,
    floor,
    floordiv,
    floormod,
    greater,
    greater_equal,
    less,
    less_equal,
    log,
    log1p,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    maximum,
    minimum,
    mod,
    multiply,
    negative,
    not_equal,
    pow,  # noqa: A004
    reciprocal,
    round,  # noqa: A004
    rsqrt,
    sigmoid,
    sign,
    sin,
    sinh,
    sqrt,
    square,
    squared_difference,
    subtract,
    tan,
    tanh,
    truediv,
)
from graphflow.ops.matmul import add_n
from graphflow.ops.nn_activations import softplus, softsign
from graphflow.ops.nn_misc import in_top_k
from graphflow.ops.reduce import (
    argmax,
    argmin,
    count_nonzero,
    reduce_all,
    reduce_any,
    reduce_logsumexp,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
)
from graphflow.ops.special import (
    atan2,
    digamma,
    erfc,
    expm1,
    lgamma,
    log_sigmoid,
    polygamma,
    zeta,
)
from graphflow.ops.top_k import top_k

__all__ = ["abs", "acos", "add", "add_n", "argmax", "argmin", "asin", "atan", "atan2", "ceil",
           "cos", "cosh", "count_nonzero", "digamma", "divide", "equal", "erf", "erfc", "exp",
           "expm1", "floor", "floordiv", "floormod", "greater", "greater_equal", "in_top_k",
           "l2_normalize", "less", "less_equal", "lgamma", "log", "log1p", "log_sigmoid",
           "log_softmax", "logical_and", "logical_not", "logical_or", "logical_xor", "maximum",
           "minimum", "mod", "multiply", "negative", "not_equal", "polygamma", "pow",
           "reciprocal", "reduce_all", "reduce_any", "reduce_logsumexp", "reduce_max",
           "reduce_mean", "reduce_min", "reduce_prod", "reduce_sum", "round", "rsqrt", "sigmoid",
           "sign", "sin", "sinh", "softmax", "softplus", "softsign", "sqrt", "square",
           "squared_difference", "subtract", "tan", "tanh", "top_k", "truediv", "zeta"]

# a TF1 tf.math name graphflow lacks says so (and points to docs/compat.md); a typo gets a hint
__getattr__ = module_getattr(__name__, "tf.math")
