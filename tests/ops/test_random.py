"""Random ops: TF1's seed rules, fresh values each run, repeatable streams, distributions."""

import numpy as np
import pytest

import graphflow as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def sample_op(t):
    """The random op behind a composite like random_normal (sample * stddev + mean)."""
    ops = [t.op]
    while ops:
        op = ops.pop()
        if "seed" in op.attrs:
            return op
        ops.extend(i.op for i in op.inputs)
    raise AssertionError(f"no random op behind {t}")


def draw_twice(t, runs=2):
    with tf.Session(graph=t.graph) as sess:
        return [sess.run(t) for _ in range(runs)]


def test_op_seed_repeats_in_a_new_session_and_differs_between_runs():
    r = tf.random_normal([3, 4], seed=7)
    first = draw_twice(r)
    second = draw_twice(r)
    assert first[0].shape == (3, 4) and first[0].dtype == np.float32
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    assert not np.array_equal(first[0], first[1])


def test_graph_seed_alone_makes_every_op_repeatable_and_distinct():
    tf.set_random_seed(42)
    a = tf.random_uniform([5])
    b = tf.random_uniform([5])
    assert sample_op(a).get_attr("seed") == 42
    va, vb = draw_twice(a, 1)[0], draw_twice(b, 1)[0]
    assert not np.array_equal(va, vb)  # seed2 comes from the node count, so it differs
    tf.reset_default_graph()
    tf.set_random_seed(42)
    a2 = tf.random_uniform([5])
    np.testing.assert_array_equal(draw_twice(a2, 1)[0], va)


def test_op_seed_without_graph_seed_uses_tf1_default_graph_seed():
    r = tf.random_normal([2], seed=3)
    op = sample_op(r)
    assert op.type == "RandomStandardNormal"
    assert (op.get_attr("seed"), op.get_attr("seed2")) == (87654321, 3)


def test_unseeded_ops_differ_between_sessions():
    r = tf.random_normal([100])
    assert sample_op(r).get_attr("seed") is None
    assert not np.array_equal(draw_twice(r, 1)[0], draw_twice(r, 1)[0])


def test_normal_mean_and_stddev_are_right_on_100k_samples():
    r = tf.random_normal([100_000], mean=2.0, stddev=3.0, seed=1)
    v = draw_twice(r, 1)[0]
    assert abs(v.mean() - 2.0) < 0.05 and abs(v.std() - 3.0) < 0.05


def test_truncated_normal_stays_within_two_stddev():
    r = tf.truncated_normal([100_000], mean=1.0, stddev=0.5, seed=2, dtype=tf.float64)
    v = draw_twice(r, 1)[0]
    assert v.dtype == np.float64
    assert v.min() >= 0.0 and v.max() <= 2.0
    assert abs(v.mean() - 1.0) < 0.01
    assert abs(v.std() - 0.5 * 0.8796) < 0.01  # the std of N(0, 1) truncated at +-2


def test_uniform_floats_and_ints():
    f = draw_twice(tf.random_uniform([100_000], -1.0, 3.0, seed=4), 1)[0]
    assert f.min() >= -1.0 and f.max() < 3.0 and abs(f.mean() - 1.0) < 0.02
    i = draw_twice(tf.random_uniform([1000], 2, 5, dtype=tf.int32, seed=4), 1)[0]
    assert i.dtype == np.int32 and set(np.unique(i)) == {2, 3, 4}
    with pytest.raises(ValueError, match="maxval"):
        tf.random_uniform([3], dtype=tf.int64)


def test_normal_rejects_integer_dtype():
    with pytest.raises(TypeError, match="int32"):
        tf.random_normal([2], dtype=tf.int32)


def test_variable_initialised_from_random_normal():
    w = tf.Variable(tf.random_normal([784, 10], stddev=0.1, seed=5), name="w")
    assert w.shape.as_list() == [784, 10]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        v1 = sess.run(w)
        v2 = sess.run(w)
    np.testing.assert_array_equal(v1, v2)  # a variable keeps its value between runs
    assert abs(v1.std() - 0.1) < 0.005


def test_runtime_shape_from_a_placeholder_shape():
    x = tf.placeholder(tf.float32, [None, 3])
    r = tf.random_uniform(tf.shape(x), seed=1)
    assert str(r.shape) == "(?, ?)"
    with tf.Session() as sess:
        assert sess.run(r, {x: np.zeros((4, 3), np.float32)}).shape == (4, 3)


def test_shuffle_permutes_the_first_dimension():
    v = np.arange(10).reshape(5, 2)
    s = tf.random_shuffle(v, seed=3)
    out = draw_twice(s, 1)[0]
    assert sorted(out[:, 0].tolist()) == [0, 2, 4, 6, 8]
    np.testing.assert_array_equal(out[:, 1], out[:, 0] + 1)


def test_named_random_op_takes_the_name():
    r = tf.random_normal([2], name="noise")
    assert r.op.name == "noise"
