"""Control-flow sub-graphs (FuncGraph attributes of If/While nodes) in graph files.

A sub-graph is written as `{"function": {...}}`: its name scope, its nodes (the same records as
the graph's own, in creation order), and its arguments, captures, outputs and records by tensor
name; captured tensors are named in the enclosing graph. Reading rebuilds it node by node
inside a new FuncGraph of the graph being imported, so every inner node is checked as if built
from Python.
"""

from __future__ import annotations

from graphflow.errors import GraphflowError
from graphflow.io.attr_codec import AttrError, decode_attr, encode_attr
from graphflow.ops.function_graph import FuncGraph

_FIELDS = {"scope": str, "nodes": list, "args": list, "captures": list, "outputs": list,
           "records": list}


def encode_value(value, where: str, node_record):
    """`encode_attr`, with FuncGraphs anywhere in tuples, lists and dicts written as functions."""
    if isinstance(value, FuncGraph):
        return {"function": {
            "scope": value.scope,
            "nodes": [node_record(n) for n in value.get_operations()],
            "args": [t.name for t in value.args],
            "captures": [["" if outer is None else outer.name, ph.name]
                         for outer, ph in value.captures],
            "outputs": [t.name for t in value.outputs],
            "records": [t.name for t in value.records]}}
    if isinstance(value, tuple) and any(_holds_function(v) for v in value):
        return {"tuple": [encode_value(v, where, node_record) for v in value]}
    if isinstance(value, list) and any(_holds_function(v) for v in value):
        return [encode_value(v, where, node_record) for v in value]
    if isinstance(value, dict) and any(_holds_function(v) for v in value.values()):
        return {"dict": {str(k): encode_value(v, where, node_record) for k, v in value.items()}}
    return encode_attr(value, where)


def _holds_function(value) -> bool:
    if isinstance(value, FuncGraph):
        return True
    if isinstance(value, (tuple, list)):
        return any(_holds_function(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_function(v) for v in value.values())
    return False


def decode_value(value, graph, resolve, build_node, depth: int = 0):
    """`decode_attr`, rebuilding functions in `graph` with `build_node(spec, func_graph)`."""
    if isinstance(value, dict) and set(value) == {"function"}:
        return _build_function(value["function"], graph, build_node)
    if depth < 16 and _encodes_function(value):
        if isinstance(value, list):
            return [decode_value(v, graph, resolve, build_node, depth + 1) for v in value]
        if set(value) == {"tuple"} and isinstance(value["tuple"], list):
            return tuple(decode_value(v, graph, resolve, build_node, depth + 1)
                         for v in value["tuple"])
        if set(value) == {"dict"} and isinstance(value["dict"], dict):
            return {k: decode_value(v, graph, resolve, build_node, depth + 1)
                    for k, v in value["dict"].items()}
    return decode_attr(value, resolve)


def _encodes_function(value, depth: int = 0) -> bool:
    if depth > 16:
        return False
    if isinstance(value, list):
        return any(_encodes_function(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return "function" in value or any(_encodes_function(v, depth + 1)
                                          for v in value.values())
    return False


def _build_function(spec, graph, build_node) -> FuncGraph:
    if not isinstance(spec, dict) or set(spec) != set(_FIELDS) or not all(
            isinstance(spec[k], t) for k, t in _FIELDS.items()):
        raise AttrError(f"a function must be an object with fields {sorted(_FIELDS)}")
    names = spec["args"] + spec["outputs"] + spec["records"]
    if not all(isinstance(n, str) for n in names) or not all(
            isinstance(c, list) and len(c) == 2 and all(isinstance(n, str) for n in c)
            for c in spec["captures"]):
        raise AttrError("a function names its tensors with strings")
    fg = FuncGraph(graph, spec["scope"])
    with fg.as_default():
        for node in spec["nodes"]:
            if not isinstance(node, dict) or not isinstance(node.get("name"), str) \
                    or not isinstance(node.get("op"), str):
                raise AttrError("a function's nodes must be objects with a 'name' and an 'op'")
            build_node(node, fg)
    inner = fg.get_tensor_by_name
    fg.args = [inner(n) for n in spec["args"]]
    for outer_name, ph_name in spec["captures"]:
        ph = inner(ph_name)
        if ph.op.type != "Placeholder" or ph.graph is not fg:
            raise AttrError(f"capture {ph_name!r:.200} must be a placeholder of the function")
        try:
            outer = graph.get_tensor_by_name(outer_name)
        except GraphflowError:
            # A function kept in a Replay's attributes (a recorded nested If or While) captured
            # tensors of a sub-graph that does not enclose the Replay; its gradient feeds the
            # function from the Replay's inputs, so the outer tensor is not needed.
            outer = None
        fg.captures.append((outer, ph))
        if outer is not None:
            fg._captured[outer] = ph
    fg.outputs = [inner(n) for n in spec["outputs"]]
    fg.records = [inner(n) for n in spec["records"]]
    return fg
