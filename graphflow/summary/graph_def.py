"""A graphflow Graph as TensorFlow's `GraphDef` proto (tensorboard's copy of the protos).

What TensorBoard's Graphs tab reads: each node's scoped name (the tab folds name scopes into
boxes), op type, inputs (`name`, `name:1`, `^name` for a control input; the variable an assign
writes comes first, as TF's `ref` input), device and attributes: dtypes, shapes, numbers,
strings, lists, small constant values, and `_output_shapes` from the static shapes (as TF1's
`as_graph_def(add_shapes=True)`). Also usable by other exporters.
"""

from __future__ import annotations

import numpy as np

from graphflow.core.dtypes import DType
from graphflow.core.graph import Graph, get_default_graph
from graphflow.core.node import Operation, Tensor
from graphflow.core.shape import TensorShape
from graphflow.summary.protos import protos

MAX_CONSTANT_ELEMENTS = 1024  # larger constant values are left out (TensorBoard shows shapes)
_TYPE_NAMES = {"float16": "DT_HALF", "float32": "DT_FLOAT", "float64": "DT_DOUBLE",
               "int8": "DT_INT8", "int16": "DT_INT16", "int32": "DT_INT32", "int64": "DT_INT64",
               "uint8": "DT_UINT8", "bool": "DT_BOOL", "string": "DT_STRING"}


def data_type(dtype: DType) -> int:
    """The `types_pb2.DataType` enum value of a graphflow dtype."""
    return protos().types.DataType.Value(_TYPE_NAMES[dtype.name])


def shape_proto(shape: TensorShape):
    """A TensorShapeProto: unknown dimensions are -1, an unknown rank is `unknown_rank`."""
    pb = protos().tensor_shape.TensorShapeProto()
    if shape.rank is None:
        pb.unknown_rank = True
        return pb
    for d in shape.as_list():
        pb.dim.add(size=-1 if d is None else int(d))
    return pb


def tensor_input(t: Tensor) -> str:
    return t.op.name if t.value_index == 0 else f"{t.op.name}:{t.value_index}"


def _list_attr(values: list):
    pb = protos().attr_value.AttrValue()
    kinds = {type(_plain(v)) for v in values}
    if kinds <= {bool}:
        pb.list.b.extend(bool(v) for v in values)
    elif kinds <= {int}:
        pb.list.i.extend(int(v) for v in values)
    elif kinds <= {int, float}:
        pb.list.f.extend(float(v) for v in values)
    elif kinds <= {str, bytes}:
        pb.list.s.extend(v.encode() if isinstance(v, str) else v for v in values)
    elif kinds <= {DType}:
        pb.list.type.extend(data_type(v) for v in values)
    elif kinds <= {TensorShape}:
        pb.list.shape.extend(shape_proto(v) for v in values)
    elif kinds <= {Tensor, Operation}:
        pb.list.s.extend(v.name.encode() for v in values)
    else:
        pb.s = repr(values).encode()
    return pb


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def attr_value(value):
    """The AttrValue of one op attribute, or None when it has no useful form (None, a large
    constant)."""
    pb = protos().attr_value.AttrValue()
    value = _plain(value)
    if value is None:
        return None
    if isinstance(value, bool):
        pb.b = value
    elif isinstance(value, int):
        pb.i = value
    elif isinstance(value, float):
        pb.f = value
    elif isinstance(value, (str, bytes)):
        pb.s = value.encode() if isinstance(value, str) else value
    elif isinstance(value, DType):
        pb.type = data_type(value)
    elif isinstance(value, TensorShape):
        pb.shape.CopyFrom(shape_proto(value))
    elif isinstance(value, (Tensor, Operation)):
        pb.s = value.name.encode()  # the variable an Assign writes, say
    elif isinstance(value, np.ndarray):
        if value.size > MAX_CONSTANT_ELEMENTS:
            return None
        if value.dtype == object:
            value = np.vectorize(lambda v: v if isinstance(v, bytes) else str(v).encode(),
                                 otypes=[object])(value) if value.size else value
        pb.tensor.CopyFrom(protos().tensor_util.make_tensor_proto(value))
    elif isinstance(value, (list, tuple)):
        return _list_attr(list(value))
    else:
        pb.s = repr(value).encode()
    return pb


def node_def(node: Operation, add_shapes: bool = True):
    """One node as a NodeDef."""
    pb = protos().node_def.NodeDef(name=node.name, op=node.type, device=node.device or "")
    written = node.op.attrs.get("variable")
    if isinstance(written, Tensor):  # Assign*, optimizer updates: TF's `ref` input comes first
        pb.input.append(tensor_input(written))
    pb.input.extend(tensor_input(t) for t in node.inputs)
    pb.input.extend(f"^{c.name}" for c in node.control_inputs)
    for key, value in node.op.attrs.items():
        converted = None if value is written else attr_value(value)
        if converted is not None:
            pb.attr[key].CopyFrom(converted)
    if add_shapes and node.outputs:
        pb.attr["_output_shapes"].list.shape.extend(shape_proto(t.shape) for t in node.outputs)
    return pb


def graph_to_graph_def(graph: Graph | None = None, add_shapes: bool = True):
    """`graph` (default: the default graph) as a `GraphDef`, nodes in creation order."""
    graph = graph if graph is not None else get_default_graph()
    pb = protos().graph.GraphDef()
    pb.node.extend(node_def(n, add_shapes) for n in graph.get_operations())
    return pb
