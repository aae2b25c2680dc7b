"""The course's initialisation comparison: zeros vs large random vs He, on the circles.

A [2, 10, 5, 1] ReLU-ReLU-sigmoid network in the column layout; `np.random.seed(3)`, then each
layer's W drawn as zeros, randn * 10 or randn * sqrt(2 / n_prev), and b = 0. Full-batch gradient
descent, learning rate 0.01, 15,000 steps, float64. Train/test accuracy as the course prints:
zeros 0.5/0.5 (the cost never leaves ln 2), x10 0.83/0.86 (its first cost is inf), He
0.993333/0.96.

Large weights saturate the sigmoid: outputs are exactly 1.0, so log(1 - a) is -inf. Training
uses the fused sigmoid cross-entropy, whose gradient sigma(z) - y stays finite (log of a
sigmoid would give 0/0 = NaN); the printed cost is the course's unfused formula, so it shows inf.
"""

import time

import numpy as np

import graphflow as tf
from graphflow.datasets import circles

LAYERS = [2, 10, 5, 1]
SCALES = {
    "zeros": lambda n_prev: 0.0,
    "random": lambda n_prev: 10.0,
    "he": lambda n_prev: np.sqrt(2.0 / n_prev),
}


def load():
    """(X_train, Y_train, X_test, Y_test) in the column layout: (2, m) and (1, m)."""
    X_train, y_train = circles(300, 0.05, seed=1)
    X_test, y_test = circles(100, 0.05, seed=2)
    return (X_train.T, y_train.reshape(1, -1).astype(np.float64),
            X_test.T, y_test.reshape(1, -1).astype(np.float64))


def initial_weights(kind: str):
    """[(W, b), ...] as NumPy arrays, drawn in the course's order from `np.random.seed(3)`."""
    np.random.seed(3)
    weights = []
    for i in range(1, len(LAYERS)):
        shape = (LAYERS[i], LAYERS[i - 1])
        W = np.zeros(shape) if kind == "zeros" else np.random.randn(*shape)
        weights.append((W * SCALES[kind](LAYERS[i - 1]), np.zeros((LAYERS[i], 1))))
    return weights


def train(kind: str, steps: int = 15000, learning_rate: float = 0.01, print_every: int = 1000,
          verbose: bool = True):
    """Returns ({step: cost} every `print_every` steps, train accuracy, test accuracy)."""
    if kind not in SCALES:
        raise ValueError(f"unknown initialisation {kind!r}; expected one of {sorted(SCALES)}")
    X_train, Y_train, X_test, Y_test = load()
    tf.reset_default_graph()
    x = tf.placeholder(tf.float64, [2, None], name="X")
    y = tf.placeholder(tf.float64, [1, None], name="Y")
    a = x
    for i, (W, b) in enumerate(initial_weights(kind), start=1):
        z = tf.matmul(tf.Variable(W, name=f"W{i}"), a) + tf.Variable(b, name=f"b{i}")
        a = tf.nn.relu(z) if i < len(LAYERS) - 1 else tf.sigmoid(z)
    # The course sums its log losses with np.nansum: for 0/1 labels that is the loss of the
    # true class alone, so a saturated wrong output gives inf and a saturated right one 0.
    log_loss = tf.where(tf.greater(y, 0.5), -tf.log(a), -tf.log(1.0 - a))
    cost = tf.reduce_sum(log_loss) / tf.cast(tf.shape(y)[1], tf.float64)
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z))
    step = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss)

    costs = {}
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        run_printed = session.make_callable([cost, step], [x, y])
        run = session.make_callable(step, [x, y])
        for i in range(steps):
            if i % print_every:
                run(X_train, Y_train)
                continue
            c, _ = run_printed(X_train, Y_train)
            costs[i] = float(c)
            if verbose:
                print(f"{kind}: cost after iteration {i}: {c}")
        predict = session.make_callable(a, [x])
        accuracies = [float(np.mean((predict(X) > 0.5) == Y))
                      for X, Y in ((X_train, Y_train), (X_test, Y_test))]
    if verbose:
        print(f"{kind}: train accuracy {accuracies[0]:.6f}, test accuracy {accuracies[1]:.6f}")
    return costs, accuracies[0], accuracies[1]


if __name__ == "__main__":
    for name in ("zeros", "random", "he"):
        start = time.perf_counter()
        train(name)
        print(f"{name}: {time.perf_counter() - start:.2f} s")
