"""Cells run by static_rnn and dynamic_rnn against the NumPy cell equations (numpy_cells.py) in
float64, with random weights, sequence_length masking and time-major inputs."""

import functools

import numpy as np
import pytest

import graphflow as tf
from graphflow import nest

from . import numpy_cells as ref

rc = tf.nn.rnn_cell
RNG = np.random.default_rng(3)
B, T, D, H = 3, 4, 3, 5
LENGTHS = [4, 2, 0]


def lstm_ref(**kw):
    return functools.partial(ref.lstm, **kw)


CELLS = {
    "basic_rnn": (lambda: rc.BasicRNNCell(H), ref.basic_rnn, False),
    "basic_rnn_relu": (lambda: rc.BasicRNNCell(H, activation=tf.nn.relu),
                       functools.partial(ref.basic_rnn, act=lambda z: np.maximum(z, 0)), False),
    "basic_lstm": (lambda: rc.BasicLSTMCell(H, forget_bias=0.7), lstm_ref(forget_bias=0.7),
                   True),
    "lstm_full": (lambda: rc.LSTMCell(H, use_peepholes=True, cell_clip=0.8, num_proj=2,
                                      proj_clip=0.6),
                  lstm_ref(peepholes=True, cell_clip=0.8, proj_clip=0.6), True),
    "gru": (lambda: rc.GRUCell(H), ref.gru, False),
}


def weights_of(cell, sess):
    """Random values loaded into the cell's variables; {name within the cell scope: value}."""
    out = {}
    for v in cell.variables:
        value = RNG.normal(size=v.shape.as_list()) * 0.6
        v.load(value, sess)
        out[v.op.name[len(cell.name) + 1:]] = value
    return out


def zero_state(cell_ref_is_lstm, cell):
    size = cell.state_size
    if cell_ref_is_lstm:
        return (np.zeros((B, size.c)), np.zeros((B, size.h)))
    return np.zeros((B, size))


@pytest.mark.parametrize("driver", ["static", "dynamic", "dynamic_time_major"])
@pytest.mark.parametrize("name", sorted(CELLS))
def test_rnn_matches_the_cell_equations(name, driver, executor):
    make, step, is_lstm = CELLS[name]
    cell = make()
    xs = RNG.normal(size=(B, T, D))
    x = tf.placeholder(tf.float64, [None, T, D])
    lengths = tf.placeholder(tf.int32, [None])
    if driver == "static":
        outs, state = tf.nn.static_rnn(cell, tf.unstack(x, axis=1), sequence_length=lengths,
                                       dtype=tf.float64)
        outputs = tf.stack(outs, 1)
    elif driver == "dynamic":
        outputs, state = tf.nn.dynamic_rnn(cell, x, sequence_length=lengths, dtype=tf.float64)
    else:
        out_tm, state = tf.nn.dynamic_rnn(cell, tf.transpose(x, [1, 0, 2]),
                                          sequence_length=lengths, dtype=tf.float64,
                                          time_major=True)
        outputs = tf.transpose(out_tm, [1, 0, 2])
    assert outputs.shape.as_list() == [None, T, cell.output_size]
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        w = weights_of(cell, sess)
        for lens in (LENGTHS, [T] * B):
            got_out, got_state = sess.run([outputs, state], {x: xs, lengths: lens})
            want_out, want_state = ref.run(functools.partial(step, w), xs,
                                           zero_state(is_lstm, cell), lens)
            np.testing.assert_allclose(got_out, want_out, rtol=1e-10, atol=1e-12)
            for g, e in zip(nest.flatten(got_state), nest.flatten(want_state)):
                np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-12)


def test_multi_rnn_cell_feeds_each_cell_the_one_below(executor):
    cells = [rc.GRUCell(H), rc.BasicLSTMCell(2)]
    multi = rc.MultiRNNCell(cells)
    assert multi.state_size == (H, rc.LSTMStateTuple(2, 2)) and multi.output_size == 2
    xs = RNG.normal(size=(B, T, D))
    outputs, state = tf.nn.dynamic_rnn(multi, tf.constant(xs), dtype=tf.float64)
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        w0, w1 = weights_of(cells[0], sess), weights_of(cells[1], sess)
        got_out, got_state = sess.run([outputs, state])

    def step(x, s):
        h0, s0 = ref.gru(w0, x, s[0])
        h1, s1 = ref.lstm(w1, h0, s[1])
        return h1, (s0, s1)

    want_out, want_state = ref.run(step, xs, (np.zeros((B, H)), (np.zeros((B, 2)),) * 2))
    np.testing.assert_allclose(got_out, want_out, rtol=1e-10)
    for g, e in zip(nest.flatten(got_state), nest.flatten(want_state)):
        np.testing.assert_allclose(g, e, rtol=1e-10)


def test_initial_state_and_unknown_batch_and_time(executor):
    cell = rc.BasicLSTMCell(H)
    x = tf.placeholder(tf.float64, [None, None, D])
    c0 = tf.placeholder(tf.float64, [None, H])
    h0 = tf.placeholder(tf.float64, [None, H])
    outputs, state = tf.nn.dynamic_rnn(cell, x, initial_state=rc.LSTMStateTuple(c0, h0))
    assert outputs.shape.as_list() == [None, None, H]
    xs, c, h = RNG.normal(size=(2, 5, D)), RNG.normal(size=(2, H)), RNG.normal(size=(2, H))
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        w = weights_of(cell, sess)
        got_out, got_state = sess.run([outputs, state], {x: xs, c0: c, h0: h})
    want_out, want_state = ref.run(functools.partial(ref.lstm, w), xs, (c, h))
    np.testing.assert_allclose(got_out, want_out, rtol=1e-10)
    np.testing.assert_allclose(got_state.c, want_state[0], rtol=1e-10)
    assert isinstance(got_state, rc.LSTMStateTuple)


def test_bidirectional_dynamic_rnn_reverses_within_each_length(executor):
    fw, bw = rc.GRUCell(H), rc.BasicRNNCell(2)
    xs = RNG.normal(size=(B, T, D))
    lens = [4, 1, 3]
    (out_fw, out_bw), (s_fw, s_bw) = tf.nn.bidirectional_dynamic_rnn(
        fw, bw, tf.constant(xs), sequence_length=lens, dtype=tf.float64)
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        wf, wb = weights_of(fw, sess), weights_of(bw, sess)
        got = sess.run([out_fw, out_bw, s_fw, s_bw])
    want_fw, want_sfw = ref.run(functools.partial(ref.gru, wf), xs, np.zeros((B, H)), lens)
    rev = np.stack([np.concatenate([xs[b, :n][::-1], xs[b, n:]]) for b, n in enumerate(lens)])
    tmp, want_sbw = ref.run(functools.partial(ref.basic_rnn, wb), rev, np.zeros((B, 2)), lens)
    want_bw = np.stack([np.concatenate([tmp[b, :n][::-1], tmp[b, n:]])
                        for b, n in enumerate(lens)])
    for g, e in zip(got, [want_fw, want_bw, want_sfw, want_sbw]):
        np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-12)
