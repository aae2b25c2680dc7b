"""Traced functions: a Graph traced from a Python function over argument placeholders, for
control-flow ops (cond branches, loop bodies) and tf.data functions (map, filter, flat_map).

Tensors of an enclosing graph used inside are *captured*: each becomes an inner placeholder fed
by an extra input of the op (or, for tf.data, by the iterator's initialiser). A captured variable
is read afresh by key each time a control-flow sub-graph runs (an inner ReadVariable), so an
assignment in a loop body is seen by the next iteration; a tf.data function, which runs in a
state of its own, takes the variable's value as a plain capture (`read_variables=False`).
Variables created while tracing are lifted to the outermost graph (`init_scope`), as TF1 does.
A control-flow sub-graph shares names and collections with the outermost graph, so state keys
(random streams) stay unique across them; a tf.data function has its own (`own_names=True`).
"""

from __future__ import annotations

import contextlib

from graphflow.core.graph import Graph, get_default_graph
from graphflow.core.node import Operation, Tensor
from graphflow.core.site import argument_error
from graphflow.errors import GraphError
from graphflow.ops.state import Placeholder, ReadVariable


def root_graph(graph: Graph) -> Graph:
    """The outermost graph enclosing `graph` (itself unless it is a FuncGraph)."""
    while isinstance(graph, FuncGraph):
        graph = graph.outer
    return graph


@contextlib.contextmanager
def init_scope():
    """Build in the outermost graph with no control dependencies, keeping the name scope (TF1)."""
    current = get_default_graph()
    root = root_graph(current)
    if root is current:
        with current.control_dependencies(None):
            yield root
        return
    scope = current.get_name_scope()
    with root.as_default(), root.control_dependencies(None), \
            root.name_scope(scope + "/" if scope else ""):
        yield root


def is_variable_tensor(t: Tensor) -> bool:
    return t.op.type == "VariableV2"


class FuncGraph(Graph):
    """The graph of one traced function; `inputs` are the placeholders its caller feeds.

    `own_names`: names, collections and random-op indices of its own (a function that runs
    in its own state, as tf.data's do) instead of the outermost graph's. `read_variables`:
    whether a captured variable is read by key when the graph runs (else it is captured as a
    value, like any tensor). `what` names the function's user (`Dataset.map`) in errors."""

    def __init__(self, outer: Graph, scope: str, *, own_names: bool = False,
                 read_variables: bool = True, what: str | None = None):
        super().__init__()
        self.outer = outer
        root = root_graph(outer)
        self.own_names, self.read_variables, self.what = own_names, read_variables, what
        if not own_names:
            self._names_in_use = root._names_in_use  # one namespace: names stay unique keys
            self._collections = root._collections
        self._name_stack = self.scope = scope
        self.args: list[Tensor] = []  # explicit arguments (loop variables)
        self.captures: list[tuple[Tensor, Tensor]] = []  # (tensor of `outer`, inner placeholder)
        self._captured: dict[Tensor, Tensor] = {}  # outer tensor -> its inner placeholder
        self._reads: dict[Tensor, Tensor] = {}  # captured variable -> its uncontrolled read
        self.outer_controls: list[Operation] = []  # control inputs from enclosing graphs
        self.outputs: list[Tensor] = []
        self.records: list[Tensor] = []  # outputs of stateful ops the outputs need

    @property
    def seed(self):
        """The outermost graph's seed: random ops in a body derive theirs from it."""
        return root_graph(self).seed if "outer" in self.__dict__ else None

    @seed.setter
    def seed(self, value):
        if "outer" in self.__dict__:  # Graph.__init__ sets it before the graph is nested
            root_graph(self).seed = value

    def seed_index(self) -> int:
        """A random op's default seed2 here: counted over every sub-graph of the outermost
        graph, beyond the indices its own ops use, so no two random ops share a stream (with
        names of its own, the graph's own node count, as in any Graph)."""
        if self.own_names:
            return len(self.nodes)
        root = root_graph(self)
        count = root.__dict__.get("_sub_graph_random_ops", 0) + 1
        root.__dict__["_sub_graph_random_ops"] = count
        return 2**31 + count

    # --- building ---------------------------------------------------------------------------
    def add_arg(self, dtype, shape, name: str) -> Tensor:
        t = self.create_node(Placeholder(dtype=dtype, shape=shape), [], name=name).outputs[0]
        self.args.append(t)
        return t

    def capture(self, t: Tensor) -> Tensor:
        """The inner tensor standing for `t`, a tensor of this graph or of an enclosing one.

        A variable is read where it is used: under control dependencies, a new read that
        runs after them (TF1's reference variables read at their consumer)."""
        if t.graph is self:
            return t
        ph = self._captured.get(t)
        if ph is None:
            if not _encloses(self.outer, t.graph):
                if self.what:
                    raise argument_error(self.what, f"its function uses {t.describe()}, which "
                                         "belongs to neither its own graph nor a graph it is "
                                         "built in", GraphError)
                raise GraphError(f"{t.describe()} belongs to a graph that does not enclose "
                                 "this control-flow function; it cannot be used here.")
            outer_t = self.outer.capture(t) if isinstance(self.outer, FuncGraph) else t
            with self.control_dependencies(None), self.name_scope(self.scope + "/"):
                ph = self.create_node(Placeholder(dtype=t.dtype, shape=t.shape), [],
                                      name="capture").outputs[0]
            self.captures.append((outer_t, ph))
            self._captured[t] = ph
        if not is_variable_tensor(t) or not self.read_variables:
            return ph
        controlled = any(self._control_stack)
        read = None if controlled else self._reads.get(t)
        if read is None:  # read by key when it runs: assignments are seen
            with self.name_scope(self.scope + "/"):
                read = self.create_node(ReadVariable(variable=t), [ph], name="read").outputs[0]
            if not controlled:
                self._reads[t] = read
        return read

    def create_node(self, op, inputs=(), name: str | None = None) -> Operation:
        inputs = [self.capture(t) if isinstance(t, Tensor) and t.graph is not self else t
                  for t in inputs]
        return super().create_node(op, inputs, name=name)

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        if control_inputs is None:
            with super().control_dependencies(None):
                yield
            return
        inner = []
        for c in control_inputs:
            op = self.as_operation(c)
            if op.graph is self:
                inner.append(op)
            elif op not in self.outer_controls:
                self.outer_controls.append(op)
        with super().control_dependencies(inner):
            yield

    def get_operation_by_name(self, name: str) -> Operation:
        """An operation of this graph, else of the enclosing graphs (their tensors can be used)."""
        found = self._by_name.get(name)
        return found if found is not None else self.outer.get_operation_by_name(name)

    def as_graph_element(self, obj):
        if isinstance(obj, (Tensor, Operation)) and obj.graph is not self:
            return obj
        return super().as_graph_element(obj)

    def encloses(self, graph: Graph) -> bool:
        """True when `graph` is this graph or one it is nested in (its tensors can be used)."""
        return _encloses(self, graph)

    # --- what the op needs ------------------------------------------------------------------
    @property
    def inputs(self) -> list[Tensor]:
        """Every placeholder fed when the sub-graph runs: the arguments, then the captures."""
        return self.args + [ph for _, ph in self.captures]

    def needed_nodes(self) -> list[Operation]:
        """The nodes the outputs depend on (data and control edges), in creation order."""
        seen: set = set()
        stack = [t.op for t in self.outputs]
        while stack:
            op = stack.pop()
            if op in seen or op.graph is not self:
                continue
            seen.add(op)
            stack.extend(t.op for t in op.inputs)
            stack.extend(op.control_inputs)
        return sorted(seen, key=lambda o: o.id)

    def finish(self, outputs: list[Tensor]) -> None:
        """Fix the outputs and find the stateful ops they need, whose values a gradient must
        not recompute (`records`). In a sub-graph of the outermost graph these are all but the
        reads of variables it never writes, which a gradient reads again (TF1 too keeps such
        loop invariants unstacked: an RNN's weights are not saved per step). A nested
        sub-graph records every read: an enclosing body may write the variable later."""
        self.outputs = [self.capture(t) for t in outputs]
        fed = {t.op for t in self.inputs}
        needed = [op for op in self.needed_nodes() if op.op.stateful and op not in fed]
        self._stateful = bool(needed)
        nested = isinstance(self.outer, FuncGraph)
        written = None if nested else written_keys(self)
        self.records = [t for op in needed
                        if nested or not (op.type == "ReadVariable"
                                          and op.get_attr("key") not in written)
                        for t in op.outputs]

    @property
    def stateful(self) -> bool:
        """True when the sub-graph runs a stateful op (reads or writes state, draws)."""
        return self.__dict__.get("_stateful", bool(self.records))

    def __repr__(self):
        return f"<graphflow.FuncGraph '{self._name_stack}' with {len(self._nodes)} nodes>"


def written_keys(graph: FuncGraph) -> set:
    """The state keys the ops of `graph` (and of its nested sub-graphs) may write."""
    keys = set()
    for op in graph.get_operations():
        if op.op.stateful and op.type not in ("ReadVariable", "VariableV2", "Placeholder"):
            keys.add(op.op.attrs.get("key"))
        for _, sub, _ in getattr(op.op, "sub_graphs", lambda: [])():
            keys |= written_keys(sub)
    return keys


def _encloses(graph: Graph, other: Graph) -> bool:
    while True:
        if graph is other:
            return True
        if not isinstance(graph, FuncGraph):
            return False
        graph = graph.outer


def trace(outer: Graph, scope: str, fn, arg_specs=(), arg_names=None) -> tuple[FuncGraph, object]:
    """Run `fn` over new placeholders (one per `(dtype, shape)` in `arg_specs`) inside a new
    FuncGraph; returns the graph and whatever `fn` returned (outputs are set by the caller)."""
    graph = FuncGraph(outer, scope)
    with graph.as_default():
        args = [graph.add_arg(dt, sh, (arg_names[i] if arg_names else "Placeholder"))
                for i, (dt, sh) in enumerate(arg_specs)]
        result = fn(*args)
    return graph, result


def interpret(graph: FuncGraph, ctx, values: list, fetches: list | None = None) -> list:
    """Evaluate `fetches` (default: the outputs) with each inner op's NumPy compute, the inputs
    taking `values`: the reference meaning of a sub-graph."""
    env = dict(zip(graph.inputs, values))
    fetches = graph.outputs if fetches is None else fetches
    for op in graph.needed_nodes():
        if all(t in env for t in op.outputs):
            continue
        args = [env[t] for t in op.inputs]
        result = op.op.compute(ctx, *args) if op.op.takes_context else op.op.compute(*args)
        if len(op.outputs) == 1:
            result = (result,)
        env.update(zip(op.outputs, result))
    return [env[t] for t in fetches]
