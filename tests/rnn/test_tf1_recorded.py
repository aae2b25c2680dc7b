"""Every cell and driver against TF1's own numbers (tf1_recorded.py): the same variables (names,
shapes, creation order: a TF1 checkpoint's layout) and, for the same fixed weights, the same
outputs and final states (float32, 1e-5)."""

import numpy as np
import pytest

import graphflow as tf
from graphflow import nest

from .tf1_recorded import RECORDED

rc = tf.nn.rnn_cell
H = 4


def fixed(shape, k):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * 0.7 + k) * 0.5).reshape(shape).astype(np.float32)


def dyn(make, sl=None, **kw):
    def build(x):
        o, s = tf.nn.dynamic_rnn(make(), x, sequence_length=sl, dtype=tf.float32, **kw)
        return [o, s]
    return build


def stat(make, sl=None):
    def build(x):
        o, s = tf.nn.static_rnn(make(), tf.unstack(x, axis=1), sequence_length=sl,
                                dtype=tf.float32)
        return [tf.stack(o, 1), s]
    return build


def time_major(x):
    o, s = tf.nn.dynamic_rnn(rc.GRUCell(H), x, sequence_length=[1, 2, 0], dtype=tf.float32,
                             time_major=True)
    return [o, s]


def bidirectional(x):
    (of, ob), (sf, sb) = tf.nn.bidirectional_dynamic_rnn(
        rc.GRUCell(H), rc.BasicRNNCell(2), x, sequence_length=[3, 2], dtype=tf.float32)
    return [of, ob, sf, sb]


def static_bidirectional(x):
    outs, sf, sb = tf.nn.static_bidirectional_rnn(
        rc.BasicLSTMCell(H), rc.BasicLSTMCell(H), tf.unstack(x, axis=1),
        sequence_length=[2, 3], dtype=tf.float32)
    return [tf.stack(outs, 1), sf, sb]


CASES = {
    "basic_rnn": dyn(lambda: rc.BasicRNNCell(H)),
    "basic_rnn_relu_static": stat(lambda: rc.BasicRNNCell(H, activation=tf.nn.relu)),
    "basic_lstm": dyn(lambda: rc.BasicLSTMCell(H)),
    "basic_lstm_concat_state": dyn(lambda: rc.BasicLSTMCell(H, forget_bias=0.5,
                                                            state_is_tuple=False)),
    "lstm_peepholes_projection": dyn(lambda: rc.LSTMCell(H, use_peepholes=True, num_proj=2,
                                                         cell_clip=0.3, proj_clip=0.4)),
    "lstm_peepholes": stat(lambda: rc.LSTMCell(H, use_peepholes=True, forget_bias=0.0)),
    "gru": dyn(lambda: rc.GRUCell(H)),
    "multi_lstm_gru": dyn(lambda: rc.MultiRNNCell([rc.BasicLSTMCell(H), rc.GRUCell(2)])),
    "basic_lstm_sequence_length": dyn(lambda: rc.BasicLSTMCell(H), sl=[3, 1]),
    "gru_static_sequence_length": stat(lambda: rc.GRUCell(H), sl=[2, 0]),
    "gru_time_major_sequence_length": time_major,
    "bidirectional_dynamic": bidirectional,
    "static_bidirectional": static_bidirectional,
}


def test_every_recorded_case_is_checked():
    assert sorted(CASES) == sorted(RECORDED)


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_tf1(case, executor):
    x = tf.constant(fixed((2, 3, 3), 1.0))
    fetches = CASES[case](x)
    expected = RECORDED[case]
    variables = tf.global_variables()
    assert [(v.op.name, v.shape.as_list()) for v in variables] == \
        [(name, shape) for name, shape in expected["variables"]]
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        for i, v in enumerate(variables):
            v.load(fixed(v.shape.as_list(), i + 2.0), sess)
        got = sess.run(fetches)
    got, want = nest.flatten(got), expected["values"]
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, np.asarray(w, np.float32), rtol=1e-5, atol=1e-6)

