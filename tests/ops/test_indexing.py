"""`tensor[...]` as a TF1 user writes it: NumPy basic-indexing semantics on graph tensors."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import InvalidArgumentError, ShapeError
from graphflow.testing.gradient_check import check_gradients

V = np.arange(24, dtype=np.float32).reshape(2, 3, 4)


def run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


@pytest.mark.parametrize("key", [
    0, -1, (1, 2), (slice(None), 1), (Ellipsis, 0), (slice(None, None, -1),),
    (slice(None), slice(None, None, 2), slice(1, -1)), (None, 0, Ellipsis, None),
    (slice(-2, None), slice(3, 0, -2)), (0, 2, 3), (Ellipsis,), (slice(5, 10),),
])
def test_matches_numpy(key):
    x = tf.constant(V)
    y = x[key]
    expected = V[key]
    assert y.shape.as_list() == list(expected.shape)
    np.testing.assert_array_equal(run(y), expected)


def test_seeds_quadratic_indexing():
    x = tf.placeholder(tf.float32, [3, 1])
    w = tf.Variable(0.0, dtype=tf.float32)
    cost = x[0][0] * w ** 2 + x[1][0] * w + x[2][0]
    assert cost.shape.as_list() == []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(cost, {x: [[1.0], [-10.0], [25.0]]}) == 25.0


def test_unknown_dims():
    x = tf.placeholder(tf.float32, [None, 3, 4])
    assert x[:, 1].shape.as_list() == [None, 4]
    assert x[0].shape.as_list() == [3, 4]
    assert x[..., ::2].shape.as_list() == [None, 3, 2]
    assert x[1:, None].shape.as_list() == [None, 1, 3, 4]
    np.testing.assert_array_equal(run(x[-1, :, 1:3], {x: V}), V[-1, :, 1:3])
    u = tf.placeholder(tf.float32)
    assert u[0].shape.dims is None
    np.testing.assert_array_equal(run(u[1, 2], {u: V}), V[1, 2])


def test_out_of_range_index_is_a_build_error():
    x = tf.constant(V)
    with pytest.raises(ShapeError) as err:
        x[:, 3]
    text = str(err.value)
    assert "StridedSlice" in text and "out of bounds for axis 1 with size 3" in text
    assert "(2, 3, 4)" in text
    with pytest.raises(ShapeError, match="too many indices"):
        x[0, 0, 0, 0]
    with pytest.raises(ShapeError, match="single ellipsis"):
        x[..., 0, ...]
    with pytest.raises(ShapeError, match="step cannot be zero"):
        x[::0]


def test_out_of_range_index_on_unknown_dim_fails_at_run_time():
    x = tf.placeholder(tf.float32, [None])
    y = x[5]
    with pytest.raises(InvalidArgumentError, match="StridedSlice"):
        run(y, {x: np.zeros(3, np.float32)})


def test_bad_index_types():
    x = tf.constant(V)
    with pytest.raises(TypeError, match="gather"):
        x[[0, 1]]
    with pytest.raises(TypeError):
        x[1.5]
    with pytest.raises(TypeError):
        x[tf.constant(1.0)]


def test_constant_and_runtime_tensor_indices():
    x = tf.constant(V)
    assert x[tf.constant(1)].shape.as_list() == [3, 4]
    i = tf.placeholder(tf.int32, [])
    y = x[:, i, 1:]
    assert y.shape.as_list() == [2, 3]
    np.testing.assert_array_equal(run(y, {i: 2}), V[:, 2, 1:])
    z = x[..., i]
    np.testing.assert_array_equal(run(z, {i: 3}), V[..., 3])


def test_gradient_scatters_into_zeros():
    x = tf.placeholder(tf.float32, [None, 3])
    y = x[:, ::-2]
    (g,) = tf.gradients(tf.reduce_sum(y * tf.constant([[1.0, 2.0]])), [x])
    got = run(g, {x: np.zeros((2, 3), np.float32)})
    np.testing.assert_array_equal(got, [[2, 0, 1], [2, 0, 1]])
    v = V.astype(np.float64)
    assert check_gradients(lambda t: t[1, None, ::-1, 1:3], [v]) < 1e-7
    assert check_gradients(lambda t: t[..., 0][::2], [v]) < 1e-7


def test_second_order_through_slice():
    x = tf.placeholder(tf.float64, [3])
    y = tf.reduce_sum(x[1:] ** 3)
    (g,) = tf.gradients(y, [x])
    (h,) = tf.gradients(tf.reduce_sum(g), [x])
    np.testing.assert_allclose(run(h, {x: [1.0, 2.0, 3.0]}), [0, 12, 18])
