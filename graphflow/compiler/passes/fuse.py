"""Elementwise fusion: maximal convex groups of same-shaped elementwise ops become one node.

A node joins the group of one of its inputs when its output has the group's shape and no other
input depends on that group through a node outside it (which would make a cycle). Values used
outside a group, or fetched, become the fused node's results; the rest never materialise.
"""

from __future__ import annotations

import heapq

from graphflow.compiler.cycles import cyclic_components, is_acyclic
from graphflow.compiler.ir import Node
from graphflow.ops.fused import FusedElementwise


def _fusable(node, target) -> bool:
    if node.pinned or not node.op.elementwise or node.op.takes_context or len(node.outputs) != 1:
        return False
    if not target.fusable(node.op):
        return False
    out = node.outputs[0]
    return out.shape.is_fully_defined() and not out.dtype.is_string


class _Groups:
    """Union-find over groups of nodes. What each node depends on is a bitset of group ids
    (a Python int), so unions and membership tests stay cheap on graphs of thousands of nodes.

    What a group's outside producers depend on is kept as bitsets too: one for producers in no
    group (they never join one), and one per group the others were in. A merge test then costs
    the number of neighbouring groups, not the number of outside producers (which grows with
    the group, and made fusing a 100k-op chain quadratic).
    """

    def __init__(self):
        self.parent: list[int] = []
        self.members: list[list] = []
        self.shape: list = []
        self.mask: list[int] = []  # root -> bits of every raw group id merged into it
        self.group_deps: list[int] = []  # root -> bits of the groups its members depend on
        self.free_deps: list[int] = []  # root -> what its ungrouped outside producers depend on
        self.outside: list[dict] = []  # root -> {group id: what its producers there depend on}
        self.group_of: dict = {}
        self.depends: dict = {}  # node -> bits of the raw group ids it depends on

    def find(self, g: int) -> int:
        while self.parent[g] != g:
            self.parent[g] = self.parent[self.parent[g]]
            g = self.parent[g]
        return g

    def of(self, node):
        g = self.group_of.get(node)
        return None if g is None else self.find(g)

    def depends_on(self, node, g: int) -> bool:
        return bool(self.depends.get(node, 0) & self.mask[g])

    def new(self, node) -> int:
        g = len(self.parent)
        self.parent.append(g)
        self.members.append([node])
        self.shape.append(node.outputs[0].shape)
        self.mask.append(1 << g)
        self.group_deps.append(self.depends.get(node, 0))
        self.free_deps.append(0)
        self.outside.append({})
        self.group_of[node] = g
        self._note_producers(g, node)
        return g

    def join(self, g: int, node) -> None:
        self.group_of[node] = g
        self.members[g].append(node)
        self.group_deps[g] |= self.depends.get(node, 0)
        self._note_producers(g, node)

    def _note_producers(self, g: int, node) -> None:
        outside = self.outside[g]
        for v in node.inputs:
            p = v.producer
            if p is None:
                continue
            bits = self.depends.get(p, 0)
            if not bits:
                continue
            k = self.of(p)
            if k is None:
                self.free_deps[g] |= bits
            elif k != g:
                outside[k] = outside.get(k, 0) | bits

    def can_merge(self, g: int, h: int) -> bool:
        """True when no path leaves one group and re-enters the other through outside nodes."""
        mask = self.mask[h]
        if self.group_deps[h] & self.mask[g] or self.free_deps[g] & mask:
            return False
        for k, bits in self.outside[g].items():
            if bits & mask and self.find(k) not in (g, h):
                return False
        return True

    def merge(self, g: int, h: int) -> None:
        self.parent[h] = g
        self.mask[g] |= self.mask[h]
        self.group_deps[g] |= self.group_deps[h]
        self.free_deps[g] |= self.free_deps[h]
        self.members[g].extend(self.members[h])
        self.members[h] = []
        outside: dict = {}
        for part in (self.outside[g], self.outside[h]):
            for k, bits in part.items():
                r = self.find(k)
                if r != g:
                    outside[r] = outside.get(r, 0) | bits
        self.outside[g] = outside
        self.outside[h] = {}


def _form_groups(program) -> list:
    gs = _Groups()
    previous_pinned = None
    for node in program.nodes:
        producers = [v.producer for v in node.inputs if v.producer is not None]
        if node.pinned:  # pinned nodes keep their order: each follows the previous one
            if previous_pinned is not None:
                producers.append(previous_pinned)
            previous_pinned = node
        deps = 0
        for p in producers:
            deps |= gs.depends.get(p, 0)
            g = gs.of(p)
            if g is not None:  # reading a group means depending on all it depends on
                deps |= gs.mask[g] | gs.group_deps[g]
        gs.depends[node] = deps
        if not _fusable(node, program.target):
            continue
        shape = node.outputs[0].shape
        chosen = None
        for p in producers:
            g = gs.of(p)
            if g is None or gs.shape[g] != shape:
                continue
            if not any(gs.depends_on(q, g) for q in producers if gs.of(q) != g):
                chosen = g
                break
        if chosen is None:
            gs.new(node)
            continue
        gs.join(chosen, node)
        for p in producers:  # pull in other same-shaped groups this node joins together
            h = gs.of(p)
            if h is not None and h != chosen and gs.shape[h] == shape and gs.can_merge(chosen, h):
                gs.merge(chosen, h)
    position = {n: i for i, n in enumerate(program.nodes)}
    groups = [sorted(m, key=position.__getitem__) for m in gs.members if len(m) > 1]
    return _without_cycles(program, groups)


def _without_cycles(program, groups) -> list:
    """Dissolve groups that would make the fused program cyclic.

    The greedy checks above see a group's dependencies as they were when a node joined it; a
    group that grows later can still close a cycle through outside nodes. This exact check on
    the condensed graph catches those rare cases.
    """
    while groups:
        owner = {n: i for i, g in enumerate(groups) for n in g}
        condensed: dict = {}
        previous = None
        for n in program.nodes:
            here = ("g", owner[n]) if n in owner else n
            condensed.setdefault(here, set())
            for v in n.inputs:
                if v.producer is not None:
                    there = ("g", owner[v.producer]) if v.producer in owner else v.producer
                    if there != here:
                        condensed.setdefault(there, set()).add(here)
            if n.pinned:
                if previous is not None and previous != here:
                    condensed[previous].add(here)
                previous = here
        if is_acyclic(condensed):
            return groups
        bad = {c[1] for scc in cyclic_components(condensed) for c in scc
               if isinstance(c, tuple)}
        groups = [g for i, g in enumerate(groups) if i not in bad]
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
    """Topological order again after fusion, staying as close to the original order as possible.

    Kahn's algorithm with a heap keyed by original position (pinned nodes also follow each
    other), so the result is deterministic and unchanged wherever fusion changed nothing.
    """
    nodes = program.nodes
    members = set(nodes)
    succ: dict = {n: [] for n in nodes}
    indegree = dict.fromkeys(nodes, 0)
    previous = None
    for n in nodes:
        preds = {v.producer for v in n.inputs if v.producer in members}
        if n.pinned:
            if previous is not None:
                preds.add(previous)
            previous = n
        for p in preds:
            succ[p].append(n)
            indegree[n] += 1
    order_key = {n: (position[n], i) for i, n in enumerate(nodes)}
    ready = [order_key[n] + (n,) for n in nodes if indegree[n] == 0]
    heapq.heapify(ready)
    out = []
    while ready:
        *_, n = heapq.heappop(ready)
        out.append(n)
        for m in succ[n]:
            indegree[m] -= 1
            if indegree[m] == 0:
                heapq.heappush(ready, order_key[m] + (m,))
    if len(out) != len(nodes):
        raise AssertionError("fusion produced a cycle; please report this graph")
    program.nodes = out


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
