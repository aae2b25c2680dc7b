"""The export driver: walk the graph, freeze the variables, convert each node, check, save."""

from __future__ import annotations

import os

import numpy as np
import onnx
from onnx import helper

from graphflow.core.graph import Graph
from graphflow.onnx.builder import MIN_OPSET, ModelBuilder, tensor_name, value_info
from graphflow.onnx.converters import converter_for
from graphflow.onnx.errors import ExportError
from graphflow.onnx.inference import InferenceView
from graphflow.onnx.walk import as_tensors, needed_nodes


def export(graph_or_session, inputs, outputs, path=None, opset: int = 17):
    """Write the part of the graph computing `outputs` from `inputs` as an ONNX model.

    See `graphflow.onnx.export` for the arguments. Returns `path` (as a string) when one is given,
    else the `onnx.ModelProto`.
    """
    graph, session = _graph_and_session(graph_or_session)
    opset = _check_opset(opset)
    ins = as_tensors(graph, inputs, "inputs")
    outs = as_tensors(graph, outputs, "outputs")
    view = InferenceView(ins)
    nodes = needed_nodes(ins, outs, view)

    b = ModelBuilder(opset, reserved_names=[n.name for n in graph.nodes])
    b.variables = _frozen_variables(nodes, session)
    env = {t: tensor_name(t) for t in ins}

    def name_of(t):
        """The ONNX value of `t`: its own, its replacement's, or a stored constant."""
        if t not in env:
            value = view.resolve(t)
            env[t] = env[value] if not isinstance(value, np.ndarray) \
                else b.initializer(value, hint="inference_value")
        return env[t]

    for node in nodes:
        b.begin(node)
        names = converter_for(node)(b, node, [name_of(t) for t in node.inputs])
        if len(names) != len(node.outputs):
            raise ExportError(f"the ONNX converter of {node.describe()} returned {len(names)} "
                              f"values for its {len(node.outputs)} outputs")
        env.update(zip(node.outputs, names, strict=True))

    input_infos = [_input_info(t) for t in ins]
    for t in outs:
        if name_of(t) != tensor_name(t):  # e.g. FusedBatchNorm's mean output is its mean input
            b.begin(t.op)
            b.add("Identity", [env[t]], tensor_name(t))
    b.prune([tensor_name(t) for t in outs])
    model = _model(b, input_infos, _output_infos(b, outs, input_infos), opset)
    try:
        onnx.checker.check_model(model, full_check=True)
    except (onnx.checker.ValidationError, onnx.shape_inference.InferenceError) as err:
        raise ExportError(f"the exported model fails onnx.checker (a converter bug; please "
                          f"report it with the graph): {err}") from err
    if path is None:
        return model
    path = os.fspath(path)
    onnx.save_model(model, path)
    return path


def _input_info(t):
    if t.shape.rank is None:
        raise ExportError(f"the input {t.describe()} has an unknown rank, which an ONNX graph "
                          "input cannot have: give the placeholder a shape (None entries, for "
                          "dimensions known only at run time, are fine)")
    return value_info(tensor_name(t), t.dtype, t.shape,
                      symbol=lambda i: f"{tensor_name(t)}_dim{i}")


def _output_infos(b, outs, input_infos) -> list:
    """The outputs' declarations. ONNX needs each one's rank: where graphflow's static shape
    has none (a reshape to a computed shape), ONNX's shape inference is asked for it."""
    infos = [value_info(tensor_name(t), t.dtype, t.shape) for t in outs]
    unknown = [i for i, t in enumerate(outs) if t.shape.rank is None]
    if not unknown:
        return infos
    probe = onnx.shape_inference.infer_shapes(_model(b, input_infos, infos, b.opset))
    inferred = {v.name: v for v in [*probe.graph.value_info, *probe.graph.output]}
    for i in unknown:
        found = inferred.get(tensor_name(outs[i]))
        if found is None or not found.type.tensor_type.HasField("shape"):
            raise ExportError(f"the output {outs[i].describe()} has an unknown rank, which an "
                              "ONNX graph output cannot have; give it one (t.set_shape([None, "
                              "...]), or squeeze with an explicit axis)")
        infos[i].type.tensor_type.shape.CopyFrom(found.type.tensor_type.shape)
    return infos


def _graph_and_session(obj):
    if isinstance(obj, Graph):
        return obj, None
    graph, state = getattr(obj, "graph", None), getattr(obj, "state", None)
    if isinstance(graph, Graph) and state is not None:
        return graph, obj
    raise TypeError(f"graphflow.onnx.export takes a Graph or a Session, got {type(obj).__name__}")


def _check_opset(opset) -> int:
    newest = onnx.defs.onnx_opset_version()
    if not isinstance(opset, int) or not MIN_OPSET <= opset <= newest:
        raise ExportError(f"opset must be an int from {MIN_OPSET} to {newest} (the newest this "
                          f"onnx {onnx.__version__} knows), got {opset!r}")
    return opset


def _frozen_variables(nodes, session) -> dict:
    """The values of the variables the export needs, read from the session's state."""
    variables = [n for n in nodes if n.type == "VariableV2"]
    if not variables:
        return {}
    listed = "\n".join(f"  {n.describe()}" for n in variables)
    if session is None:
        raise ExportError("the outputs read variables, whose values live in a Session, not in "
                          "the graph: call graphflow.onnx.export(sess, ...) with the session "
                          f"that trained or restored them. The variables:\n{listed}")
    missing = [n for n in variables if not session.state.is_initialized(n)]
    if missing:
        raise ExportError("these variables are not initialized in the session, so there is no "
                          "value to freeze into the model (run the initializer or restore a "
                          "checkpoint first):\n" + "\n".join(f"  {n.describe()}" for n in missing))
    return {n: session.state.variable_to_host(n) for n in variables}


def _model(b, input_infos, output_infos, opset: int):
    from graphflow import __version__

    graph = helper.make_graph(b.nodes, "graphflow", input_infos, output_infos,
                              initializer=b.initializers)
    opsets = [helper.make_opsetid("", opset)]
    return helper.make_model(graph, opset_imports=opsets, producer_name="graphflow",
                             producer_version=__version__,
                             ir_version=helper.find_min_ir_version_for(opsets))
