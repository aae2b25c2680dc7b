"""matmul, batched matmul, add_n and tensordot as a TF1 user writes them."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import DTypeError, ShapeError


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def test_linear_layer_example_from_the_course():
    x = tf.constant([[0.2, 0.5, 0.6]])
    w = tf.constant([[-0.5, 0.7], [0.2, -0.8], [0.1, 0.2]])
    b = tf.constant([0.1, 0.2])
    y = tf.add(tf.matmul(x, w), b)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(y), [[0.16, 0.06]], rtol=1e-6, atol=1e-7)
    assert y.dtype == tf.float32
    assert y.op.inputs[0].op.type == "MatMul"


@pytest.mark.parametrize("ta", [False, True])
@pytest.mark.parametrize("tb", [False, True])
def test_every_transpose_combination_matches_numpy(ta, tb):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 4) if not ta else (4, 3))
    b = rng.standard_normal((4, 5) if not tb else (5, 4))
    y = tf.matmul(a, b, transpose_a=ta, transpose_b=tb)
    assert y.shape.as_list() == [3, 5]
    with tf.Session() as sess:
        got = sess.run(y)
    np.testing.assert_allclose(got, (a.T if ta else a) @ (b.T if tb else b), rtol=1e-6)


def test_unknown_batch_dimension_is_kept_and_filled_at_run_time():
    x = tf.placeholder(tf.float32, [None, 784])
    w = tf.constant(np.ones((784, 10), np.float32))
    y = tf.matmul(x, w)
    assert str(y.shape) == "(?, 10)"
    with tf.Session() as sess:
        out = sess.run(y, {x: np.full((3, 784), 0.5, np.float32)})
    np.testing.assert_allclose(out, np.full((3, 10), 392.0))


def test_batched_matmul_broadcasts_batch_dims():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((2, 1, 3, 4))
    b = rng.standard_normal((5, 4, 2))
    y = tf.matmul(a, b)
    assert y.op.type == "BatchMatMulV2"
    assert y.shape.as_list() == [2, 5, 3, 2]
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(y), a @ b, rtol=1e-12)


def test_batched_matmul_with_unknown_batch_and_adjoints():
    a = tf.placeholder(tf.float64, [None, 4, 3])
    b = tf.placeholder(tf.float64, [None, 5, 4])
    y = tf.matmul(a, b, transpose_a=True, transpose_b=True)
    assert str(y.shape) == "(?, 3, 5)"
    rng = np.random.default_rng(2)
    av, bv = rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 5, 4))
    with tf.Session() as sess:
        out = sess.run(y, {a: av, b: bv})
    np.testing.assert_allclose(out, np.swapaxes(av, 1, 2) @ np.swapaxes(bv, 1, 2))


def test_matmul_operator_and_integer_products_keep_the_dtype():
    a = tf.constant([[1, 2], [3, 4]])
    y = a @ a
    assert y.dtype == tf.int32
    with tf.Session() as sess:
        out = sess.run(y)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [[7, 10], [15, 22]])


def test_mismatched_inner_dimensions_name_the_op_and_both_shapes():
    x = tf.placeholder(tf.float32, [None, 784])
    w = tf.placeholder(tf.float32, [100, 10])
    with pytest.raises(ShapeError) as info:
        tf.matmul(x, w)
    text = str(info.value)
    assert "MatMul" in text
    assert "inner dimensions 784 and 100 must match" in text
    assert "[?,784]" in text and "[100,10]" in text
    assert "test_matmul.py" in text  # the user's line


def test_batched_dims_that_do_not_broadcast_raise():
    with pytest.raises(ShapeError, match="BatchMatMulV2.*batch dimensions"):
        tf.matmul(tf.zeros([2, 3, 4]), tf.zeros([3, 4, 5]))


def test_rank_one_operand_is_rejected():
    with pytest.raises(ShapeError, match="at least rank 2"):
        tf.matmul(tf.constant([1.0, 2.0]), tf.constant([[1.0], [2.0]]))


def test_mixed_dtypes_raise_instead_of_promoting():
    with pytest.raises(DTypeError, match="int32.*float32"):
        tf.matmul(tf.constant([[1, 2]]), tf.constant([[1.0], [2.0]]))


def test_gradients_are_g_times_w_transposed_and_x_transposed_times_g():
    rng = np.random.default_rng(3)
    xv, wv = rng.standard_normal((4, 3)), rng.standard_normal((3, 2))
    x, w = tf.placeholder(tf.float64, [None, 3]), tf.constant(wv)
    y = tf.matmul(x, w)
    gx, gw = tf.gradients(tf.reduce_sum(y * y), [x, w])
    with tf.Session() as sess:
        gxv, gwv = sess.run([gx, gw], {x: xv})
    g = 2 * xv @ wv
    np.testing.assert_allclose(gxv, g @ wv.T)
    np.testing.assert_allclose(gwv, xv.T @ g)


def test_batch_broadcast_gradient_is_summed_back_to_the_shared_operand():
    rng = np.random.default_rng(4)
    av, bv = rng.standard_normal((5, 2, 3)), rng.standard_normal((3, 4))
    a, b = tf.constant(av), tf.constant(bv)
    (gb,) = tf.gradients(tf.reduce_sum(tf.matmul(a, b)), [b])
    assert gb.shape.as_list() == [3, 4]
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(gb), np.einsum("bik,bij->kj", av, np.ones((5, 2, 4))))


def test_add_n_sums_same_shaped_tensors_and_passes_the_gradient_to_each():
    a = tf.constant([1.0, 2.0])
    b = tf.constant([10.0, 20.0])
    total = tf.add_n([a, b, a])
    ga, gb = tf.gradients(total, [a, b])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(total), [12.0, 24.0])
        np.testing.assert_allclose(sess.run(ga), [2.0, 2.0])
        np.testing.assert_allclose(sess.run(gb), [1.0, 1.0])
    assert tf.add_n([a]) is a


def test_add_n_rejects_different_shapes():
    with pytest.raises(ShapeError, match=r"AddN.*same shape.*\[2\].*\[3\]"):
        tf.add_n([tf.zeros([2]), tf.zeros([3])])


def test_tensordot_matches_numpy():
    rng = np.random.default_rng(5)
    av, bv = rng.standard_normal((2, 3, 4)), rng.standard_normal((4, 3, 5))
    y = tf.tensordot(av, bv, axes=[[1, 2], [1, 0]])
    assert y.shape.as_list() == [2, 5]
    y1 = tf.tensordot(av, bv[:, :1, :].reshape(4, 5), axes=1)
    with tf.Session() as sess:
        got, got1 = sess.run([y, y1])
    np.testing.assert_allclose(got, np.tensordot(av, bv, axes=[[1, 2], [1, 0]]))
    np.testing.assert_allclose(got1, np.tensordot(av, bv[:, :1, :].reshape(4, 5), axes=1))
