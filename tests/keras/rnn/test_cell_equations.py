"""The layers in float64 against the NumPy cell equations (numpy_keras_cells.py) with random
weights: every output and final state, backwards, masked, time-major and stacked."""

import functools

import numpy as np
import pytest

import graphflow as tf
from graphflow.keras import backend
from graphflow.keras.layers.recurrent import GRU, LSTM, RNN, SimpleRNN
from graphflow.keras.layers.recurrent_cells import GRUCell, LSTMCell, SimpleRNNCell

from . import numpy_keras_cells as ref

RNG = np.random.default_rng(5)
B, T, D, U = 3, 4, 3, 2

LAYERS = {
    "simple_tanh": (functools.partial(SimpleRNN, U), ref.simple_rnn, 1),
    "simple_relu": (functools.partial(SimpleRNN, U, activation="relu"),
                    functools.partial(ref.simple_rnn, act=lambda z: np.maximum(z, 0)), 1),
    "lstm": (functools.partial(LSTM, U), ref.lstm, 2),
    "lstm_hard_sigmoid": (functools.partial(LSTM, U, recurrent_activation="hard_sigmoid"),
                          functools.partial(ref.lstm, rec_act=lambda z: np.clip(
                              .2 * z + .5, 0, 1)), 2),
    "gru": (functools.partial(GRU, U), ref.gru, 1),
    "gru_reset_before": (functools.partial(GRU, U, reset_after=False),
                         functools.partial(ref.gru, reset_after=False), 1),
}


@pytest.fixture(autouse=True)
def fresh_keras_graph():
    backend.clear_session()
    yield
    backend.clear_session()


def random_weights(layer):
    values = [RNG.normal(size=w.shape.as_list()) * 0.6 for w in layer.weights]
    layer.set_weights(values)
    return values


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer_follows_the_cell_equations(name, masked, go_backwards):
    make, cell, n_states = LAYERS[name]
    layer = make(return_sequences=True, return_state=True, go_backwards=go_backwards,
                 dtype="float64")
    x = tf.placeholder(tf.float64, [None, None, D])
    mask = tf.placeholder(tf.bool, [None, None]) if masked else None
    outs = layer(x, mask=mask)
    weights = random_weights(layer)
    xv = RNG.normal(size=(B, T, D))
    mv = np.array([[1, 1, 0, 1], [0, 1, 1, 0], [1, 1, 1, 1]], bool)
    feed = {x: xv, **({mask: mv} if masked else {})}
    got = backend.get_session().run(outs, feed)
    want_seq, want_states = ref.run(cell, xv, [np.zeros((B, U))] * n_states, weights,
                                    go_backwards, mv if masked else None)
    np.testing.assert_allclose(got[0], want_seq, rtol=1e-10, atol=1e-12)
    for g, w in zip(got[1:], want_states):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)


def test_time_major_inputs_give_time_major_outputs():
    layer = LSTM(U, return_sequences=True, time_major=True, dtype="float64")
    x = tf.placeholder(tf.float64, [T, None, D])
    y = layer(x)
    assert y.shape.as_list() == [T, None, U]
    weights = random_weights(layer)
    xv = RNG.normal(size=(T, B, D))
    want, _ = ref.run(ref.lstm, xv.transpose(1, 0, 2), [np.zeros((B, U))] * 2, weights)
    np.testing.assert_allclose(backend.get_session().run(y, {x: xv}), want.transpose(1, 0, 2),
                               rtol=1e-10)


def test_stacked_cells_feed_each_other_and_keep_every_state():
    layer = RNN([SimpleRNNCell(3), LSTMCell(U), GRUCell(U)], return_state=True,
                dtype="float64")
    x = tf.placeholder(tf.float64, [B, T, D])
    outs = layer(x)
    assert len(outs) == 1 + 1 + 2 + 1
    w = random_weights(layer)
    xv = RNG.normal(size=(B, T, D))
    states = [np.zeros((B, 3)), np.zeros((B, U)), np.zeros((B, U)), np.zeros((B, U))]
    for t in range(T):
        h, (s0,) = ref.simple_rnn(xv[:, t], states[:1], *w[:3])
        h, (s1, s2) = ref.lstm(h, states[1:3], *w[3:6])
        h, (s3,) = ref.gru(h, states[3:], *w[6:])
        states = [s0, s1, s2, s3]
    got = backend.get_session().run(outs, {x: xv})
    np.testing.assert_allclose(got[0], h, rtol=1e-10)
    for g, s in zip(got[1:], states):
        np.testing.assert_allclose(g, s, rtol=1e-10)


def test_a_cell_called_alone_is_one_step():
    cell = LSTMCell(U, dtype="float64")
    x = tf.placeholder(tf.float64, [B, D])
    h, c = tf.placeholder(tf.float64, [B, U]), tf.placeholder(tf.float64, [B, U])
    out, (h1, c1) = cell(x, [h, c])
    w = random_weights(cell)
    assert [v.op.name for v in cell.weights] == ["lstm_cell/kernel", "lstm_cell/recurrent_kernel",
                                                 "lstm_cell/bias"]
    xv, hv, cv = (RNG.normal(size=s) for s in [(B, D), (B, U), (B, U)])
    want, (wh, wc) = ref.lstm(xv, [hv, cv], *w)
    got = backend.get_session().run([out, h1, c1], {x: xv, h: hv, c: cv})
    for g, v in zip(got, [want, wh, wc]):
        np.testing.assert_allclose(g, v, rtol=1e-10)
