"""RNNs train: a sine-continuation model (dynamic_rnn + DropoutWrapper, and static_rnn) with
Adam, a running-sum task on a bidirectional GRU; checkpoints keep TF1's variable names."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.train.checkpoint_format import read_checkpoint

rc = tf.nn.rnn_cell
RNG = np.random.default_rng(2)
T = 8


def sine_batch(n=32):
    phase = RNG.uniform(0, 2 * np.pi, size=(n, 1))
    t = np.arange(T + 1)[None, :] * 0.4 + phase
    wave = np.sin(t).astype(np.float32)
    return wave[:, :T, None], wave[:, 1:, None]


@pytest.mark.parametrize("driver", ["dynamic_dropout", "static"])
def test_a_sine_model_trains_with_adam(driver, executor):
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, [None, T, 1])
    y = tf.placeholder(tf.float32, [None, T, 1])
    if driver == "static":
        outs, _ = tf.nn.static_rnn(rc.BasicLSTMCell(8), tf.unstack(x, axis=1), dtype=tf.float32)
        outputs = tf.stack(outs, 1)
    else:
        cell = rc.DropoutWrapper(rc.LSTMCell(8), output_keep_prob=0.9, input_keep_prob=0.95)
        outputs, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    pred = tf.layers.dense(outputs, 1)
    loss = tf.reduce_mean(tf.square(pred - y))
    train = tf.train.AdamOptimizer(0.03).minimize(loss)
    xs, ys = sine_batch()
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: xs, y: ys})
        for _ in range(80):
            sess.run(train, {x: xs, y: ys})
        last = sess.run(loss, {x: xs, y: ys})
    assert last < first / 4, (first, last)


def test_a_bidirectional_gru_learns_the_total_of_a_sequence(executor):
    tf.set_random_seed(1)
    x = tf.placeholder(tf.float32, [None, T, 1])
    lengths = tf.placeholder(tf.int32, [None])
    total = tf.placeholder(tf.float32, [None, 1])
    (_, _), (s_fw, s_bw) = tf.nn.bidirectional_dynamic_rnn(
        rc.GRUCell(6), rc.GRUCell(6), x, sequence_length=lengths, dtype=tf.float32)
    pred = tf.layers.dense(tf.concat([s_fw, s_bw], 1), 1)
    loss = tf.reduce_mean(tf.square(pred - total))
    train = tf.train.AdamOptimizer(0.03).minimize(loss)
    n = 48
    lens = RNG.integers(1, T + 1, size=n)
    xs = RNG.uniform(-1, 1, size=(n, T, 1)).astype(np.float32)
    xs[np.arange(T)[None, :] >= lens[:, None]] = 0.0
    feed = {x: xs, lengths: lens, total: xs.sum(1) / 2}
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, feed)
        for _ in range(100):
            sess.run(train, feed)
        assert sess.run(loss, feed) < first / 4


def test_checkpoints_use_tf1_variable_names(tmp_path):
    x = tf.placeholder(tf.float32, [None, T, 3])
    multi = rc.MultiRNNCell([rc.LSTMCell(4, use_peepholes=True, num_proj=2), rc.GRUCell(3)])
    tf.nn.dynamic_rnn(multi, x, dtype=tf.float32)
    tf.nn.bidirectional_dynamic_rnn(rc.BasicLSTMCell(2), rc.BasicRNNCell(2), x,
                                    dtype=tf.float32)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "model"))
    shapes = {name: list(value.shape) for name, value in read_checkpoint(path).items()}
    assert shapes == {
        "rnn/multi_rnn_cell/cell_0/lstm_cell/kernel": [5, 16],
        "rnn/multi_rnn_cell/cell_0/lstm_cell/bias": [16],
        "rnn/multi_rnn_cell/cell_0/lstm_cell/w_f_diag": [4],
        "rnn/multi_rnn_cell/cell_0/lstm_cell/w_i_diag": [4],
        "rnn/multi_rnn_cell/cell_0/lstm_cell/w_o_diag": [4],
        "rnn/multi_rnn_cell/cell_0/lstm_cell/projection/kernel": [4, 2],
        "rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel": [5, 6],
        "rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias": [6],
        "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel": [5, 3],
        "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias": [3],
        "bidirectional_rnn/fw/basic_lstm_cell/kernel": [5, 8],
        "bidirectional_rnn/fw/basic_lstm_cell/bias": [8],
        "bidirectional_rnn/bw/basic_rnn_cell/kernel": [5, 2],
        "bidirectional_rnn/bw/basic_rnn_cell/bias": [2],
    }
