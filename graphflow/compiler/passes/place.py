"""Placement: each step runs where the target runs its op; transfers bridge the devices.

A target's native kernels run on its device, its declared host fallbacks on the host. Wherever a
step reads a value that lives on another device, an explicit Transfer step copies it across, once
per value and destination; fetched values stay where they are made (the run copies them out).
"""

from __future__ import annotations

from graphflow.compiler.ir import Node
from graphflow.ops.transfer import Transfer


def place_steps(program) -> str:
    target = program.target
    home = target.device
    for v in program.feeds:
        v.device = home
    for node in program.nodes:
        node.device = target.device_of(node.op)
        for v in node.outputs:
            v.device = node.device
    if all(n.device == home for n in program.nodes):
        return f"every step on {home}"
    copies: dict = {}  # (value, device) -> its copy there
    nodes = []
    for node in program.nodes:
        moved = []
        for v in node.inputs:
            where = v.device or home
            if where == node.device:
                moved.append(v)
                continue
            copy = copies.get((v, node.device))
            if copy is None:
                transfer = Node(Transfer(src=where, dst=node.device), [v],
                                name=f"transfer/{v.name.replace(':', '_')}")
                program.add_outputs(transfer, [v])
                transfer.device = node.device
                copy = transfer.outputs[0]
                copy.device = node.device
                copies[(v, node.device)] = copy
                nodes.append(transfer)
            moved.append(copy)
        node.inputs = moved
        nodes.append(node)
    program.nodes = nodes
    off = sum(1 for n in program.nodes if n.device != home and n.type != "Transfer")
    return f"{off} steps on other devices than {home}; {len(copies)} transfers"
