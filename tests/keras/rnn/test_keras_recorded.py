"""Keras recurrent layers and wrappers against tf-keras's own outputs for the same weights
(keras_recorded.py), with tf-keras's variable names; unroll=True gives the same numbers."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.keras import backend
from graphflow.keras.layers.core import Dense
from graphflow.keras.layers.recurrent import GRU, LSTM, RNN, SimpleRNN
from graphflow.keras.layers.recurrent_cells import GRUCell, LSTMCell, StackedRNNCells
from graphflow.keras.layers.wrappers import Bidirectional, TimeDistributed

from .keras_recorded import RECORDED

X = np.random.RandomState(1).uniform(-1, 1, (2, 3, 2)).astype(np.float32)

CASES = {
    "simple": lambda **kw: SimpleRNN(3, return_sequences=True, return_state=True, **kw),
    "simple_relu_back": lambda **kw: SimpleRNN(3, activation="relu", go_backwards=True,
                                               return_sequences=True, **kw),
    "lstm": lambda **kw: LSTM(3, return_sequences=True, return_state=True, **kw),
    "lstm_back": lambda **kw: LSTM(3, go_backwards=True, return_state=True, **kw),
    "gru": lambda **kw: GRU(3, return_sequences=True, return_state=True, **kw),
    "gru_v1": lambda **kw: GRU(3, reset_after=False, return_sequences=True, return_state=True,
                               **kw),
    "stacked": lambda **kw: RNN(StackedRNNCells([LSTMCell(3), GRUCell(2)]),
                                return_sequences=True, return_state=True, **kw),
    "bi_concat": lambda **kw: Bidirectional(LSTM(2, return_sequences=True, **kw)),
    "bi_sum": lambda **kw: Bidirectional(GRU(2, **kw), merge_mode="sum"),
    "td": lambda **kw: TimeDistributed(Dense(2)),
}

NAMES = {
    "simple": ["simple_rnn/simple_rnn_cell/kernel", "simple_rnn/simple_rnn_cell/recurrent_kernel",
               "simple_rnn/simple_rnn_cell/bias"],
    "lstm": ["lstm/lstm_cell/kernel", "lstm/lstm_cell/recurrent_kernel", "lstm/lstm_cell/bias"],
    "gru": ["gru/gru_cell/kernel", "gru/gru_cell/recurrent_kernel", "gru/gru_cell/bias"],
    "stacked": [f"rnn/stacked_rnn_cells/{c}/{w}" for c in ("lstm_cell", "gru_cell")
                for w in ("kernel", "recurrent_kernel", "bias")],
    "bi_concat": [f"bidirectional/{d}_lstm/lstm_cell/{w}" for d in ("forward", "backward")
                  for w in ("kernel", "recurrent_kernel", "bias")],
    "td": ["time_distributed/kernel", "time_distributed/bias"],
}


def load_recorded_weights(layer, seed=7):
    rs = np.random.RandomState(seed)
    layer.set_weights([rs.uniform(-.5, .5, w.shape.as_list()).astype(np.float32)
                       for w in layer.weights])


def run(layer, *inputs, feed=None, **kwargs):
    x = tf.placeholder(tf.float32, [None, 3, 2])
    y = layer(x, *inputs, **kwargs)
    load_recorded_weights(layer)
    outs = y if isinstance(y, list) else [y]
    return backend.get_session().run(outs, {x: X, **(feed or {})})


@pytest.fixture(autouse=True)
def fresh_keras_graph():
    backend.clear_session()
    yield
    backend.clear_session()


@pytest.mark.parametrize("case", sorted(CASES))
def test_outputs_and_states_match_tf_keras(case):
    got = run(CASES[case]())
    want = RECORDED[case]
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, np.array(w), rtol=1e-5, atol=3e-7)


@pytest.mark.parametrize("case", sorted(NAMES))
def test_variable_names_are_tf_keras_names(case):
    layer = CASES[case]()
    layer(tf.placeholder(tf.float32, [None, 3, 2]))
    assert [v.op.name for v in layer.weights] == NAMES[case]


@pytest.mark.parametrize("case", ["simple", "simple_relu_back", "lstm_back", "gru", "stacked",
                                  "bi_concat"])
def test_unrolled_steps_give_the_loop_numbers(case):
    got = run(CASES[case](unroll=True))
    assert not any(op.type == "While" for op in tf.get_default_graph().get_operations())
    for g, w in zip(got, RECORDED[case]):
        np.testing.assert_allclose(g, np.array(w), rtol=1e-5, atol=3e-7)


def test_initial_state_matches_tf_keras():
    want = np.array(RECORDED["lstm_init"][0])
    values = [np.random.RandomState(2).uniform(-1, 1, (2, 3)),
              np.random.RandomState(3).uniform(-1, 1, (2, 3))]
    for as_inputs in (False, True):  # initial_state=[h0, c0], or the list [x, h0, c0]
        backend.clear_session()
        x = tf.placeholder(tf.float32, [None, 3, 2])
        h0, c0 = tf.placeholder(tf.float32, [None, 3]), tf.placeholder(tf.float32, [None, 3])
        layer = LSTM(3, return_sequences=True)
        y = layer([x, h0, c0]) if as_inputs else layer(x, initial_state=[h0, c0])
        load_recorded_weights(layer)
        got = backend.get_session().run(y, {x: X, h0: values[0], c0: values[1]})
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=3e-7)


def test_mask_keeps_the_previous_state_and_output_as_tf_keras():
    ids = np.array([[1, 2, 0, 0], [3, 0, 4, 1]])
    table = np.random.RandomState(4).uniform(-1, 1, (5, 2)).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, 4, 2])
    mask = tf.placeholder(tf.bool, [None, 4])
    layer = LSTM(3, return_sequences=True, return_state=True)
    y = layer(x, mask=mask)
    load_recorded_weights(layer)
    got = backend.get_session().run(y, {x: table[ids], mask: ids != 0})
    for g, w in zip(got, RECORDED["masked"]):
        np.testing.assert_allclose(g, np.array(w), rtol=1e-5, atol=3e-7)
    assert layer.compute_mask(x, mask)[0] is mask
