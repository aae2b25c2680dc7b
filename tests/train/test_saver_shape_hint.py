"""Issue #16: a restore whose shapes differ says which variable, both shapes, the checkpoint, and
advice that fits; naming variables is suggested only when their names were generated."""

import inspect

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import InvalidArgumentError
from graphflow.train.saver import has_auto_name


def here() -> int:
    return inspect.currentframe().f_back.f_lineno


def _save(tmp_path, build):
    build()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, str(tmp_path / "model.ckpt"))
    tf.reset_default_graph()
    return path


def _restore_error(path, build):
    build()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(InvalidArgumentError) as info:
            tf.train.Saver().restore(sess, path)
    return str(info.value)


def test_named_variables_of_a_changed_graph_get_architecture_advice(tmp_path):
    path = _save(tmp_path, lambda: tf.Variable(np.zeros((4, 8), np.float32), name="W1"))
    lines = {}

    def rebuilt():
        tf.Variable(np.zeros((4, 16), np.float32), name="W1"); lines["W1"] = here()  # noqa: E702

    msg = _restore_error(path, rebuilt)
    assert "lhs shape= [4,16] rhs shape= [4,8]" in msg
    assert "variable 'W1' of shape [4,16]" in msg
    assert f"test_saver_shape_hint.py:{lines['W1']}" in msg
    assert f"{path}.npz" in msg and "stores 'W1' with shape [4,8]" in msg
    assert "graph has changed since the checkpoint was written" in msg
    assert "Saver(var_list=" in msg
    assert "explicit names" not in msg  # W1 already is named


def test_generated_names_get_the_naming_advice_and_the_matching_entry(tmp_path):
    def build(order):
        for shape in order:
            tf.Variable(np.zeros(shape, np.float32))

    path = _save(tmp_path, lambda: build([(2, 3), (3,)]))
    msg = _restore_error(path, lambda: build([(3,), (2, 3)]))
    assert "lhs shape= [3] rhs shape= [2,3]" in msg
    assert "'Variable' has a generated name" in msg
    assert "the checkpoint's 'Variable_1' has shape [3]" in msg
    assert "explicit names" in msg
    assert "graph has changed" not in msg


def test_layer_default_scopes_count_as_generated_names():
    assert has_auto_name("Variable") and has_auto_name("Variable_12")
    assert has_auto_name("dense_2/kernel") and has_auto_name("model/conv2d_1/bias")
    assert not has_auto_name("dense/kernel") and not has_auto_name("layer_1/W")
    assert not has_auto_name("W1") and not has_auto_name("weights_0")
