"""Variables: initial values of every kind, initializers, assignments and collections."""

import numpy as np
import pytest

import graphflow as tf


def test_variable_from_a_scalar_with_dtype():
    v = tf.Variable(0, dtype=tf.float32)
    assert v.dtype is tf.float32 and v.shape.as_list() == []
    with tf.Session() as sess:
        sess.run(v.initializer)
        got = sess.run(v)
    assert type(got) is np.float32 and got == 0.0


def test_variable_from_a_nested_list():
    v = tf.Variable([[1, 2], [3, 4]])
    f = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    assert v.dtype is tf.int32 and f.dtype is tf.float32
    assert v.shape.as_list() == [2, 2]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(v), [[1, 2], [3, 4]])


def test_variable_from_an_ndarray_keeps_its_dtype():
    weights = np.random.RandomState(0).randn(3, 2)
    v = tf.Variable(weights)
    assert v.dtype is tf.float64 and v.shape.as_list() == [3, 2]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(v), weights)


def test_variable_from_an_initializer_tensor():
    w = tf.Variable(tf.random_normal([784, 10], stddev=0.01))
    b = tf.Variable(tf.zeros([10]))
    z = tf.Variable(tf.ones([2, 3]) * 2.0)
    assert w.shape.as_list() == [784, 10] and w.dtype is tf.float32
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        wv = sess.run(w)
        np.testing.assert_array_equal(sess.run(b), np.zeros(10))
        np.testing.assert_array_equal(sess.run(z), np.full((2, 3), 2.0))
        np.testing.assert_array_equal(sess.run(w), wv)  # read, not redrawn
    assert wv.shape == (784, 10) and 0 < wv.std() < 0.02


def test_variable_from_a_callable():
    v = tf.Variable(lambda: tf.constant([1.0, 2.0]))
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_variable_needs_an_initial_value():
    with pytest.raises(ValueError, match="initial_value"):
        tf.Variable()


def test_initializer_is_an_op():
    v = tf.Variable(3.0)
    assert isinstance(v.initializer, tf.Operation)
    assert v.initializer.name == "Variable/Assign"
    with tf.Session() as sess:
        assert sess.run(v.initializer) is None
        assert sess.run(v) == 3.0


def test_assign_returns_the_new_value():
    v = tf.Variable([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(v.assign([5.0, 6.0])), [5.0, 6.0])
        np.testing.assert_array_equal(sess.run(v.assign_add([1.0, 1.0])), [6.0, 7.0])
        np.testing.assert_array_equal(sess.run(v.assign_sub([0.5, 0.5])), [5.5, 6.5])
        np.testing.assert_array_equal(sess.run(v), [5.5, 6.5])


def test_assign_from_a_tensor_and_a_placeholder():
    v = tf.Variable(0.0)
    x = tf.placeholder(tf.float32)
    set_v = v.assign(x * 2.0)
    count = tf.Variable(0)
    inc = count.assign_add(1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(set_v, {x: 4.0}) == 8.0
        for _ in range(3):
            sess.run(inc)
        assert sess.run(count) == 3 and sess.run(count).dtype == np.int32


def test_assign_keeps_the_variable_dtype():
    v = tf.Variable(np.zeros(2, np.float64))
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(v.assign([1.0, 2.0])).dtype == np.float64
    with pytest.raises(TypeError):
        tf.Variable(1).assign(2.5)  # never silently truncated into an int variable


def test_global_variables_initializer_initialises_all():
    a = tf.Variable(1.0)
    b = tf.Variable([2.0, 3.0], trainable=False)
    init = tf.global_variables_initializer()
    assert init.type == "NoOp" and init.name == "init"
    with tf.Session() as sess:
        sess.run(init)
        assert sess.run(a) == 1.0
        np.testing.assert_array_equal(sess.run(b), [2.0, 3.0])
        sess.run(a.assign(10.0))
        sess.run(init)  # re-running it resets every variable
        assert sess.run(a) == 1.0


def test_variables_initializer_initialises_only_its_list():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    with tf.Session() as sess:
        sess.run(tf.variables_initializer([a]))
        assert sess.run(a) == 1.0
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value b"):
            sess.run(b)


def test_global_and_trainable_variables():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(1.0, name="b", trainable=False)
    assert tf.global_variables() == [a, b]
    assert tf.trainable_variables() == [a]
    assert tf.initialize_all_variables().type == "NoOp"


def test_load_sets_the_value():
    v = tf.Variable(np.zeros((2, 3)))
    doubled = v * 2.0
    with tf.Session() as sess:
        sess.run(v.initializer)
        v.load(np.ones((2, 3)), sess)
        np.testing.assert_array_equal(sess.run(doubled), np.full((2, 3), 2.0))
        v.load([[1, 2, 3], [4, 5, 6]])  # the default session
        np.testing.assert_array_equal(sess.run(v), [[1, 2, 3], [4, 5, 6]])
        with pytest.raises(ValueError, match=r"shape \(3, 3\)"):
            v.load(np.ones((3, 3)))
        np.testing.assert_array_equal(sess.run(v), [[1, 2, 3], [4, 5, 6]])


def test_variable_in_expressions_and_as_model_input():
    features = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    y = features * 2.0 + 1.0
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(y), [[3.0, 5.0], [7.0, 9.0]])


def test_read_value_and_initialized_value():
    v = tf.Variable(2.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(v.read_value()) == 2.0
        assert sess.run(v.initialized_value()) == 2.0
    assert v.value() is v


def test_read_value_under_control_dependencies_sees_the_update():
    v = tf.Variable(0.0)
    inc = v.assign_add(1.0)
    with tf.control_dependencies([inc]):
        after = v.read_value()  # TF1: read in the current context, after `inc`
        also_after = tf.identity(v)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(after) == 1.0
        assert sess.run(after) == 2.0
        assert sess.run(also_after) == 3.0


def test_read_value_under_control_dependencies_with_an_earlier_reader():
    v = tf.Variable(0.0)
    doubled = v * 2.0  # built before the assign
    inc = v.assign_add(1.0)
    with tf.control_dependencies([inc]):
        after = v.read_value()
    with tf.Session() as sess:
        sess.run(v.initializer)
        _, got = sess.run([doubled, after])
        assert got == 1.0


def test_assign_add_of_a_wrong_shape_is_rejected_at_run_time():
    v = tf.Variable([1.0, 2.0, 3.0])
    delta = tf.placeholder(tf.float32)  # unknown shape: only the run can check it
    add = v.assign_add(delta)
    sub = v.assign_sub(delta)
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(add, {delta: [1.0, 1.0, 1.0]}), [2.0, 3.0, 4.0])
        for op in (add, sub):
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(op, {delta: np.ones((2, 3))})
        np.testing.assert_array_equal(sess.run(v), [2.0, 3.0, 4.0])  # unchanged shape and value
