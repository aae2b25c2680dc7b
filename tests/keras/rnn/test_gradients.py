"""Gradients through time of the Keras recurrent layers, float64, against central finite
differences: with respect to every weight, the inputs and the initial state, through the loop
(masked too), the unrolled graph and a Bidirectional wrapper."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.keras import backend
from graphflow.keras.layers.recurrent import GRU, LSTM, RNN, SimpleRNN
from graphflow.keras.layers.recurrent_cells import LSTMCell, SimpleRNNCell
from graphflow.keras.layers.wrappers import Bidirectional
from graphflow.testing.gradient_check import relative_difference

RNG = np.random.default_rng(17)
B, T, D, U = 2, 3, 2, 2
TOL = 1e-6

LAYERS = {
    "simple": lambda **kw: SimpleRNN(U, **kw),
    "lstm": lambda **kw: LSTM(U, **kw),
    "gru": lambda **kw: GRU(U, **kw),
    "gru_reset_before": lambda **kw: GRU(U, reset_after=False, **kw),
    "bidirectional_lstm": lambda **kw: Bidirectional(LSTM(U, **kw)),
    "stacked_cells": lambda **kw: RNN([SimpleRNNCell(3), LSTMCell(U)], **kw),
}


@pytest.fixture(autouse=True)
def fresh_keras_graph():
    backend.clear_session()
    yield
    backend.clear_session()


def finite_differences(loss_at, value, eps=1e-6):
    numeric = np.zeros_like(value)
    for idx in np.ndindex(value.shape):
        shifted = value.copy()
        shifted[idx] += eps
        up = loss_at(shifted)
        shifted[idx] -= 2 * eps
        numeric[idx] = (up - loss_at(shifted)) / (2 * eps)
    return numeric


def projected_loss(outs):
    outs = outs if isinstance(outs, list) else [outs]
    proj = [tf.constant(RNG.normal(size=o.shape.as_list())) for o in outs]
    return tf.add_n([tf.reduce_sum(o * r) for o, r in zip(outs, proj)])


@pytest.mark.parametrize("unroll", [False, True])
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_gradients_with_respect_to_every_weight(name, unroll):
    layer = LAYERS[name](return_sequences=True, return_state=name != "bidirectional_lstm",
                         unroll=unroll, dtype="float64")
    x = tf.constant(RNG.normal(size=(B, T, D)))
    mask = tf.constant(np.array([[1, 0, 1], [1, 1, 0]], bool))
    loss = projected_loss(layer(x, mask=mask))
    grads = tf.gradients(loss, layer.trainable_weights)
    sess = backend.get_session()
    values = [RNG.normal(size=v.shape.as_list()) * 0.7 for v in layer.weights]
    layer.set_weights(values)
    symbolic = sess.run(grads)
    for v, val, g in zip(layer.weights, values, symbolic):
        def loss_at(value, v=v):
            v.load(value, sess)
            return sess.run(loss)

        numeric = finite_differences(loss_at, val)
        v.load(val, sess)
        assert relative_difference(g, numeric, floor=1.0) < TOL, v.op.name


def test_gradients_with_respect_to_inputs_and_initial_state():
    layer = LSTM(U, return_sequences=True, return_state=True, go_backwards=True,
                 dtype="float64")
    x = tf.placeholder(tf.float64, [B, T, D])
    h0, c0 = tf.placeholder(tf.float64, [B, U]), tf.placeholder(tf.float64, [B, U])
    loss = projected_loss(layer(x, initial_state=[h0, c0]))
    phs = [x, h0, c0]
    grads = tf.gradients(loss, phs)
    sess = backend.get_session()
    layer.set_weights([RNG.normal(size=v.shape.as_list()) * 0.7 for v in layer.weights])
    feed = {p: RNG.normal(size=p.shape.as_list()) for p in phs}
    symbolic = sess.run(grads, feed)
    for p, g in zip(phs, symbolic):
        numeric = finite_differences(lambda value, p=p: sess.run(loss, {**feed, p: value}),
                                     feed[p])
        assert relative_difference(g, numeric, floor=1.0) < TOL, p.name
