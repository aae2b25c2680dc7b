"""Dropout masks (drawn in the training phase only, the same at every step), stateful layers
(the state carries over between runs until reset_states) and zero time steps."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.keras import backend
from graphflow.keras.layers.recurrent import GRU, LSTM, SimpleRNN

B, T, D = 4, 3, 50


@pytest.fixture(autouse=True)
def fresh_keras_graph():
    backend.clear_session()
    yield
    backend.clear_session()


def linear_rnn(kernel, recurrent, **kw):
    layer = SimpleRNN(D, activation="linear", return_sequences=True, **kw)
    x = tf.placeholder(tf.float32, [B, T, D])
    return layer, x, lambda y: layer.set_weights([kernel, recurrent, np.zeros(D)])


@pytest.mark.parametrize("training", [True, "phase"])
def test_input_dropout_uses_one_mask_for_every_step(training):
    layer, x, load = linear_rnn(np.eye(D), np.zeros((D, D)), dropout=0.5)
    y = layer(x, training=True if training is True else None)
    load(y)
    sess = backend.get_session()
    feed = {x: np.ones((B, T, D))}
    if training == "phase":
        feed[backend.learning_phase()] = True
    out = sess.run(y, feed)
    assert set(np.unique(out)) <= {0.0, 2.0} and 0.2 < np.mean(out == 0) < 0.8
    for t in range(1, T):
        np.testing.assert_array_equal(out[:, t], out[:, 0])
    assert not np.array_equal(sess.run(y, feed), out)  # a new mask every run
    if training == "phase":
        np.testing.assert_array_equal(sess.run(y, {x: feed[x]}), feed[x])  # phase off


def test_recurrent_dropout_masks_the_state_the_same_way_at_each_step():
    layer, x, load = linear_rnn(np.zeros((D, D)), np.eye(D), recurrent_dropout=0.5)
    h0 = tf.ones([B, D])
    y = layer(x, training=True, initial_state=[h0])
    load(y)
    out = backend.get_session().run(y, {x: np.zeros((B, T, D))})
    kept = out[:, 0] != 0
    for t in range(T):  # h_t = h0 * m^(t+1) with m in {0, 2}
        np.testing.assert_array_equal(out[:, t], np.where(kept, 2.0 ** (t + 1), 0.0))


def test_no_dropout_outside_training():
    layer, x, load = linear_rnn(np.eye(D), np.eye(D), dropout=0.4, recurrent_dropout=0.4)
    y = layer(x, training=False)
    load(y)
    xv = np.random.default_rng(0).normal(size=(B, T, D)).astype(np.float32)
    np.testing.assert_allclose(backend.get_session().run(y, {x: xv}), np.cumsum(xv, 1),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("make", [lambda **kw: LSTM(3, **kw), lambda **kw: GRU(3, **kw)])
def test_stateful_layer_continues_from_the_last_state(make):
    rng = np.random.default_rng(1)
    xv = rng.normal(size=(2, 6, 2)).astype(np.float32)
    whole_layer = make(return_sequences=True)
    whole = whole_layer(tf.placeholder(tf.float32, [2, 6, 2]))
    layer = make(return_sequences=True, stateful=True, batch_input_shape=(2, 3, 2))
    x = tf.placeholder(tf.float32, [2, 3, 2])
    y = layer(x)
    assert len(layer.weights) == 3 and layer.states is not None
    weights = [rng.normal(size=w.shape.as_list()) for w in layer.weights]
    layer.set_weights(weights)
    whole_layer.set_weights(weights)
    sess = backend.get_session()
    want = sess.run(whole, {whole_layer.input: xv})
    first, second = sess.run(y, {x: xv[:, :3]}), sess.run(y, {x: xv[:, 3:]})
    np.testing.assert_allclose(np.concatenate([first, second], 1), want, rtol=1e-5, atol=1e-6)
    layer.reset_states()
    np.testing.assert_allclose(sess.run(y, {x: xv[:, :3]}), first, rtol=1e-6)


def test_stateful_needs_a_batch_size():
    with pytest.raises(ValueError, match="stateful, it needs to know its batch size"):
        LSTM(2, stateful=True)(tf.placeholder(tf.float32, [None, 3, 2]))


def test_zero_time_steps_give_the_initial_state_and_an_empty_sequence():
    layer = LSTM(3, return_sequences=True, return_state=True)
    x = tf.placeholder(tf.float32, [2, None, 2])
    h0, c0 = tf.constant(np.full((2, 3), .5, np.float32)), tf.constant(np.ones((2, 3), np.float32))
    outs = layer(x, initial_state=[h0, c0])
    seq, h, c = backend.get_session().run(outs, {x: np.zeros((2, 0, 2))})
    assert seq.shape == (2, 0, 3)
    np.testing.assert_array_equal(h, np.full((2, 3), .5))
    np.testing.assert_array_equal(c, np.ones((2, 3)))


def test_stacked_cells_draw_masks_of_their_own_widths():
    from graphflow.keras.layers.recurrent import RNN
    from graphflow.keras.layers.recurrent_cells import GRUCell, LSTMCell, StackedRNNCells

    cells = [LSTMCell(5, dropout=0.3, recurrent_dropout=0.3), GRUCell(2, dropout=0.5)]
    stacked = StackedRNNCells(cells)
    stacked.prepare_masks(tf.ones([B, 3]), [tf.zeros([B, 5]), tf.zeros([B, 5]),
                                            tf.zeros([B, 2])], True)
    (lstm_in, lstm_rec), (gru_in, gru_rec) = cells[0]._masks, cells[1]._masks
    assert lstm_in.shape.as_list() == [B, 3] and lstm_rec.shape.as_list() == [B, 5]
    assert gru_in.shape.as_list() == [B, 5] and gru_rec is None
    layer = RNN(stacked, return_sequences=True)
    x = tf.placeholder(tf.float32, [B, T, 3])
    y = layer(x, training=True)
    assert cells[0]._masks is None and cells[1]._masks is None  # reset after the loop is built
    out = backend.get_session().run(y, {x: np.ones((B, T, 3))})
    assert out.shape == (B, T, 2) and np.all(np.isfinite(out))
