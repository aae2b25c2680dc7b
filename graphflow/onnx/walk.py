"""The part of a graph an export needs: from the outputs back to the inputs, in topological order.

Only data inputs are followed; control inputs order side effects, which an inference model does
not have. Creation order is a topological order (a node's inputs exist before it), so the needed
nodes are returned sorted by it, which also keeps the model's node order deterministic.
"""

from __future__ import annotations

from graphflow.core.node import Operation, Tensor
from graphflow.onnx.errors import ExportError


def as_tensors(graph, values, what: str) -> list[Tensor]:
    """`values` (tensors or tensor names, one or a list) as distinct tensors of `graph`."""
    if isinstance(values, (Tensor, str)):
        values = [values]
    out: list[Tensor] = []
    for v in values:
        if isinstance(v, str):
            v = graph.get_tensor_by_name(v)
        if isinstance(v, Operation):
            raise ExportError(f"{what} must be tensors, got the operation {v.describe()}; "
                              "pass one of its outputs (op.outputs[0])")
        if not isinstance(v, Tensor):
            raise TypeError(f"{what} must be tensors or tensor names, got {type(v).__name__}")
        if v.graph is not graph:
            raise ExportError(f"{what}: {v.describe()} belongs to another graph than the one "
                              "being exported")
        if v in out:
            raise ExportError(f"{what} lists {v.describe()} twice")
        out.append(v)
    if not out:
        raise ExportError(f"{what} is empty: name at least one tensor")
    return out


def needed_nodes(inputs: list[Tensor], outputs: list[Tensor], view=None) -> list[Operation]:
    """The nodes computing `outputs` from `inputs`, in creation (topological) order; with an
    InferenceView, each tensor is followed through what the view replaces it with.

    A Placeholder reached without being one of the inputs is an error naming it and the outputs
    that need it.
    """
    cut = set(inputs)
    needed: dict[Operation, None] = {}
    missing: dict[Operation, list[Tensor]] = {}

    def follow(t):
        t = view.resolve(t) if view is not None else t
        return [] if not isinstance(t, Tensor) or t in cut else [t.op]

    for out in outputs:
        stack = follow(out)
        seen: set[Operation] = set()
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            if node.type == "Placeholder":
                missing.setdefault(node, []).append(out)
                continue
            needed[node] = None
            for t in node.inputs:
                stack.extend(follow(t))
    if missing:
        lines = [f"  {node.describe()}, needed by "
                 + ", ".join(f"'{t.name}'" for t in outs) for node, outs in missing.items()]
        raise ExportError("the outputs depend on placeholders that are not among the export's "
                          "inputs:\n" + "\n".join(lines)
                          + "\nadd them to `inputs`, or export only outputs that do not need them")
    return sorted(needed, key=lambda n: n.id)
