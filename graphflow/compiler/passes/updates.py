"""In-place state updates: where a variable may be updated in its own storage.

A target may update variables in place (`assign_add` writing into the variable's array) instead
of storing a new array. That is only invisible when nothing read from the variable before the
update is still needed after it: a value read earlier (or a view of one) that a later step reads,
or that the run returns, would otherwise change under its reader. Such updates store a new array,
exactly as the reference executor does.
"""

from __future__ import annotations


def _state_key(node):
    attrs = node.op.attrs
    return attrs.get("key") if node.op.stateful else None


def plan_state_updates(program) -> str:
    target = program.target
    updaters = [n for n in program.nodes if target.updates_in_place(n.op)]
    if not updaters:
        return "no in-place state updates"
    position = {n: i for i, n in enumerate(program.nodes)}
    uses = program.consumers()
    fetched = set(program.fetches)
    # For each variable key: the values that may share its storage, with where they are made.
    aliases: dict = {}
    alias_keys: dict = {}  # value -> keys whose storage it may share
    for node in program.nodes:
        keys = set()
        own = _state_key(node)
        if own is not None:
            keys.add(own)
        if not target.fresh(node.op):
            for v in node.inputs:
                keys |= alias_keys.get(v, set())
        if not keys:
            continue
        for v in node.outputs:
            alias_keys[v] = keys
            for k in keys:
                aliases.setdefault(k, []).append((v, position[node]))
    legal = 0
    for node in updaters:
        i = position[node]
        key = _state_key(node)
        node.updates_in_place = not any(
            made < i and (v in fetched or any(position[c] > i for c in uses.get(v, ())))
            for v, made in aliases.get(key, ()))
        legal += node.updates_in_place
    return f"{legal} of {len(updaters)} state updates in place"
