"""tf.cond and tf.case: TF1's semantics (checked in TF 2.x's compat.v1 graph mode, control flow
v1), on every executor."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import DTypeError, InvalidArgumentError


def run(executor, fetches, feed=None, init=False):
    with tf.Session(executor=executor) as sess:
        if init:
            sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def test_the_predicate_may_be_fed(executor):
    x = tf.placeholder(tf.float32, [2], name="x")
    p = tf.placeholder(tf.bool, [], name="p")
    y = tf.cond(p, lambda: x * 2.0, lambda: x - 1.0)
    assert y.shape == tf.TensorShape([2]) and y.dtype == tf.float32
    with tf.Session(executor=executor) as sess:
        np.testing.assert_allclose(sess.run(y, {x: [1, 2], p: True}), [2, 4])
        np.testing.assert_allclose(sess.run(y, {x: [1, 2], p: False}), [0, 1])


def test_ops_built_outside_the_branches_run_whatever_the_predicate(executor):
    # TF1: cond(p, lambda: inc * 2, lambda: 5.) with p False gives 5.0 and u becomes 1.0
    u = tf.Variable(0.0)
    inc = u.assign_add(1.0)
    p = tf.placeholder(tf.bool, [])
    c = tf.cond(p, lambda: inc * 2, lambda: tf.constant(5.0))
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(c, {p: False}) == 5.0 and sess.run(u) == 1.0
        assert sess.run(c, {p: True}) == 4.0 and sess.run(u) == 2.0


def test_ops_built_inside_a_branch_run_only_when_it_is_taken(executor):
    # TF1: cond(p, lambda: q.assign_add(1.), lambda: tf.identity(q)): 0, 0, then 1, 1
    q = tf.Variable(0.0)
    p = tf.placeholder(tf.bool, [])
    c = tf.cond(p, lambda: q.assign_add(1.0), lambda: tf.identity(q))
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(c, {p: False}) == 0.0 and sess.run(q) == 0.0
        assert sess.run(c, {p: True}) == 1.0 and sess.run(q) == 1.0


def test_shapes_of_the_branches_are_merged():
    p = tf.placeholder(tf.bool, [])
    assert tf.cond(p, lambda: tf.zeros([2, 3]), lambda: tf.zeros([2, 4])).shape.as_list() == \
        [2, None]
    assert tf.cond(p, lambda: tf.zeros([2, 3]), lambda: tf.zeros([2])).shape.rank is None


def test_structures_lists_dicts_and_strict(executor):
    p = tf.constant(True)
    x = tf.constant(1.0)
    single = tf.cond(p, lambda: [x], lambda: [x + 1])
    strict = tf.cond(p, lambda: [x], lambda: [x + 1], strict=True)
    pair = tf.cond(p, lambda: (x, x * 3), lambda: (x + 1, x))
    named = tf.cond(p, lambda: {"a": x, "b": [x * 2]}, lambda: {"a": x + 1, "b": [x]})
    old = tf.cond(p, fn1=lambda: x * 7, fn2=lambda: x)
    assert isinstance(single, tf.Tensor) and isinstance(strict, list) and len(strict) == 1
    assert isinstance(pair, tuple) and set(named) == {"a", "b"}
    got = run(executor, [single, strict, pair, named, old])
    assert got[0] == 1.0 and got[1] == [1.0] and got[2] == (1.0, 3.0)
    assert got[3] == {"a": 1.0, "b": [2.0]} and got[4] == 7.0


def test_argument_errors_name_the_users_line():
    p = tf.constant(True)
    x = tf.constant(1.0)
    with pytest.raises(TypeError, match="'pred' must not be a Python bool"):
        tf.cond(True, lambda: x, lambda: x)
    with pytest.raises(TypeError, match="'true_fn' must be callable"):
        tf.cond(p, x, lambda: x)
    with pytest.raises(TypeError, match="'true_fn' argument required"):
        tf.cond(p, None, lambda: x)
    with pytest.raises(DTypeError, match=r"test_cond.py:\d+.*Received float32 from "
                                         r"'true_fn' and int32") as err:
        tf.cond(p, lambda: x, lambda: tf.constant(1))
    assert isinstance(err.value, TypeError)
    with pytest.raises(ValueError, match="same nested structure"):
        tf.cond(p, lambda: (x, x), lambda: x)
    with pytest.raises(ValueError, match="rank 0"):
        tf.cond(tf.constant([True, False]), lambda: x, lambda: x)
    with pytest.raises(TypeError, match="bool"):
        tf.cond(tf.constant(1.0), lambda: x, lambda: x)


def test_an_error_inside_a_branch_names_the_branch_op_and_line():
    p = tf.placeholder(tf.bool, [])
    a = tf.placeholder(tf.float32, [None])
    b = tf.placeholder(tf.float32, [None])
    y = tf.cond(p, lambda: a + b, lambda: a)
    with tf.Session() as sess, pytest.raises(InvalidArgumentError,
                                             match=r"cond/add.*test_cond.py:\d+"):
        sess.run(y, {p: True, a: [1.0, 2.0], b: [1.0, 2.0, 3.0]})


def test_branch_ops_are_named_under_the_cond_scope():
    p = tf.constant(True)
    with tf.name_scope("outer"):
        y = tf.cond(p, lambda: tf.constant(1.0) * 2.0, lambda: tf.constant(0.0), name="pick")
    assert y.op.name == "outer/pick" and y.op.type == "If"
    inner = [n.name for n in y.op.get_attr("then_branch").get_operations()]
    assert "outer/pick/mul" in inner  # `*` names its op `mul`, as in TF1


def test_nested_conds_and_a_variable_created_in_a_branch(executor):
    p = tf.placeholder(tf.bool, [])
    q = tf.placeholder(tf.bool, [])
    x = tf.constant(2.0)

    def outer_true():
        v = tf.get_variable("made_inside", [], initializer=tf.constant_initializer(10.0))
        return tf.cond(q, lambda: x * v, lambda: x + v)

    y = tf.cond(p, outer_true, lambda: x)
    assert [v.op.name for v in tf.global_variables()] == ["made_inside"]
    assert tf.global_variables()[0].graph is tf.get_default_graph()
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        got = [sess.run(y, {p: a, q: b}) for a, b in [(True, True), (True, False), (False, True)]]
    assert got == [20.0, 12.0, 2.0]


def test_case_picks_the_first_true_predicate(executor):
    # TF1: case([(False, x), (True, x + 1)], default=x + 2) gives x + 1
    i = tf.placeholder(tf.int32, [])
    x = tf.constant(1.0)
    y = tf.case([(tf.equal(i, 0), lambda: x), (tf.less(i, 5), lambda: x + 1)],
                default=lambda: x + 2)
    d = tf.case({tf.equal(i, 0): lambda: x * 10}, default=lambda: x * 20)
    last = tf.case([(tf.equal(i, 0), lambda: x * 3)])  # TF1: the only function, run directly
    assert y.op.name == "case/cond"
    with tf.Session(executor=executor) as sess:
        assert [sess.run(y, {i: k}) for k in (0, 3, 9)] == [1.0, 2.0, 3.0]
        assert [sess.run(d, {i: k}) for k in (0, 1)] == [10.0, 20.0]
        assert sess.run(last, {i: 1}) == 3.0


def test_case_exclusive_fails_at_run_time_when_two_predicates_hold(executor):
    i = tf.placeholder(tf.int32, [])
    x = tf.constant(1.0)
    y = tf.case([(tf.less(i, 5), lambda: x), (tf.less(i, 3), lambda: x + 1)],
                default=lambda: x + 2, exclusive=True)
    with tf.Session(executor=executor) as sess:
        assert sess.run(y, {i: 4}) == 1.0
        with pytest.raises(InvalidArgumentError, match="more than 1 conditions"):
            sess.run(y, {i: 1})


def test_case_argument_errors():
    x = tf.constant(1.0)
    with pytest.raises(TypeError, match="must be a 2-tuple"):
        tf.case([tf.constant(False)], default=lambda: x)
    with pytest.raises(ValueError, match="empty"):
        tf.case([])


def test_a_branch_may_return_an_op_which_runs_only_when_taken(executor):
    # TF1: cond(p, lambda: no_op(), lambda: no_op()) gives a bool tensor
    v = tf.Variable(0.0)
    p = tf.placeholder(tf.bool, [])
    done = tf.cond(p, lambda: tf.group(v.assign_add(1.0)), lambda: tf.no_op())
    assert done.dtype == tf.bool and done.shape == tf.TensorShape([])
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(done, {p: True})
        sess.run(done, {p: False})
        assert sess.run(v) == 1.0
