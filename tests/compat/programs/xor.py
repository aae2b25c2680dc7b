"""XOR, the problem a single layer cannot solve: a 2-2-1 sigmoid network, placeholders, a
hand-written cross-entropy and gradient descent."""

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_Y = [[0], [1], [1], [0]]
x_ = tf.placeholder(tf.float32, shape=[4, 2], name="x-input")
y_ = tf.placeholder(tf.float32, shape=[4, 1], name="y-input")
rng = np.random.RandomState(0)
Theta1 = tf.Variable(rng.uniform(-1, 1, (2, 2)).astype(np.float32), name="Theta1")
Theta2 = tf.Variable(rng.uniform(-1, 1, (2, 1)).astype(np.float32), name="Theta2")
Bias1 = tf.Variable(tf.zeros([2]), name="Bias1")
Bias2 = tf.Variable(tf.zeros([1]), name="Bias2")

with tf.name_scope("layer2") as scope:
    A2 = tf.sigmoid(tf.matmul(x_, Theta1) + Bias1)
with tf.name_scope("layer3") as scope:
    Hypothesis = tf.sigmoid(tf.matmul(A2, Theta2) + Bias2)
with tf.name_scope("cost") as scope:
    cost = tf.reduce_mean(((y_ * tf.log(Hypothesis)) + ((1 - y_) * tf.log(1.0 - Hypothesis)))
                          * -1)
with tf.name_scope("train") as scope:
    train_step = tf.train.GradientDescentOptimizer(1.0).minimize(cost)

init = tf.global_variables_initializer()
sess = tf.Session()
sess.run(init)
for i in range(2000):
    sess.run(train_step, feed_dict={x_: XOR_X, y_: XOR_Y})
print("Hypothesis: ", sess.run(Hypothesis, feed_dict={x_: XOR_X, y_: XOR_Y}))
print("cost: ", sess.run(cost, feed_dict={x_: XOR_X, y_: XOR_Y}))
print("scoped names: ", A2.name, Hypothesis.name, cost.name)
