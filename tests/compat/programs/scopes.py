"""Sharing variables: name_scope, variable_scope, get_variable and reuse (the TF1 guide)."""

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()


def dense_relu(x, units):
    weights = tf.get_variable("weights", [x.get_shape()[1], units],
                              initializer=tf.constant_initializer(0.1))
    biases = tf.get_variable("biases", [units], initializer=tf.zeros_initializer())
    return tf.nn.relu(tf.matmul(x, weights) + biases)


def model(x):
    with tf.variable_scope("layer1"):
        h = dense_relu(x, 4)
    with tf.variable_scope("layer2"):
        return dense_relu(h, 2)


x1 = tf.placeholder(tf.float32, [None, 3], name="x1")
x2 = tf.placeholder(tf.float32, [None, 3], name="x2")
with tf.variable_scope("model"):
    out1 = model(x1)
with tf.variable_scope("model", reuse=True):
    out2 = model(x2)
with tf.variable_scope("model", reuse=tf.AUTO_REUSE):
    shared = tf.get_variable("layer1/weights")
    extra = tf.get_variable("extra", [2], initializer=tf.ones_initializer())
with tf.name_scope("loss"):
    loss = tf.reduce_mean(tf.square(out1 - out2))
with tf.name_scope("loss"):
    loss_again = tf.identity(loss)
with tf.name_scope("outer"):
    with tf.variable_scope("inner"):
        v = tf.get_variable("v", [1])
        op = tf.add(v, 1.0)

print("variables: ", " ".join(v.name for v in tf.global_variables()))
print("outputs: ", out1.name, out2.name)
print("loss names: ", loss.name, loss_again.name)
print("mixed scopes: ", v.name, op.name)
print("same object: ", shared is tf.global_variables()[0])
try:
    with tf.variable_scope("model"):
        model(x1)
except ValueError:
    print("without reuse: ", "ValueError")
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = np.float32([[1, 2, 3], [-1, 0, 1]])
    print("out: ", sess.run(out1, {x1: feed}))
    print("loss: ", sess.run(loss, {x1: feed, x2: feed}))
    print("extra: ", sess.run(extra))
