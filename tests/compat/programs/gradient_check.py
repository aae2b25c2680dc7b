"""Gradient checking: tf.gradients of a 3-layer relu net against central differences (float64)."""

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

np.random.seed(1)
X_data = np.random.randn(4, 3)
Y_data = np.array([[1, 1, 0]], dtype=np.float64)
shapes = {"W1": (5, 4), "b1": (5, 1), "W2": (3, 5), "b2": (3, 1), "W3": (1, 3), "b3": (1, 1)}
values = {name: np.random.randn(*shape) for name, shape in shapes.items()}

X = tf.placeholder(tf.float64, [4, None])
Y = tf.placeholder(tf.float64, [1, None])
params = {name: tf.placeholder(tf.float64, shape, name=name) for name, shape in shapes.items()}
A1 = tf.nn.relu(tf.matmul(params["W1"], X) + params["b1"])
A2 = tf.nn.relu(tf.matmul(params["W2"], A1) + params["b2"])
Z3 = tf.matmul(params["W3"], A2) + params["b3"]
cost = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=Y, logits=Z3))
names = list(shapes)
grads = tf.gradients(cost, [params[n] for n in names])

with tf.Session() as sess:
    feed = {X: X_data, Y: Y_data, **{params[n]: values[n] for n in names}}
    print("cost: ", sess.run(cost, feed))
    analytic = np.concatenate([g.ravel() for g in sess.run(grads, feed)])
    numeric, epsilon = [], 1e-7
    for n in names:
        for i in range(values[n].size):
            for sign in (1, -1):
                shifted = values[n].copy()
                shifted.flat[i] += sign * epsilon
                feed[params[n]] = shifted
                if sign == 1:
                    plus = sess.run(cost, feed)
                else:
                    minus = sess.run(cost, feed)
            feed[params[n]] = values[n]
            numeric.append((plus - minus) / (2 * epsilon))
    numeric = np.array(numeric)
    difference = (np.linalg.norm(analytic - numeric)
                  / (np.linalg.norm(analytic) + np.linalg.norm(numeric)))
    print("parameters: ", analytic.size)
    print("gradient norm: ", np.linalg.norm(analytic))
    print("difference below 2e-7: ", bool(difference < 2e-7))
