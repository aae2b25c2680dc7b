"""The demo: a ReLU MLP on scikit-learn's bundled 8x8 digits, trained with Adam, saved, restored.

64 -> 128 ReLU -> 10, softmax cross-entropy, Adam(0.005), batches of 64, 20 epochs. It reaches
about 97% on the 360 held-out digits, then restores the checkpoint into a freshly built graph and
gets the same accuracy.
"""

import os
import tempfile
import time

import numpy as np

import graphflow as tf
from graphflow.datasets import batches, load_digits


def split(seed: int = 0, test_fraction: float = 0.2):
    X, y = load_digits()
    order = np.random.RandomState(seed).permutation(len(y))
    n_test = int(len(y) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train], X[test], y[test]


def build(hidden: int = 128, seed: int = 0):
    """The model's graph in the default graph; returns its named endpoints."""
    rng = np.random.RandomState(seed)
    x = tf.placeholder(tf.float32, [None, 64], name="images")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    with tf.name_scope("hidden"):
        w1 = tf.Variable((rng.randn(64, hidden) * np.sqrt(2 / 64)).astype(np.float32),
                         name="weights")
        b1 = tf.Variable(tf.zeros([hidden]), name="biases")
        h = tf.nn.relu(tf.matmul(x, w1) + b1)
    with tf.name_scope("output"):
        w2 = tf.Variable((rng.randn(hidden, 10) * np.sqrt(1 / hidden)).astype(np.float32),
                         name="weights")
        b2 = tf.Variable(tf.zeros([10]), name="biases")
        logits = tf.matmul(h, w2) + b2
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(
        labels=tf.one_hot(labels, 10), logits=logits))
    correct = tf.equal(tf.argmax(logits, 1), labels)
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32), name="accuracy")
    return x, labels, loss, accuracy


def train(epochs: int = 20, batch_size: int = 64, learning_rate: float = 0.005,
          checkpoint_dir: str | None = None, verbose: bool = True):
    """Returns (test accuracy after training, test accuracy after restoring the checkpoint)."""
    X_train, y_train, X_test, y_test = split()
    tf.reset_default_graph()
    x, labels, loss, accuracy = build()
    step = tf.train.AdamOptimizer(learning_rate).minimize(loss)
    saver = tf.train.Saver()
    checkpoint_dir = checkpoint_dir or tempfile.mkdtemp(prefix="graphflow-digits-")
    shuffle = np.random.RandomState(1)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        train_step = session.make_callable([loss, step], [x, labels])
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            order = shuffle.permutation(len(y_train))
            losses = [train_step(bx, by)[0]
                      for bx, by in batches(batch_size, X_train[order], y_train[order])]
            test_acc = session.run(accuracy, {x: X_test, labels: y_test})
            if verbose:
                print(f"epoch {epoch:2d}/{epochs}  loss {np.mean(losses):.4f}  "
                      f"test accuracy {test_acc:.4f}  ({time.perf_counter() - start:.2f} s)")
        path = saver.save(session, os.path.join(checkpoint_dir, "digits.ckpt"))
    if verbose:
        print(f"saved {path}")

    tf.reset_default_graph()  # a fresh graph, rebuilt as a new script would
    x, labels, _, accuracy = build(seed=123)  # different initial values: restore must win
    with tf.Session() as session:
        tf.train.Saver().restore(session, tf.train.latest_checkpoint(checkpoint_dir))
        restored_acc = session.run(accuracy, {x: X_test, labels: y_test})
    if verbose:
        print(f"restored: test accuracy {restored_acc:.4f}")
    return float(test_acc), float(restored_acc)


if __name__ == "__main__":
    train()
