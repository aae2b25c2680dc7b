"""Op definitions. Importing this package registers every op."""

from graphflow.ops import (  # noqa: F401 - each module registers its ops
    array,
    broadcast_grad,
    candidate_sampling,
    cast,
    constant,
    elementwise,
    gather,
    indexing,
    joining,
    matmul,
    nn_activations,
    nn_conv,
    nn_misc,
    nn_norm,
    nn_ops,
    nn_pool,
    operators,
    py_func,
    random,
    reduce,
    shape_ops,
    slicing,
    special,
    state,
    transfer,
    variable_report,
)
from graphflow.ops.registry import Example, NoExamples, Op, get_op, register, registered_ops

__all__ = ["Example", "NoExamples", "Op", "get_op", "register", "registered_ops"]
