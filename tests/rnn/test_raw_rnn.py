"""tf.nn.raw_rnn against TF1's numbers (raw_rnn_recorded.py): the emitted steps, the final
state and loop state of a loop that runs until loop_fn says every row is finished; gradients
through it in float64; its errors."""

import numpy as np
import pytest

import graphflow as tf
from graphflow import nest
from graphflow.nn.rnn.raw_rnn import raw_rnn
from graphflow.testing.gradient_check import relative_difference

from .raw_rnn_recorded import RECORDED

B, T, D, U = 3, 4, 2, 3
X = np.random.RandomState(1).uniform(-1, 1, (T, B, D))
LENGTHS = np.array([2, 4, 1], np.int32)


def loop_fn_for(case, cell, inputs, lengths, dtype=tf.float32):
    def loop_fn(time, cell_output, cell_state, loop_state):
        if cell_output is None:
            next_state = cell.zero_state(B, dtype)
            emit = None if case != "emit_structure" else (tf.zeros([U + 1], dtype),
                                                           tf.zeros([], tf.int32))
            loop_state = tf.zeros([B], dtype) if case == "loop_state" else None
        else:
            next_state = cell_state
            emit = cell_output if case != "emit_structure" else (
                tf.concat([cell_output, tf.reduce_sum(cell_output, 1, keepdims=True)], 1),
                tf.fill([B], time))
            if case == "loop_state":
                loop_state = loop_state + tf.reduce_sum(cell_output, 1)
        finished = time >= lengths
        next_input = tf.gather(inputs, tf.minimum(time, T - 1))
        return finished, next_input, next_state, emit, loop_state
    return loop_fn


def build(case, dtype=tf.float32):
    cell = tf.nn.rnn_cell.LSTMCell(U) if case == "lstm" else tf.nn.rnn_cell.GRUCell(U)
    inputs = tf.constant(X.astype(dtype.as_numpy_dtype))
    emitted, state, loop_state = raw_rnn(cell, loop_fn_for(case, cell, inputs,
                                                           tf.constant(LENGTHS), dtype))
    fetch = [e.stack() for e in nest.flatten(emitted)] + nest.flatten(state)
    return fetch + ([loop_state] if loop_state is not None else []), emitted


@pytest.mark.parametrize("case", sorted(RECORDED))
def test_raw_rnn_matches_tf1(case, executor):
    fetch, _ = build(case)
    variables = tf.global_variables()
    assert [(v.op.name, v.shape.as_list()) for v in variables] == \
        [tuple(v) for v in RECORDED[case]["variables"]]
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        rs = np.random.RandomState(7)
        for v in variables:
            v.load(rs.uniform(-.5, .5, v.shape.as_list()).astype(np.float32), sess)
        got = sess.run(fetch)
    assert len(got) == len(RECORDED[case]["values"])
    for g, w in zip(got, RECORDED[case]["values"]):
        np.testing.assert_allclose(g, np.array(w), rtol=1e-5, atol=3e-7)


def test_emitted_steps_read_and_size():
    _, emitted = build("gru")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        stacked, second, size = sess.run([emitted.stack(), emitted.read(1), emitted.size()])
    assert size == T == stacked.shape[0]
    np.testing.assert_array_equal(second, stacked[1])
    np.testing.assert_array_equal(stacked[2:, 0], 0)  # row 0 finished after 2 steps


def test_gradients_through_raw_rnn_float64():
    fetch, _ = build("lstm", tf.float64)
    # the emitted steps' count is only known at run time: a fixed nonlinear read-out
    loss = tf.add_n([tf.reduce_sum(tf.sin(3.0 * t + k)) for k, t in enumerate(fetch)])
    variables = tf.trainable_variables()
    grads = tf.gradients(loss, variables)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for v, g in zip(variables, sess.run(grads)):
            value = sess.run(v)
            numeric = np.zeros_like(value)
            for idx in np.ndindex(value.shape):
                for sign in (1, -1):
                    shifted = value.copy()
                    shifted[idx] += sign * 1e-6
                    v.load(shifted, sess)
                    numeric[idx] += sign * sess.run(loss) / 2e-6
            v.load(value, sess)
            assert relative_difference(g, numeric, floor=1.0) < 1e-6, v.op.name


def test_raw_rnn_errors():
    cell = tf.nn.rnn_cell.GRUCell(2)
    with pytest.raises(ValueError, match="raw_rnn.*initial cell state"):
        raw_rnn(cell, lambda t, o, s, ls: (tf.constant([False]), tf.zeros([1, 2]), None, None,
                                           None))
    with pytest.raises(TypeError, match="raw_rnn.*bool vector"):
        raw_rnn(cell, lambda t, o, s, ls: (tf.constant([0]), tf.zeros([1, 2]),
                                           tf.zeros([1, 2]), None, None))
    with pytest.raises(TypeError, match="loop_fn must be a callable"):
        raw_rnn(cell, None)
