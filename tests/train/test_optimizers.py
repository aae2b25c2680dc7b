"""Optimizers follow TF1's update rules exactly (SEEDS.md 2.5), checked against NumPy."""

import numpy as np
import pytest

import graphflow as tf

GRAD_TARGET = np.array([1.0, -2.0, 0.5])


def _train(opt, steps=5, dtype=tf.float64):
    """Minimise 0.5*||w - t||^2 (gradient w - t) from w = 0; return the trajectory of w."""
    w = tf.Variable(np.zeros(3, dtype=dtype.np), name="w")
    diff = w - GRAD_TARGET.astype(dtype.np)
    loss = 0.5 * diff * diff
    step = opt.minimize(loss)
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(step)
            out.append(sess.run(w))
    return np.array(out)


def _numpy(rule, steps=5):
    w, state, out = np.zeros(3), {}, []
    for t in range(1, steps + 1):
        w = rule(w, w - GRAD_TARGET, state, t)
        out.append(w.copy())
    return np.array(out)


def test_gradient_descent():
    def rule(w, g, s, t):
        return w - 0.1 * g

    np.testing.assert_allclose(_train(tf.train.GradientDescentOptimizer(0.1)), _numpy(rule))


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum(nesterov):
    def rule(w, g, s, t):
        a = s["a"] = 0.9 * s.get("a", 0) + g
        return w - 0.1 * (g + 0.9 * a) if nesterov else w - 0.1 * a

    got = _train(tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=nesterov))
    np.testing.assert_allclose(got, _numpy(rule))


def test_adagrad():
    def rule(w, g, s, t):
        acc = s["acc"] = s.get("acc", 0.1) + g * g
        return w - 0.1 * g / np.sqrt(acc)

    np.testing.assert_allclose(_train(tf.train.AdagradOptimizer(0.1)), _numpy(rule))


@pytest.mark.parametrize("centered", [False, True])
def test_rmsprop_starts_ms_at_one(centered):
    def rule(w, g, s, t):
        ms = s["ms"] = 0.9 * s.get("ms", 1.0) + 0.1 * g * g
        denom = ms
        if centered:
            mg = s["mg"] = 0.9 * s.get("mg", 0.0) + 0.1 * g
            denom = ms - mg * mg
        mom = s["mom"] = 0.5 * s.get("mom", 0.0) + 0.01 * g / np.sqrt(denom + 1e-10)
        return w - mom

    got = _train(tf.train.RMSPropOptimizer(0.01, momentum=0.5, centered=centered))
    np.testing.assert_allclose(got, _numpy(rule))


def test_adam_puts_epsilon_outside_the_root_and_folds_bias_correction_into_lr():
    def rule(w, g, s, t):
        m = s["m"] = 0.9 * s.get("m", 0.0) + 0.1 * g
        v = s["v"] = 0.999 * s.get("v", 0.0) + 0.001 * g * g
        lr_t = 0.01 * np.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        return w - lr_t * m / (np.sqrt(v) + 1e-8)

    np.testing.assert_allclose(_train(tf.train.AdamOptimizer(0.01)), _numpy(rule), rtol=1e-10)


def test_toy_quadratic_reaches_tf1_float32_value():
    w = tf.Variable(0, dtype=tf.float32)
    cost = tf.add(tf.add(w**2, tf.multiply(-10.0, w)), 25)
    train = tf.train.GradientDescentOptimizer(0.01).minimize(cost)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(1000):
            sess.run(train)
        assert sess.run(w) == pytest.approx(4.9999886, abs=2e-6)


def test_learning_rate_can_be_fed():
    lr = tf.placeholder(tf.float32, [])
    w = tf.Variable(1.0)
    step = tf.train.GradientDescentOptimizer(lr).minimize(w * w)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step, {lr: 0.25})
        assert sess.run(w) == pytest.approx(0.5)
        sess.run(step, {lr: 0.0})
        assert sess.run(w) == pytest.approx(0.5)


def test_minimize_returns_an_op_and_increments_global_step_after_update():
    w = tf.Variable(1.0)
    gs = tf.Variable(0, trainable=False, name="global_step")
    step = tf.train.GradientDescentOptimizer(0.5).minimize(w * w, global_step=gs)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(step) is None
        sess.run(step)
        assert sess.run(gs) == 2
        assert sess.run(w) == pytest.approx(0.0)


def test_var_list_freezes_the_other_variables():
    a, b = tf.Variable(1.0), tf.Variable(1.0)
    step = tf.train.GradientDescentOptimizer(0.1).minimize(a * b, var_list=[a])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        assert sess.run([a, b]) == pytest.approx([0.9, 1.0])


def test_trainable_false_is_not_trained():
    a = tf.Variable(1.0)
    frozen = tf.Variable(2.0, trainable=False)
    step = tf.train.GradientDescentOptimizer(0.1).minimize(a * frozen)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        assert sess.run([a, frozen]) == pytest.approx([0.8, 2.0])


def test_compute_and_apply_gradients_allow_editing_gradients():
    w = tf.Variable(1.0)
    opt = tf.train.GradientDescentOptimizer(1.0)
    pairs = opt.compute_gradients(w * w)
    clipped = [(g * 0.5, v) for g, v in pairs]
    step = opt.apply_gradients(clipped)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        assert sess.run(w) == pytest.approx(0.0)


def test_slots_are_global_non_trainable_variables_named_like_tf1():
    w = tf.Variable([1.0, 2.0], name="w")
    opt = tf.train.AdamOptimizer()
    opt.minimize(w * w)
    names = {v.op.name for v in tf.global_variables()}
    assert {"w", "w/Adam", "w/Adam_1", "beta1_power", "beta2_power"} <= names
    assert [v.op.name for v in tf.trainable_variables()] == ["w"]
    assert opt.get_slot(w, "m").op.name == "w/Adam"


def test_no_gradient_for_any_variable_is_a_clear_error():
    w = tf.Variable(1.0)
    x = tf.placeholder(tf.float32, [])
    with pytest.raises(ValueError, match="No gradients provided"):
        tf.train.GradientDescentOptimizer(0.1).minimize(x * 2.0, var_list=[w])


def test_schedules():
    step = tf.Variable(0, trainable=False)
    exp = tf.train.exponential_decay(0.1, step, 10, 0.5)
    stair = tf.train.exponential_decay(0.1, step, 10, 0.5, staircase=True)
    inv = tf.train.inverse_time_decay(0.1, step, 10, 0.5)
    pw = tf.train.piecewise_constant(step, [5, 15], [1.0, 0.5, 0.1])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step.assign(15))
        e, s, i, p = sess.run([exp, stair, inv, pw])
    assert e == pytest.approx(0.1 * 0.5**1.5)
    assert s == pytest.approx(0.05)
    assert i == pytest.approx(0.1 / (1 + 0.5 * 1.5))
    assert p == pytest.approx(0.5)
