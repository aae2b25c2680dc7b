"""The Graph: nodes in creation order, unique scoped names, collections and control scopes."""

from __future__ import annotations

import contextlib
import threading

from graphflow.core.node import Operation, Tensor
from graphflow.core.site import user_site
from graphflow.errors import DTypeError, GraphError, InferenceError, ShapeError


class GraphKeys:
    """Standard collection names, as in TF1."""

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
    """A dataflow graph. Append-only: compiling a run never changes it."""

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

    # --- node creation ----------------------------------------------------------------------
    def create_node(self, op, inputs=(), name: str | None = None) -> Operation:
        """Infer `op`'s outputs from `inputs`, then add a uniquely named node."""
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
            controls = [c for frame in self._control_stack for c in frame]
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
        """`name` under the current scope, suffixed `_1`, `_2`, ... when taken (TF1's rule)."""
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
        """`with g.name_scope("layer"):` prefixes names with `layer/` (a repeat gets `layer_1/`)."""
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
        return self._name_stack

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops created inside run only after `control_inputs`; None clears the outer ones."""
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
        """Ops created inside record `device_name` as their `device` (None or "" clears it)."""
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
        return list(self._nodes)

    @property
    def nodes(self) -> list[Operation]:
        return self._nodes

    def get_operation_by_name(self, name: str) -> Operation:
        try:
            return self._by_name[name]
        except KeyError:
            raise GraphError(f"The graph has no operation named '{name}'.") from None

    def get_tensor_by_name(self, name: str) -> Tensor:
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
        """A Tensor, Operation, or a name of either ('x:0' or 'x'), checked to be in this graph."""
        if isinstance(obj, str):
            return self.get_tensor_by_name(obj) if ":" in obj else self.get_operation_by_name(obj)
        if isinstance(obj, (Tensor, Operation)):
            if obj.graph is not self:
                raise GraphError(f"{obj!r} is not an element of this graph.")
            return obj
        raise TypeError(f"Cannot interpret {obj!r} as a graph element")

    def as_operation(self, obj) -> Operation:
        """The operation behind an Operation, a Tensor (or Variable) or a name."""
        if isinstance(obj, str):
            obj = self.as_graph_element(obj)
        if isinstance(obj, Tensor):
            return obj.op
        if isinstance(obj, Operation):
            return obj
        raise TypeError(f"Cannot interpret {obj!r} as an operation")

    # --- collections ------------------------------------------------------------------------
    def add_to_collection(self, name: str, value) -> None:
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value) -> None:
        for n in ([names] if isinstance(names, str) else names):
            self.add_to_collection(n, value)

    def get_collection(self, name: str, scope: str | None = None) -> list:
        items = list(self._collections.get(name, []))
        if scope is None:
            return items
        return [v for v in items if getattr(v, "name", "").startswith(scope)]

    def get_collection_ref(self, name: str) -> list:
        return self._collections.setdefault(name, [])

    def clear_collection(self, name: str) -> None:
        self._collections.pop(name, None)

    def get_all_collection_keys(self) -> list[str]:
        return sorted(self._collections)

    # --- lifecycle --------------------------------------------------------------------------
    def finalize(self) -> None:
        """Make the graph read-only: adding a node afterwards raises."""
        self._finalized = True

    @property
    def finalized(self) -> bool:
        return self._finalized

    def as_default(self):
        return _default_graph_context(self)

    def __len__(self):
        return len(self._nodes)

    def __repr__(self):
        return f"<graphflow.Graph with {len(self._nodes)} nodes>"


def _build_error(op, name, inputs, site, err: InferenceError):
    """Turn an op's rule failure into an error naming the op, its inputs and the user's line."""
    scoped = name
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
    if _state.stack:
        return _state.stack[-1]
    if _state.global_default is None:
        _state.global_default = Graph()
    return _state.global_default


def reset_default_graph() -> None:
    """Start a fresh default graph (and fresh name counters); not allowed inside `as_default()`."""
    if _state.stack:
        raise AssertionError(
            "Do not call reset_default_graph() inside a `with graph.as_default():` block."
        )
    _state.global_default = Graph()
