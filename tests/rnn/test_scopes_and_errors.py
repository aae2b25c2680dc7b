"""Where cells put their variables (TF1's Layer-style scoping, checked in TF 2.21's
tf.compat.v1), the cell interface, and the errors for wrong arguments (TF1's messages, plus the
user's file and line)."""

import numpy as np
import pytest

import graphflow as tf

rc = tf.nn.rnn_cell


def test_a_cell_fixes_its_scope_on_the_first_call_as_tf1_does():
    x = tf.placeholder(tf.float32, [None, 3, 2])
    a = rc.BasicLSTMCell(2)
    a(x[:, 0], a.zero_state(2, tf.float32), scope="foo")
    b, c = rc.GRUCell(2), rc.GRUCell(2)
    b(x[:, 0], b.zero_state(2, tf.float32))
    c(x[:, 0], c.zero_state(2, tf.float32))
    with tf.variable_scope("outer"):
        d = rc.BasicRNNCell(2)
        d(x[:, 0], d.zero_state(2, tf.float32))
    d(x[:, 1], d.zero_state(2, tf.float32))  # reuses outer/basic_rnn_cell
    e = rc.BasicRNNCell(2, name="named")
    tf.nn.dynamic_rnn(e, x, dtype=tf.float32)
    # what TF1 makes for the same calls
    assert [v.op.name for v in tf.global_variables()] == [
        "foo/kernel", "foo/bias", "gru_cell/gates/kernel", "gru_cell/gates/bias",
        "gru_cell/candidate/kernel", "gru_cell/candidate/bias", "gru_cell_1/gates/kernel",
        "gru_cell_1/gates/bias", "gru_cell_1/candidate/kernel", "gru_cell_1/candidate/bias",
        "outer/basic_rnn_cell/kernel", "outer/basic_rnn_cell/bias", "rnn/named/kernel",
        "rnn/named/bias"]
    assert [v.op.name for v in d.trainable_variables] == ["outer/basic_rnn_cell/kernel",
                                                          "outer/basic_rnn_cell/bias"]


def test_state_and_output_sizes_and_zero_states():
    assert rc.BasicLSTMCell(4).state_size == rc.LSTMStateTuple(4, 4)
    assert rc.BasicLSTMCell(3, state_is_tuple=False).state_size == 6
    cell = rc.LSTMCell(4, num_proj=2)
    assert cell.state_size == rc.LSTMStateTuple(c=4, h=2) and cell.output_size == 2
    assert rc.MultiRNNCell([rc.BasicLSTMCell(4), rc.GRUCell(2)]).state_size == \
        (rc.LSTMStateTuple(4, 4), 2)
    zero = rc.BasicLSTMCell(4).zero_state(2, tf.float32)
    assert isinstance(zero, rc.LSTMStateTuple) and zero.c.shape.as_list() == [2, 4]
    assert zero.c.name.startswith("BasicLSTMCellZeroState/") and zero.dtype == tf.float32
    batch = tf.placeholder(tf.int32, [])
    z = rc.GRUCell(3).zero_state(batch, tf.float64)
    assert z.shape.as_list() == [None, 3] and z.dtype == tf.float64
    with tf.Session() as sess:
        assert sess.run(z, {batch: 5}).shape == (5, 3)


def test_contrib_rnn_and_nn_share_the_cells():
    assert tf.contrib.rnn.BasicLSTMCell is tf.nn.rnn_cell.BasicLSTMCell
    assert tf.contrib.rnn.static_rnn is tf.nn.static_rnn
    assert tf.contrib.rnn.LSTMStateTuple is rc.LSTMStateTuple


def test_errors_name_the_problem_and_the_users_line():
    x = tf.placeholder(tf.float32, [None, 3, 2])
    with pytest.raises(ValueError, match=r"dynamic_rnn called at .*test_scopes_and_errors.py:\d+ .*"
                                         r": If no initial_state is provided, argument `dtype`"):
        tf.nn.dynamic_rnn(rc.GRUCell(2), x)
    with pytest.raises(ValueError, match="Argument `inputs` must not be empty"):
        tf.nn.static_rnn(rc.GRUCell(2), [], dtype=tf.float32)
    with pytest.raises(TypeError, match="Argument `inputs` must be a sequence"):
        tf.nn.static_rnn(rc.GRUCell(2), x, dtype=tf.float32)
    with pytest.raises(ValueError, match=r"Input size \(depth of inputs\) must be accessible"):
        tf.nn.dynamic_rnn(rc.GRUCell(2), tf.placeholder(tf.float32, [None, 3, None]),
                          dtype=tf.float32)
    with pytest.raises(ValueError, match="sequence_length must be a vector of length "
                                         "batch_size"):
        tf.nn.dynamic_rnn(rc.GRUCell(2), x, sequence_length=[[1]], dtype=tf.float32)
    with pytest.raises(TypeError, match="must be an instance of RNNCell"):
        tf.nn.dynamic_rnn("cell", x, dtype=tf.float32)
    with pytest.raises(ValueError, match="num_unit_shards"):
        rc.LSTMCell(3, num_unit_shards=2)


def test_a_cell_called_on_a_different_depth_says_so():
    cell = rc.GRUCell(2)
    cell(tf.zeros([1, 3]), cell.zero_state(1, tf.float32))
    with pytest.raises(ValueError, match="gru_cell/gates/kernel"):
        cell(tf.zeros([1, 5]), cell.zero_state(1, tf.float32))


def test_sequence_length_past_the_end_changes_nothing():
    x = tf.constant(np.ones((2, 3, 2), np.float32))
    cell = rc.BasicRNNCell(2)
    long_out, _ = tf.nn.dynamic_rnn(cell, x, sequence_length=[5, 3], dtype=tf.float32)
    out, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope="rnn_b")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([long_out, out])
    np.testing.assert_allclose(a, b)


class Accumulator(tf.nn.rnn_cell.RNNCell):
    """An old-style TF1 cell: its own __call__, no variables; state = running sum."""

    @property
    def state_size(self):
        return 2

    @property
    def output_size(self):
        return 2

    def __call__(self, inputs, state, scope=None):
        new = state + inputs
        return new * 2.0, new


class Incomplete(tf.nn.rnn_cell.RNNCell):
    state_size = output_size = 2


def test_user_cells_in_the_old_tf1_style_run_in_both_drivers():
    xs = np.arange(12, dtype=np.float32).reshape(2, 3, 2)
    x = tf.constant(xs)
    out_d, state_d = tf.nn.dynamic_rnn(Accumulator(), x, dtype=tf.float32)
    outs, state_s = tf.nn.static_rnn(Accumulator(), tf.unstack(x, axis=1), dtype=tf.float32)
    with tf.Session() as sess:
        a, sa, b, sb = sess.run([out_d, state_d, tf.stack(outs, 1), state_s])
    np.testing.assert_allclose(a, 2 * np.cumsum(xs, 1))
    np.testing.assert_allclose(b, a)
    np.testing.assert_allclose(sa, xs.sum(1))
    np.testing.assert_allclose(sb, sa)
    with pytest.raises(TypeError, match="Incomplete defines neither call"):
        Incomplete()(x[:, 0], tf.zeros([2, 2]))
