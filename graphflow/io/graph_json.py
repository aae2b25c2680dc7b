"""A graph as JSON, and back: nodes in creation order with their attributes and collections.

Only plain JSON is read back (see `attr_codec`), so importing an untrusted file can never run
code. Importing checks the file node by node exactly as if the graph were built from Python:
each node is made by its op class and `Graph.create_node`, which runs the op's `infer` (where
ops validate their attributes). A file that cannot be decoded raises DataLossError; one that
decodes into an invalid graph raises InvalidArgumentError; both name the file, the node and what
is wrong. The graph is built in a fresh Graph first, so a failed import adds nothing to yours.
"""

from __future__ import annotations

import json
import os

from graphflow.core.dtypes import DType
from graphflow.core.graph import Graph, GraphKeys, get_default_graph
from graphflow.core.node import Operation, Tensor
from graphflow.core.shape import TensorShape
from graphflow.core.site import Site
from graphflow.errors import DataLossError, GraphflowError, InvalidArgumentError, NotFoundError
from graphflow.io.atomic_files import atomic_write
from graphflow.io.attr_codec import AttrError
from graphflow.io.function_json import decode_value, encode_value

FORMAT = "graphflow-graph"
VERSION = 1
MAX_FILE_BYTES = 1 << 30
_VARIABLE_COLLECTIONS = (GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES,
                         GraphKeys.LOCAL_VARIABLES)
_NODE_FIELDS = {"name": str, "op": str, "attrs": dict, "inputs": list, "control_inputs": list,
                "site": list}


# --- writing ------------------------------------------------------------------------------------
def node_record(node: Operation) -> dict:
    """One node as a file records it (control-flow sub-graphs included, see function_json)."""
    attrs = {k: encode_value(v, f"{node.name}.{k}", node_record)
             for k, v in node.op.attrs.items()}
    return {"name": node.name, "op": node.type, "attrs": attrs,
            "inputs": [t.name for t in node.inputs],
            "control_inputs": [c.name for c in node.control_inputs],
            "site": [node.site.filename, node.site.lineno, node.site.function]}


def _saved_collections(graph: Graph) -> dict:
    """Every collection of the graph's own tensors and operations, by name, as TF1's meta graph
    keeps them (`add_to_collection("prediction", p)`, train_op, summaries, variables). One that
    holds anything else (a Python object, an op of a traced sub-graph) cannot be rebuilt from a
    file, so it is left out whole rather than saved in part."""
    collections = {}
    for key in graph.get_all_collection_keys():
        items = graph.get_collection(key)
        if not isinstance(key, str) or not items or not all(
                isinstance(x, (Tensor, Operation)) and x.graph is graph for x in items):
            continue
        collections[key] = [x.name for x in items]
    return collections


def graph_to_dict(graph: Graph) -> dict:
    nodes = [node_record(node) for node in graph.get_operations()]
    collections = _saved_collections(graph)
    return {"format": FORMAT, "version": VERSION, "seed": graph.seed, "nodes": nodes,
            "collections": collections}


def graph_to_json(graph: Graph | None = None) -> str:
    return json.dumps(graph_to_dict(graph if graph is not None else get_default_graph()),
                      indent=1)


def export_meta_graph(filename: str | None = None, meta_info_def=None, graph_def=None,
                      saver_def=None, collection_list=None, as_text: bool = False,
                      graph: Graph | None = None, export_scope=None, clear_devices: bool = False,
                      clear_extraneous_savers: bool = False, strip_default_attrs: bool = False,
                      save_debug_info: bool = False) -> str:
    """The graph as JSON text, also written (atomically) to `filename` when given.

    graphflow's graph files are JSON, so as_text changes nothing; strip_default_attrs,
    clear_extraneous_savers and save_debug_info neither. The other TF1 arguments work only at
    their defaults.

    Args:
        filename: Where to write the file (None: only return the text).
        meta_info_def: Only None.
        graph_def: Only None.
        saver_def: Only None.
        collection_list: Only None (every collection is written).
        as_text: Changes nothing.
        graph: The graph (default: the default graph).
        export_scope: Only None.
        clear_devices: Only False.
        clear_extraneous_savers: Changes nothing.
        strip_default_attrs: Changes nothing.
        save_debug_info: Changes nothing.

    Returns:
        The JSON text; `tf.train.import_meta_graph` reads the file back.

    Examples:
        >>> y = tf.add(tf.constant(1.0), 2.0, name="y")
        >>> text = tf.train.export_meta_graph("model.meta")
        >>> tf.reset_default_graph()
        >>> _ = tf.train.import_meta_graph("model.meta")
        >>> with tf.Session() as sess:
        ...     print(sess.run("y:0"))
        3.0
    """
    from graphflow.compat.missing import unsupported_argument

    del as_text, clear_extraneous_savers, strip_default_attrs, save_debug_info
    for arg, value, default in (("meta_info_def", meta_info_def, None),
                                ("graph_def", graph_def, None), ("saver_def", saver_def, None),
                                ("collection_list", collection_list, None),
                                ("export_scope", export_scope, None),
                                ("clear_devices", clear_devices, False)):
        if value != default:
            raise unsupported_argument("export_meta_graph", arg, value)
    text = graph_to_json(graph)
    if filename:
        atomic_write(filename, lambda f: f.write(text.encode()))
    return text


# --- reading: the document ----------------------------------------------------------------------
def _check_document(data, source: str) -> None:
    """Raise DataLossError unless `data` has the skeleton of a graph file (types of all fields)."""
    def fail(what: str):
        raise DataLossError(f"Graph file {source} is corrupt: {what}.")

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        fail(f"not a graphflow graph file (no \"format\": \"{FORMAT}\")")
    if type(data.get("version")) is not int or data["version"] != VERSION:
        fail(f"version {data.get('version')!r:.40} is not one this graphflow reads ({VERSION})")
    if data.get("seed") is not None and type(data["seed"]) is not int:
        fail(f"the graph seed must be an integer, got {data['seed']!r:.40}")
    if not isinstance(data.get("nodes"), list):
        fail("'nodes' must be a list of node records")
    for i, spec in enumerate(data["nodes"]):
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) \
                or not isinstance(spec.get("op"), str):
            fail(f"node {i} must be an object with a string 'name' and 'op'")
        for key, value in spec.items():
            if key not in _NODE_FIELDS:
                fail(f"node {i} '{spec['name']:.200}' has an unknown field {key!r:.40}")
            if not isinstance(value, _NODE_FIELDS[key]) and not (key == "site" and value is None):
                fail(f"node {i} '{spec['name']:.200}': '{key}' must be a "
                     f"{_NODE_FIELDS[key].__name__}, got {type(value).__name__}")
        names = spec.get("inputs", []) + spec.get("control_inputs", [])
        if not all(isinstance(n, str) for n in names):
            fail(f"node {i} '{spec['name']:.200}': inputs must be names (strings)")
    collections = data.get("collections", {})
    if not isinstance(collections, dict) or not all(
            isinstance(v, list) and all(isinstance(n, str) for n in v)
            for v in collections.values()):
        fail("'collections' must map collection names to lists of names")


def parse_graph_json(text, source: str = "<string>") -> dict:
    """The JSON document of a graph file (str or UTF-8 bytes), its skeleton checked."""
    try:
        if isinstance(text, (bytes, bytearray)):
            text = bytes(text).decode("utf-8")
        data = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        kind = "nested too deeply" if isinstance(err, RecursionError) else "not UTF-8 JSON"
        raise DataLossError(f"Graph file {source} is truncated or corrupt: {kind} "
                            f"({type(err).__name__}: {err})") from None
    _check_document(data, source)
    return data


def read_graph_file(path) -> dict:
    """The checked JSON document of the graph file at `path`."""
    try:
        path = os.fspath(path)
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise NotFoundError(f"No graph file at '{path}'.") from None
    except (OSError, TypeError, ValueError) as err:
        raise NotFoundError(f"Cannot read graph file {path!r:.200}: {err}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise DataLossError(f"Graph file {path} is larger than {MAX_FILE_BYTES} bytes.")
    if looks_like_tf_meta_graph(raw):
        raise InvalidArgumentError(
            f"{path} is a TensorFlow MetaGraphDef (protobuf), and graphflow cannot read TF's "
            "MetaGraphDef: build the model with graphflow (the same TF1 code) and save it with "
            "tf.train.Saver, whose PREFIX.meta file is graphflow's JSON graph file.")
    return parse_graph_json(raw, path)


def looks_like_tf_meta_graph(raw: bytes) -> bool:
    """Whether a graph file is TF's MetaGraphDef rather than graphflow's JSON: text format
    (`meta_info_def {`, `graph_def {`), or binary whose top level parses as MetaGraphDef's
    fields (numbers 1-7, each a length-delimited message) ending exactly at the file's end."""
    head = raw[:64].lstrip()
    if head.startswith(b"{") or not raw:
        return False
    if head.startswith((b"meta_info_def", b"graph_def")):
        return True
    pos = 0
    while pos < len(raw):
        tag, pos = _varint(raw, pos)
        if tag is None or tag & 7 != 2 or not 1 <= tag >> 3 <= 7:
            return False
        length, pos = _varint(raw, pos)
        if length is None or pos + length > len(raw):
            return False
        pos += length
    return True


def _varint(raw: bytes, pos: int):
    """A protobuf varint at `pos`: (value, next position), or (None, pos) if malformed."""
    value = shift = 0
    while pos < len(raw) and shift < 64:
        byte = raw[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
    return None, pos


# --- reading: the nodes -------------------------------------------------------------------------
def _site(value) -> Site | None:
    if value is None:
        return None
    if len(value) != 3 or not isinstance(value[0], str) or type(value[1]) is not int \
            or not isinstance(value[2], str):
        raise AttrError(f"'site' must be [filename, line, function], got {value!r:.80}")
    return Site(*value)


def _check_name(name: str) -> None:
    if not name or len(name) > 4096 or name.startswith("/") or name.endswith("/") \
            or any(ord(c) < 32 for c in name):
        raise AttrError(f"{name!r:.80} is not a valid operation name")


def _tensor(graph: Graph, name: str) -> Tensor:
    try:
        return graph.get_tensor_by_name(name)
    except GraphflowError:
        raise AttrError(f"tensor {name!r:.200} is not an output of an earlier node") from None


def _operation(graph: Graph, name: str) -> Operation:
    try:
        return graph.get_operation_by_name(name)
    except GraphflowError:
        raise AttrError(f"control input {name!r:.200} is not an earlier node") from None


def _build_node(spec: dict, graph: Graph, variables: dict) -> Operation:
    """One node of a file, made exactly as Python code would make it."""
    from graphflow.ops.registry import registered_ops
    from graphflow.variables import Variable

    name, op_type = spec["name"], spec["op"]
    _check_name(name)
    op_cls = registered_ops().get(op_type)
    if op_cls is None:
        raise AttrError(f"no op named {op_type!r:.80} is registered")
    attrs = {k: decode_value(v, graph, lambda n: _tensor(graph, n),
                             lambda s, g: _build_node(s, g, variables))
             for k, v in spec.get("attrs", {}).items()}
    if "variable" in attrs and not isinstance(attrs["variable"], Variable):
        raise AttrError(f"attribute 'variable' must name a variable, got "
                        f"{attrs['variable']!r:.80}")
    op = op_cls(**attrs)
    inputs = [_tensor(graph, n) for n in spec.get("inputs", [])]
    controls = [_operation(graph, n) for n in spec.get("control_inputs", [])]
    site = _site(spec.get("site"))
    if op_type == "VariableV2":
        trainable = op.attrs.get("trainable", True)
        if not isinstance(trainable, bool):
            raise AttrError(f"attribute 'trainable' must be true or false, got {trainable!r:.40}")
        var = Variable.__new__(Variable)
        var.trainable, var.initializer, var.initial_value, var.constraint = \
            trainable, None, None, None
        op.bound_output = var
    with graph.control_dependencies(None), graph.control_dependencies(controls):
        node = graph.create_node(op, inputs, name=name + "/")
    for t in node.outputs:
        if not isinstance(t.dtype, DType) or not isinstance(t.shape, TensorShape):
            raise AttrError(f"output {t.value_index} has no valid dtype and shape "
                            f"({t.dtype!r:.40}, {t.shape!r:.40}): check the attributes")
    if site is not None:
        node.site = site
    if op_type == "VariableV2":
        variables[name] = node.outputs[0]
    owner = variables.get(name[: -len("/Assign")]) if name.endswith("/Assign") else None
    if op_type == "Assign" and owner is not None and owner.initializer is None \
            and node.op.attrs.get("variable") is owner:
        owner.initializer, owner.initial_value = node, inputs[0]
    return node


def _build(data: dict, graph: Graph, source: str) -> None:
    """Add the file's nodes and collections to `graph`; InvalidArgumentError on a bad one."""
    variables: dict = {}
    for i, spec in enumerate(data["nodes"]):
        try:
            _build_node(spec, graph, variables)
        except Exception as err:  # noqa: BLE001 - any failure of hostile input names the node
            detail = str(err) if isinstance(err, (GraphflowError, AttrError)) \
                else f"{type(err).__name__}: {err}"
            raise InvalidArgumentError(
                f"Graph file {source}: node {i} '{spec['name']:.200}' ({spec['op']:.80}) is "
                f"invalid: {detail}") from None
    for name, var in variables.items():
        if var.initializer is None:
            raise InvalidArgumentError(f"Graph file {source}: variable '{name:.200}' has no "
                                       f"initializer (a node '{name:.200}/Assign' assigning it).")
    for key, names in data.get("collections", {}).items():
        for name in names:
            try:
                item = graph.as_graph_element(name)
            except (GraphflowError, TypeError) as err:
                raise InvalidArgumentError(f"Graph file {source}: collection '{key:.80}' names "
                                           f"{name!r:.200}, which is not in the graph ({err})") \
                    from None
            if key in _VARIABLE_COLLECTIONS and not any(item is v for v in variables.values()):
                raise InvalidArgumentError(f"Graph file {source}: collection '{key:.80}' holds "
                                           f"{name!r:.200}, which is not a variable")
            graph.add_to_collection(key, item)


def import_graph_dict(data: dict, graph: Graph | None = None, source: str = "<graph dict>"):
    """Recreate the nodes of `data` in `graph` (the default graph), names and variables included.

    Everything is first built and checked in a fresh Graph; `graph` is changed only when all of
    it is valid and none of its names is taken there.
    """
    _check_document(data, source)
    graph = graph if graph is not None else get_default_graph()
    if graph.finalized:
        raise InvalidArgumentError(f"Cannot import {source}: the graph is finalized.")
    trial = Graph()
    with trial.as_default():
        _build(data, trial, source)
    taken = sorted({spec["name"] for spec in data["nodes"]}
                   & {node.name for node in graph.get_operations()})
    if taken:
        raise InvalidArgumentError(f"Cannot import {source}: the graph already has operations "
                                   f"named {taken[:10]}{' ...' if len(taken) > 10 else ''}.")
    with graph.as_default():
        _build(data, graph, source)
    if data.get("seed") is not None and graph.seed is None:
        graph.seed = data["seed"]
    return graph


def import_graph_json(text, graph: Graph | None = None, source: str = "<string>") -> Graph:
    """Import graph JSON text (str or UTF-8 bytes); `source` names it in errors."""
    return import_graph_dict(parse_graph_json(text, source), graph, source)


def import_graph_file(path, graph: Graph | None = None) -> Graph:
    """Import the graph file at `path` into `graph` (the default graph)."""
    return import_graph_dict(read_graph_file(path), graph, os.fspath(path))
