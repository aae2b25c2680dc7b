"""The compiler's working IR: SSA values and nodes copied from the graph, rewritten by passes.

The user's graph is never mutated: a `Program` refers to graph operations only as the `source` of
its nodes (for names, creation sites and error messages), and shares their Op instances read-only.
"""

from __future__ import annotations

from graphflow.compiler.target import DEFAULT_TARGET
from graphflow.core.shape import TensorShape


class Value:
    """One SSA value: produced by a node (or fed), with a dtype and a (specialised) shape."""

    __slots__ = ("id", "producer", "index", "dtype", "shape", "tensor", "buffer", "device")

    def __init__(self, id_: int, producer, index: int, dtype, shape, tensor=None):
        self.id = id_
        self.producer = producer
        self.index = index
        self.dtype = dtype
        self.shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
        self.tensor = tensor
        self.buffer = None  # memory plan: index of a reusable buffer, or None (fresh array)
        self.device = None  # placement: where the value lives (None: the target's device)

    @property
    def name(self) -> str:
        return self.tensor.name if self.tensor is not None else f"%{self.id}"

    @property
    def op(self):
        """The producing node, so an op's `infer` can look at a Const input (as on a Tensor)."""
        return self.producer if self.producer is not None else _FED

    def describe(self) -> str:
        if self.tensor is not None:
            return self.tensor.describe()
        return f"{self.name} {self.dtype.name}{self.shape.bracketed()}"

    def __repr__(self):
        return f"<Value {self.name} {self.dtype.name}{self.shape.bracketed()}>"


class _Fed:
    """Stands in for the producer of a fed value: nothing is known of its contents."""

    type = "Placeholder"
    inputs: list = []
    name = "<feed>"

    def get_attr(self, name):
        raise KeyError(name)


_FED = _Fed()


class Node:
    """An op applied to values. `source` is the graph Operation it stands for, if any."""

    __slots__ = ("op", "inputs", "outputs", "source", "name", "pinned", "members", "device",
                 "updates_in_place")

    def __init__(self, op, inputs, source=None, name=None, pinned=False, members=()):
        self.op = op
        self.inputs = list(inputs)
        self.outputs: list[Value] = []
        self.source = source
        self.name = name or (source.name if source is not None else op.type)
        self.pinned = pinned
        self.members = tuple(members)  # graph operations a fused or folded node replaced
        self.device = None  # placement: where it runs (None: the target's device)
        self.updates_in_place = False  # a state update the compiler found safe to do in place

    @property
    def type(self) -> str:
        return self.op.type

    @property
    def site(self):
        if self.source is not None:
            return self.source.site
        return self.members[0].site if self.members else "<compiler>"

    def get_attr(self, name):
        return self.op.attrs[name]

    def describe(self) -> str:
        return f"{self.type} '{self.name}' (built at {self.site})"

    def __repr__(self):
        return f"<Node {self.name} {self.type}>"


class Program:
    """What the passes rewrite: nodes in execution order, feeds, fetches, targets and a report.

    `target` describes the executor compiled for (graphflow.compiler.target): passes consult it.
    """

    def __init__(self, target=None):
        self.target = target if target is not None else DEFAULT_TARGET
        self.nodes: list[Node] = []
        self.feeds: list[Value] = []
        self.fetches: list[Value] = []
        self.targets: list[Node] = []
        self.report: list[tuple[str, str]] = []
        self.kept_sources: set = set()  # graph operations the run needs (the rest were pruned)
        self.buffers: list[int] = []  # memory plan: byte size of each reusable buffer
        self.memory: dict = {}  # memory plan summary
        self._next_id = 0

    def new_value(self, producer, index, dtype, shape, tensor=None) -> Value:
        v = Value(self._next_id, producer, index, dtype, shape, tensor)
        self._next_id += 1
        return v

    def add_outputs(self, node: Node, specs, tensors=None) -> Node:
        tensors = tensors or [None] * len(specs)
        node.outputs = [self.new_value(node, i, s.dtype, s.shape, t)
                        for i, (s, t) in enumerate(zip(specs, tensors))]
        return node

    def consumers(self) -> dict:
        """Value -> nodes reading it, recomputed on demand (passes change the wiring)."""
        uses: dict[Value, list[Node]] = {}
        for n in self.nodes:
            for v in n.inputs:
                uses.setdefault(v, []).append(n)
        return uses

    def replace_value(self, old: Value, new: Value) -> None:
        """Make every reader of `old` (nodes and fetches) read `new` instead."""
        self.replace_values({old: new})

    def replace_values(self, mapping: dict) -> None:
        """Rewire every reader through `mapping` (old value -> new value, chains followed)."""
        if not mapping:
            return

        def resolve(v):
            while v in mapping:
                v = mapping[v]
            return v

        for n in self.nodes:
            if any(v in mapping for v in n.inputs):
                n.inputs = [resolve(v) for v in n.inputs]
        self.fetches = [resolve(v) for v in self.fetches]

    def remove_dead(self) -> int:
        """Drop unpinned nodes none of whose outputs is read or fetched; returns how many.

        One walk back from the pinned nodes and the fetches (not a sweep repeated until nothing
        changes, which is quadratic on a long dead chain).
        """
        producer = {v: n for n in self.nodes for v in n.outputs}
        live: set = set()
        stack = [n for n in self.nodes if n.pinned]
        stack += [producer[v] for v in self.fetches if v in producer]
        while stack:
            n = stack.pop()
            if n in live:
                continue
            live.add(n)
            stack.extend(producer[v] for v in n.inputs if v in producer)
        removed = len(self.nodes) - len(live)
        if removed:
            self.nodes = [n for n in self.nodes if n in live]
        return removed
