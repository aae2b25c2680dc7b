"""AdadeltaOptimizer (TF1's ApplyAdadelta) and ExponentialMovingAverage, checked against NumPy."""

import numpy as np
import pytest

import graphflow as tf

TARGET = np.array([1.0, -2.0, 0.5])


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


def test_adadelta_matches_tf1_update_rule():
    lr, rho, eps, steps = 1.0, 0.9, 1e-6, 6
    w = tf.Variable(np.zeros(3), name="w")
    diff = w - TARGET
    opt = tf.train.AdadeltaOptimizer(lr, rho=rho, epsilon=eps)
    step = opt.minimize(0.5 * diff * diff)
    assert sorted(opt.get_slot_names()) == ["accum", "accum_update"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = []
        for _ in range(steps):
            sess.run(step)
            got.append(sess.run(w))
    wn, accum, accum_update, want = np.zeros(3), np.zeros(3), np.zeros(3), []
    for _ in range(steps):
        g = wn - TARGET
        accum = rho * accum + (1 - rho) * g * g
        update = np.sqrt(accum_update + eps) / np.sqrt(accum + eps) * g
        accum_update = rho * accum_update + (1 - rho) * update * update
        wn = wn - lr * update
        want.append(wn.copy())
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_adadelta_tf1_defaults():
    opt = tf.train.AdadeltaOptimizer()
    assert (opt.learning_rate, opt.rho, opt.epsilon) == (0.001, 0.95, 1e-8)


def test_exponential_moving_average_follows_tf1():
    v = tf.Variable(10.0, name="v")
    w = tf.Variable([1.0, 2.0], name="w")
    step = tf.Variable(0, trainable=False, name="step")
    ema = tf.train.ExponentialMovingAverage(0.99, num_updates=step)
    apply = ema.apply([v, w])
    assert ema.average_name(v) == "v/ExponentialMovingAverage"
    assert ema.average(v).op.name == "v/ExponentialMovingAverage" and ema.average(step) is None
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(ema.average(v)) == 10.0  # starts at the variable's initial value
        shadow, want = 10.0, []
        for i, value in enumerate([20.0, 30.0, 40.0]):
            sess.run([v.assign(value), step.assign(i)])
            sess.run(apply)
            decay = min(0.99, (1 + i) / (10 + i))
            shadow -= (1 - decay) * (shadow - value)
            want.append(shadow)
            assert sess.run(ema.average(v)) == pytest.approx(shadow, rel=1e-6)
    restore = ema.variables_to_restore()
    assert restore["v/ExponentialMovingAverage"] is v and restore["w/ExponentialMovingAverage"] is w
    assert restore["step"] is step


def test_ema_without_num_updates_uses_the_decay():
    v = tf.Variable(0.0)
    ema = tf.train.ExponentialMovingAverage(0.5)
    apply = ema.apply([v])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(v.assign(4.0))
        sess.run(apply)
        sess.run(apply)
        assert sess.run(ema.average(v)) == pytest.approx(3.0)  # 0 -> 2 -> 3
    with pytest.raises(TypeError, match="takes Variables"):
        ema.apply([tf.constant(1.0)])
