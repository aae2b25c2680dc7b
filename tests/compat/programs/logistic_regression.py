"""Logistic regression on the 8x8 digits: is it a 3 or an 8? Zero init, full-batch descent."""

import numpy as np

import graphflow.compat.v1 as tf
from graphflow.datasets import load_digits

tf.disable_v2_behavior()

images, labels = load_digits()
keep = (labels == 3) | (labels == 8)
X_all, y_all = images[keep], (labels[keep] == 8).astype(np.float32).reshape(-1, 1)
X_train, y_train, X_test, y_test = X_all[:250], y_all[:250], X_all[250:], y_all[250:]

x = tf.placeholder(tf.float32, [None, 64])
y = tf.placeholder(tf.float32, [None, 1])
W = tf.Variable(tf.zeros([64, 1]))
b = tf.Variable(tf.zeros([1]))
logits = tf.matmul(x, W) + b
cost = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cost)
predicted = tf.cast(tf.sigmoid(logits) > 0.5, tf.float32)
accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, y), tf.float32))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("initial cost: ", sess.run(cost, {x: X_train, y: y_train}))
    for i in range(300):
        _, c = sess.run([train_step, cost], {x: X_train, y: y_train})
    print("final cost: ", c)
    print("train accuracy: ", sess.run(accuracy, {x: X_train, y: y_train}))
    print("test accuracy: ", sess.run(accuracy, {x: X_test, y: y_test}))
