"""Optimizer.get_name() as TF1 gives it: recorded from tf.compat.v1.train (TF 2.21) on
2026-12-02."""

import pytest

import graphflow.compat.v1 as tf

# class -> (constructor arguments, TF1's get_name() with the default name)
RECORDED = {
    "GradientDescentOptimizer": ((0.1,), "GradientDescent"),
    "MomentumOptimizer": ((0.1, 0.9), "Momentum"),
    "AdagradOptimizer": ((0.1,), "Adagrad"),
    "RMSPropOptimizer": ((0.1,), "RMSProp"),
    "AdamOptimizer": ((), "Adam"),
    "AdadeltaOptimizer": ((), "Adadelta"),
    "AdagradDAOptimizer": ((0.1, "global_step"), "AdagradDA"),
    "FtrlOptimizer": ((0.1,), "Ftrl"),
    "ProximalGradientDescentOptimizer": ((0.1,), "ProximalGradientDescent"),
    "ProximalAdagradOptimizer": ((0.1,), "ProximalAdagrad"),
}


def _make(cls_name, **kwargs):
    args, _ = RECORDED[cls_name]
    args = [tf.train.get_or_create_global_step() if a == "global_step" else a for a in args]
    return getattr(tf.train, cls_name)(*args, **kwargs)


@pytest.mark.parametrize("cls_name", sorted(RECORDED))
def test_get_name_is_tf1s(cls_name):
    with tf.Graph().as_default():
        assert _make(cls_name).get_name() == RECORDED[cls_name][1]
        assert _make(cls_name, name="mine").get_name() == "mine"


def test_get_name_is_the_scope_of_the_update():
    with tf.Graph().as_default():
        w = tf.Variable(1.0, name="w")
        adam = tf.train.AdamOptimizer(name="my_adam")
        adam.minimize(w * w)
        assert adam.get_slot(w, "m").name == f"w/{adam.get_name()}:0"
