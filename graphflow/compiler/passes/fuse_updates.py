"""Update fusion: a state update absorbs the elementwise ops that compute its value.

`var.assign_sub(lr * grad)` runs as a multiply into a temporary the size of the variable, then a
subtract into the variable: two passes over memory. When the value is made by one elementwise op
or fused group, read by nothing but the update, the two become one FusedUpdate node that an
executor may evaluate in one pass into the variable's storage. Ops declare how they update
(`Op.update_combine`); the pass knows no op by name, and fuses only for executors whose kernel
for FusedUpdate updates in place (elsewhere the split form costs nothing more).
"""

from __future__ import annotations

from graphflow.compiler.ir import Node
from graphflow.ops.fused import FusedElementwise
from graphflow.ops.fused_update import FusedUpdate
from graphflow.ops.registry import get_op


def _value_program(producer, target):
    """(program, results, members) of the op(s) making the update's value, or None."""
    op = producer.op
    if producer.pinned or len(producer.outputs) != 1:
        return None
    if isinstance(op, FusedElementwise):
        return op.program, op.results, op.members
    if not target.fusable(op):
        return None
    refs = tuple(range(len(producer.inputs)))
    return ((producer.type, dict(op.attrs), refs),), (0,), (producer.name,)


def _views_state(value, key, target) -> bool:
    """True when `value` may be a view of variable `key`'s storage other than the storage itself
    (a transpose of it, say): written over in place block by block, it would change under its
    own reader. The variable's own value is an exact alias, which the evaluator supports."""
    stack, seen = [(value, 0)], set()
    while stack:
        v, depth = stack.pop()
        p = v.producer
        if p is None or v in seen:
            continue
        seen.add(v)
        if p.op.stateful and p.op.attrs.get("key") == key:
            if depth:
                return True
            continue
        if not target.fresh(p.op):
            stack.extend((u, depth + 1) for u in p.inputs)
    return False


def _absorbable(node, uses, fetched, target):
    """The producer of `node`'s value when `node` may absorb it, else None."""
    combine = node.op.update_combine
    if combine is None or len(node.inputs) != 1 or len(node.outputs) != 1:
        return None
    if not target.fusable(get_op(combine)):
        return None
    value = node.inputs[0]
    producer = value.producer
    if producer is None or value in fetched or uses.get(value) != [node]:
        return None
    shape = node.outputs[0].shape
    if not (value.shape.is_fully_defined() and shape.is_fully_defined() and value.shape == shape
            and value.dtype is node.outputs[0].dtype):
        return None
    key = node.op.attrs.get("key")
    if any(_views_state(v, key, target) for v in producer.inputs):
        return None
    return producer


def fuse_updates(program) -> str:
    target = program.target
    if not target.updates_in_place(FusedUpdate):
        return "the executor fuses no state updates"
    uses = program.consumers()
    fetched = set(program.fetches)
    absorbed: dict = {}  # update node -> (fused node, producer)
    for node in program.nodes:
        producer = _absorbable(node, uses, fetched, target)
        made = producer is not None and _value_program(producer, target)
        if not made:
            continue
        steps, results, members = made
        op = FusedUpdate(program=steps, results=results, members=tuple(members) + (node.name,),
                         update=node.op)
        sources = producer.members or (
            (producer.source,) if producer.source is not None else ())
        fused = Node(op, producer.inputs, source=node.source, name=node.name,
                     pinned=node.pinned, members=sources)
        fused.outputs = node.outputs
        for i, v in enumerate(fused.outputs):
            v.producer, v.index = fused, i
        absorbed[node] = (fused, producer)
    if not absorbed:
        return "no state update absorbed its value's ops"
    dropped = {p for _, p in absorbed.values()}
    program.nodes = [absorbed[n][0] if n in absorbed else n
                     for n in program.nodes if n not in dropped]
    if program.targets:
        program.targets = [absorbed[n][0] if n in absorbed else n for n in program.targets]
    names = ", ".join(n.name for n in list(absorbed)[:3]) + (", ..." if len(absorbed) > 3 else "")
    return f"{len(absorbed)} state updates absorbed their value's ops ({names})"
