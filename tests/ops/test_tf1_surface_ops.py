"""The TF1 ops and composites added for the compat surface, with TF1's results."""

import numpy as np
import pytest

import graphflow as tf


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


def test_trigonometric_and_special_functions():
    x = np.array([-0.7, 0.0, 0.3, 0.9], np.float32)
    names = {"sin": np.sin, "cos": np.cos, "tan": np.tan, "asin": np.arcsin, "acos": np.arccos,
             "atan": np.arctan, "sinh": np.sinh, "cosh": np.cosh}
    outs = _run([getattr(tf, n)(x) for n in names] + [tf.erf(x)])
    for (n, ref), out in zip(names.items(), outs):
        np.testing.assert_allclose(out, ref(x), rtol=1e-6, err_msg=n)
    import math
    np.testing.assert_allclose(outs[-1], [math.erf(v) for v in x], rtol=1e-6)


def test_truncatediv_and_truncatemod_round_toward_zero():
    x, y = np.array([7, -7, 7, -7], np.int32), np.array([2, 2, -2, -2], np.int32)
    div, mod = _run([tf.truncatediv(x, y), tf.truncatemod(x, y)])
    assert div.tolist() == [3, -3, -3, 3] and mod.tolist() == [1, -1, 1, -1]  # TF1's values
    fd, fm = _run([tf.truncatediv(-7.5, 2.0), tf.truncatemod(-7.5, 2.0)])
    assert fd == -3.0 and fm == -1.5


def test_eye_and_clipping():
    e = _run(tf.eye(2, 3, batch_shape=[2], dtype=tf.int32))
    assert e.shape == (2, 2, 3) and e[1].tolist() == [[1, 0, 0], [0, 1, 0]]
    t = np.array([[3.0, 4.0], [0.3, 0.4]], np.float32)
    by_norm, by_row = _run([tf.clip_by_norm(t, 1.0), tf.clip_by_norm(t, 1.0, axes=[1])])
    np.testing.assert_allclose(by_norm, t / np.linalg.norm(t), rtol=1e-6)
    np.testing.assert_allclose(by_row, [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)
    a, b = np.array([3.0], np.float32), np.array([4.0], np.float32)
    clipped, norm = tf.clip_by_global_norm([a, None, b], 2.5)
    assert clipped[1] is None
    ca, cb, n, gn = _run([clipped[0], clipped[2], norm, tf.global_norm([a, b])])
    assert n == pytest.approx(5.0) and gn == pytest.approx(5.0)
    np.testing.assert_allclose([ca[0], cb[0]], [1.5, 2.0], rtol=1e-6)


def test_top_k_sorted_with_ties_and_gradient():
    x = tf.constant([[1.0, 3.0, 3.0, 2.0], [4.0, -1.0, 0.0, 5.0]])
    values, indices = tf.nn.top_k(x, k=2)
    assert values.shape.as_list() == [2, 2] and indices.dtype == tf.int32
    grad = tf.gradients(tf.reduce_sum(values * [[1.0, 10.0]]), x)[0]
    v, i, g = _run([values, indices, grad])
    assert v.tolist() == [[3.0, 3.0], [5.0, 4.0]] and i.tolist() == [[1, 2], [3, 0]]
    assert g.tolist() == [[0, 1, 10, 0], [10, 0, 0, 1]]
    with pytest.raises(ValueError, match="at least k=5"):
        tf.nn.top_k(x, 5)


def test_multinomial_is_seeded_and_follows_the_probabilities():
    tf.set_random_seed(3)
    logits = tf.constant(np.log([[0.1, 0.9], [1.0, 1e-30]]).astype(np.float32))
    draws = tf.multinomial(logits, 4000)
    cat = tf.random.categorical(logits, 3, dtype=tf.int32)
    assert draws.shape.as_list() == [2, 4000] and draws.dtype == tf.int64
    assert cat.dtype == tf.int32
    with tf.Session() as sess:
        first, again = sess.run(draws), sess.run(draws)
    with tf.Session() as sess:
        assert np.array_equal(sess.run(draws), first)  # a new session repeats the stream
    assert not np.array_equal(first, again)
    assert abs(first[0].mean() - 0.9) < 0.03 and first[1].tolist() == [0] * 4000


def test_embedding_lookup_gathers_rows_with_a_gradient():
    params = tf.Variable(np.arange(12, dtype=np.float32).reshape(4, 3))
    rows = tf.nn.embedding_lookup(params, [2, 0, 2])
    grad = tf.gradients(tf.reduce_sum(rows), params)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        r, g = sess.run([rows, grad])
    assert r[0].tolist() == [6, 7, 8]
    assert np.asarray(g)[:, 0].tolist() == [1, 0, 2, 0]


def test_losses_huber_mse_absolute_difference():
    labels = np.array([0.0, 0.0, 0.0, 0.0], np.float32)
    pred = np.array([0.5, -2.0, 1.0, 3.0], np.float32)
    huber, mse, ad = _run([tf.losses.huber_loss(labels, pred, delta=1.0),
                           tf.losses.mean_squared_error(labels, pred),
                           tf.losses.absolute_difference(labels, pred)])
    e = np.abs(pred)
    expected = np.where(e <= 1, 0.5 * e * e, e - 0.5).mean()
    assert huber == pytest.approx(expected) and mse == pytest.approx((pred ** 2).mean())
    assert ad == pytest.approx(e.mean())


def test_print_passes_its_input_and_prints_as_tf1(capfd):
    x = tf.constant([1, 2, 3, 4, 5])
    y = tf.Print(x, [x, tf.constant([[1.5, 2.0], [3.0, 4.0]])], message="x is: ", first_n=2,
                 summarize=3)
    z = y * 2
    with tf.Session() as sess:
        for _ in range(3):
            assert sess.run(z).tolist() == [2, 4, 6, 8, 10]
    err = capfd.readouterr().err
    # TF1's SummarizeValue: the first 3 elements in row-major order, "..." where it stops
    assert err.splitlines() == ["x is: [1 2 3...][[1.5 2][3...]...]"] * 2
    w = tf.constant([1.0, 2.0])
    grad = tf.gradients(tf.reduce_sum(tf.Print(w, [w]) * 3.0), w)[0]
    assert _run(grad).tolist() == [3.0, 3.0]


def test_assign_functions():
    v = tf.Variable(5.0)
    a, b, c = tf.assign(v, 2.0), tf.assign_add(v, 3.0), tf.assign_sub(v, 1.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert [sess.run(a), sess.run(b), sess.run(c)] == [2.0, 5.0, 4.0]
    with pytest.raises(TypeError, match="needs a Variable"):
        tf.assign(tf.constant(1.0), 2.0)
