"""The course's planar "flower": a 2-4-1 tanh/sigmoid network in the column layout.

Full-batch gradient descent, learning rate 1.2, 10,000 steps, float64. The cost is printed
before each 1000th update and matches the course to 1e-6 (.693048, .288083, .254385, ...).
"""

import numpy as np

import graphflow as tf
from graphflow.datasets import planar


def train(steps: int = 10000, learning_rate: float = 1.2, print_every: int = 1000,
          verbose: bool = True):
    """Returns (costs printed at each `print_every` step, training accuracy)."""
    tf.reset_default_graph()
    X, Y = planar()
    np.random.seed(2)
    W1 = tf.Variable(np.random.randn(4, 2) * 0.01, name="W1")
    b1 = tf.Variable(np.zeros((4, 1)), name="b1")
    W2 = tf.Variable(np.random.randn(1, 4) * 0.01, name="W2")
    b2 = tf.Variable(np.zeros((1, 1)), name="b2")

    x = tf.placeholder(tf.float64, [2, None], name="X")
    y = tf.placeholder(tf.float64, [1, None], name="Y")
    A1 = tf.tanh(tf.matmul(W1, x) + b1)
    Z2 = tf.matmul(W2, A1) + b2
    A2 = tf.sigmoid(Z2)
    # The printed cost is the course's formula; training uses the fused sigmoid-CE gradient
    # (A2 - Y), exactly the course's backward pass.
    cost = -tf.reduce_mean(y * tf.log(A2) + (1 - y) * tf.log(1 - A2))
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=Z2))
    step = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss)

    costs = []
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        run = session.make_callable([cost, step], [x, y])
        for i in range(steps):
            c, _ = run(X, Y)
            if i % print_every == 0:
                costs.append(float(c))
                if verbose:
                    print(f"Cost after iteration {i}: {c:f}")
        predictions = session.run(A2, {x: X}) > 0.5
    accuracy = float(np.mean(predictions == Y))
    if verbose:
        print(f"Accuracy: {accuracy:.4f}")
    return costs, accuracy


if __name__ == "__main__":
    train()
