"""Reductions, argmax/argmin, clip_by_value, logsumexp and count_nonzero with TF1's rules."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import DTypeError, ShapeError

X = np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 7.5


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


@pytest.mark.parametrize("fn,ref", [
    (tf.reduce_sum, np.sum), (tf.reduce_mean, np.mean), (tf.reduce_max, np.max),
    (tf.reduce_min, np.min), (tf.reduce_prod, np.prod),
])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, [0, 2], [-1, -3], []])
@pytest.mark.parametrize("keepdims", [False, True])
def test_float_reductions_match_numpy(fn, ref, axis, keepdims):
    y = fn(X, axis=axis, keepdims=keepdims)
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    want = ref(X.astype(np.float64), axis=np_axis, keepdims=keepdims)
    got = run(y)
    assert y.shape.as_list() == list(want.shape)
    assert np.asarray(got).dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-5)


def test_old_argument_names_keep_dims_and_reduction_indices():
    y = tf.reduce_sum(X, reduction_indices=[1], keep_dims=True)
    assert y.shape.as_list() == [2, 1, 4]
    np.testing.assert_allclose(run(y), X.sum(axis=1, keepdims=True))


def test_integer_mean_is_an_integer_mean_truncated_toward_zero():
    y = tf.reduce_mean(tf.constant([[1, 2], [4, 4]]), axis=1)
    assert y.dtype == tf.int32
    np.testing.assert_array_equal(run(y), [1, 4])
    assert run(tf.reduce_mean(tf.constant([-1, -2]))) == -1  # not floor's -2
    assert run(tf.reduce_mean(tf.constant([1, 2, 3, 4]))).dtype == np.int32


def test_integer_sum_keeps_int32():
    out = run(tf.reduce_sum(tf.constant([[1, 2], [3, 4]]), axis=0))
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [4, 6])


def test_unknown_dims_and_rank_flow_through():
    x = tf.placeholder(tf.float32, [None, 3])
    assert str(tf.reduce_sum(x, axis=1).shape) == "(?,)"
    assert str(tf.reduce_sum(x, axis=0).shape) == "(3,)"
    assert str(tf.reduce_mean(x, axis=-1, keepdims=True).shape) == "(?, 1)"
    assert str(tf.reduce_max(x).shape) == "()"
    u = tf.placeholder(tf.float32)
    assert str(tf.reduce_sum(u, axis=1).shape) == "<unknown>"
    assert str(tf.reduce_sum(u).shape) == "()"
    v = np.ones((5, 3), np.float32)
    np.testing.assert_allclose(run(tf.reduce_sum(x, axis=1), {x: v}), np.full(5, 3.0))


def test_axis_out_of_range_names_the_op_and_the_shape():
    with pytest.raises(ShapeError) as info:
        tf.reduce_sum(tf.zeros([2, 3]), axis=2)
    text = str(info.value)
    assert "Sum" in text and "axis 2 is out of range" in text and "[2,3]" in text


def test_reducing_bool_with_sum_is_a_dtype_error_but_any_all_work():
    b = tf.constant([[True, False], [True, True]])
    with pytest.raises(DTypeError, match="Sum"):
        tf.reduce_sum(b)
    np.testing.assert_array_equal(run(tf.reduce_any(b, axis=1)), [True, True])
    np.testing.assert_array_equal(run(tf.reduce_all(b, axis=1)), [False, True])
    assert run(tf.reduce_all(b)).dtype == np.bool_


def test_argmax_defaults_to_axis_0_as_in_tf1():
    x = tf.constant([[1.0, 5.0, 0.0], [3.0, 2.0, 0.0]])
    y = tf.argmax(x)
    assert y.dtype == tf.int64 and y.shape.as_list() == [3]
    np.testing.assert_array_equal(run(y), [1, 0, 0])  # ties pick the first index
    np.testing.assert_array_equal(run(tf.argmax(x, 1)), [1, 0])
    np.testing.assert_array_equal(run(tf.argmin(x, axis=-1, output_type=tf.int32)), [2, 2])
    assert run(tf.argmin(x, dimension=1)).dtype == np.int64


def test_argmax_of_a_scalar_is_rejected():
    with pytest.raises(ShapeError, match="ArgMax"):
        tf.argmax(tf.constant(1.0))


def test_accuracy_pattern_with_argmax_equal_and_mean():
    labels = tf.constant([[0.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    logits = tf.constant([[0.1, 0.9], [0.8, 0.2], [0.7, 0.3], [0.4, 0.6]])
    correct = tf.equal(tf.argmax(logits, 1), tf.argmax(labels, 1))
    assert run(tf.reduce_mean(tf.cast(correct, tf.float32))) == pytest.approx(0.75)


def test_sum_and_mean_gradients_broadcast_back_with_unknown_dims():
    x = tf.placeholder(tf.float64, [None, 3])
    gs, = tf.gradients(tf.reduce_sum(x, axis=1), [x])
    gm, = tf.gradients(tf.reduce_mean(x), [x])
    v = np.ones((4, 3))
    with tf.Session() as sess:
        a, b = sess.run([gs, gm], {x: v})
    np.testing.assert_allclose(a, np.ones((4, 3)))
    np.testing.assert_allclose(b, np.full((4, 3), 1 / 12))


def test_max_gradient_is_split_equally_among_ties():
    x = tf.constant([[1.0, 3.0, 3.0], [2.0, 0.0, -1.0]])
    g, = tf.gradients(tf.reduce_max(x, axis=1), [x])
    np.testing.assert_allclose(run(g), [[0, 0.5, 0.5], [1, 0, 0]])
    g2, = tf.gradients(tf.reduce_min(x), [x])
    np.testing.assert_allclose(run(g2), [[0, 0, 0], [0, 0, 1]])


def test_prod_gradient_for_nonzero_inputs():
    x = tf.constant([[2.0, 3.0], [4.0, -5.0]])
    g, = tf.gradients(tf.reduce_prod(x, axis=0), [x])
    np.testing.assert_allclose(run(g), [[4.0, -5.0], [2.0, 3.0]])


def test_clip_by_value_limits_values_and_passes_the_gradient_inside_the_range():
    t = tf.constant([-2.0, -0.5, 0.0, 0.5, 2.0])
    y = tf.clip_by_value(t, -1.0, 1.0)
    g, = tf.gradients(y, [t])
    np.testing.assert_allclose(run(y), [-1.0, -0.5, 0.0, 0.5, 1.0])
    np.testing.assert_allclose(run(g), [0.0, 1.0, 1.0, 1.0, 0.0])


def test_clip_by_value_rejects_clip_values_that_widen_t():
    with pytest.raises(ShapeError, match="clip_by_value"):
        tf.clip_by_value(tf.zeros([3]), tf.zeros([2, 3]), 1.0)


def test_logsumexp_is_stable_and_matches_numpy():
    big = np.array([[1000.0, 1000.0], [-1000.0, -1000.0]], np.float32)
    y = tf.reduce_logsumexp(big, axis=1)
    np.testing.assert_allclose(run(y), [1000 + np.log(2), -1000 + np.log(2)], rtol=1e-6)
    small = np.array([[0.5, -1.0, 2.0], [0.0, 0.0, 0.0]])
    want = np.log(np.exp(small).sum(axis=1, keepdims=True))
    k = tf.reduce_logsumexp(small, axis=-1, keepdims=True)
    assert k.shape.as_list() == [2, 1]
    np.testing.assert_allclose(run(k), want)
    assert run(tf.reduce_logsumexp(np.full(3, -np.inf))) == -np.inf


def test_logsumexp_gradient_is_softmax():
    v = np.array([[0.5, -1.0, 2.0]])
    x = tf.constant(v)
    g, = tf.gradients(tf.reduce_logsumexp(x, axis=1), [x])
    np.testing.assert_allclose(run(g), np.exp(v) / np.exp(v).sum(), rtol=1e-12)


def test_count_nonzero():
    x = tf.constant([[0, 1, 2], [0, 0, 3]])
    y = tf.count_nonzero(x, axis=1)
    assert y.dtype == tf.int64
    np.testing.assert_array_equal(run(y), [2, 1])
    assert run(tf.count_nonzero(tf.constant([True, False, True]))) == 2
