"""dropout: identity at keep 1.0, inverted scaling, a new mask every run, TF1 seed rules, a fed
keep_prob, `rate`, and SEEDS.md's dropout net, on both executors."""

import numpy as np
import pytest

import graphflow as tf

EXECUTORS = ["reference", "cpu"]
F = [[0, 2, 3, 4], [.1, .2, .3, .4], [11, 12, 13, 14]]
W0 = [[.1, .2, .4], [.4, .6, .6], [.5, .9, .1], [.8, .2, .8]]
W1 = [[.1, .6], [.2, .1], [.7, .9]]


def test_keep_prob_one_returns_the_input_itself():
    x = tf.placeholder(tf.float32, [None, 3])
    assert tf.nn.dropout(x, 1.0) is x
    assert tf.nn.dropout(x, rate=0.0) is x


@pytest.mark.parametrize("executor", EXECUTORS)
def test_half_keeps_zero_or_doubles_and_draws_a_new_mask_each_run(executor):
    x = np.arange(1, 1001, dtype=np.float32).reshape(10, 100)
    y = tf.nn.dropout(x, 0.5)
    with tf.Session(executor=executor) as sess:
        a, b = sess.run(y), sess.run(y)
    for v in (a, b):
        assert np.all((v == 0) | (v == 2 * x))
        assert 0.4 < np.mean(v != 0) < 0.6
    assert not np.array_equal(a, b)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_seeded_masks_repeat_in_a_new_session(executor):
    tf.set_random_seed(1)
    y = tf.nn.dropout(np.ones((50,), np.float32), 0.5, seed=3)
    with tf.Session(executor=executor) as s1:
        first = [s1.run(y), s1.run(y)]
    with tf.Session(executor=executor) as s2:
        again = [s2.run(y), s2.run(y)]
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first[0], first[1])


@pytest.mark.parametrize("executor", EXECUTORS)
def test_fed_keep_prob_trains_at_half_and_evaluates_at_one(executor):
    x = tf.placeholder(tf.float32, [None, 4])
    keep = tf.placeholder(tf.float32)
    y = tf.nn.dropout(x, keep)
    data = np.ones((8, 4), np.float32)
    with tf.Session(executor=executor) as sess:
        np.testing.assert_array_equal(sess.run(y, {x: data, keep: 1.0}), data)
        train = sess.run(y, {x: data, keep: 0.5})
    assert set(np.unique(train)) <= {0.0, 2.0}


@pytest.mark.parametrize("executor", EXECUTORS)
def test_gradient_is_mask_over_keep(executor):
    x = tf.constant(np.ones((4, 25), np.float32))
    y = tf.nn.dropout(x, rate=0.75, seed=5)
    g = tf.gradients(y, x)[0]
    with tf.Session(executor=executor) as sess:
        value, grad = sess.run([y, g])
    np.testing.assert_array_equal(grad, value)  # x is all ones: y = mask / keep = dy/dx
    assert set(np.unique(grad)) <= {0.0, 4.0}


@pytest.mark.parametrize("executor", EXECUTORS)
def test_seeds_dropout_net(executor):
    features = tf.Variable(np.array(F, np.float32))
    keep = tf.placeholder(tf.float32)
    hidden = tf.nn.relu(tf.matmul(features, np.array(W0, np.float32)))
    dropped = tf.nn.dropout(hidden, keep)
    out = tf.matmul(dropped, np.array(W1, np.float32))
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        h, y1 = sess.run([hidden, out], {keep: 1.0})
        d = sess.run(dropped, {keep: 0.5})
    np.testing.assert_allclose(h, [[5.5, 4.7, 4.7], [.56, .49, .51], [23.6, 23.9, 24.1]],
                               rtol=1e-5)
    np.testing.assert_allclose(y1, [[4.78, 8.0], [.511, .844], [24.01, 38.24]], rtol=1e-5)
    assert np.all(np.isclose(d, 0) | np.isclose(d, 2 * h))


def test_bad_arguments():
    with pytest.raises(ValueError, match="range"):
        tf.nn.dropout(tf.zeros([2]), 0.0)
    with pytest.raises(ValueError, match="exactly one"):
        tf.nn.dropout(tf.zeros([2]), 0.5, rate=0.5)
    with pytest.raises(ValueError, match="floating"):
        tf.nn.dropout(tf.zeros([2], tf.int32), 0.5)
