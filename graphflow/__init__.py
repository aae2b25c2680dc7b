"""graphflow: TF1-style static dataflow graphs, compiled and run by pluggable executors."""

from graphflow import (
    _ext,  # noqa: F401 - fails loudly if the compiled extension is missing
    app,
    contrib,
    data,
    distributed,  # registers the MPI collective ops; mpi4py is imported by its init() only
    errors,
    flags,
    gfile,
    initializers,
    layers,
    losses,
    metrics,
    nn,
    python_io,
    summary,
    train,
    viz,
)
from graphflow import tf_logging as logging  # noqa: A004 - TF1's tf.logging
from graphflow import tf_math as math  # noqa: A004 - TF1's tf.math
from graphflow import tf_random as random  # noqa: A004 - TF1's tf.random
from graphflow.assign_ops import assign, assign_add, assign_sub
from graphflow.autodiff import gradients
from graphflow.compat.behavior import (
    disable_control_flow_v2,
    disable_eager_execution,
    disable_resource_variables,
    disable_v2_behavior,
    disable_v2_tensorshape,
    enable_eager_execution,
    enable_v2_behavior,
    executing_eagerly,
)
from graphflow.compat.missing import KNOWN_MISSING, missing_attribute
from graphflow.config import ConfigProto, GPUOptions, GraphOptions, OptimizerOptions
from graphflow.control_flow import case, cond, foldl, foldr, map_fn, scan, while_loop
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
from graphflow.data.structure import TensorSpec
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
from graphflow.ops.clip_ops import clip_by_global_norm, clip_by_norm, global_norm
from graphflow.ops.constant import constant, convert_to_tensor
from graphflow.ops.elementwise import (
    abs,  # noqa: A004
    acos,
    add,
    asin,
    atan,
    ceil,
    cos,
    cosh,
    div,
    divide,
    equal,
    erf,
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
    realdiv,
    reciprocal,
    relu,
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
    truncatediv,
    truncatemod,
)
from graphflow.ops.eye import eye
from graphflow.ops.gather import *  # noqa: F403
from graphflow.ops.indexing import *  # noqa: F403
from graphflow.ops.joining import *  # noqa: F403
from graphflow.ops.matmul import *  # noqa: F403
from graphflow.ops.print_op import Print
from graphflow.ops.print_v2 import print  # noqa: A004 - TF's tf.print
from graphflow.ops.py_func import numpy_function, py_func, py_function
from graphflow.ops.random import *  # noqa: F403
from graphflow.ops.reduce import *  # noqa: F403
from graphflow.ops.shape_ops import *  # noqa: F403
from graphflow.ops.slicing import *  # noqa: F403
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
    initialize_local_variables,
    local_variables,
    local_variables_initializer,
    report_uninitialized_variables,
    trainable_variables,
    variables_initializer,
)

__version__ = "0.1.0"

newaxis = None


def device(device_name_or_function):
    """`with graphflow.device("/cpu:0"):` records the device on the ops built inside.

    graphflow places every op on the Session's executor for now; the string is kept on each
    Operation as `op.device` (as TF1 keeps it) for when placement exists.

    Args:
        device_name_or_function: A device string; TF1's device functions raise a TypeError.

    Returns:
        A context manager.

    Examples:
        >>> with tf.device("/gpu:0"):
        ...     c = tf.constant(1.0)
        >>> print(c.op.device)
        /gpu:0
    """
    if callable(device_name_or_function):
        raise TypeError("graphflow.device takes a device string (e.g. '/cpu:0'); device "
                        "functions are not supported")
    return get_default_graph().device(device_name_or_function)


def name_scope(name, default_name=None, values=None):
    """`with graphflow.name_scope("layer"):` on the default graph; `name=None` uses
    `default_name`, and neither resets to the root scope, as in TF1 (`values` is accepted and
    unused, as in TF1's graph mode).

    Args:
        name: The scope's name (a repeat gets `name_1`; a name ending in "/" re-enters it).
        default_name: The name to use when `name` is None.
        values: TF1's list of input tensors; unused.

    Returns:
        A context manager whose value is the scope with a trailing "/".

    Examples:
        >>> with tf.name_scope("layer") as scope:
        ...     y = tf.add(1.0, 2.0, name="sum")
        >>> print(scope, y.name)
        layer/ layer/sum:0
    """
    return get_default_graph().name_scope(default_name if name is None else name)


def control_dependencies(control_inputs):
    """`with tf.control_dependencies([op]):` makes the ops built inside run after `op`.

    Args:
        control_inputs: A list of Operations or Tensors to run first, or None to clear the
            outer ones.

    Returns:
        A context manager.

    Examples:
        >>> v = tf.Variable(0.0)
        >>> with tf.control_dependencies([tf.assign_add(v, 1.0)]):
        ...     after = tf.identity(v)
        >>> with tf.Session() as sess:
        ...     sess.run(v.initializer)
        ...     print(sess.run(after))
        1.0
    """
    return get_default_graph().control_dependencies(control_inputs)


def get_collection(key, scope=None):
    """A copy of the default graph's collection `key`, filtered by name prefix `scope`.

    Args:
        key: The collection's key, such as `tf.GraphKeys.TRAINABLE_VARIABLES`.
        scope: Keep only items whose name starts with it (None keeps all).

    Returns:
        A new list.

    Examples:
        >>> w = tf.Variable(1.0, name="w")
        >>> print([v.name for v in tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)])
        ['w:0']
    """
    return get_default_graph().get_collection(key, scope)


def add_to_collection(name, value):
    """Append `value` to the default graph's collection `name`.

    Args:
        name: The collection's key.
        value: Any object.

    Examples:
        >>> tf.add_to_collection("outputs", 42)
        >>> print(tf.get_collection("outputs"))
        [42]
    """
    get_default_graph().add_to_collection(name, value)


def get_collection_ref(key):
    """The default graph's collection `key` itself: changing the list changes the collection.

    Args:
        key: The collection's key.

    Returns:
        The list the graph holds (made empty on first use).

    Examples:
        >>> tf.get_collection_ref("outputs").append(1)
        >>> print(tf.get_collection("outputs"))
        [1]
    """
    return get_default_graph().get_collection_ref(key)


def __getattr__(name):
    """Unknown names: say plainly which TF1 names graphflow lacks; suggest only close matches."""
    if name in summary.TOP_LEVEL_PROTOS:  # tf.Summary, tf.SessionLog, ...: tensorboard's protos
        return summary.proto_class(name)
    if name == "keras":  # tf.keras, imported on first use (it builds on the whole stack)
        import graphflow.keras

        return graphflow.keras
    raise missing_attribute(__name__, "tf", name, KNOWN_MISSING, globals())


from graphflow import compat  # noqa: E402 - compat.v1 forwards to the names above
