"""dynamic_rnn over zero time steps returns the initial state and an empty output (as TF1 does:
recorded with TF 2.21's compat.v1 dynamic_rnn, outputs float32[2, 0, 4] and the state
unchanged), and its loop carries the state without stacking it per step."""

import numpy as np

import graphflow as tf

rc = tf.nn.rnn_cell
H0 = np.arange(8, dtype=np.float32).reshape(2, 4) / 10


def test_zero_steps_give_the_initial_state_and_an_empty_output(executor):
    x = tf.placeholder(tf.float32, [2, None, 3])
    h0 = tf.constant(H0)
    out, state = tf.nn.dynamic_rnn(rc.BasicRNNCell(4), x, initial_state=h0)
    out_l, state_l = tf.nn.dynamic_rnn(rc.LSTMCell(4), x, dtype=tf.float32, scope="l")
    out_s, state_s = tf.nn.dynamic_rnn(rc.GRUCell(4), x, initial_state=h0,
                                       sequence_length=[0, 0], scope="s")
    grad = tf.gradients(tf.reduce_sum(state), h0)[0]
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        feed = {x: np.zeros((2, 0, 3), np.float32)}
        o, s, ol, (c, h), os_, ss, g = sess.run([out, state, out_l, state_l, out_s, state_s,
                                                 grad], feed)
    assert o.shape == ol.shape == os_.shape == (2, 0, 4)
    np.testing.assert_array_equal(s, H0)
    np.testing.assert_array_equal(ss, H0)
    np.testing.assert_array_equal(c, np.zeros((2, 4)))
    np.testing.assert_array_equal(h, np.zeros((2, 4)))
    np.testing.assert_array_equal(g, np.ones((2, 4)))


def test_the_state_is_a_loop_variable_not_a_stacked_output():
    x = tf.placeholder(tf.float32, [2, 5, 3])
    tf.nn.dynamic_rnn(rc.BasicLSTMCell(4), x, dtype=tf.float32)
    (loop,) = [op for op in tf.get_default_graph().get_operations() if op.type == "While"]
    assert loop.get_attr("n_stacked") == 1  # the output only; c and h are loop variables
    assert loop.get_attr("n_vars") == 3     # the step counter, c and h
