"""Optimizer ops and variables are named as TF1 names them: scripts fetch `train`, checkpoints
and TensorBoard show `scope/scope/w/Adam`. Every expected name below is what TensorFlow 2.21's
tf.compat.v1 printed for the same graph (2026-12-02)."""

import pytest

import graphflow.compat.v1 as tf


def _loss(var):
    x = tf.placeholder(tf.float32, [None, 2])
    return tf.reduce_mean(tf.square(tf.matmul(x, var) - 1.0))


def _slots(opt, var):
    return [opt.get_slot(var, n).name for n in opt.get_slot_names()]


def test_minimize_op_is_named_as_its_scope():
    w = tf.Variable(tf.zeros([2, 1]), name="W")
    loss = _loss(w)
    train = tf.train.AdamOptimizer(0.01).minimize(loss, name="train")
    assert (train.name, train.type) == ("train", "NoOp")
    assert tf.get_default_graph().get_operation_by_name("train") is train
    assert tf.train.GradientDescentOptimizer(0.1).minimize(loss).name == "GradientDescent"
    with tf.name_scope("ns"):
        assert tf.train.AdamOptimizer(0.01).minimize(loss).name == "ns/Adam"


def test_minimize_with_global_step_is_the_named_increment():
    w = tf.Variable(tf.zeros([2, 1]), name="W")
    loss = _loss(w)
    step = tf.train.get_or_create_global_step()
    op = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss, global_step=step, name="step")
    assert (op.name, op.type) == ("step", "AssignAdd")
    again = tf.train.GradientDescentOptimizer(0.1)
    again.minimize(loss)
    assert again.minimize(loss, global_step=step).name == "GradientDescent_1"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(op, {"Placeholder:0": [[1.0, 2.0]]})
        assert sess.run(step) == 1


def test_adam_slots_and_beta_powers_follow_scopes_as_in_tf1():
    w = tf.Variable(tf.zeros([2, 1]), name="W")
    loss = _loss(w)
    first, second = tf.train.AdamOptimizer(0.01), tf.train.AdamOptimizer(0.01)
    first.minimize(loss)
    second.minimize(loss)
    with tf.name_scope("ns"):  # a name scope does not prefix slots, only the beta powers
        third = tf.train.AdamOptimizer(0.01)
        third.minimize(loss)
    with tf.variable_scope("vs"):  # a variable scope prefixes them again
        v = tf.get_variable("V", [2, 1], initializer=tf.zeros_initializer())
        fourth = tf.train.AdamOptimizer(0.01)
        fourth.minimize(_loss(v))
    assert first.get_slot_names() == ["m", "v"]
    assert _slots(first, w) == ["W/Adam:0", "W/Adam_1:0"]
    assert _slots(second, w) == ["W/Adam_2:0", "W/Adam_3:0"]
    assert _slots(third, w) == ["W/Adam_4:0", "W/Adam_5:0"]
    assert _slots(fourth, v) == ["vs/vs/V/Adam:0", "vs/vs/V/Adam_1:0"]
    powers = sorted(x.name for x in tf.global_variables() if "power" in x.name)
    assert powers == ["beta1_power:0", "beta1_power_1:0", "beta2_power:0", "beta2_power_1:0",
                      "ns/beta1_power:0", "ns/beta2_power:0", "vs/beta1_power:0",
                      "vs/beta2_power:0"]
    assert [x.name for x in fourth.variables()] == [
        "vs/beta1_power:0", "vs/beta2_power:0", "vs/vs/V/Adam:0", "vs/vs/V/Adam_1:0"]


@pytest.mark.parametrize("make, names, slots", [
    (lambda: tf.train.RMSPropOptimizer(0.1, centered=True), ["mg", "momentum", "rms"],
     ["W/RMSProp_1:0", "W/RMSProp_2:0", "W/RMSProp:0"]),
    (lambda: tf.train.AdagradOptimizer(0.1), ["accumulator"], ["W/Adagrad:0"]),
    (lambda: tf.train.AdadeltaOptimizer(0.1), ["accum", "accum_update"],
     ["W/Adadelta:0", "W/Adadelta_1:0"]),
    (lambda: tf.train.FtrlOptimizer(0.1), ["accum", "linear"], ["W/Ftrl:0", "W/Ftrl_1:0"]),
    (lambda: tf.train.ProximalAdagradOptimizer(0.1), ["accumulator"],
     ["W/ProximalAdagrad:0"]),
    (lambda: tf.train.AdagradDAOptimizer(0.1, tf.train.get_or_create_global_step()),
     ["gradient_accumulator", "gradient_squared_accumulator"],
     ["W/AdagradDA:0", "W/AdagradDA_1:0"]),
])
def test_slot_names_of_every_optimizer(make, names, slots):
    w = tf.Variable(tf.zeros([2, 1]), name="W")
    opt = make()
    opt.minimize(_loss(w))
    assert opt.get_slot_names() == names
    assert _slots(opt, w) == slots
