"""The TF1 course's first program: minimise w**2 - 10*w + 25 with gradient descent.

float32, learning rate 0.01, 1000 steps: TF1 prints w = 4.9999886 and so does graphflow. The
variant feeds the coefficients through a placeholder, as the course's second cell does.
"""

import numpy as np

import graphflow as tf


def constant_coefficients(steps: int = 1000) -> float:
    tf.reset_default_graph()
    w = tf.Variable(0, dtype=tf.float32)
    cost = tf.add(tf.add(w**2, tf.multiply(-10.0, w)), 25)
    train = tf.train.GradientDescentOptimizer(0.01).minimize(cost)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for _ in range(steps):
            session.run(train)
        return float(session.run(w))


def fed_coefficients(steps: int = 1000) -> float:
    tf.reset_default_graph()
    coefficients = np.array([[1.0], [-10.0], [25.0]])
    w = tf.Variable(0, dtype=tf.float32)
    x = tf.placeholder(tf.float32, [3, 1])
    cost = x[0][0] * w**2 + x[1][0] * w + x[2][0]
    train = tf.train.GradientDescentOptimizer(0.01).minimize(cost)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for _ in range(steps):
            session.run(train, feed_dict={x: coefficients})
        return float(session.run(w))


if __name__ == "__main__":
    print(f"w = {constant_coefficients():.7f}  (TF1 prints 4.9999886)")
    print(f"w = {fed_coefficients():.7f}  with the coefficients fed through a placeholder")
