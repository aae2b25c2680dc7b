"""A graph as JSON, and back: nodes in creation order with their attributes and collections.

Only plain JSON is read back (arrays as base64 of raw little-endian bytes, strings as base64),
so importing an untrusted file can never run code.
"""

from __future__ import annotations

import base64
import json

import numpy as np

from graphflow.core.dtypes import DType, as_dtype
from graphflow.core.graph import Graph, GraphKeys, get_default_graph
from graphflow.core.node import Operation, Tensor
from graphflow.core.shape import TensorShape
from graphflow.core.site import Site
from graphflow.errors import GraphError

FORMAT = "graphflow-graph"
VERSION = 1
_SAVED_COLLECTIONS = (GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES,
                      GraphKeys.LOCAL_VARIABLES, GraphKeys.UPDATE_OPS, GraphKeys.LOSSES,
                      GraphKeys.REGULARIZATION_LOSSES, GraphKeys.GLOBAL_STEP, GraphKeys.TRAIN_OP)


def _encode(value, where: str):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, DType):
        return {"dtype": value.name}
    if isinstance(value, TensorShape):
        return {"shape": None if value.dims is None else list(value.dims)}
    if isinstance(value, Tensor):
        return {"tensor": value.name}
    if isinstance(value, slice):
        return {"slice": [value.start, value.stop, value.step]}
    if value is Ellipsis:
        return {"ellipsis": True}
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            flat = [base64.b64encode(v if isinstance(v, bytes) else str(v).encode()).decode()
                    for v in value.ravel()]
            return {"strings": flat, "shape": list(value.shape)}
        data = np.ascontiguousarray(value, dtype=value.dtype.newbyteorder("<"))
        return {"array": base64.b64encode(data.tobytes()).decode(), "dtype": value.dtype.name,
                "shape": list(value.shape)}
    if isinstance(value, tuple):
        return {"tuple": [_encode(v, where) for v in value]}
    if isinstance(value, list):
        return [_encode(v, where) for v in value]
    if isinstance(value, dict):
        return {"dict": {str(k): _encode(v, where) for k, v in value.items()}}
    raise TypeError(f"Cannot serialise attribute {where} of type {type(value).__name__}")


def _decode(value, graph: Graph):
    if isinstance(value, list):
        return [_decode(v, graph) for v in value]
    if not isinstance(value, dict):
        return value
    if "dtype" in value and len(value) == 1:
        return as_dtype(value["dtype"])
    if "shape" in value and len(value) == 1:
        return TensorShape(value["shape"])
    if "tensor" in value:
        return graph.get_tensor_by_name(value["tensor"])
    if "slice" in value:
        return slice(*value["slice"])
    if "ellipsis" in value:
        return Ellipsis
    if "strings" in value:
        out = np.empty(len(value["strings"]), dtype=object)
        out[:] = [base64.b64decode(v) for v in value["strings"]]
        return out.reshape(value["shape"])
    if "array" in value:
        dtype = np.dtype(value["dtype"])
        if dtype.kind not in "biuf":
            raise GraphError(f"Unsupported array dtype {dtype} in a serialised graph")
        raw = base64.b64decode(value["array"])
        arr = np.frombuffer(raw, dtype=dtype.newbyteorder("<")).astype(dtype)
        arr = arr.reshape(value["shape"])
        arr.flags.writeable = False
        return arr
    if "tuple" in value:
        return tuple(_decode(v, graph) for v in value["tuple"])
    if "dict" in value:
        return {k: _decode(v, graph) for k, v in value["dict"].items()}
    raise GraphError(f"Unrecognised attribute encoding {sorted(value)}")


def graph_to_dict(graph: Graph) -> dict:
    nodes = []
    for node in graph.get_operations():
        attrs = {k: _encode(v, f"{node.name}.{k}") for k, v in node.op.attrs.items()}
        nodes.append({"name": node.name, "op": node.type, "attrs": attrs,
                      "inputs": [t.name for t in node.inputs],
                      "control_inputs": [c.name for c in node.control_inputs],
                      "site": [node.site.filename, node.site.lineno, node.site.function]})
    collections = {}
    for key in _SAVED_COLLECTIONS:
        items = [x.name for x in graph.get_collection(key) if isinstance(x, (Tensor, Operation))]
        if items:
            collections[key] = items
    return {"format": FORMAT, "version": VERSION, "seed": graph.seed, "nodes": nodes,
            "collections": collections}


def graph_to_json(graph: Graph | None = None) -> str:
    return json.dumps(graph_to_dict(graph if graph is not None else get_default_graph()),
                      indent=1)


def import_graph_dict(data: dict, graph: Graph | None = None) -> Graph:
    """Recreate the nodes of `data` in `graph` (the default graph), names and variables included."""
    from graphflow.ops.registry import get_op
    from graphflow.variables import Variable

    if data.get("format") != FORMAT:
        raise GraphError("Not a graphflow graph file (missing format marker).")
    graph = graph if graph is not None else get_default_graph()
    if data.get("seed") is not None and graph.seed is None:
        graph.seed = data["seed"]
    variables = {}
    for spec in data["nodes"]:
        op = get_op(spec["op"])(**{k: _decode(v, graph) for k, v in spec["attrs"].items()})
        inputs = [graph.get_tensor_by_name(n) for n in spec["inputs"]]
        if spec["op"] == "VariableV2":
            var = Variable.__new__(Variable)
            var.trainable = op.attrs.get("trainable", True)
            var.initializer = var.initial_value = var.constraint = None
            op.bound_output = var
            variables[spec["name"]] = var
        with graph.control_dependencies(None), \
                graph.control_dependencies([graph.get_operation_by_name(c)
                                            for c in spec["control_inputs"]]):
            node = graph.create_node(op, inputs, name=spec["name"] + "/")
        node.site = Site(*spec["site"]) if spec.get("site") else node.site
        if spec["op"] == "Assign" and node.name.endswith("/Assign"):
            owner = variables.get(node.name[: -len("/Assign")])
            if owner is not None and owner.initializer is None:
                owner.initializer, owner.initial_value = node, inputs[0]
    for key, names in data.get("collections", {}).items():
        for name in names:
            graph.add_to_collection(key, graph.as_graph_element(name))
    return graph


def import_graph_json(text: str, graph: Graph | None = None) -> Graph:
    return import_graph_dict(json.loads(text), graph)


def export_meta_graph(filename: str | None = None, graph: Graph | None = None) -> str:
    """The graph as JSON text, also written to `filename` when given."""
    text = graph_to_json(graph)
    if filename:
        with open(filename, "w") as f:
            f.write(text)
    return text


def import_meta_graph(meta_graph_or_file: str, graph: Graph | None = None):
    """Load a `.meta.json` graph into the default graph; returns a Saver for its variables."""
    from graphflow.train.saver import Saver

    with open(meta_graph_or_file) as f:
        graph = import_graph_json(f.read(), graph)
    variables = graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
    return Saver(variables) if variables else None
