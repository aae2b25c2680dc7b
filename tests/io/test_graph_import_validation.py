"""Importing a graph file checks it node by node as if built from Python, and fails cleanly."""

import ast
import json
from pathlib import Path

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import DataLossError, InvalidArgumentError, NotFoundError
from graphflow.io.graph_json import import_graph_json

ROOT = Path(__file__).resolve().parents[2]


def _node(data: dict, op: str) -> dict:
    return next(n for n in data["nodes"] if n["op"] == op)


def test_a_saved_graph_round_trips_into_the_default_graph(saved_graph, tmp_path):
    path = tmp_path / "g.meta.json"
    path.write_text(saved_graph.text)
    saver = tf.train.import_meta_graph(str(path))
    graph = tf.get_default_graph()
    names = [n["name"] for n in saved_graph.data["nodes"]]
    assert [n.name for n in graph.get_operations()] == names
    assert {v.op.name for v in saver._vars.values()} == {
        "conv/kernel", "conv/bias", "dense/kernel", "dense/bias"}
    with tf.Session(executor="reference") as sess:
        sess.run(tf.global_variables_initializer())
        y = sess.run("y:0", {"x:0": np.ones((2, 6, 6, 1), np.float32)})
    assert y.shape == (2, 2)


@pytest.mark.parametrize("damage, error, message", [
    (lambda d, t: t[: len(t) // 2], DataLossError, "truncated or corrupt: not UTF-8 JSON"),
    (lambda d, t: b"\xff" + t, DataLossError, "UnicodeDecodeError"),
    (lambda d, t: b"[" * 50000 + b"]" * 50000, DataLossError, "nested too deeply"),
    (lambda d, t: b"[]", DataLossError, "not a graphflow graph file"),
    (lambda d, t: {**d, "version": 7}, DataLossError, "version 7"),
    (lambda d, t: {**d, "nodes": {"a": 1}}, DataLossError, "'nodes' must be a list"),
    (lambda d, t: {**d, "nodes": [5]}, DataLossError, "node 0 must be an object"),
    (lambda d, t: {**d, "collections": {"variables": "w"}}, DataLossError, "'collections'"),
])
def test_a_file_that_cannot_be_decoded_is_data_loss(saved_graph, damage, error, message):
    err = saved_graph.check_import(damage(saved_graph.fresh(), saved_graph.text.encode()))
    assert isinstance(err, error) and message in str(err), err


NESTED = json.loads("[" * 40 + "1" + "]" * 40)


@pytest.mark.parametrize("op, field, key, value, message", [
    ("MaxPool", "op", None, "NoSuchOp", "no op named 'NoSuchOp'"),
    ("MaxPool", "attrs", "window", 3, "unknown attributes ['window']"),
    ("MaxPool", "inputs", None, ["missing:0"], "'missing:0' is not an output of an earlier"),
    ("MaxPool", "control_inputs", None, ["missing"], "control input 'missing'"),
    ("Cast", "attrs", "dtype", {"dtype": "float128"}, "unknown dtype 'float128'"),
    ("Cast", "attrs", "dtype", {"dtype": 5}, "a dtype must be a name"),
    ("Placeholder", "attrs", "shape", {"shape": [-1, 3]}, "a dimension of a shape"),
    ("Placeholder", "attrs", "shape", {"shape": [True]}, "a dimension of a shape"),
    ("Placeholder", "attrs", "dtype", "float32", "no valid dtype and shape"),
    ("MaxPool", "attrs", "strides", {"tuple": [1, 10 ** 30, 1, 1]}, "an integer attribute"),
    ("MaxPool", "attrs", "strides", {"tuple": [1, 0, 0, 1]}, "MaxPool"),
    ("MaxPool", "attrs", "ksize", NESTED, "nested deeper than 32"),
    ("Const", "attrs", "value", {"array": "!!", "dtype": "float32", "shape": [1]},
     "not valid base64"),
    ("Const", "attrs", "value", {"array": "AAAA", "dtype": "float32", "shape": [9]},
     "array data has 3 bytes"),
    ("Const", "attrs", "value", {"array": "AAAA", "dtype": "object", "shape": [1]},
     "array dtype 'object'"),
    ("Const", "attrs", "value", {"pickle": "gASVAAAA"}, "unrecognised attribute encoding"),
    ("StridedSlice", "attrs", "spec", {"tuple": [{"slice": [0, 1, 0]}]},
     "slice step cannot be zero"),
    ("Assign", "attrs", "variable", {"tensor": "x:0"}, "attribute 'variable' must name a"),
    ("MatMul", "name", None, "x", "An operation named 'x' already exists"),
    ("MatMul", "name", None, "bad/", "not a valid operation name"),
    ("MatMul", "site", None, ["f.py", "3", "g"], "'site' must be [filename, line"),
])
def test_a_file_describing_an_invalid_graph_names_the_node_and_the_problem(
        saved_graph, op, field, key, value, message):
    data = saved_graph.fresh()
    node = _node(data, op)
    if key is None:
        node[field] = value
    else:
        node[field][key] = value
    err = saved_graph.check_import(data)
    assert isinstance(err, InvalidArgumentError) and message in str(err), err
    assert f"'{node['name']}' ({node['op']})" in str(err)


def test_whole_graph_checks_variables_collections_and_names(saved_graph):
    data = saved_graph.fresh()
    data["nodes"] = [n for n in data["nodes"] if n["name"] != "dense/bias/Assign"]
    err = saved_graph.check_import(data)
    assert "variable 'dense/bias' has no initializer" in str(err) or "dense/bias/Assign" in str(err)

    data = saved_graph.fresh()
    data["collections"]["variables"].append("y:0")
    assert "which is not a variable" in str(saved_graph.check_import(data))

    data = saved_graph.fresh()
    data["collections"]["train_op"] = ["nothing"]
    assert "which is not in the graph" in str(saved_graph.check_import(data))


def test_nothing_is_added_to_a_graph_that_already_has_those_names(saved_graph):
    graph = tf.Graph()
    with graph.as_default():
        tf.constant(1.0, name="y")
    with pytest.raises(InvalidArgumentError, match=r"already has operations named \['y'\]"):
        import_graph_json(saved_graph.text, graph)
    assert [n.name for n in graph.get_operations()] == ["y"]
    graph.finalize()
    with pytest.raises(InvalidArgumentError, match="finalized"):
        import_graph_json(saved_graph.text, graph)


def test_a_missing_file_is_not_found(tmp_path):
    with pytest.raises(NotFoundError, match="No graph file at"):
        tf.train.import_meta_graph(str(tmp_path / "none.meta.json"))
    assert tf.get_default_graph().get_operations() == []


def test_graph_files_know_nothing_of_train():
    """The import circle io <-> train is gone: nothing under graphflow/io imports train/."""
    for path in (ROOT / "graphflow" / "io").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not [n for n in names if n.startswith("graphflow.train")], path
    assert tf.train.import_meta_graph.__module__ == "graphflow.train.saver"


def test_a_graph_file_round_trips_through_json_text(saved_graph):
    graph = tf.Graph()
    import_graph_json(saved_graph.text.encode(), graph)
    assert json.loads(tf.train.export_meta_graph(graph=graph))["nodes"] == saved_graph.data["nodes"]


@pytest.mark.parametrize("raised", [ZeroDivisionError("division by zero"), OverflowError("big"),
                                    RecursionError("deep"), MemoryError("2 TB")])
def test_a_raw_exception_from_an_ops_infer_becomes_an_error_naming_the_node(
        saved_graph, monkeypatch, raised):
    from graphflow.ops.registry import get_op

    def infer(self, *inputs):
        raise raised

    monkeypatch.setattr(get_op("MaxPool"), "infer", infer)
    err = saved_graph.check_import(saved_graph.text)
    assert isinstance(err, InvalidArgumentError)
    assert f"'MaxPool' (MaxPool) is invalid: {type(raised).__name__}: {raised}" in str(err)


def test_import_meta_graph_takes_a_graph_document_too(saved_graph):
    saver = tf.train.import_meta_graph(saved_graph.fresh())
    assert saver is not None
    assert tf.get_default_graph().get_operation_by_name("y").type == "Identity"
    with pytest.raises(DataLossError, match="<graph dict> is corrupt: 'nodes' must be a list"):
        tf.train.import_meta_graph({**saved_graph.fresh(), "nodes": None}, graph=tf.Graph())
