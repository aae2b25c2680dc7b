"""Saver: by-name save/restore, TF1's naming story, atomic and pickle-free files, clear errors."""

import json
import os

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import InvalidArgumentError
from graphflow.train import DataLossError, NotFoundError


def _build(order=("weights", "bias"), named=True):
    made = {}
    for kind in order:
        shape = [2, 3] if kind == "weights" else [3]
        init = np.arange(np.prod(shape), dtype=np.float32).reshape(shape) + (
            10 if kind == "bias" else 0)
        made[kind] = tf.Variable(init, name=f"{kind}_0" if named else None)
    return made


def test_save_then_restore_by_name_into_a_rebuilt_graph(tmp_path):
    v = _build()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(v["weights"].assign(v["weights"] * 2.0))
        saved = sess.run([v["weights"], v["bias"]])
        path = saver.save(sess, str(tmp_path / "model.ckpt"))
    assert path == str(tmp_path / "model.ckpt")
    assert v["weights"].name == "weights_0:0" and v["bias"].name == "bias_0:0"

    tf.reset_default_graph()
    v = _build(order=("bias", "weights"))  # a different build order: names still match
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, path)  # no initializer needed
        restored = sess.run([v["weights"], v["bias"]])
    np.testing.assert_array_equal(restored[0], saved[0])
    np.testing.assert_array_equal(restored[1], saved[1])


def test_unnamed_variables_in_another_order_fail_clearly_and_change_nothing(tmp_path):
    _build(named=False)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, str(tmp_path / "m"))
    tf.reset_default_graph()
    v = _build(order=("bias", "weights"), named=False)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(v["bias"])
        with pytest.raises(InvalidArgumentError, match=r"lhs shape= \[3\] rhs shape= \[2,3\]"):
            tf.train.Saver().restore(sess, path)
        np.testing.assert_array_equal(sess.run(v["bias"]), before)


def test_missing_variable_names_it_and_changes_nothing(tmp_path):
    w = tf.Variable(1.0, name="w")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, str(tmp_path / "m"))
    extra = tf.Variable(5.0, name="extra")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(w.assign(3.0))
        with pytest.raises(NotFoundError, match="extra"):
            tf.train.Saver().restore(sess, path)
        assert sess.run([w, extra]) == pytest.approx([3.0, 5.0])


def test_dtype_mismatch_is_reported(tmp_path):
    tf.Variable(np.zeros(2, np.float64), name="v")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, str(tmp_path / "m"))
    tf.reset_default_graph()
    tf.Variable(np.zeros(2, np.float32), name="v")
    with tf.Session() as sess, pytest.raises(InvalidArgumentError, match="float64"):
        tf.train.Saver().restore(sess, path)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "index"])
def test_corrupt_checkpoint_raises_data_loss(tmp_path, damage):
    w = tf.Variable([1.0, 2.0], name="w")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, str(tmp_path / "m"))
        target = path + (".index.json" if damage == "index" else ".npz")
        data = open(target, "rb").read()
        with open(target, "wb") as f:
            f.write(data[: len(data) // 2] if damage != "garbage" else b"\x00" * len(data))
        sess.run(w.assign([7.0, 8.0]))
        with pytest.raises(DataLossError):
            tf.train.Saver().restore(sess, path)
        np.testing.assert_array_equal(sess.run(w), [7.0, 8.0])


def test_files_are_npz_and_json_loadable_without_pickle(tmp_path):
    tf.Variable([1.0], name="w")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, str(tmp_path / "m"))
    with np.load(path + ".npz", allow_pickle=False) as data:
        assert len(data.files) == 1
    index = json.loads(open(path + ".index.json").read())
    assert index["variables"]["w"] == {"dtype": "float32", "shape": [1]}
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".tmp")]


def test_global_step_suffix_max_to_keep_and_latest_checkpoint(tmp_path):
    tf.Variable(1.0, name="w")
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in (1, 2, 3):
            saver.save(sess, str(tmp_path / "model"), global_step=step)
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "model-3")
    assert not os.path.exists(tmp_path / "model-1.npz")
    assert os.path.exists(tmp_path / "model-2.npz")
    assert tf.train.latest_checkpoint(str(tmp_path / "nowhere")) is None


def test_slots_are_saved_too(tmp_path):
    w = tf.Variable([1.0, 2.0], name="w")
    step = tf.train.AdamOptimizer(0.1).minimize(w * w)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        path = tf.train.Saver().save(sess, str(tmp_path / "m"))
    names = set(json.loads(open(path + ".index.json").read())["variables"])
    assert {"w", "w/Adam", "w/Adam_1", "beta1_power", "beta2_power"} <= names


def test_saving_an_uninitialized_variable_is_refused(tmp_path):
    tf.Variable(1.0, name="w")
    with tf.Session() as sess, pytest.raises(InvalidArgumentError, match="uninitialized"):
        tf.train.Saver().save(sess, str(tmp_path / "m"))
    assert not os.path.exists(tmp_path / "m.npz")


def test_meta_graph_round_trip_runs_without_rebuilding(tmp_path):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.Variable([[1.0], [2.0]], name="w")
    y = tf.identity(x * tf.constant([1.0, 1.0]) + tf.transpose(w) * 0.0 + 1.0, name="y") \
        if hasattr(tf, "transpose") else tf.identity(x + 1.0, name="y")
    step = tf.train.GradientDescentOptimizer(0.1).minimize(w * w, name="train")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        path = tf.train.Saver().save(sess, str(tmp_path / "m"))
        expected_w = sess.run(w)
        expected_y = sess.run(y, {x: [[1.0, 2.0]]})

    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(path + ".meta.json")
    graph = tf.get_default_graph()
    with tf.Session() as sess:
        saver.restore(sess, path)
        x2, y2 = graph.get_tensor_by_name("x:0"), graph.get_tensor_by_name("y:0")
        np.testing.assert_array_equal(sess.run(y2, {x2: [[1.0, 2.0]]}), expected_y)
        np.testing.assert_array_equal(sess.run("w:0"), expected_w)
        sess.run(graph.get_operation_by_name("train"))
        assert sess.run("w:0")[1, 0] == pytest.approx(expected_w[1, 0] * 0.8)
    # new nodes after an import do not collide with imported names
    assert tf.Variable(0.0, name="w").op.name == "w_1"
