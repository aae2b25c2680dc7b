"""Linear regression: placeholders, two scalar Variables, mean squared error, gradient descent."""

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

rng = np.random.RandomState(0)
train_X = np.linspace(-1, 1, 101).astype(np.float32)
train_Y = (2 * train_X + 1 + rng.randn(101) * 0.33).astype(np.float32)

X = tf.placeholder("float")
Y = tf.placeholder("float")
W = tf.Variable(0.0, name="weight")
b = tf.Variable(0.0, name="bias")
pred = tf.add(tf.multiply(X, W), b)
cost = tf.reduce_sum(tf.pow(pred - Y, 2)) / (2 * len(train_X))
optimizer = tf.train.GradientDescentOptimizer(0.5).minimize(cost)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(50):
        for (x, y) in zip(train_X[::10], train_Y[::10]):
            sess.run(optimizer, feed_dict={X: x, Y: y})
        if (epoch + 1) % 25 == 0:
            c = sess.run(cost, feed_dict={X: train_X, Y: train_Y})
            print("Epoch:", "%04d" % (epoch + 1), "cost=", "{:.9f}".format(c))
    print("training cost: ", sess.run(cost, feed_dict={X: train_X, Y: train_Y}))
    print("W: ", sess.run(W))
    print("b: ", sess.run(b))
