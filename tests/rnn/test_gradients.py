"""Gradients through time in float64 against central finite differences, with respect to every
cell variable (perturbed in the session), the inputs and the initial state, for static_rnn and
dynamic_rnn with sequence_length masking (compared as graphflow.testing.gradient_check does).
"""

import numpy as np
import pytest

import graphflow as tf
from graphflow import nest
from graphflow.testing.gradient_check import relative_difference

rc = tf.nn.rnn_cell
RNG = np.random.default_rng(11)
B, T, D = 2, 3, 2
TOL = 1e-6

CELLS = {
    "basic_rnn": lambda: rc.BasicRNNCell(3),
    "basic_lstm": lambda: rc.BasicLSTMCell(2),
    "lstm_peepholes_projection": lambda: rc.LSTMCell(3, use_peepholes=True, num_proj=2),
    "gru": lambda: rc.GRUCell(2),
    "multi": lambda: rc.MultiRNNCell([rc.GRUCell(2), rc.BasicLSTMCell(2)]),
}


def unroll(driver, cell, x, lengths=None, initial_state=None):
    if driver == "static":
        outs, state = tf.nn.static_rnn(cell, tf.unstack(x, axis=1), initial_state=initial_state,
                                       sequence_length=lengths, dtype=tf.float64)
        return [tf.stack(outs, 1)] + nest.flatten(state)
    outs, state = tf.nn.dynamic_rnn(cell, x, sequence_length=lengths,
                                    initial_state=initial_state, dtype=tf.float64)
    return [outs] + nest.flatten(state)


@pytest.mark.parametrize("driver", ["static", "dynamic"])
@pytest.mark.parametrize("name", sorted(CELLS))
def test_gradients_with_respect_to_every_variable(name, driver, executor):
    x = tf.constant(RNG.normal(size=(B, T, D)))
    cell = CELLS[name]()
    outs = unroll(driver, cell, x, lengths=tf.constant([3, 2]))
    variables = tf.trainable_variables()
    assert variables and all(v.dtype == tf.float64 for v in variables)
    proj = [tf.constant(RNG.normal(size=o.shape.as_list())) for o in outs]
    loss = tf.add_n([tf.reduce_sum(o * r) for o, r in zip(outs, proj)])
    grads = tf.gradients(loss, variables)
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        values = [RNG.normal(size=v.shape.as_list()) * 0.7 for v in variables]
        for v, val in zip(variables, values):
            v.load(val, sess)
        symbolic = sess.run(grads)
        for v, val, g in zip(variables, values, symbolic):
            def loss_at(value, v=v):
                v.load(value, sess)
                return sess.run(loss)

            numeric = finite_differences(loss_at, val)
            v.load(val, sess)
            assert relative_difference(g, numeric, floor=1.0) < TOL, v.op.name


@pytest.mark.parametrize("driver", ["static", "dynamic"])
def test_gradients_with_respect_to_inputs_and_initial_state(driver, executor):
    x = tf.placeholder(tf.float64, [B, T, D])
    c0, h0 = tf.placeholder(tf.float64, [B, 3]), tf.placeholder(tf.float64, [B, 3])
    outs = unroll(driver, rc.BasicLSTMCell(3), x, lengths=tf.constant([1, 3]),
                  initial_state=rc.LSTMStateTuple(c0, h0))
    proj = [tf.constant(RNG.normal(size=o.shape.as_list())) for o in outs]
    loss = tf.add_n([tf.reduce_sum(o * r) for o, r in zip(outs, proj)])
    phs = [x, c0, h0]
    grads = tf.gradients(loss, phs)
    values = [RNG.normal(size=p.shape.as_list()) for p in phs]
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        feed = dict(zip(phs, values))
        symbolic = sess.run(grads, feed)
        for p, g in zip(phs, symbolic):
            numeric = finite_differences(lambda value, p=p: sess.run(loss, {**feed, p: value}),
                                         feed[p])
            assert relative_difference(g, numeric, floor=1.0) < TOL, p.name


def finite_differences(loss_at, value, eps=1e-6):
    """d loss / d value by central differences, one element at a time."""
    numeric = np.zeros_like(value)
    for idx in np.ndindex(value.shape):
        shifted = value.copy()
        shifted[idx] += eps
        up = loss_at(shifted)
        shifted[idx] -= 2 * eps
        numeric[idx] = (up - loss_at(shifted)) / (2 * eps)
    return numeric
