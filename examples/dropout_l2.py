"""Regularisation compared: the same 3-layer net trained without regularisation, with an L2
penalty, and with dropout, reporting train and test accuracy for each.

The course's recipe: layers [2, 20, 3, 1] (relu, relu, sigmoid), weights randn·√(1/n_prev), zero
biases, full-batch gradient descent (learning rate 0.3, 30,000 steps); L2 adds
(λ/2m)·Σ‖W‖² with λ = 0.7; dropout keeps hidden units with probability 0.86 while training. The
course's 2-D "football" data is a download, so this uses noisy moons from graphflow.datasets: a
small noisy training set that an unregularised net overfits.

Train / test accuracy (200 points each): at 5,000 steps none .925/.850, L2 .920/.880, dropout
.925/.870; at the course's 30,000 steps none .925/.865, L2 .915/.880, dropout .930/.865.
"""

import time

import numpy as np

import graphflow as tf
from graphflow.datasets import moons


def data(n_train: int = 200, n_test: int = 200, noise: float = 0.35):
    X_train, y_train = moons(n_train, noise, seed=1)
    X_test, y_test = moons(n_test, noise, seed=2)
    return (X_train.astype(np.float32), y_train.reshape(-1, 1).astype(np.float32),
            X_test.astype(np.float32), y_test.reshape(-1, 1).astype(np.float32))


def build(kind: str, m: int, lambd: float = 0.7, keep_prob: float = 0.86, seed: int = 3):
    """The net in the default graph; `kind` is 'none', 'l2' or 'dropout'."""
    if kind not in ("none", "l2", "dropout"):
        raise ValueError(f"kind must be 'none', 'l2' or 'dropout', got {kind!r}")
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    training = tf.placeholder_with_default(False, [], name="training")
    # l2_regularizer(s)(W) = s·ΣW²/2, so s = λ/m gives the course's (λ/2m)·Σ‖W‖²
    reg = tf.contrib.layers.l2_regularizer(lambd / m) if kind == "l2" else None
    rate = 1.0 - keep_prob if kind == "dropout" else 0.0
    h = x
    for i, units in enumerate((20, 3)):
        init = tf.variance_scaling_initializer(1.0, "fan_in", "untruncated_normal", seed=seed + i)
        h = tf.layers.dense(h, units, tf.nn.relu, kernel_initializer=init, kernel_regularizer=reg)
        if rate:
            h = tf.layers.dropout(h, rate, training=training, seed=seed + 10 + i)
    logits = tf.layers.dense(h, 1, kernel_initializer=tf.variance_scaling_initializer(
        1.0, "fan_in", "untruncated_normal", seed=seed + 2), kernel_regularizer=reg)
    cost = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
    if reg is not None:
        cost = cost + tf.losses.get_regularization_loss()
    correct = tf.equal(tf.cast(logits > 0, tf.float32), y)
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    return x, y, training, cost, accuracy


def train(kind: str = "none", steps: int = 30_000, learning_rate: float = 0.3,
          print_every: int = 10_000, verbose: bool = True):
    """Returns (train accuracy, test accuracy, final cost)."""
    X_train, y_train, X_test, y_test = data()
    tf.reset_default_graph()
    x, y, training, cost, accuracy = build(kind, len(y_train))
    step = tf.train.GradientDescentOptimizer(learning_rate).minimize(cost)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        fit = session.make_callable([cost, step], [x, y, training])
        for i in range(steps):
            c, _ = fit(X_train, y_train, True)
            if verbose and i % print_every == 0:
                print(f"  {kind:8s} cost after iteration {i:6d}: {c:.6f}")
        train_acc = session.run(accuracy, {x: X_train, y: y_train})
        test_acc = session.run(accuracy, {x: X_test, y: y_test})
    return float(train_acc), float(test_acc), float(c)


def compare(steps: int = 30_000, verbose: bool = True) -> dict:
    """{kind: (train accuracy, test accuracy)} for the three variants."""
    results = {}
    for kind in ("none", "l2", "dropout"):
        start = time.perf_counter()
        train_acc, test_acc, _ = train(kind, steps, verbose=verbose)
        results[kind] = (train_acc, test_acc)
        if verbose:
            print(f"{kind:8s} train accuracy {train_acc:.4f}  test accuracy {test_acc:.4f}  "
                  f"({time.perf_counter() - start:.1f} s)")
    return results


if __name__ == "__main__":
    compare()
