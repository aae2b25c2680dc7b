"""From a graph and a run signature to a Plan: prune, sort, allocate slots, plan lifetimes."""

from __future__ import annotations

import networkx as nx

from graphflow.compiler.plan import Plan, Step
from graphflow.core.node import Operation, Tensor
from graphflow.errors import InvalidArgumentError


def prune(fetches: list, targets: list, feeds: list) -> tuple[list, dict]:
    """The operations the fetches and targets need, stopping at fed tensors.

    Returns them and, for each, the first fetch or target that needed it (for error messages).
    """
    fed = set(feeds)
    needed_by: dict[Operation, str] = {}
    stack: list = [(t.op, t.name) for t in fetches if t not in fed]
    stack += [(op, op.name) for op in targets]
    while stack:
        op, why = stack.pop()
        if op in needed_by:
            continue
        needed_by[op] = why
        for t in op.inputs:
            if t not in fed and t.op not in needed_by:
                stack.append((t.op, why))
        for c in op.control_inputs:
            if c not in needed_by:
                stack.append((c, why))
    return list(needed_by), needed_by


def toposort(ops: list, feeds: list) -> list:
    """A deterministic topological order: ties broken by creation order."""
    fed = set(feeds)
    g = nx.DiGraph()
    g.add_nodes_from(ops)
    members = set(ops)
    for op in ops:
        for t in op.inputs:
            if t not in fed and t.op in members:
                g.add_edge(t.op, op)
        for c in op.control_inputs:
            if c in members:
                g.add_edge(c, op)
    # A variable is read as late as possible, right before its first reader, so that a read
    # placed under control_dependencies([assign]) sees the assigned value (TF1's ref semantics).
    keys = {}
    for op in ops:
        readers = [c.id for c in g.successors(op)] if op.type == "VariableV2" else []
        keys[op] = min(readers) - 0.5 if readers else op.id
    return list(nx.lexicographical_topological_sort(g, key=keys.__getitem__))


def check_feeds_present(ops: list, needed_by: dict) -> None:
    """Every placeholder the run needs must be fed."""
    from graphflow.ops.state import missing_feed_message

    for op in ops:
        if op.type == "Placeholder":
            raise InvalidArgumentError(missing_feed_message(op, needed_by[op]))


def compile_plan(fetches: list, targets: list, feeds: list) -> Plan:
    """Build the Plan that computes `fetches` and runs `targets` given values for `feeds`."""
    ops, needed_by = prune(fetches, targets, feeds)
    check_feeds_present(ops, needed_by)
    order = toposort(ops, feeds)

    slot_of: dict[Tensor, int] = {}
    slot_tensors: dict[int, Tensor] = {}

    def new_slot(t: Tensor) -> int:
        s = len(slot_of)
        slot_of[t] = s
        slot_tensors[s] = t
        return s

    feed_slots = [new_slot(t) for t in feeds]
    raw_steps = []
    for op in order:
        ins = tuple(slot_of[t] for t in op.inputs)
        outs = tuple(new_slot(t) for t in op.outputs)
        raw_steps.append((op, ins, outs))

    # Free every slot right after its last reader (or its writer, if nothing reads it).
    keep = {slot_of[t] for t in fetches}
    last_use: dict[int, int] = {s: -1 for s in feed_slots}
    for i, (_, ins, outs) in enumerate(raw_steps):
        for s in outs:
            last_use[s] = i
        for s in ins:
            last_use[s] = i
    frees_at: dict[int, list] = {}
    for s, i in last_use.items():
        if s not in keep and i >= 0:
            frees_at.setdefault(i, []).append(s)
    steps = [Step(op, ins, outs, tuple(sorted(frees_at.get(i, ()))))
             for i, (op, ins, outs) in enumerate(raw_steps)]
    plan = Plan(steps=steps, feeds=list(feeds), feed_slots=feed_slots, fetches=list(fetches),
                fetch_slots=[slot_of[t] for t in fetches], targets=list(targets),
                num_slots=len(slot_of), slot_tensors=slot_tensors)
    plan.report.append(("prune", f"kept {len(ops)} of {len(order[0].graph) if order else 0} nodes"))
    plan.report.append(("toposort", f"{len(order)} steps"))
    return plan
