"""Variables: graph nodes whose values live in a Session, set by initializers and assignments."""

from __future__ import annotations

from graphflow.core.graph import GraphKeys, get_default_graph
from graphflow.core.node import Tensor
from graphflow.errors import ShapeError
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.function_graph import init_scope, root_graph
from graphflow.ops.registry import apply_op, graph_of
from graphflow.ops.state import Assign, AssignAdd, AssignSub, VariableV2, group


class Variable(Tensor):
    """A trainable (or not) value kept by the Session; usable wherever a Tensor is.

    Each Session holds its own value, set by running the variable's `initializer` (or
    `tf.global_variables_initializer()`); reading it before raises an error naming it.

    Args:
        initial_value: A value, a Tensor, or a function returning one (needed).
        trainable: Add it to `GraphKeys.TRAINABLE_VARIABLES`, the optimizers' default list
            (default True).
        collections: The collections to add it to (default `[GraphKeys.GLOBAL_VARIABLES]`).
        validate_shape: Require the initial value's shape to be fully known.
        caching_device: TF1's caching device; it changes nothing.
        name: The variable's name (default "Variable"), made unique in the graph.
        variable_def: TF1's protobuf form; not supported (raises).
        dtype: The dtype, converting `initial_value` to it.
        expected_shape: Ignored, as in TF1.
        import_scope: Not supported (raises).
        constraint: A function applied to the variable after each optimizer update.
        use_resource: TF1's resource-variable switch; it changes nothing.

    Examples:
        >>> w = tf.Variable([1.0, 2.0], name="w")
        >>> w
        <graphflow.Variable 'w:0' shape=(2,) dtype=float32>
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     print(sess.run(w * 2.0))
        [2. 4.]
    """

    __slots__ = ("initializer", "initial_value", "trainable", "constraint")

    def __init__(self, initial_value=None, trainable: bool | None = None, collections=None,
                 validate_shape: bool = True, caching_device=None, name: str | None = None,
                 variable_def=None, dtype=None, expected_shape=None, import_scope=None,
                 constraint=None, use_resource=None):
        """TF1's arguments in TF1's order. caching_device, expected_shape (ignored by TF1 too)
        and use_resource change nothing here; variable_def and import_scope (rebuilding a
        variable from a protobuf) are not supported."""
        from graphflow.compat.missing import unsupported_argument

        del caching_device, expected_shape, use_resource
        for arg, value in (("variable_def", variable_def), ("import_scope", import_scope)):
            if value is not None:
                raise unsupported_argument("Variable", arg, value)
        trainable = True if trainable is None else trainable
        if constraint is not None and not callable(constraint):
            raise TypeError(f"constraint must be a function of the variable, got {constraint!r}")
        self.constraint = constraint  # optimizers project the variable with it after updates
        if initial_value is None:
            raise ValueError("Variable needs an initial_value (a value, a tensor or a callable).")
        with init_scope():  # made inside a cond or loop body: lifted to the outermost graph
            self._create(initial_value, trainable, name, dtype, collections, validate_shape)

    def _create(self, initial_value, trainable, name, dtype, collections, validate_shape):
        graph = graph_of([initial_value]) if isinstance(initial_value, Tensor) \
            else get_default_graph()
        if root_graph(graph) is not graph:  # a value computed inside a cond or loop body
            raise ValueError(
                f"Initializer for variable {name or 'Variable'} is from inside a control-flow "
                f"construct ({initial_value.describe()}); pass a lambda (or an initializer) "
                "instead of a tensor, as TF1 requires.")
        with graph.control_dependencies(None), graph.name_scope(name or "Variable") as scope:
            if callable(initial_value):
                initial_value = initial_value()
            init = convert_to_tensor(initial_value, dtype=dtype, name="initial_value")
            if validate_shape and not init.shape.is_fully_defined():
                raise ShapeError(
                    f"Variable '{scope[:-1]}' needs an initial value of fully known shape, got "
                    f"{init.describe()}; pass a value of known shape or validate_shape=False."
                )
            op = VariableV2(dtype=init.dtype, shape=init.shape, trainable=trainable)
            op.bound_output = self
            graph.create_node(op, [], name=scope)
            self.initial_value = init
            self.trainable = trainable
            self.initializer = graph.create_node(Assign(variable=self), [init], name="Assign")
        for key in collections or [GraphKeys.GLOBAL_VARIABLES]:
            graph.add_to_collection(key, self)
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in (collections or []):
            graph.add_to_collection(GraphKeys.TRAINABLE_VARIABLES, self)

    def _init_tensor(self, node, index, dtype, shape):
        Tensor.__init__(self, node, index, dtype, shape)

    # --- TF1's Variable API ---------------------------------------------------------------------
    def value(self) -> Tensor:
        """The variable itself, as a Tensor (TF1's `value()`).

        Returns:
            This variable.

        Examples:
            >>> v = tf.Variable(1.0)
            >>> print(v.value() is v)
            True
        """
        return self

    def read_value(self) -> Tensor:
        """The value when this read runs, so control dependencies order it after updates.

        Returns:
            A new Tensor, the output of a read op.

        Examples:
            >>> v = tf.Variable(1.0)
            >>> with tf.control_dependencies([v.assign(5.0)]):
            ...     after = v.read_value()
            >>> with tf.Session() as sess:
            ...     sess.run(v.initializer)
            ...     print(sess.run(after))
            5.0
        """
        from graphflow.ops.state import ReadVariable

        return apply_op(ReadVariable(variable=self), [self], name="read")

    def initialized_value(self) -> Tensor:
        """The initial value's tensor (what the initializer assigns).

        Returns:
            A Tensor.

        Examples:
            >>> v = tf.Variable(3.0)
            >>> with tf.Session() as sess:
            ...     print(sess.run(v.initialized_value()))
            3.0
        """
        return self.initial_value

    def _assign(self, op_cls, value, name):
        value = convert_to_tensor(value, dtype_hint=self.dtype, name="value")
        return apply_op(op_cls(variable=self), [value], name=name or op_cls.type)

    def assign(self, value, use_locking=False, name=None, read_value=True) -> Tensor:
        """An op that sets the variable; running it returns the new value.

        Args:
            value: The new value, of the variable's shape and dtype.
            use_locking: TF1's locking flag; graphflow's updates within one run are ordered, so it
                changes nothing.
            name: A name for the op.
            read_value: TF1's switch to return the new value; it is always returned.

        Returns:
            A Tensor: the new value, once the op has run.

        Examples:
            >>> v = tf.Variable(1.0)
            >>> with tf.Session() as sess:
            ...     sess.run(v.initializer)
            ...     print(sess.run(v.assign(4.0)), sess.run(v))
            4.0 4.0
        """
        return self._assign(Assign, value, name)

    def assign_add(self, delta, use_locking=False, name=None, read_value=True) -> Tensor:
        """An op that adds `delta` to the variable; running it returns the new value.

        Args:
            delta: The value to add, of the variable's dtype (it broadcasts to its shape).
            use_locking: TF1's locking flag; it changes nothing.
            name: A name for the op.
            read_value: TF1's switch to return the new value; it is always returned.

        Returns:
            A Tensor: the new value, once the op has run.

        Examples:
            >>> v = tf.Variable(1.0)
            >>> step = v.assign_add(2.0)
            >>> with tf.Session() as sess:
            ...     sess.run(v.initializer)
            ...     print(sess.run(step), sess.run(step))
            3.0 5.0
        """
        return self._assign(AssignAdd, delta, name)

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True) -> Tensor:
        """An op that subtracts `delta` from the variable; running it returns the new value.

        Args:
            delta: The value to subtract, of the variable's dtype.
            use_locking: TF1's locking flag; it changes nothing.
            name: A name for the op.
            read_value: TF1's switch to return the new value; it is always returned.

        Returns:
            A Tensor: the new value, once the op has run.

        Examples:
            >>> v = tf.Variable(10.0)
            >>> with tf.Session() as sess:
            ...     sess.run(v.initializer)
            ...     print(sess.run(v.assign_sub(3.0)))
            7.0
        """
        return self._assign(AssignSub, delta, name)

    def load(self, value, session=None) -> None:
        """Set the value directly in `session` (TF1's `Variable.load`), without building an op.

        Args:
            value: The new value, of the variable's shape.
            session: The session (default: the default session).

        Examples:
            >>> v = tf.Variable([0.0, 0.0])
            >>> with tf.Session() as sess:
            ...     v.load([1.0, 2.0], sess)
            ...     print(sess.run(v))
            [1. 2.]
        """
        from graphflow.core.node import _default_session

        _default_session(session).run(self.initializer, {self.initial_value: value})

    def __repr__(self):
        return (f"<graphflow.Variable '{self.name}' shape={self.shape} "
                f"dtype={self.dtype.name}>")


def global_variables(scope: str | None = None) -> list:
    """The default graph's global variables (`GraphKeys.GLOBAL_VARIABLES`), in creation order.

    Args:
        scope: Keep only variables whose name starts with it.

    Returns:
        A list of Variables.

    Examples:
        >>> a = tf.Variable(1.0, name="a")
        >>> b = tf.Variable(1.0, name="b", trainable=False)
        >>> print([v.name for v in tf.global_variables()])
        ['a:0', 'b:0']
    """
    return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def trainable_variables(scope: str | None = None) -> list:
    """The default graph's trainable variables (what optimizers update by default).

    Args:
        scope: Keep only variables whose name starts with it.

    Returns:
        A list of Variables.

    Examples:
        >>> a = tf.Variable(1.0, name="a")
        >>> b = tf.Variable(1.0, name="b", trainable=False)
        >>> print([v.name for v in tf.trainable_variables()])
        ['a:0']
    """
    return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope: str | None = None) -> list:
    """The default graph's local variables (`GraphKeys.LOCAL_VARIABLES`: metric accumulators,
    input-pipeline counters).

    Args:
        scope: Keep only variables whose name starts with it.

    Returns:
        A list of Variables.

    Examples:
        >>> v = tf.Variable(0, name="count", collections=[tf.GraphKeys.LOCAL_VARIABLES])
        >>> print([x.name for x in tf.local_variables()])
        ['count:0']
    """
    return get_default_graph().get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def variables_initializer(var_list, name: str = "init"):
    """One op that runs the initializers of `var_list`.

    Args:
        var_list: The Variables to initialise.
        name: A name for the op.

    Returns:
        An Operation; running it sets each variable to its initial value.

    Examples:
        >>> a = tf.Variable(1.0)
        >>> b = tf.Variable(2.0)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.variables_initializer([a]))
        ...     print(sess.run(a))
        1.0
    """
    return group(*[v.initializer for v in var_list], name=name)


def global_variables_initializer():
    """One op that initialises every global variable of the default graph (those made so far).

    Returns:
        An Operation named "init".

    Examples:
        >>> w = tf.Variable(tf.zeros([2]))
        >>> init = tf.global_variables_initializer()
        >>> with tf.Session() as sess:
        ...     sess.run(init)
        ...     print(sess.run(w))
        [0. 0.]
    """
    return variables_initializer(global_variables(), name="init")


def local_variables_initializer():
    """One op that initialises every local variable (metric accumulators, for one).

    Returns:
        An Operation named "init".

    Examples:
        >>> v = tf.Variable(5, collections=[tf.GraphKeys.LOCAL_VARIABLES])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.local_variables_initializer())
        ...     print(sess.run(v))
        5
    """
    return variables_initializer(local_variables(), name="init")


def report_uninitialized_variables(var_list=None, name: str = "report_uninitialized_variables"):
    """A 1-D string tensor of the names of `var_list`'s variables (default: every global and
    local variable) that the session has not initialised yet.

    Args:
        var_list: The Variables to check (default: all global and local ones).
        name: A name for the op.

    Returns:
        A string Tensor of the uninitialised variables' names.

    Examples:
        >>> a = tf.Variable(1.0, name="a")
        >>> b = tf.Variable(1.0, name="b")
        >>> with tf.Session() as sess:
        ...     sess.run(a.initializer)
        ...     print(sess.run(tf.report_uninitialized_variables()))
        [b'b']
    """
    from graphflow.ops.variable_report import ReportUninitialized

    if var_list is None:
        var_list = global_variables() + local_variables()
    op = ReportUninitialized(keys=tuple(v.op.get_attr("key") or v.op.name for v in var_list),
                             names=tuple(v.op.name for v in var_list))
    return apply_op(op, [], name=name)


initialize_all_variables = global_variables_initializer
initialize_local_variables = local_variables_initializer
