"""Initialisation matters: zeros and He initialisations of a [2, 10, 5, 1] net on the circles
data (column layout), trained by full-batch gradient descent; the first cost of a large random
initialisation."""

import numpy as np

import graphflow.compat.v1 as tf
from graphflow.datasets import circles

tf.disable_v2_behavior()

train_X, train_Y = circles(300, noise=0.05, seed=1)
test_X, test_Y = circles(100, noise=0.05, seed=2)
train_X, test_X = train_X.T, test_X.T
train_Y, test_Y = train_Y.reshape(1, -1), test_Y.reshape(1, -1)
layers_dims = [2, 10, 5, 1]


def initial_parameters(kind):
    np.random.seed(3)
    parameters = []
    for l in range(1, len(layers_dims)):
        shape = (layers_dims[l], layers_dims[l - 1])
        if kind == "zeros":
            W = np.zeros(shape)
        elif kind == "random":
            W = np.random.randn(*shape) * 10
        else:
            W = np.random.randn(*shape) * np.sqrt(2.0 / layers_dims[l - 1])
        parameters.append((W, np.zeros((layers_dims[l], 1))))
    return parameters


X = tf.placeholder(tf.float64, [2, None])
Y = tf.placeholder(tf.float64, [1, None])
for kind in ("zeros", "random", "he"):
    with tf.variable_scope(kind):
        A = X
        for l, (W0, b0) in enumerate(initial_parameters(kind)):
            W = tf.Variable(W0, name="W%d" % (l + 1))
            b = tf.Variable(b0, name="b%d" % (l + 1))
            Z = tf.matmul(W, A) + b
            A = tf.nn.relu(Z) if l < 2 else Z
        cost = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=Y, logits=A))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(cost)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.cast(A > 0, tf.float64), Y), tf.float64))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(kind + " first cost: ", sess.run(cost, {X: train_X, Y: train_Y}))
        if kind == "random":
            continue
        for i in range(1000):
            sess.run(train, {X: train_X, Y: train_Y})
        print(kind + " cost: ", sess.run(cost, {X: train_X, Y: train_Y}))
        print(kind + " accuracy: ", sess.run(accuracy, {X: train_X, Y: train_Y}),
              sess.run(accuracy, {X: test_X, Y: test_Y}))
