"""Elementwise fusion: maximal convex groups of same-shaped elementwise ops become one node.

A node joins the group of one of its inputs when its output has the group's shape and no other
input depends on that group through a node outside it (which would make a cycle). Values used
outside a group, or fetched, become the fused node's results; the rest never materialise.
"""

from __future__ import annotations

import networkx as nx

from graphflow.compiler.ir import Node
from graphflow.ops.fused import FusedElementwise


def _fusable(node) -> bool:
    if node.pinned or not node.op.elementwise or node.op.takes_context or len(node.outputs) != 1:
        return False
    out = node.outputs[0]
    return out.shape.is_fully_defined() and not out.dtype.is_string


class _Groups:
    """Union-find over groups of nodes, with what each node depends on (as group ids)."""

    def __init__(self):
        self.parent: list[int] = []
        self.members: list[list] = []
        self.shape: list = []
        self.group_of: dict = {}
        self.depends: dict = {}

    def find(self, g: int) -> int:
        while self.parent[g] != g:
            self.parent[g] = self.parent[self.parent[g]]
            g = self.parent[g]
        return g

    def of(self, node):
        g = self.group_of.get(node)
        return None if g is None else self.find(g)

    def deps(self, node) -> set:
        return {self.find(g) for g in self.depends.get(node, ())}

    def new(self, node) -> int:
        g = len(self.parent)
        self.parent.append(g)
        self.members.append([node])
        self.shape.append(node.outputs[0].shape)
        self.group_of[node] = g
        return g

    def can_merge(self, g: int, h: int) -> bool:
        """True when no path leaves one group and re-enters the other through outside nodes."""
        if any(g in self.deps(m) for m in self.members[h]):
            return False
        for m in self.members[g]:
            for v in m.inputs:
                q = v.producer
                if q is not None and self.of(q) not in (g, h) and h in self.deps(q):
                    return False
        return True

    def merge(self, g: int, h: int) -> None:
        self.parent[h] = g
        self.members[g].extend(self.members[h])
        self.members[h] = []


def _form_groups(program) -> list:
    gs = _Groups()
    previous_pinned = None
    for node in program.nodes:
        producers = [v.producer for v in node.inputs if v.producer is not None]
        if node.pinned:  # pinned nodes keep their order: each follows the previous one
            if previous_pinned is not None:
                producers.append(previous_pinned)
            previous_pinned = node
        deps = set()
        for p in producers:
            deps |= gs.deps(p)
            if gs.of(p) is not None:
                deps.add(gs.of(p))
        gs.depends[node] = deps
        if not _fusable(node):
            continue
        shape = node.outputs[0].shape
        chosen = None
        for p in producers:
            g = gs.of(p)
            if g is None or gs.shape[g] != shape:
                continue
            if all(g not in gs.deps(q) for q in producers if gs.of(q) != g):
                chosen = g
                break
        if chosen is None:
            gs.new(node)
            continue
        gs.group_of[node] = chosen
        gs.members[chosen].append(node)
        for p in producers:  # pull in other same-shaped groups this node joins together
            h = gs.of(p)
            if h is not None and h != chosen and gs.shape[h] == shape and gs.can_merge(chosen, h):
                gs.merge(chosen, h)
    position = {n: i for i, n in enumerate(program.nodes)}
    groups = [sorted(m, key=position.__getitem__) for m in gs.members if len(m) > 1]
    return groups


def _fused_node(program, group, uses) -> Node:
    inside = set(group)
    inputs, index_of, steps, results = [], {}, [], []
    position = {}
    for j, node in enumerate(group):
        refs = []
        for v in node.inputs:
            if v.producer in inside:
                refs.append(-(position[v.producer] + 1))
            else:
                if v not in index_of:
                    index_of[v] = len(inputs)
                    inputs.append(v)
                refs.append(index_of[v])
        position[node] = j
        steps.append((node.type, dict(node.op.attrs), tuple(refs)))
    fetched = set(program.fetches)
    result_values = []
    for j, node in enumerate(group):
        out = node.outputs[0]
        if out in fetched or any(c not in inside for c in uses.get(out, [])):
            results.append(j)
            result_values.append(out)
    sources = tuple(n.source for n in group if n.source is not None)
    op = FusedElementwise(program=tuple(steps), results=tuple(results),
                          members=tuple(n.name for n in group))
    fused = Node(op, inputs, name=f"fused/{group[-1].name}", members=sources)
    fused.outputs = result_values
    for i, v in enumerate(result_values):
        v.producer, v.index = fused, i
    return fused


def _resort(program, position) -> None:
    """Topological order again after fusion, staying close to the original order."""
    g = nx.DiGraph()
    g.add_nodes_from(program.nodes)
    for n in program.nodes:
        for v in n.inputs:
            if v.producer is not None and v.producer in position:
                g.add_edge(v.producer, n)
    pinned = [n for n in program.nodes if n.pinned]
    for a, b in zip(pinned, pinned[1:]):
        g.add_edge(a, b)
    program.nodes = list(nx.lexicographical_topological_sort(g, key=position.__getitem__))


def fuse_elementwise(program) -> str:
    groups = _form_groups(program)
    if not groups:
        return "no groups of two or more elementwise ops"
    uses = program.consumers()
    position = {n: i for i, n in enumerate(program.nodes)}
    replaced = {}
    for group in groups:
        fused = _fused_node(program, group, uses)
        position[fused] = position[group[-1]]
        for n in group:
            replaced[n] = fused
    nodes, placed = [], set()
    for n in program.nodes:
        target = replaced.get(n, n)
        if target not in placed:
            placed.add(target)
            nodes.append(target)
    program.nodes = nodes
    _resort(program, position)
    sizes = ", ".join(str(len(g)) for g in groups)
    return f"fused {sum(map(len, groups))} ops into {len(groups)} groups (sizes {sizes})"
