"""Debugging with tf.Print: an identity that prints tensors to stderr each time it runs."""

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
b = tf.Variable([10, 20, 30, 40, 50], name="b")
c = tf.Print(a, [a, b], message="a and b: ")
d = tf.Print(c * 2, [tf.reduce_sum(c)], message="sum of c = ", first_n=1)
total = tf.reduce_sum(d)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("total: ", sess.run(total))
    print("again: ", sess.run(total))
    print("unprinted: ", sess.run(a * 3))
