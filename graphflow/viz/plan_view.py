"""What a compiled Plan adds to a picture: slots on edges, step numbers, fused groups, pruning.

The plan is read by duck typing so the picture keeps working as the compiler grows:

- a step (or, in older plans, its `node`) stands for the graph operation in its `source`
  attribute (or is one itself);
- a step whose node has no source but has `members` (graph operations, or their names, that a
  fused or folded node replaced; a `members` attribute in `node.attrs` works too) is drawn as a
  purple cluster around those operations, labelled with the node's type, name and step number;
- members of a step that *does* have a source (duplicates merged into it) are marked `merged`;
- slots come from `plan.slot_values` (slot -> value with a `.tensor` and maybe a `.buffer`) or
  `plan.slot_tensors` (slot -> Tensor); an edge shows `%slot` and `@b<buffer>` when reused memory;
- every other drawn operation was pruned or optimised away, and is greyed.
"""

from __future__ import annotations

from graphflow.core.node import Operation, Tensor
from graphflow.viz import style


def fused_members(node) -> list[str]:
    """Names of the graph operations a step's node replaced (empty for an ordinary step)."""
    members = getattr(node, "members", None)
    if not members:
        attrs = getattr(node, "attrs", None)
        if not isinstance(attrs, dict):
            attrs = getattr(getattr(node, "op", None), "attrs", None)
        members = attrs.get("members") if isinstance(attrs, dict) else None
    if not members:
        return []
    return [m if isinstance(m, str) else getattr(m, "name", str(m)) for m in members]


def source_of(node) -> Operation | None:
    """The graph operation a step's node computes, if it is one node of the graph."""
    if isinstance(node, Operation):
        return node
    source = getattr(node, "source", None)
    return source if isinstance(source, Operation) else None


def _node(step):
    """What a step computes: the step itself, or the `node` of an older-style step."""
    return getattr(step, "node", step)


class PlanView:
    """Indexes a Plan by graph operation and tensor for the DOT writer."""

    def __init__(self, plan):
        self.plan = plan
        self.step_of: dict[Operation, int] = {}
        self.group_of: dict[str, str] = {}  # member name -> fused/folded cluster label
        self.merged_into: dict[str, int] = {}  # member name -> step it was merged into
        self.member_steps: dict[str, int] = {}
        self.graph = None
        self.specialised: dict[Tensor, object] = {}  # tensor -> the plan's value (its shape)
        for i, step in enumerate(plan.steps):
            node = _node(step)
            source = source_of(node)
            members = fused_members(node)
            if source is not None:
                self.step_of.setdefault(source, i)
                self.graph = self.graph or source.graph
                for name in members:
                    self.merged_into.setdefault(name, i)
            else:
                label = f"{getattr(node, 'type', 'step')} {node.name} (step {i})"
                for name in members:
                    self.group_of.setdefault(name, label)
                    self.member_steps.setdefault(name, i)
        for t in [*plan.fetches, *plan.feeds, *plan.targets]:
            self.graph = self.graph or getattr(t, "graph", None)
        self.slots, self.buffers = self._slots()
        self.fed_ops = {t.op for t in plan.feeds if isinstance(t, Tensor)}
        self.fetched = {t for t in plan.fetches if isinstance(t, Tensor)}

    def _slots(self) -> tuple[dict[Tensor, int], dict[Tensor, int]]:
        table = getattr(self.plan, "slot_values", None) or getattr(self.plan, "slot_tensors",
                                                                      None) or {}
        slots: dict[Tensor, int] = {}
        buffers: dict[Tensor, int] = {}
        for s, value in sorted(table.items()):
            t = value if isinstance(value, Tensor) else getattr(value, "tensor", None)
            if isinstance(t, Tensor) and t not in slots:
                slots[t] = s
                if value is not t and hasattr(value, "shape") and hasattr(value, "dtype"):
                    self.specialised[t] = value
                if getattr(value, "buffer", None) is not None:
                    buffers[t] = value.buffer
        if not table:  # a plan without the table: read slots off the feeds and steps
            slots.update(zip(self.plan.feeds, self.plan.feed_slots, strict=False))
            for step in self.plan.steps:
                outputs = getattr(_node(step), "outputs", ())
                out_slots = getattr(step, "out_slots", None) or step.outputs
                for value, s in zip(outputs, out_slots, strict=False):
                    t = value if isinstance(value, Tensor) else getattr(value, "tensor", None)
                    if isinstance(t, Tensor):
                        slots.setdefault(t, s)
        return slots, buffers

    def slot_label(self, t: Tensor) -> str | None:
        """`%3`, or `%3@b1` when the memory plan put the slot in reusable buffer 1."""
        if t not in self.slots:
            return None
        buffer = self.buffers.get(t)
        return f"%{self.slots[t]}" + (f"@b{buffer}" if buffer is not None else "")

    def is_pruned(self, node: Operation) -> bool:
        """True for a node the plan neither runs (alone, fused or merged) nor is fed."""
        return (node not in self.step_of and node.name not in self.group_of
                and node.name not in self.merged_into and node not in self.fed_ops)

    def fused_groups(self, drawn) -> dict[Operation, str]:
        """Drawn nodes that belong to a fused or folded step, mapped to their cluster's label."""
        return {n: self.group_of[n.name] for n in drawn
                if n.name in self.group_of and n not in self.step_of}

    def decorate_node(self, node: Operation, label: str) -> tuple[str, dict[str, str]]:
        """The node's label with its step number (or `fed`), and the greying of pruned nodes."""
        fetched = [self.slot_label(t) for t in node.outputs
                   if t in self.fetched and t in self.slots]
        tail = f" fetch {', '.join(fetched)}" if fetched else ""
        if node in self.step_of:
            return f"{label}\n#{self.step_of[node]}{tail}", {}
        if node.name in self.member_steps:
            return f"{label}\n#{self.member_steps[node.name]}{tail}", {}
        if node.name in self.merged_into:
            return f"{label}\nmerged into #{self.merged_into[node.name]}{tail}", {}
        if node in self.fed_ops:
            return f"{label}\nfed{tail}", {}
        if style.node_kind(node.type, node.name) == "constant":
            return label, {"fontcolor": style.NODE_STYLES["pruned"]["fontcolor"]}
        return label, dict(style.NODE_STYLES["pruned"])
