"""Finding the first NaN/Inf: the check_numerics op and the Session's check_numerics mode."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import InvalidArgumentError


def test_check_numerics_passes_finite_values_through_and_its_gradient():
    x = tf.placeholder(tf.float32, [2])
    y = tf.check_numerics(x * 2.0, "doubled")
    (g,) = tf.gradients(y, x)
    with tf.Session() as sess:
        out, grad = sess.run([y, g], {x: [1.0, 2.0]})
    np.testing.assert_array_equal(out, [2.0, 4.0])
    np.testing.assert_array_equal(grad, [2.0, 2.0])


def test_check_numerics_names_the_producer_and_its_line():
    x = tf.placeholder(tf.float32, [2])
    bad = tf.log(x, name="log_of_x")  # log(0) = -inf
    y = tf.check_numerics(bad, "after log")
    with tf.Session() as sess, pytest.raises(InvalidArgumentError) as info:
        sess.run(y, {x: [1.0, 0.0]})
    text = str(info.value)
    assert "after log" in text and "log_of_x" in text and "1 Inf" in text
    assert "test_debugging.py" in text


def test_session_check_numerics_mode_stops_at_the_first_bad_op():
    x = tf.placeholder(tf.float32, [3])
    a = tf.sqrt(x, name="root")  # sqrt(-1) = nan: the first bad op
    b = tf.exp(a * 100.0, name="blowup")
    with tf.Session(check_numerics=True) as sess:
        np.testing.assert_allclose(sess.run(b, {x: [0.0, 0.01, 0.04]}),
                                   np.exp(100 * np.sqrt([0.0, 0.01, 0.04])), rtol=1e-5)
        with pytest.raises(InvalidArgumentError) as info:
            sess.run(b, {x: [1.0, -1.0, 4.0]})
    text = str(info.value)
    assert "root" in text and "NaN" in text and "test_debugging.py" in text


def test_a_nan_step_size_is_reported_at_its_op_not_at_the_fused_update():
    """check_numerics turns off fuse_updates as well as fuse: `lr * grad` keeps its own step."""
    w = tf.Variable([1.0, 2.0])
    lr = tf.placeholder(tf.float32, [])
    step = tf.multiply(lr, w, name="scaled_step")
    update = tf.assign_sub(w, step)
    with tf.Session(check_numerics=True) as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(InvalidArgumentError) as info:
            sess.run(update, {lr: np.nan})
    assert "scaled_step" in str(info.value)


def test_without_the_mode_nan_flows_silently_as_in_tf1():
    x = tf.placeholder(tf.float32, [1])
    with tf.Session() as sess:
        assert np.isnan(sess.run(tf.sqrt(x), {x: [-1.0]})[0])
