"""The course's planar-flower classifier written in TF1: column layout, tanh hidden layer,
sigmoid output, full-batch gradient descent; the cost printed every 1000 iterations."""

import numpy as np

import graphflow.compat.v1 as tf
from graphflow.datasets import planar

tf.disable_v2_behavior()

X_data, Y_data = planar()
n_x, n_h, n_y = X_data.shape[0], 4, Y_data.shape[0]
np.random.seed(2)
W1_init = np.random.randn(n_h, n_x) * 0.01
W2_init = np.random.randn(n_y, n_h) * 0.01

X = tf.placeholder(tf.float32, [n_x, None])
Y = tf.placeholder(tf.float32, [n_y, None])
W1 = tf.Variable(W1_init, dtype=tf.float32)
b1 = tf.Variable(tf.zeros([n_h, 1]))
W2 = tf.Variable(W2_init, dtype=tf.float32)
b2 = tf.Variable(tf.zeros([n_y, 1]))
A1 = tf.tanh(tf.matmul(W1, X) + b1)
Z2 = tf.matmul(W2, A1) + b2
cost = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=Y, logits=Z2))
train = tf.train.GradientDescentOptimizer(1.2).minimize(cost)
predictions = tf.cast(tf.sigmoid(Z2) > 0.5, tf.float32)
accuracy = tf.reduce_mean(tf.cast(tf.equal(predictions, Y), tf.float32))

feed = {X: X_data, Y: Y_data}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(5000):
        _, c = sess.run([train, cost], feed)
        if i % 1000 == 0:
            print("Cost after iteration %i: %f" % (i, c))
    print("accuracy: ", sess.run(accuracy, feed))
