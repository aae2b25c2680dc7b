"""tf.cond on a fed bool: one graph with a train branch and a test branch."""

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

is_train = tf.placeholder(tf.bool, [], name="is_train")
x = tf.placeholder(tf.float32, [None, 3])
w = tf.Variable([[0.5], [-1.0], [2.0]])
noisy = tf.cond(is_train, lambda: x * 2.0, lambda: x)
out = tf.matmul(noisy, w)
scale = tf.cond(is_train, lambda: tf.constant(10.0), lambda: tf.constant(-1.0))
a = tf.constant(3)
b = tf.constant(4)
bigger = tf.cond(a < b, lambda: tf.add(a, b), lambda: tf.multiply(a, b))
loss = tf.reduce_sum(out * scale)
grad = tf.gradients(loss, w)[0]

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = np.float32([[1, 2, 3], [4, 5, 6]])
    print("train: ", sess.run(out, {is_train: True, x: feed}).ravel())
    print("test: ", sess.run(out, {is_train: False, x: feed}).ravel())
    print("scale: ", sess.run(scale, {is_train: True}), sess.run(scale, {is_train: False}))
    print("python predicate: ", sess.run(bigger))
    print("grad train: ", sess.run(grad, {is_train: True, x: feed}).ravel())
    print("grad test: ", sess.run(grad, {is_train: False, x: feed}).ravel())
