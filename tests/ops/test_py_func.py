"""py_func / numpy_function / py_function: Python inside a graph, with TF1's conversions and
errors (behaviour recorded from TF 1.x's tf.compat.v1 in graph mode), on every executor."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.executors import executor_names

EXECUTORS = executor_names(available_only=True)
X = np.float32([1, 2])


@pytest.mark.parametrize("executor", EXECUTORS)
def test_py_func_runs_numpy_code_on_every_executor(executor):
    x = tf.placeholder(tf.float32, [None])
    y = tf.py_func(lambda a: a * 2, [x], tf.float32)
    z = y + 1.0
    assert y.op.type == "PyFunc" and y.name == "PyFunc:0"
    assert y.shape.rank is None  # TF1: the static shape is unknown
    with tf.Session(executor=executor) as sess:
        np.testing.assert_array_equal(sess.run(z, {x: X}), [3.0, 5.0])


def test_tout_list_gives_a_list_and_several_outputs():
    one = tf.py_func(lambda a: [a * 2], [X], [tf.float32])
    two = tf.py_func(lambda a: (a, a + 1), [X], [tf.float32, tf.float32])
    assert isinstance(one, list) and len(one) == 1
    assert [t.name for t in two] == ["PyFunc_1:0", "PyFunc_1:1"]
    with tf.Session() as sess:
        got_one, got_two = sess.run([one, two])
    np.testing.assert_array_equal(got_one[0], [2, 4])
    np.testing.assert_array_equal(got_two[1], [2, 3])
    bare = tf.py_func(lambda a: a, [X], [tf.float32])  # a lone array for a one-item list
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(bare)[0], X)


def test_the_function_gets_numpy_arrays_and_may_return_strings_and_ints():
    kind = tf.py_func(lambda a: str(type(a)) + str(a.dtype), [X], tf.string)
    ints = tf.py_func(lambda a, b: a + b, [1, 2], tf.int32)
    with tf.Session() as sess:
        assert sess.run(kind) == b"<class 'numpy.ndarray'>float32"
        assert sess.run(ints) == 3 and sess.run(ints).dtype == np.int32


def test_tout_empty_returns_the_operation_which_runs_for_its_effect():
    seen = []
    op = tf.py_func(lambda a: seen.append(a.tolist()), [X], [])
    assert isinstance(op, tf.Operation) and op.type == "PyFunc"
    with tf.Session() as sess:
        assert sess.run(op) is None
        sess.run(op)
    assert seen == [[1.0, 2.0], [1.0, 2.0]]


def test_stateful_false_is_tf1s_stateless_op_and_numpy_function_is_py_func():
    assert tf.py_func(lambda a: a, [X], tf.float32, stateful=False).op.type == "PyFuncStateless"
    assert tf.numpy_function(lambda a: a, [X], tf.float32).op.type == "PyFunc"


def test_the_function_cannot_change_the_values_it_is_given():
    v = tf.Variable(X, name="v")
    y = tf.py_func(lambda a: a.__setitem__(0, 99.0) or a, [v], tf.float32)
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(y), [99.0, 2.0])
        np.testing.assert_array_equal(sess.run(v), X)


@pytest.mark.parametrize("func, tout, message", [
    (lambda a: 3.0, tf.float32, "0-th value returned by .* is double, but expects float"),
    (lambda a: a.astype(np.float64), tf.float32,
     "0-th value returned by .* is double, but expects float"),
    (lambda a: 3, tf.int32, "0-th value returned by .* is int64, but expects int32"),
    (lambda a: (a,), [tf.float32, tf.float32], "returns 1 values, but expects to see 2 values"),
])
def test_a_wrong_result_is_invalid_argument_naming_the_op_and_line(func, tout, message):
    y = tf.py_func(func, [X], tout)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match=message) as e:
        sess.run(y)
    assert "PyFunc 'PyFunc'" in str(e.value) and "test_py_func.py" in str(e.value)


def test_a_python_int_for_int64_is_fine_as_in_tf1():
    with tf.Session() as sess:
        assert sess.run(tf.py_func(lambda a: 3, [X], tf.int64)) == 3


def test_an_exception_inside_is_reraised_with_the_op_and_site():
    bad_value = tf.py_func(lambda a: int("x"), [X], tf.float32)
    bad_math = tf.py_func(lambda a: 1 / 0, [X], tf.float32)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="raised ValueError: invalid literal") as e:
            sess.run(bad_value)
        assert isinstance(e.value.__cause__, ValueError)
        assert "test_py_func.py" in str(e.value)
        with pytest.raises(tf.errors.OpError, match="raised ZeroDivisionError") as e:
            sess.run(bad_math)
        assert isinstance(e.value.__cause__, ZeroDivisionError)


def test_py_func_has_no_gradient_as_in_tf1():
    x = tf.constant(X)
    assert tf.gradients(tf.py_func(lambda a: a * 2, [x], tf.float32), x) == [None]


def test_py_function_gradient_is_reported_missing():
    x = tf.constant(X)
    with pytest.raises(LookupError, match=r"No gradient defined for operation 'EagerPyFunc'"):
        tf.gradients(tf.py_function(lambda a: a * 2, [x], tf.float32), x)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_py_function_gives_values_with_numpy_and_converts_results(executor):
    y = tf.py_function(lambda a: a * 2, [X], tf.float32)
    kind = tf.py_function(lambda a: type(a.numpy()).__name__ + str(a.numpy()), [X], tf.string)
    floats = tf.py_function(lambda a: 3.0, [X], tf.float32)
    narrowed = tf.py_function(lambda a: a.numpy().astype(np.float64), [X], tf.float32)
    assert y.op.type == "EagerPyFunc"
    with tf.Session(executor=executor) as sess:
        got_y, got_kind, got_floats, got_narrowed = sess.run([y, kind, floats, narrowed])
    np.testing.assert_array_equal(got_y, [2.0, 4.0])
    assert got_kind == b"ndarray[1. 2.]"
    assert got_floats == 3.0 and got_floats.dtype == np.float32
    assert got_narrowed.dtype == np.float32


def test_py_function_wrong_count_and_unconvertible_values():
    count = tf.py_function(lambda a: [a], [X], [tf.float32, tf.float32])
    text = tf.py_function(lambda a: "s", [X], tf.float32)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="returns 1 values, but expects "
                           "to see 2 values"):
            sess.run(count)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot convert 's'"):
            sess.run(text)


def test_a_graph_with_a_python_function_saves_and_imports_in_the_same_process(tmp_path):
    """TF1 writes the py_func's token, not its code: import works where the token is known."""
    double = tf.py_func(lambda a: a * 2, [X], tf.float32, name="hook")
    tf.identity(double, name="out")
    tf.train.export_meta_graph(str(tmp_path / "g.json"))
    tf.reset_default_graph()
    tf.train.import_meta_graph(str(tmp_path / "g.json"))
    out = tf.get_default_graph().get_tensor_by_name("out:0")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(out), np.float32([2, 4]))


def test_an_unknown_token_raises_a_clear_error_when_run():
    """A graph file from another process names a function this process never registered."""
    from graphflow.ops.py_func import PyFunc
    from graphflow.ops.registry import apply_op

    out = apply_op(PyFunc(token="pyfunc_from_elsewhere", Tout=(tf.float32,)), [tf.constant(X)],
                   name="alien")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="alien.*not registered in this process"):
        sess.run(out)


def test_func_must_be_callable():
    with pytest.raises(TypeError, match="func must be callable"):
        tf.py_func(3, [X], tf.float32)


def test_py_func_is_no_longer_listed_as_missing():
    from graphflow.compat.missing import KNOWN_MISSING

    assert "py_func" not in KNOWN_MISSING and "py_function" not in KNOWN_MISSING
    assert "metrics" not in KNOWN_MISSING


def test_a_shape_set_on_the_output_is_checked_when_it_runs():
    good = tf.py_func(lambda a: a * 2, [X], tf.float32)
    good.set_shape([2])
    bad = tf.py_func(lambda a: a * 2, [X], tf.float32)
    bad.set_shape([3])
    with tf.Session() as sess:
        assert sess.run(tf.reduce_sum(good)) == 6.0
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"has shape \[2\], but the output's shape was set to \(3,\)"):
            sess.run(bad)
