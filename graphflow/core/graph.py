"""The Graph: nodes in creation order, unique scoped names, collections and control scopes."""

from __future__ import annotations

import contextlib
import threading

from graphflow.core.node import Operation, Tensor
from graphflow.core.site import user_site
from graphflow.errors import DTypeError, GraphError, InferenceError, ShapeError


class GraphKeys:
    """Standard collection names, as in TF1 (`tf.GraphKeys.TRAINABLE_VARIABLES`, ...).

    Examples:
        >>> v = tf.Variable(1.0, name="v")
        >>> print([x.name for x in tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)])
        ['v:0']
    """

    GLOBAL_VARIABLES = "variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    REGULARIZATION_LOSSES = "regularization_losses"
    GLOBAL_STEP = "global_step"
    TRAIN_OP = "train_op"
    SUMMARIES = "summaries"


class Graph:
    """A dataflow graph of Operations and the Tensors between them; append-only (compiling a run
    never changes it).

    Ops are built into the default graph unless another is made the default with
    `with g.as_default():`.

    Examples:
        >>> g = tf.Graph()
        >>> with g.as_default():
        ...     c = tf.constant(1.0, name="c")
        >>> print(c.graph is g, len(g.get_operations()), tf.get_default_graph() is g)
        True 1 False
    """

    def __init__(self):
        self._nodes: list[Operation] = []
        self._by_name: dict[str, Operation] = {}
        self._names_in_use: dict[str, int] = {}
        self._name_stack = ""
        self._control_stack: list[list[Operation]] = []
        self._device = ""
        self._collections: dict[str, list] = {}
        self._finalized = False
        self.seed = None
        self._lock = threading.Lock()
        self._attached: dict[str, object] = {}

    def attached(self, key: str, factory):
        """The per-graph state a library keeps under `key` (variable scopes, layer names, the
        Keras session), made by `factory()` on first use.

        It lives on the graph, so it goes when the graph goes: a module-level map keyed by graph
        would keep every graph alive through the variables and sessions its values hold.

        Args:
            key: The library's name for its state.
            factory: Called with no arguments to make the state the first time.

        Returns:
            The state object (the same one on every call for this graph and key).

        Examples:
            >>> g = tf.Graph()
            >>> counts = g.attached("my_library", dict)
            >>> counts["calls"] = 1
            >>> print(g.attached("my_library", dict))
            {'calls': 1}
        """
        state = self._attached.get(key)
        if state is None:
            state = self._attached[key] = factory()
        return state

    # --- node creation ----------------------------------------------------------------------
    def create_node(self, op, inputs=(), name: str | None = None) -> Operation:
        """Infer `op`'s outputs from `inputs`, then add a uniquely named node.

        This is how every public op function builds its node; a shape or dtype rule that fails
        raises an error naming the op, its inputs and the user's line.

        Args:
            op: An op definition (an instance of a registered `Op` class).
            inputs: The input Tensors, all of this graph.
            name: The wanted name (default: the op's type), made unique under the current scope.

        Returns:
            The new Operation; its `outputs` are the Tensors.

        Examples:
            >>> from graphflow.ops.elementwise import Exp
            >>> g = tf.get_default_graph()
            >>> node = g.create_node(Exp(), [tf.constant([0.0])], name="e")
            >>> print(node.name, node.type, node.outputs[0].shape)
            e Exp (1,)
        """
        if self._finalized:
            raise GraphError("Graph is finalized and cannot be modified (a node was being added "
                             f"for {op.type} at {user_site()}).")
        site = user_site()
        for i, t in enumerate(inputs):
            if not isinstance(t, Tensor):
                raise TypeError(f"Input {i} of {op.type} must be a Tensor, got {type(t).__name__}")
            if t.graph is not self:
                raise GraphError(
                    f"{op.type} at {site}: input {t.describe()} belongs to a different graph. "
                    "All inputs of an op must come from one graph (did you call "
                    "reset_default_graph() between building them?)."
                )
        try:
            specs = op.infer(*inputs)
        except InferenceError as err:
            raise _build_error(op, name or op.type, inputs, site, err) from None
        if hasattr(specs, "dtype"):  # a single output spec
            specs = [specs]
        with self._lock:
            unique = self._node_name(name or op.type, site)
            controls = [c for frame in self._control_stack for c in frame] \
                if self._control_stack else ()
            node = Operation(self, unique, op, inputs, controls, specs, site, len(self._nodes))
            node.device = self._device
            self._nodes.append(node)
            self._by_name[unique] = node
        return node

    def _node_name(self, name: str, site) -> str:
        if not name.endswith("/"):
            return self.unique_name(name)
        exact = name[:-1]  # a scope name ("Variable/") names its node exactly, as in TF1
        if exact in self._by_name:
            raise GraphError(f"An operation named '{exact}' already exists (at {site}).")
        key = exact.lower()
        self._names_in_use[key] = max(self._names_in_use.get(key, 0), 1)
        return exact

    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """`name` under the current scope, suffixed `_1`, `_2`, ... when taken (TF1's rule).

        Args:
            name: The wanted name, without the scope.
            mark_as_used: Reserve the name, so the next request gets the next suffix.

        Returns:
            The full name to use.

        Examples:
            >>> g = tf.Graph()
            >>> print(g.unique_name("dense"), g.unique_name("dense"), g.unique_name("x", False))
            dense dense_1 x
        """
        if self._name_stack:
            name = f"{self._name_stack}/{name}"
        key = name.lower()
        i = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = i + 1
        if i > 0:
            base = key
            while key in self._names_in_use:
                key = f"{base}_{i}"
                i += 1
            if mark_as_used:
                self._names_in_use[key] = 1
            name = f"{name}_{i - 1}"
        return name

    # --- scopes -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def name_scope(self, name):
        """`with g.name_scope("layer"):` prefixes names with `layer/` (a repeat gets `layer_1/`).

        Args:
            name: The scope's name; a name ending in "/" re-enters that exact scope, and "" or
                None the root.

        Returns:
            A context manager whose value is the scope with its trailing "/" ("" at the root).

        Examples:
            >>> g = tf.get_default_graph()
            >>> with g.name_scope("layer") as scope:
            ...     w = tf.constant(1.0, name="w")
            >>> print(scope, w.name)
            layer/ layer/w:0
        """
        old = self._name_stack
        if not name:
            new = ""
        elif name.endswith("/"):
            new = name[:-1]
        else:
            new = self.unique_name(name)
        self._name_stack = new
        try:
            yield (new + "/") if new else ""
        finally:
            self._name_stack = old

    def get_name_scope(self) -> str:
        """The current name scope, without a trailing "/" ("" at the root).

        Returns:
            The scope as a string.

        Examples:
            >>> with tf.name_scope("outer"), tf.name_scope("inner"):
            ...     print(tf.get_default_graph().get_name_scope())
            outer/inner
        """
        return self._name_stack

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops created inside run only after `control_inputs`; None clears the outer ones.

        Args:
            control_inputs: A list of Operations or Tensors (or their names), or None.

        Returns:
            A context manager.

        Examples:
            >>> v = tf.Variable(1.0)
            >>> step = tf.assign_add(v, 1.0)
            >>> with tf.get_default_graph().control_dependencies([step]):
            ...     read = tf.identity(v)
            >>> with tf.Session() as sess:
            ...     sess.run(v.initializer)
            ...     print(sess.run(read))
            2.0
        """
        if control_inputs is None:
            saved, self._control_stack = self._control_stack, []
            try:
                yield
            finally:
                self._control_stack = saved
            return
        nodes = [self.as_operation(c) for c in control_inputs]
        self._control_stack.append(nodes)
        try:
            yield
        finally:
            self._control_stack.pop()

    @contextlib.contextmanager
    def device(self, device_name):
        """Ops created inside record `device_name` as their `device` (None or "" clears it).

        graphflow runs every op on the Session's executor; the device is kept, as TF1 keeps it.

        Args:
            device_name: A device string such as "/cpu:0", or None.

        Returns:
            A context manager.

        Examples:
            >>> with tf.get_default_graph().device("/cpu:0"):
            ...     c = tf.constant(1.0)
            >>> print(c.op.device)
            /cpu:0
        """
        if device_name is not None and not isinstance(device_name, str):
            raise TypeError(f"device() takes a device string such as '/cpu:0', got "
                            f"{type(device_name).__name__}")
        old, self._device = self._device, device_name or ""
        try:
            yield
        finally:
            self._device = old

    # --- lookup -----------------------------------------------------------------------------
    def get_operations(self) -> list[Operation]:
        """The graph's Operations, in the order they were built.

        Returns:
            A new list of Operations.

        Examples:
            >>> _ = tf.constant(1.0, name="a") + 2.0  # `+` names its op and constant as TF1
            >>> print([op.name for op in tf.get_default_graph().get_operations()])
            ['a', 'add/y', 'add']
        """
        return list(self._nodes)

    @property
    def nodes(self) -> list[Operation]:
        """The graph's own list of Operations, in build order (do not change it)."""
        return self._nodes

    def get_operation_by_name(self, name: str) -> Operation:
        """The Operation called `name` (no ":0": that is a tensor's name).

        Args:
            name: The operation's full name, scopes included ("layer/MatMul").

        Returns:
            The Operation; a GraphError says so when there is none.

        Examples:
            >>> _ = tf.placeholder(tf.float32, name="x")
            >>> print(tf.get_default_graph().get_operation_by_name("x").type)
            Placeholder
        """
        try:
            return self._by_name[name]
        except KeyError:
            raise GraphError(f"The graph has no operation named '{name}'.") from None

    def get_tensor_by_name(self, name: str) -> Tensor:
        """The Tensor called `name`: output `i` of an operation is "op_name:i".

        Args:
            name: The tensor's name, such as "x:0" or "layer/MatMul:0".

        Returns:
            The Tensor. A name without ":i" raises a GraphError that points to
            `get_operation_by_name`; an unknown operation or output index raises too.

        Examples:
            >>> x = tf.placeholder(tf.float32, [None, 3], name="x")
            >>> g = tf.get_default_graph()
            >>> print(g.get_tensor_by_name("x:0") is x)
            True
        """
        op_name, sep, index = name.rpartition(":")
        if not sep or not index.isdigit():
            raise GraphError(
                f"'{name}' is not a tensor name: tensor names look like 'op_name:0'. "
                f"For the operation use get_operation_by_name('{name}')."
            )
        node = self.get_operation_by_name(op_name)
        i = int(index)
        if i >= len(node.outputs):
            raise GraphError(f"Operation '{op_name}' has {len(node.outputs)} outputs; '{name}' "
                             "does not exist.")
        return node.outputs[i]

    def as_graph_element(self, obj):
        """A Tensor, Operation, or a name of either ('x:0' or 'x'), checked to be in this graph.

        Args:
            obj: A Tensor, an Operation, or the name of either.

        Returns:
            The Tensor or Operation.

        Examples:
            >>> x = tf.constant(1.0, name="x")
            >>> g = tf.get_default_graph()
            >>> print(g.as_graph_element("x:0") is x, g.as_graph_element("x") is x.op)
            True True
        """
        if isinstance(obj, str):
            return self.get_tensor_by_name(obj) if ":" in obj else self.get_operation_by_name(obj)
        if isinstance(obj, (Tensor, Operation)):
            if obj.graph is not self:
                raise GraphError(f"{obj!r} is not an element of this graph.")
            return obj
        raise TypeError(f"Cannot interpret {obj!r} as a graph element")

    def as_operation(self, obj) -> Operation:
        """The operation behind an Operation, a Tensor (or Variable) or a name.

        Args:
            obj: An Operation, a Tensor, a Variable, or the name of a tensor or an operation.

        Returns:
            The Operation.

        Examples:
            >>> x = tf.constant(1.0, name="x")
            >>> print(tf.get_default_graph().as_operation(x).name)
            x
        """
        if isinstance(obj, str):
            obj = self.as_graph_element(obj)
        if isinstance(obj, Tensor):
            return obj.op
        if isinstance(obj, Operation):
            return obj
        raise TypeError(f"Cannot interpret {obj!r} as an operation")

    # --- collections ------------------------------------------------------------------------
    def add_to_collection(self, name: str, value) -> None:
        """Append `value` to the collection `name` (made on first use).

        Args:
            name: The collection's key, such as `tf.GraphKeys.LOSSES`.
            value: Any object.

        Examples:
            >>> g = tf.get_default_graph()
            >>> g.add_to_collection("mine", 1)
            >>> print(g.get_collection("mine"))
            [1]
        """
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value) -> None:
        """Append `value` to each collection in `names` (one name, or a list of them).

        Args:
            names: A collection key or a list of keys.
            value: Any object.

        Examples:
            >>> g = tf.get_default_graph()
            >>> g.add_to_collections(["a", "b"], 1)
            >>> print(g.get_collection("a"), g.get_collection("b"))
            [1] [1]
        """
        for n in ([names] if isinstance(names, str) else names):
            self.add_to_collection(n, value)

    def get_collection(self, name: str, scope: str | None = None) -> list:
        """A copy of the collection `name`, only items whose name starts with `scope` when given.

        Args:
            name: The collection's key.
            scope: A name prefix to filter by (items without a name are dropped); None keeps all.

        Returns:
            A new list ([] for an unknown key).

        Examples:
            >>> with tf.variable_scope("a"):
            ...     v = tf.get_variable("v", [1])
            >>> g = tf.get_default_graph()
            >>> print([x.name for x in g.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, "a")])
            ['a/v:0']
        """
        items = list(self._collections.get(name, []))
        if scope is None:
            return items
        return [v for v in items if getattr(v, "name", "").startswith(scope)]

    def get_collection_ref(self, name: str) -> list:
        """The collection `name` itself (made empty on first use): changing it changes the graph's.

        Args:
            name: The collection's key.

        Returns:
            The list the graph holds.

        Examples:
            >>> g = tf.get_default_graph()
            >>> g.get_collection_ref("mine").append(2)
            >>> print(g.get_collection("mine"))
            [2]
        """
        return self._collections.setdefault(name, [])

    def clear_collection(self, name: str) -> None:
        """Remove the collection `name` (nothing happens when there is none).

        Args:
            name: The collection's key.

        Examples:
            >>> g = tf.get_default_graph()
            >>> g.add_to_collection("mine", 1)
            >>> g.clear_collection("mine")
            >>> print(g.get_collection("mine"))
            []
        """
        self._collections.pop(name, None)

    def get_all_collection_keys(self) -> list[str]:
        """The keys of the graph's collections, sorted.

        Returns:
            A list of strings.

        Examples:
            >>> g = tf.Graph()
            >>> g.add_to_collection("b", 1)
            >>> g.add_to_collection("a", 2)
            >>> print(g.get_all_collection_keys())
            ['a', 'b']
        """
        return sorted(self._collections)

    # --- lifecycle --------------------------------------------------------------------------
    def finalize(self) -> None:
        """Make the graph read-only: adding a node afterwards raises a GraphError.

        Finalizing before a training loop catches ops built by mistake on every iteration.

        Examples:
            >>> g = tf.Graph()
            >>> with g.as_default():
            ...     c = tf.constant(1.0)
            >>> g.finalize()
            >>> print(g.finalized)
            True
        """
        self._finalized = True

    @property
    def finalized(self) -> bool:
        """Whether `finalize` was called."""
        return self._finalized

    def as_default(self):
        """A context manager that makes this graph the default inside it.

        Returns:
            A context manager whose value is the graph.

        Examples:
            >>> g = tf.Graph()
            >>> with g.as_default() as default:
            ...     print(default is g, tf.get_default_graph() is g)
            True True
        """
        return _default_graph_context(self)

    def __len__(self):
        return len(self._nodes)

    def __repr__(self):
        return f"<graphflow.Graph with {len(self._nodes)} nodes>"


def _build_error(op, name, inputs, site, err: InferenceError):
    """Turn an op's rule failure into an error naming the op, its inputs and the user's line."""
    scoped = name[:-1] if name.endswith("/") else name  # an exact name ("add/", operators)
    lines = [f"{op.type} '{scoped}' built at {site.describe()}: {err}"]
    for i, t in enumerate(inputs):
        label = op.input_names[i] if i < len(op.input_names) else f"input {i}"
        lines.append(f"  {label}: {t.describe()}")
    attrs = {k: v for k, v in op.attrs.items() if v is not None}
    if attrs:
        lines.append(f"  attributes: {attrs}")
    if err.kind == "dtype":
        lines.append("  hint: graphflow never converts dtypes silently; "
                     "use graphflow.cast(x, dtype).")
        return DTypeError("\n".join(lines))
    return ShapeError("\n".join(lines))


# --- the default graph --------------------------------------------------------------------------
class _DefaultGraphStack(threading.local):
    def __init__(self):
        self.stack: list[Graph] = []
        self.global_default: Graph | None = None


_state = _DefaultGraphStack()


@contextlib.contextmanager
def _default_graph_context(graph: Graph):
    _state.stack.append(graph)
    try:
        yield graph
    finally:
        _state.stack.pop()


def get_default_graph() -> Graph:
    """The graph new ops go into: the innermost `as_default()` one, else the global default.

    Returns:
        A Graph.

    Examples:
        >>> c = tf.constant(1.0)
        >>> print(c.graph is tf.get_default_graph())
        True
    """
    if _state.stack:
        return _state.stack[-1]
    if _state.global_default is None:
        _state.global_default = Graph()
    return _state.global_default


def reset_default_graph() -> None:
    """Start a fresh default graph (and fresh name counters); not allowed inside `as_default()`.

    Examples:
        >>> old = tf.get_default_graph()
        >>> tf.reset_default_graph()
        >>> print(tf.get_default_graph() is old, tf.constant(1.0).name)
        False Const:0
    """
    if _state.stack:
        raise AssertionError(
            "Do not call reset_default_graph() inside a `with graph.as_default():` block."
        )
    _state.global_default = Graph()
