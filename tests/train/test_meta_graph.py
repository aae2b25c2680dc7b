"""The Saver's graph file under TF1's name (`prefix.meta`), read back with its collections, and
TF's own protobuf MetaGraphDef refused by name."""

import json
import os

import numpy as np
import pytest

import graphflow.compat.v1 as tf
from graphflow.errors import InvalidArgumentError, NotFoundError


def _model():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.Variable([[1.0], [2.0]], name="w")
    prob = tf.sigmoid(tf.matmul(x, w), name="prob")
    loss = tf.reduce_mean(prob, name="loss")
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss, name="train")
    tf.add_to_collection("prediction", prob)
    tf.add_to_collection("train_op", train)
    tf.summary.scalar("loss", loss)
    return x, prob, train


def _save(directory, **kwargs):
    x, prob, _ = _model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        prefix = tf.train.Saver().save(sess, os.path.join(str(directory), "model"), **kwargs)
        expected = sess.run(prob, {x: [[1.0, -1.0]]})
    tf.reset_default_graph()
    return prefix, expected


def test_save_writes_the_graph_as_json_under_tf1s_name(tmp_path):
    prefix, _ = _save(tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model.index.json", "model.meta",
                                            "model.npz"]
    with open(prefix + ".meta", encoding="utf-8") as f:
        document = json.load(f)
    assert document["format"] == "graphflow-graph"
    assert document["collections"]["prediction"] == ["prob:0"]
    assert document["collections"]["train_op"] == ["train"]


@pytest.mark.parametrize("suffix", [".meta", ".meta.json"])
def test_import_restores_graph_and_collections(tmp_path, suffix):
    prefix, expected = _save(tmp_path)
    saver = tf.train.import_meta_graph(prefix + suffix)
    graph = tf.get_default_graph()
    with tf.Session() as sess:
        saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
        feed = {graph.get_tensor_by_name("x:0"): [[1.0, -1.0]]}
        prediction = tf.get_collection("prediction")[0]
        np.testing.assert_array_equal(sess.run(prediction, feed), expected)
        train = tf.get_collection("train_op")[0]
        assert train is graph.get_operation_by_name("train")
        sess.run(train, feed)
        assert sess.run(prediction, feed)[0, 0] < expected[0, 0]
        assert [t.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES)] == ["loss_1:0"]
        assert isinstance(sess.run(tf.summary.merge_all(), feed), bytes)


def test_a_graph_file_written_by_older_graphflow_is_found_by_tf1s_name(tmp_path):
    prefix, _ = _save(tmp_path)
    os.rename(prefix + ".meta", prefix + ".meta.json")
    assert tf.train.import_meta_graph(prefix + ".meta") is not None
    with pytest.raises(NotFoundError, match="other.meta"):
        tf.train.import_meta_graph(str(tmp_path / "other.meta"))


def test_collections_of_python_objects_are_left_out_whole(tmp_path):
    tf.add_to_collection("mixed", tf.constant(1.0, name="c"))
    tf.add_to_collection("mixed", {"not": "a graph element"})
    tf.add_to_collection("configs", "a string")
    prefix, _ = _save(tmp_path)
    tf.train.import_meta_graph(prefix + ".meta")
    graph = tf.get_default_graph()
    assert "mixed" not in graph.get_all_collection_keys()
    assert "configs" not in graph.get_all_collection_keys()
    assert graph.get_collection("prediction")[0].name == "prob:0"


def test_meta_graph_suffix_state_file_and_max_to_keep(tmp_path):
    x, _, _ = _model()
    saver = tf.train.Saver(max_to_keep=1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, str(tmp_path / "m"), global_step=1, meta_graph_suffix="graph")
        saver.save(sess, str(tmp_path / "m"), global_step=2, latest_filename="state")
        saver.save(sess, str(tmp_path / "n"), write_state=False, write_meta_graph=False)
    # m-1 went with its own graph file; n, saved without state, is not counted (TF1)
    assert sorted(os.listdir(tmp_path)) == [
        "checkpoint", "m-2.index.json", "m-2.meta", "m-2.npz", "n.index.json", "n.npz",
        "state"]
    assert tf.train.latest_checkpoint(str(tmp_path)) is None  # names m-1, whose files are gone
    assert tf.train.latest_checkpoint(str(tmp_path), "state") == str(tmp_path / "m-2")
    assert saver.last_checkpoints == [str(tmp_path / "m-2")]


def test_tf_binary_meta_graph_is_refused_by_name(tmp_path):
    # Built with tensorboard's copy of TF's protos, as TF's Saver writes it (a real 3,314-byte
    # .meta from TF 2.21's tf.compat.v1 Saver was checked the same way, 2026-12-02).
    meta_pb2 = pytest.importorskip("tensorboard.compat.proto.meta_graph_pb2",
                                   reason="building a MetaGraphDef needs tensorboard's protos")
    meta = meta_pb2.MetaGraphDef()
    meta.meta_info_def.tensorflow_version = "1.15.0"
    node = meta.graph_def.node.add()
    node.name, node.op = "x", "Placeholder"
    meta.collection_def["variables"].bytes_list.value.append(b"w")
    path = tmp_path / "tf_model.meta"
    path.write_bytes(meta.SerializeToString())
    with pytest.raises(InvalidArgumentError, match="cannot read TF's MetaGraphDef"):
        tf.train.import_meta_graph(str(path))


def test_tf_text_meta_graph_is_refused_and_damaged_json_stays_data_loss(tmp_path):
    text = tmp_path / "text.meta"
    text.write_text('meta_info_def {\n  stripped_op_list {\n    op {\n      name: "Add"\n')
    with pytest.raises(InvalidArgumentError, match="TensorFlow MetaGraphDef"):
        tf.train.import_meta_graph(str(text))
    damaged = tmp_path / "damaged.meta"
    damaged.write_bytes(b"\n\x05abc")  # a length running past the end: not a MetaGraphDef
    with pytest.raises(tf.errors.DataLossError, match="corrupt"):
        tf.train.import_meta_graph(str(damaged))
