"""MultiRNNCell's and DropoutWrapper's TF1 behaviour: scopes, state structures, keep
probabilities as floats or tensors, TF1's state filter, variational masks, and dropout
gradients through a dynamic_rnn loop."""

import numpy as np
import pytest

import graphflow as tf

rc = tf.nn.rnn_cell
RNG = np.random.default_rng(5)
B, T, D, H = 4, 5, 3, 6


def test_multi_rnn_cell_without_state_tuples_concatenates_the_states(executor):
    cells = [rc.GRUCell(3), rc.BasicLSTMCell(2, state_is_tuple=False)]
    flat = rc.MultiRNNCell(cells, state_is_tuple=False)
    assert flat.state_size == 3 + 4
    x = tf.constant(RNG.normal(size=(B, T, D)))
    outputs, state = tf.nn.dynamic_rnn(flat, x, dtype=tf.float64)
    assert state.shape.as_list() == [B, 7]
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        out, st = sess.run([outputs, state])
    np.testing.assert_allclose(st[:, 5:], out[:, -1])  # the top cell's h is the last output


def test_multi_rnn_cell_errors():
    with pytest.raises(ValueError, match="at least one cell"):
        rc.MultiRNNCell([])
    with pytest.raises(ValueError, match="state_is_tuple is not set"):
        rc.MultiRNNCell([rc.BasicLSTMCell(2)], state_is_tuple=False)


def test_keep_probabilities_are_checked():
    with pytest.raises(ValueError, match="output_keep_prob must be between 0 and 1"):
        rc.DropoutWrapper(rc.GRUCell(2), output_keep_prob=1.5)
    with pytest.raises(TypeError, match="not a RNNCell"):
        rc.DropoutWrapper(lambda x, s: (x, s))
    with pytest.raises(ValueError, match="dtype must be provided"):
        rc.DropoutWrapper(rc.GRUCell(2), output_keep_prob=0.5, variational_recurrent=True)


def test_the_wrapper_keeps_the_cells_variable_names_and_a_fed_keep_prob_of_one_is_identity(
        executor):
    keep = tf.placeholder_with_default(tf.constant(1.0, tf.float64), [])
    cell = rc.BasicLSTMCell(H)
    wrapped = rc.DropoutWrapper(cell, input_keep_prob=keep, output_keep_prob=keep,
                                state_keep_prob=keep)
    x = tf.constant(RNG.normal(size=(B, T, D)))
    dropped, _ = tf.nn.dynamic_rnn(wrapped, x, dtype=tf.float64)
    plain, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float64, scope="again")
    assert [v.op.name for v in tf.global_variables()] == ["rnn/basic_lstm_cell/kernel",
                                                          "rnn/basic_lstm_cell/bias"]
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([dropped, plain])
        np.testing.assert_allclose(a, b, rtol=1e-12)
        half = sess.run(dropped, {keep: 0.5})
        assert np.mean(half == 0) > 0.2


def test_state_dropout_spares_an_lstms_memory(executor):
    cell = rc.BasicLSTMCell(H)
    wrapped = rc.DropoutWrapper(cell, state_keep_prob=0.5)
    x = tf.constant(RNG.normal(size=(B, D)))
    s0 = cell.zero_state(B, tf.float64)
    _, dropped = wrapped(x, s0)
    _, plain = cell(x, s0)
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        d, p = sess.run([dropped, plain])
    np.testing.assert_allclose(d.c, p.c, rtol=1e-12)
    assert np.all(np.isclose(d.h, 0) | np.isclose(d.h, 2 * p.h)) and np.any(d.h == 0)


def test_variational_dropout_uses_one_mask_for_every_step_and_row(executor):
    cell = rc.GRUCell(H)
    wrapped = rc.DropoutWrapper(cell, output_keep_prob=0.5, variational_recurrent=True,
                                dtype=tf.float64)
    x = tf.constant(RNG.normal(size=(B, T, D)))
    dropped, _ = tf.nn.dynamic_rnn(wrapped, x, dtype=tf.float64)
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        masks = [sess.run(dropped) == 0 for _ in range(3)]
    for zero in masks:
        assert np.all(zero == zero[:1, :1])  # the same columns dropped at every step and row
    assert any(z.any() for z in masks) and not all(np.array_equal(masks[0], z) for z in masks)


def test_dropout_gradients_through_the_loop_use_the_forward_masks(executor):
    # d/dW sum(r * dropout(h)) == d/dW sum((r * mask / keep) * h) with the run's own mask
    cell = rc.GRUCell(H)
    keep = 0.6
    x = tf.constant(RNG.normal(size=(B, T, D)))
    r = tf.constant(RNG.normal(size=(B, T, H)))
    dropped, _ = tf.nn.dynamic_rnn(rc.DropoutWrapper(cell, output_keep_prob=keep), x,
                                   dtype=tf.float64)
    plain, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float64, scope="plain")
    variables = tf.trainable_variables()
    weight = tf.placeholder(tf.float64, [B, T, H])
    g_dropped = tf.gradients(tf.reduce_sum(r * dropped), variables)
    g_plain = tf.gradients(tf.reduce_sum(weight * plain), variables)
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        out, grads = sess.run([dropped, g_dropped])
        mask = (out != 0).astype(np.float64)
        expected = sess.run(g_plain, {weight: sess.run(r) * mask / keep})
    assert 0 < mask.mean() < 1
    for g, e in zip(grads, expected):
        np.testing.assert_allclose(g, e, rtol=1e-9, atol=1e-12)


def test_residual_and_device_wrappers(executor):
    cell = rc.GRUCell(D)
    x = tf.constant(RNG.normal(size=(B, T, D)))
    residual, _ = tf.nn.dynamic_rnn(rc.ResidualWrapper(cell), x, dtype=tf.float64)
    plain, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float64, scope="plain")
    on_cpu = rc.DeviceWrapper(rc.BasicRNNCell(2), "/cpu:0")
    out, state = on_cpu(x[:, 0], on_cpu.zero_state(B, tf.float64))
    assert out.op.device == "/cpu:0" and state.op.device == "/cpu:0"
    assert [v.op.name for v in tf.trainable_variables()] == [
        "rnn/gru_cell/gates/kernel", "rnn/gru_cell/gates/bias", "rnn/gru_cell/candidate/kernel",
        "rnn/gru_cell/candidate/bias", "basic_rnn_cell/kernel", "basic_rnn_cell/bias"]
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        r, p, xs = sess.run([residual, plain, x])
    np.testing.assert_allclose(r, p + xs, rtol=1e-12)
    with pytest.raises(ValueError, match="must have the same shape"):
        tf.nn.dynamic_rnn(rc.ResidualWrapper(rc.GRUCell(D + 1)), x, dtype=tf.float64,
                          scope="bad")
