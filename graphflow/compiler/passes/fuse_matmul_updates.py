"""Matrix-product updates: `var.assign_sub(scale * matmul(a, b))` becomes one MatMulUpdate node.

For an executor whose MatMulUpdate kernel updates in place (BLAS with beta = 1), the product then
accumulates into the variable's storage instead of a temporary the variable's size that a second
pass subtracts (ops/matmul_update.py). Runs before fuse_updates, which would otherwise absorb the
scaling into an elementwise update. The product and the scaling must be read by nothing else,
`scale` must be a scalar, and neither operand may share the variable's storage (BLAS would read
what it is writing).
"""

from __future__ import annotations

from graphflow.compiler.ir import Node
from graphflow.ops.matmul_update import MatMulUpdate

DTYPES = ("float32", "float64")


def _only_use(value, node, uses, fetched) -> bool:
    return value not in fetched and uses.get(value) == [node]


def _is_scalar(value) -> bool:
    return value.shape.is_fully_defined() and value.shape.num_elements() == 1 \
        and value.shape.rank == 0


def _shares_state(value, key, target) -> bool:
    """True when `value` may be the variable `key`'s storage or a view of it."""
    stack, seen = [value], set()
    while stack:
        v = stack.pop()
        p = v.producer
        if p is None or v in seen:
            continue
        seen.add(v)
        if p.op.stateful and p.op.attrs.get("key") == key:
            return True
        if not target.fresh(p.op):
            stack.extend(p.inputs)
    return False


def _match(node, uses, fetched, target):
    """(scale, scale_first, product node, scaling node) when `node` may become a MatMulUpdate."""
    if node.op.update_combine not in ("Sub", "Add") or len(node.inputs) != 1:
        return None
    value = node.inputs[0]
    scaling = value.producer
    if scaling is None or scaling.type != "Mul" or scaling.pinned \
            or not _only_use(value, node, uses, fetched):
        return None
    for scale_first in (True, False):
        scale, product = scaling.inputs if scale_first else scaling.inputs[::-1]
        producer = product.producer
        if _is_scalar(scale) and producer is not None and producer.type == "MatMul":
            break
    else:
        return None
    if producer.pinned or not _only_use(product, scaling, uses, fetched):
        return None
    out = node.outputs[0]
    if not (product.shape.is_fully_defined() and out.shape.is_fully_defined()
            and product.shape == out.shape and product.dtype is out.dtype is scale.dtype
            and out.dtype.name in DTYPES):
        return None
    key = node.op.attrs.get("key")
    if any(_shares_state(v, key, target) for v in producer.inputs):
        return None
    return scale, scale_first, producer, scaling


def fuse_matmul_updates(program) -> str:
    target = program.target
    if not target.updates_in_place(MatMulUpdate):
        return "the executor fuses no matrix products into updates"
    uses = program.consumers()
    fetched = set(program.fetches)
    fused_of: dict = {}
    dropped: set = set()
    for node in program.nodes:
        found = _match(node, uses, fetched, target)
        if found is None:
            continue
        scale, scale_first, product, scaling = found
        attrs = product.op.attrs
        members = tuple(m for n in (product, scaling) for m in (
            n.members or ((n.source,) if n.source is not None else ())))
        op = MatMulUpdate(transpose_a=attrs.get("transpose_a", False),
                          transpose_b=attrs.get("transpose_b", False), scale_first=scale_first,
                          members=tuple(m.name for m in members) + (node.name,), update=node.op)
        fused = Node(op, [scale, *product.inputs], source=node.source, name=node.name,
                     pinned=node.pinned, members=members)
        fused.outputs = node.outputs
        for i, v in enumerate(fused.outputs):
            v.producer, v.index = fused, i
        fused_of[node] = fused
        dropped.update((product, scaling))
    if not fused_of:
        return "no update of a scaled matrix product"
    program.nodes = [fused_of.get(n, n) for n in program.nodes if n not in dropped]
    if program.targets:
        program.targets = [fused_of.get(n, n) for n in program.targets]
    names = ", ".join(n.name for n in list(fused_of)[:3]) + (", ..." if len(fused_of) > 3 else "")
    return f"{len(fused_of)} updates accumulate their matrix product in place ({names})"
