"""piecewise_constant selects one of its values, exactly, with TF1's dtype rules. The values and
messages are what TensorFlow 2.21's tf.compat.v1 gives (2026-12-02)."""

import numpy as np
import pytest

import graphflow.compat.v1 as tf


def test_values_are_selected_exactly_at_and_between_boundaries():
    step = tf.Variable(0, dtype=tf.int64)
    rate = tf.train.piecewise_constant(step, [30, 60], [0.1, 0.01, 0.001])
    index = tf.train.piecewise_constant(step, [30, 60], [1, 2, 3])
    assert (rate.dtype, index.dtype) == (tf.float32, tf.int32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = []
        for value in (0, 30, 31, 60, 61, 100):
            sess.run(step.assign(value))
            got.append(sess.run([rate, index]))
    want = [0.1, 0.1, 0.01, 0.01, 0.001, 0.001]
    assert [r for r, _ in got] == [np.float32(w) for w in want]  # bit for bit, not 0.00099999
    assert [int(i) for _, i in got] == [1, 1, 2, 2, 3, 3]


def test_float_x_and_a_name():
    x = tf.placeholder(tf.float32, [])
    rate = tf.train.piecewise_constant(x, [0.5, 1.5], [0.1, 0.2, 0.3], name="pc")
    assert rate.name.startswith("pc/")
    with tf.Session() as sess:
        got = [sess.run(rate, {x: v}) for v in (0.5, 0.6, 1.5, 2.0)]
    assert got == [np.float32(0.1), np.float32(0.2), np.float32(0.2), np.float32(0.3)]


def test_tf1s_dtype_and_length_errors():
    x = tf.placeholder(tf.float32, [])
    step = tf.Variable(0, dtype=tf.int64)
    with pytest.raises(ValueError, match=r"^Boundaries \(<dtype: 'int32'>\) must have the same "
                                         r"dtype as x \(<dtype: 'float32'>\)\.$"):
        tf.train.piecewise_constant(x, [1, 2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match=r"^Values must have elements all with the same dtype "
                                         r"\(<dtype: 'float32'> vs <dtype: 'int32'>\)\.$"):
        tf.train.piecewise_constant(step, [30, 60], [0.1, 2, 0.3])
    with pytest.raises(ValueError, match="1 less than the length of values"):
        tf.train.piecewise_constant(step, [30], [0.1, 0.2, 0.3])
