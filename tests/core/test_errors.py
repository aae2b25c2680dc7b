"""Every error as a TF1 user meets it: what it says, what it is, and that the session survives."""

import inspect
import os

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import (
    DTypeError,
    FailedPreconditionError,
    GraphError,
    GraphflowError,
    InvalidArgumentError,
    ShapeError,
)

THIS_FILE = os.path.basename(__file__)


def here() -> int:
    """The caller's current line."""
    return inspect.currentframe().f_back.f_lineno


def at(line: int) -> str:
    return f"{THIS_FILE}:{line}"


# --- feeds ------------------------------------------------------------------------------------
def test_missing_feed():
    x = tf.placeholder(tf.float32, [None, 784]); line = here()  # noqa: E702
    loss = tf.reduce_mean(x * 2.0)
    with tf.Session() as sess:
        with pytest.raises(InvalidArgumentError) as info:
            sess.run(loss)
        assert sess.run(loss, {x: np.ones((2, 784))}) == 2.0  # the session still works
    msg = str(info.value)
    assert ("You must feed a value for placeholder tensor 'Placeholder' with dtype float and "
            "shape [?,784]") in msg
    assert "'Mean:0'" in msg  # the fetch that needed it
    assert at(line) in msg
    assert isinstance(info.value, ValueError) and isinstance(info.value, GraphflowError)


def test_missing_feed_of_a_named_placeholder_of_unknown_shape():
    x = tf.placeholder(tf.int32, name="labels")
    with tf.Session() as sess, pytest.raises(InvalidArgumentError) as info:
        sess.run(x + 1)
    assert "placeholder tensor 'labels' with dtype int32" in str(info.value)


def test_feed_of_the_wrong_shape():
    x = tf.placeholder(tf.float32, [None, 784]); line = here()  # noqa: E702
    y = x * 2.0
    with tf.Session() as sess:
        with pytest.raises(InvalidArgumentError) as info:
            sess.run(y, {x: np.zeros((5, 3))})
        assert sess.run(y, {x: np.ones((1, 784))}).shape == (1, 784)
    msg = str(info.value)
    assert ("Cannot feed value of shape (5, 3) for Tensor 'Placeholder:0', which has shape "
            "'(?, 784)'") in msg
    assert at(line) in msg
    assert isinstance(info.value, ValueError)


def test_feed_of_the_wrong_rank():
    x = tf.placeholder(tf.float32, [3])
    with tf.Session() as sess, pytest.raises(ValueError, match=r"shape \(\) for Tensor"):
        sess.run(x, {x: 1.0})


def test_feed_of_the_wrong_dtype():
    n = tf.placeholder(tf.int32, name="n")
    with tf.Session() as sess:
        with pytest.raises(InvalidArgumentError) as info:
            sess.run(n * 2, {n: "Test String"})
        with pytest.raises(InvalidArgumentError, match="int32"):
            sess.run(n * 2, {n: 2.5})  # never truncated silently
        assert sess.run(n * 2, {n: 21}) == 42
    msg = str(info.value)
    assert "'n:0'" in msg and "int32" in msg


def test_feed_of_a_number_into_a_string_placeholder():
    text = tf.placeholder(tf.string)
    with tf.Session() as sess:
        with pytest.raises(InvalidArgumentError, match="string"):
            sess.run(text, {text: 5})
        with pytest.raises(TypeError):
            tf.constant(5, dtype=tf.string)
        assert sess.run(text, {text: "ok"}) == b"ok"


def test_feed_value_that_is_a_tensor():
    x = tf.placeholder(tf.float32)
    c = tf.constant(1.0)
    with tf.Session() as sess, pytest.raises(TypeError, match="itself a graph tensor"):
        sess.run(x, {x: c})


def test_feed_key_that_is_not_a_tensor():
    x = tf.placeholder(tf.float32)
    with tf.Session() as sess:
        with pytest.raises(TypeError, match="must be a Tensor"):
            sess.run(x, {3: 1.0})
        with pytest.raises(GraphError, match="no operation named 'y'"):
            sess.run(x, {"y:0": 1.0})


# --- variables --------------------------------------------------------------------------------
def test_uninitialised_variable():
    w = tf.Variable(tf.zeros([3]), name="weights"); line = here()  # noqa: E702
    y = w * 2.0
    with tf.Session() as sess:
        with pytest.raises(FailedPreconditionError) as info:
            sess.run(y)
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(y), [0.0, 0.0, 0.0])
    msg = str(info.value)
    assert "Attempting to use uninitialized value weights" in msg
    assert at(line) in msg
    assert "global_variables_initializer()" in msg
    assert isinstance(info.value, RuntimeError)


def test_assign_with_the_wrong_shape_at_build_time():
    v = tf.Variable([1.0, 2.0, 3.0]); line_v = here()  # noqa: E702
    with pytest.raises(ShapeError) as info:
        v.assign(np.zeros((2, 3), np.float32))
    msg = str(info.value)
    assert "Assign requires shapes of both tensors to match. lhs shape= [3] rhs shape= [2,3]" in msg
    assert at(line_v) in msg


def test_assign_with_the_wrong_shape_at_run_time():
    v = tf.Variable([1.0, 2.0, 3.0])
    value = tf.placeholder(tf.float32)  # unknown shape: only the run can check it
    set_v = v.assign(value)
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(InvalidArgumentError) as info:
            sess.run(set_v, {value: np.zeros((2, 3))})
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0, 3.0])
    assert ("Assign requires shapes of both tensors to match. lhs shape= [3] rhs shape= [2,3]"
            in str(info.value))


# --- ops that fail while running ----------------------------------------------------------------
def test_runtime_op_error_names_the_op_and_the_line():
    a = tf.placeholder(tf.int32)
    b = tf.placeholder(tf.int32)
    q = a // b; line = here()  # noqa: E702
    with tf.Session() as sess:
        with pytest.raises(InvalidArgumentError) as info:
            sess.run(q, {a: 7, b: 0})
        assert sess.run(q, {a: 7, b: 2}) == 3
    msg = str(info.value)
    assert "FloorDiv 'floordiv'" in msg  # `//` names its op `floordiv`, as TF1 does
    assert at(line) in msg
    assert "division by zero" in msg


def test_runtime_error_of_constants():
    q = tf.floordiv(tf.constant([4, 5]), tf.constant([2, 0]), name="ratio"); line = here()  # noqa: E702
    with tf.Session() as sess, pytest.raises(InvalidArgumentError) as info:
        sess.run(q)
    assert "'ratio'" in str(info.value) and at(line) in str(info.value)


# --- mistakes found while building ------------------------------------------------------------
def test_int32_plus_float32_raises():
    a = tf.constant(1)
    b = tf.constant(2.0)
    with pytest.raises(DTypeError) as info:
        line = here() + 1
        a + b  # noqa: B018
    err = info.value
    assert isinstance(err, TypeError) and isinstance(err, ValueError)
    msg = str(err)
    assert "int32" in msg and "float32" in msg
    assert "cast" in msg
    assert at(line) in msg
    with tf.Session() as sess:  # the fix the message suggests works
        assert sess.run(tf.cast(a, tf.float32) + b) == 3.0


def test_dtype_error_from_a_placeholder_expression():
    a = tf.placeholder(tf.int32)
    b = tf.placeholder(tf.float32)
    with pytest.raises(TypeError, match="int32.*float32|float32.*int32"):
        tf.multiply(a, b)


def test_shape_mismatch_raises_with_the_op_shapes_and_line():
    with pytest.raises(ShapeError) as info:
        line = here() + 1
        tf.constant([1.0, 2.0, 3.0]) + tf.constant([1.0, 2.0])  # noqa: B018
    msg = str(info.value)
    assert "Add" in msg
    assert "(3,)" in msg and "(2,)" in msg
    assert at(line) in msg
    assert isinstance(info.value, ValueError)


def test_matmul_shape_mismatch():
    x = tf.placeholder(tf.float32, [None, 784])
    w = tf.Variable(tf.zeros([10, 10]))
    with pytest.raises(ShapeError, match="MatMul") as info:
        line = here() + 1
        tf.matmul(x, w)
    assert "784" in str(info.value) and at(line) in str(info.value)


def test_using_a_tensor_as_a_bool_raises():
    x = tf.placeholder(tf.float32)
    with pytest.raises(TypeError, match="Python bool"):
        if x > 0:
            pass


# --- fetches ----------------------------------------------------------------------------------
def test_fetch_none_or_a_bad_type():
    c = tf.constant(1.0)
    with tf.Session() as sess:
        with pytest.raises(TypeError, match="None"):
            sess.run(None)
        with pytest.raises(TypeError, match="None"):
            sess.run([c, None])
        with pytest.raises(TypeError, match="invalid type int"):
            sess.run(3)
        with pytest.raises(TypeError, match="invalid type"):
            sess.run({"a": 1.5})
        with pytest.raises(GraphError, match="no operation named 'nope'"):
            sess.run("nope:0")
        assert sess.run(c) == 1.0


def test_tensors_from_different_graphs():
    g = tf.Graph()
    with g.as_default():
        other = tf.constant(1.0)
        p = tf.placeholder(tf.float32)
    mine = tf.constant(2.0)
    with tf.Session() as sess:
        with pytest.raises(GraphError, match="different graph"):
            sess.run(other)
        with pytest.raises(GraphError, match="different graph"):
            sess.run(mine, {p: 1.0})
        assert sess.run(mine) == 2.0
    with tf.Session(graph=g) as sess:
        assert sess.run(other) == 1.0


def test_the_session_survives_a_series_of_errors():
    x = tf.placeholder(tf.float32, [2])
    v = tf.Variable([1.0, 1.0])
    y = x * v
    with tf.Session() as sess:
        for bad in ({}, {x: [1.0, 2.0, 3.0]}, {x: "ab"}):
            with pytest.raises(GraphflowError):
                sess.run(y, bad)
        with pytest.raises(FailedPreconditionError):
            sess.run(y, {x: [1.0, 2.0]})
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(y, {x: [1.0, 2.0]}), [1.0, 2.0])


@pytest.mark.parametrize("build", [
    lambda: tf.placeholder(tf.float32, [-5, 3]),
    lambda: tf.zeros([-1, 2]),
    lambda: tf.constant([1, 2], shape=[-3]),
    lambda: tf.random_normal([-2]),
    lambda: tf.random_uniform([None, 2]),
], ids=["placeholder", "zeros", "constant", "random_normal", "random_uniform"])
def test_bad_shape_arguments_name_the_function_and_the_line(build):
    with pytest.raises(tf.errors.ShapeError) as info:
        build()
    assert "test_errors.py" in str(info.value) and "called at" in str(info.value)
