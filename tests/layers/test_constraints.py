"""Layer constraints (TF1's kernel_constraint / bias_constraint) are applied after each update."""

import numpy as np

import graphflow as tf


def test_kernel_constraint_projects_the_kernel_after_every_step():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.layers.dense(x, 2, kernel_initializer=tf.ones_initializer(),
                        kernel_constraint=lambda w: tf.clip_by_value(w, -0.5, 0.5), name="fc")
    step = tf.train.GradientDescentOptimizer(0.1).minimize(-tf.reduce_sum(y))
    kernel = [v for v in tf.trainable_variables() if v.op.name == "fc/kernel"][0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step, {x: np.ones((4, 3), np.float32)})
        np.testing.assert_array_equal(sess.run(kernel), np.full((3, 2), 0.5, np.float32))


def test_variables_without_constraints_are_untouched():
    w = tf.Variable(1.0)
    assert w.constraint is None
    step = tf.train.GradientDescentOptimizer(0.5).minimize(w * w)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        assert sess.run(w) == 0.0
