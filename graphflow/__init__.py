"""graphflow: TF1-style static dataflow graphs, compiled and run by pluggable executors."""

from graphflow import (
    _ext,  # noqa: F401 - fails loudly if the compiled extension is missing
    contrib,
    errors,
    initializers,
    layers,
    losses,
    nn,
    train,
    viz,
)
from graphflow.autodiff import gradients
from graphflow.core.dtypes import (
    DType,
    as_dtype,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    string,
    uint8,
)
from graphflow.core.dtypes import (
    bool_ as bool,  # noqa: A004 - TF1's public name
)
from graphflow.core.graph import Graph, GraphKeys, get_default_graph, reset_default_graph
from graphflow.core.node import Operation, Tensor
from graphflow.core.shape import TensorShape
from graphflow.debugging import check_numerics
from graphflow.initializers import (
    constant_initializer,
    glorot_normal_initializer,
    glorot_uniform_initializer,
    ones_initializer,
    random_normal_initializer,
    random_uniform_initializer,
    truncated_normal_initializer,
    variance_scaling_initializer,
    zeros_initializer,
)
from graphflow.ops import registered_ops
from graphflow.ops.array import *  # noqa: F403 - each op module lists its public names
from graphflow.ops.cast import cast, to_float, to_int32, to_int64
from graphflow.ops.constant import constant, convert_to_tensor
from graphflow.ops.elementwise import (
    abs,  # noqa: A004
    add,
    ceil,
    div,
    divide,
    equal,
    exp,
    floor,
    floor_div,
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
    relu,
    round,  # noqa: A004
    rsqrt,
    sigmoid,
    sign,
    sqrt,
    square,
    squared_difference,
    subtract,
    tanh,
    truediv,
)
from graphflow.ops.gather import *  # noqa: F403
from graphflow.ops.indexing import *  # noqa: F403
from graphflow.ops.joining import *  # noqa: F403
from graphflow.ops.matmul import *  # noqa: F403
from graphflow.ops.random import *  # noqa: F403
from graphflow.ops.reduce import *  # noqa: F403
from graphflow.ops.shape_ops import *  # noqa: F403
from graphflow.ops.slicing import *  # noqa: F403
from graphflow.ops.state import (
    group,
    identity,
    no_op,
    placeholder,
    placeholder_with_default,
    stop_gradient,
)
from graphflow.profiling import RunMetadata, RunOptions
from graphflow.session import InteractiveSession, Session, get_default_session
from graphflow.variable_scope import (
    AUTO_REUSE,
    VariableScope,
    get_variable,
    get_variable_scope,
    variable_scope,
)
from graphflow.variables import (
    Variable,
    global_variables,
    global_variables_initializer,
    initialize_all_variables,
    local_variables,
    trainable_variables,
    variables_initializer,
)

__version__ = "0.1.0"

newaxis = None


def name_scope(name):
    """`with graphflow.name_scope("layer"):` on the default graph."""
    return get_default_graph().name_scope(name)


def control_dependencies(control_inputs):
    return get_default_graph().control_dependencies(control_inputs)


def get_collection(key, scope=None):
    return get_default_graph().get_collection(key, scope)


def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def get_collection_ref(key):
    return get_default_graph().get_collection_ref(key)
