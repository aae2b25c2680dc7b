"""Cycles in a directed graph given as successor lists: the check fusion needs, in linear time.

Iterative (no recursion limit on long chains) and dependency-free; nodes are any hashable
objects, `succ` maps every node to the nodes it points to.
"""

from __future__ import annotations


def is_acyclic(succ: dict) -> bool:
    """True when `succ` has no cycle (Kahn's algorithm: every node can be ordered)."""
    indegree = dict.fromkeys(succ, 0)
    for targets in succ.values():
        for m in targets:
            indegree[m] += 1
    ready = [n for n, d in indegree.items() if not d]
    ordered = 0
    while ready:
        n = ready.pop()
        ordered += 1
        for m in succ[n]:
            indegree[m] -= 1
            if not indegree[m]:
                ready.append(m)
    return ordered == len(indegree)


def cyclic_components(succ: dict) -> list:
    """The strongly connected components of more than one node (Tarjan's algorithm).

    A node with an edge to itself is not reported: the callers never make one.
    """
    index: dict = {}
    low: dict = {}
    on_stack: set = set()
    stack: list = []
    found = []
    for root in succ:
        if root in index:
            continue
        work = [(root, iter(succ[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            n, children = work[-1]
            for m in children:
                if m not in index:
                    index[m] = low[m] = len(index)
                    stack.append(m)
                    on_stack.add(m)
                    work.append((m, iter(succ[m])))
                    break
                if m in on_stack:
                    low[n] = min(low[n], index[m])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[n])
                if low[n] == index[n]:
                    component = []
                    while True:
                        m = stack.pop()
                        on_stack.discard(m)
                        component.append(m)
                        if m == n:
                            break
                    if len(component) > 1:
                        found.append(component)
    return found
