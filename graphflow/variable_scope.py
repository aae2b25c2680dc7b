"""TF1's variable sharing: `variable_scope(name, reuse=)` and `get_variable(name, shape, ...)`.

Each graph keeps its own store of variables made by `get_variable`, keyed by their full scoped name
(`layer/w`), and its own stack of variable scopes. A variable scope also opens a name scope for the
ops built inside it; `get_variable` ignores name scopes, as in TF1.

Note: `graphflow.variable_scope` is the function (as `tf.variable_scope`); import this module's
names with `from graphflow.variable_scope import ...`.
"""

from __future__ import annotations

import contextlib
import enum

import numpy as np

from graphflow.core import dtypes
from graphflow.core.dtypes import as_dtype
from graphflow.core.graph import GraphKeys, get_default_graph
from graphflow.core.node import Tensor
from graphflow.core.shape import TensorShape, as_shape
from graphflow.core.site import user_site
from graphflow.ops.function_graph import root_graph

__all__ = ["AUTO_REUSE", "VariableScope", "get_variable", "get_variable_scope", "variable_scope"]


class _ReuseMode(enum.Enum):
    AUTO_REUSE = 1

    def __repr__(self):
        return "AUTO_REUSE"


AUTO_REUSE = _ReuseMode.AUTO_REUSE
"""`reuse=AUTO_REUSE`: get_variable returns the existing variable, or creates it if missing."""


class VariableScope:
    """A scope's name and defaults (reuse, initializer, regularizer, dtype) for `get_variable`.

    `variable_scope(...)` makes them; `get_variable_scope()` is the innermost one.

    Args:
        name: The scope's full name ("" at the root).
        reuse: None (create), True (reuse only) or `tf.AUTO_REUSE` (either).
        initializer: The default initializer of `get_variable` in this scope.
        regularizer: The default regularizer.
        dtype: The default dtype.
        name_scope: The name scope its ops go under.

    Examples:
        >>> with tf.variable_scope("layer", reuse=tf.AUTO_REUSE) as scope:
        ...     pass
        >>> print(scope.name, scope.reuse is tf.AUTO_REUSE)
        layer True
    """

    def __init__(self, name: str = "", reuse=None, initializer=None, regularizer=None,
                 dtype=dtypes.float32, name_scope: str = ""):
        self.name = name
        self.reuse = reuse
        self.initializer = initializer
        self.regularizer = regularizer
        self.dtype = as_dtype(dtype)
        self.original_name_scope = name_scope

    def reuse_variables(self) -> None:
        """From now on `get_variable` in this scope returns existing variables.

        Examples:
            >>> with tf.variable_scope("layer") as scope:
            ...     w = tf.get_variable("w", [1])
            ...     scope.reuse_variables()
            ...     print(tf.get_variable("w", [1]) is w)
            True
        """
        self.reuse = True

    def set_initializer(self, initializer) -> None:
        """Set the scope's default initializer for the variables made after.

        Args:
            initializer: An initializer, such as `tf.zeros_initializer()`.

        Examples:
            >>> with tf.variable_scope("layer") as scope:
            ...     scope.set_initializer(tf.ones_initializer())
            ...     v = tf.get_variable("v", [2])
            >>> with tf.Session() as sess:
            ...     sess.run(v.initializer)
            ...     print(sess.run(v))
            [1. 1.]
        """
        self.initializer = initializer

    def set_regularizer(self, regularizer) -> None:
        """Set the scope's default regularizer for the variables made after.

        Args:
            regularizer: A function of a variable returning a scalar loss, or None.

        Examples:
            >>> with tf.variable_scope("layer") as scope:
            ...     scope.set_regularizer(lambda w: tf.reduce_sum(w * w))
            ...     v = tf.get_variable("v", [2])
            >>> print(len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)))
            1
        """
        self.regularizer = regularizer

    def get_variable(self, name, *args, **kwargs):
        """`get_variable(name, ...)` inside this scope, wherever the code is.

        Args:
            name: The variable's name within the scope.
            *args: `get_variable`'s other positional arguments.
            **kwargs: Its keyword arguments.

        Returns:
            The Variable `scope/name`.

        Examples:
            >>> with tf.variable_scope("layer") as scope:
            ...     pass
            >>> print(scope.get_variable("w", [1]).name)
            layer/w:0
        """
        with variable_scope(self):
            return get_variable(name, *args, **kwargs)

    def __repr__(self):
        return f"<VariableScope '{self.name}' reuse={self.reuse!r}>"


class _GraphState:
    """A graph's variable store, scope stack, and the counts that make default names unique."""

    def __init__(self):
        self.variables: dict[str, object] = {}
        self.sites: dict[str, object] = {}
        self.stack: list[VariableScope] = [VariableScope()]
        self.opened: dict[str, int] = {}


def _state(graph=None) -> _GraphState:
    graph = root_graph(graph or get_default_graph())  # a loop body shares its graph's store
    return graph.attached("variable_scope", _GraphState)


def get_variable_scope() -> VariableScope:
    """The innermost variable scope of the default graph (the root one has the name '').

    Returns:
        A VariableScope.

    Examples:
        >>> with tf.variable_scope("outer"):
        ...     print(tf.get_variable_scope().name)
        outer
    """
    return _state().stack[-1]


def _unique_scope_name(state: _GraphState, prefix: str) -> str:
    name, i = prefix, 0
    while state.opened.get(name, 0) > 0:
        i += 1
        name = f"{prefix}_{i}"
    return name


@contextlib.contextmanager
def variable_scope(name_or_scope=None, default_name: str | None = None, values=None,
                   initializer=None, regularizer=None, caching_device=None, partitioner=None,
                   custom_getter=None, reuse=None, dtype=None, use_resource=None,
                   constraint=None, auxiliary_name_scope: bool = True):
    """`with variable_scope("layer", reuse=...):` prefixes get_variable names with `layer/`.

    `reuse` is inherited: inside a reusing scope every inner scope reuses. A `default_name` is
    made unique (`dense`, `dense_1`, ...) and cannot be combined with `reuse=True`. TF1's
    caching_device and use_resource change nothing here; partitioner, custom_getter and a
    scope-wide constraint are not supported.

    Args:
        name_or_scope: The scope's name, or a VariableScope to re-enter.
        default_name: The name to make unique when name_or_scope is None.
        values: TF1's list of input tensors; unused.
        initializer: The default initializer inside.
        regularizer: The default regularizer inside.
        caching_device: Changes nothing.
        partitioner: Not supported (raises unless None).
        custom_getter: Not supported (raises unless None).
        reuse: None or False (create), True (reuse only) or `tf.AUTO_REUSE`.
        dtype: The default dtype inside.
        use_resource: Changes nothing.
        constraint: Not supported (raises unless None).
        auxiliary_name_scope: Also open a name scope for the ops (default True).

    Returns:
        A context manager whose value is the VariableScope.

    Examples:
        >>> def layer(x):
        ...     with tf.variable_scope("dense", reuse=tf.AUTO_REUSE):
        ...         w = tf.get_variable("w", [2, 1], initializer=tf.ones_initializer())
        ...     return tf.matmul(x, w)
        >>> a = layer(tf.constant([[1., 2.]]))
        >>> b = layer(tf.constant([[3., 4.]]))
        >>> print([v.name for v in tf.global_variables()])
        ['dense/w:0']
    """
    _unsupported("variable_scope", partitioner=partitioner, custom_getter=custom_getter,
                 constraint=constraint)
    del caching_device, use_resource
    if name_or_scope is None and default_name is None:
        raise TypeError("variable_scope needs a name (or a VariableScope) or a default_name")
    if reuse is False:
        reuse = None
    graph = get_default_graph()
    state = _state(graph)
    outer = state.stack[-1]
    prefix = f"{outer.name}/" if outer.name else ""
    if isinstance(name_or_scope, VariableScope):
        base, full = name_or_scope, name_or_scope.name
        name_scope = name_or_scope.original_name_scope
    else:
        if name_or_scope is None:
            if reuse is True:
                raise ValueError("reuse=True cannot be used without a name_or_scope")
            relative = _unique_scope_name(state, prefix + default_name)[len(prefix):]
        else:
            relative = str(name_or_scope)
        base, full, name_scope = outer, prefix + relative, None
    state.opened[full] = state.opened.get(full, 0) + 1
    scope = VariableScope(
        full, reuse or base.reuse or outer.reuse, initializer or base.initializer,
        regularizer or base.regularizer, dtype or base.dtype)
    if not auxiliary_name_scope:
        names = contextlib.nullcontext(graph.get_name_scope() + "/")
    elif name_scope:
        names = graph.name_scope(name_scope)
    else:
        names = graph.name_scope(full[len(prefix):])
    with names as opened:
        scope.original_name_scope = name_scope or opened
        state.stack.append(scope)
        try:
            yield scope
        finally:
            state.stack.pop()


def _default_initializer(name: str, dtype):
    from graphflow.initializers import GlorotUniform, Zeros

    if dtype.is_floating:
        return GlorotUniform()
    if dtype.is_integer or dtype.is_bool:
        return Zeros(dtype)
    raise ValueError(f"An initializer for variable {name} of {dtype.name} is required")


def _check_existing(full: str, var, shape, dtype) -> None:
    if shape is not None and not as_shape(shape).is_compatible_with(var.shape):
        raise ValueError(f"Trying to share variable {full}, but specified shape "
                         f"{as_shape(shape)} and found shape {var.shape}.")
    if dtype is not None and as_dtype(dtype) is not var.dtype:
        raise ValueError(f"Trying to share variable {full}, but specified dtype "
                         f"{as_dtype(dtype).name} and found dtype {var.dtype.name}.")


def _unsupported(function: str, **values) -> None:
    from graphflow.compat.missing import unsupported_argument

    for arg, value in values.items():
        if value is not None:
            raise unsupported_argument(function, arg, value)


def get_variable(name: str, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable: bool | None = None, collections=None, caching_device=None,
                 partitioner=None, validate_shape: bool = True, use_resource=None,
                 custom_getter=None, constraint=None):
    """The variable `scope/name`: created on first use, returned again where reuse allows.

    `initializer` is an initializer (`init(shape, dtype)`), a Tensor or an array (then `shape` is
    taken from it); by default the scope's initializer, else glorot_uniform for floats and zeros
    for integers. A `regularizer(var)` result is added to REGULARIZATION_LOSSES. TF1's
    caching_device and use_resource change nothing here; partitioner and custom_getter are not
    supported.

    Args:
        name: The name within the current variable scope.
        shape: The shape (not needed when `initializer` is a value).
        dtype: The dtype (default: the scope's, float32).
        initializer: An initializer, a Tensor or an array.
        regularizer: A function of the variable returning a scalar loss.
        trainable: Add it to the trainable variables (default True).
        collections: The collections to add it to (default: the global variables).
        caching_device: Changes nothing.
        partitioner: Not supported (raises unless None).
        validate_shape: Require a fully known shape.
        use_resource: Changes nothing.
        custom_getter: Not supported (raises unless None).
        constraint: A function applied to the variable after each optimizer update.

    Returns:
        The Variable. Asking again for an existing name outside a reusing scope raises a
        ValueError that says where the variable was first made.

    Examples:
        >>> with tf.variable_scope("model"):
        ...     w = tf.get_variable("w", [3], initializer=tf.constant_initializer(0.5))
        >>> print(w.name)
        model/w:0
        >>> with tf.variable_scope("model", reuse=True):
        ...     print(tf.get_variable("w") is w)
        True
    """
    from graphflow.variables import Variable

    _unsupported("get_variable", partitioner=partitioner, custom_getter=custom_getter)
    del caching_device, use_resource

    graph = get_default_graph()
    state = _state(graph)
    scope = state.stack[-1]
    full = f"{scope.name}/{name}" if scope.name else name
    existing = state.variables.get(full)
    if existing is not None:
        if scope.reuse is None:
            raise ValueError(
                f"Variable {full} already exists, disallowed. Did you mean to set reuse=True or "
                f"reuse=graphflow.AUTO_REUSE in VarScope? Originally defined at "
                f"{state.sites[full].describe()}")
        _check_existing(full, existing, shape, dtype)
        return existing
    if scope.reuse is True:
        raise ValueError(
            f"Variable {full} does not exist, or was not created with graphflow.get_variable(). "
            "Did you mean to set reuse=graphflow.AUTO_REUSE in VarScope?")
    initializer = initializer if initializer is not None else scope.initializer
    if isinstance(initializer, type):
        initializer = initializer()
    if isinstance(initializer, (Tensor, np.ndarray, list, tuple, int, float)):
        if shape is not None and validate_shape:
            raise ValueError(f"Variable {full}: if initializer is a constant, do not specify "
                             "shape.")
        initial_value = initializer
    else:
        if shape is None:
            raise ValueError(f"Shape of a new variable ({full}) must be fully defined, but "
                             "instead was None.")
        shape = as_shape(shape)
        if not shape.is_fully_defined():
            raise ValueError(f"Shape of a new variable ({full}) must be fully defined, but "
                             f"instead was {shape}.")
        dtype = as_dtype(dtype or scope.dtype)
        init = initializer if initializer is not None else _default_initializer(full, dtype)

        def initial_value():
            with get_default_graph().name_scope("Initializer"):
                return init(TensorShape(shape.as_list()), dtype=dtype)

    with graph.control_dependencies(None), graph.name_scope(""):
        var = Variable(initial_value, trainable=True if trainable is None else trainable,
                       name=full, dtype=dtype, collections=collections,
                       validate_shape=validate_shape, constraint=constraint)
    state.variables[full] = var
    state.sites[full] = user_site()
    regularizer = regularizer if regularizer is not None else scope.regularizer
    if regularizer is not None:
        with graph.name_scope(""), graph.name_scope(var.op.name + "/Regularizer/"):
            loss = regularizer(var)
        if loss is not None:
            graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
    return var
