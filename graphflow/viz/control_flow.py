"""Pictures of control flow: each If/While node's sub-graphs drawn as clusters beside it.

A cluster holds the nodes a branch or loop body runs (nested control flow inside it, nested);
dotted edges bring each captured outer tensor to its placeholder and each result to the node.
"""

from __future__ import annotations

from collections.abc import Callable

from graphflow.viz import style


def _quote(text: str) -> str:
    text = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\n", "\\n") + '"'


def _attrs(attrs: dict) -> str:
    return ", ".join(f"{k}={_quote(v)}" for k, v in attrs.items())


def sub_graph_parts(nodes, statement: Callable, edge_label: Callable,
                    outer_id: Callable | None = None) -> tuple[list, list]:
    """DOT cluster lines and edge lines for the sub-graphs of the control-flow nodes among
    `nodes`; `statement(op)` and `edge_label(tensor, consumer)` draw as the main picture does,
    `outer_id(op)` names the drawn node (or collapsed box) of an outer op a sub-graph captures."""
    clusters: list[str] = []
    edges: list[str] = []
    for node in nodes:
        if hasattr(node.op, "sub_graphs"):
            _draw(node, statement, edge_label, clusters, edges, "  ", outer_id)
    return clusters, edges


def _edge(a: str, b: str, kind: str, label: str = "") -> str:
    attrs = dict(style.EDGE_STYLES[kind])
    if label:
        attrs = {"label": label, **attrs}
    return f"{_quote(a)} -> {_quote(b)}" + (f" [{_attrs(attrs)}]" if attrs else "") + ";"


def _draw(node, statement, edge_label, out: list, edges: list, pad: str,
          outer_id: Callable | None = None) -> None:
    outer_id = outer_id or (lambda op: op.name)
    for label, graph, feeds in node.op.sub_graphs():
        inner = graph.needed_nodes()
        members = set(inner)
        out.append(f"{pad}subgraph {_quote(f'cluster_sub:{node.name}/{label}')} {{")
        attrs = {"label": f"{node.name}: {label}", **style.SUB_GRAPH_ATTRS}
        out.append(f"{pad}  graph [{_attrs(attrs)}];")
        for op in inner:
            out.append(f"{pad}  {statement(op)}")
        for op in inner:
            if hasattr(op.op, "sub_graphs"):
                _draw(op, statement, edge_label, out, edges, pad + "  ")  # plain names
        out.append(pad + "}")
        for op in inner:
            edges += [_edge(t.op.name, op.name, "data", edge_label(t, op))
                      for t in op.inputs if t.op in members]
            edges += [_edge(c.name, op.name, "control") for c in op.control_inputs
                      if c in members]
        fed = set(graph.inputs)
        edges += [_edge(outer_id(node.inputs[i].op), ph.op.name, "capture")
                  for ph, i in zip(graph.inputs, feeds) if ph.op in members]
        edges += [_edge(t.op.name, node.name, "result") for t in dict.fromkeys(graph.outputs)
                  if t.op in members and t not in fed]
