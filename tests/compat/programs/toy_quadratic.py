"""The course's first TF1 program: minimise w**2 - 10w + 25 by gradient descent."""

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

w = tf.Variable(0, dtype=tf.float32)
cost = tf.add(tf.add(w**2, tf.multiply(-10., w)), 25)
train = tf.train.GradientDescentOptimizer(0.01).minimize(cost)

coefficients = np.array([[1.], [-10.], [25.]])
x = tf.placeholder(tf.float32, [3, 1])
v = tf.Variable(0, dtype=tf.float32)
cost_x = x[0][0] * v**2 + x[1][0] * v + x[2][0]
train_x = tf.train.GradientDescentOptimizer(0.01).minimize(cost_x)

with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    print("w0: ", session.run(w))
    session.run(train)
    print("w1: ", session.run(w))
    for i in range(1000):
        session.run(train)
    print("w: ", session.run(w))
    for i in range(1000):
        session.run(train_x, feed_dict={x: coefficients})
    print("v: ", session.run(v))
