"""The course's optimizer comparison: GD vs Momentum vs Adam on the moons, in TF1 terms.

A [2, 5, 2, 1] ReLU-ReLU-sigmoid network in the column layout, He initialisation (seed 3), batches
of 64 reshuffled every epoch (seed 10, incremented before each epoch), learning rate 0.0007,
10,000 epochs. The course's EMA momentum (beta 0.9) is TF1's MomentumOptimizer with lr*(1-beta).
Training accuracy: GD 0.7967, Momentum 0.7967, Adam 0.9400, as the course prints.
"""

import numpy as np

import graphflow as tf
from graphflow.datasets import moons, random_mini_batches

LAYERS = [2, 5, 2, 1]


def optimizer(kind: str, learning_rate: float = 0.0007, beta: float = 0.9):
    if kind == "gd":
        return tf.train.GradientDescentOptimizer(learning_rate)
    if kind == "momentum":
        return tf.train.MomentumOptimizer(learning_rate * (1 - beta), beta)
    if kind == "adam":
        return tf.train.AdamOptimizer(learning_rate, 0.9, 0.999, 1e-8)
    raise ValueError(f"unknown optimizer {kind!r}")


def train(kind: str, epochs: int = 10000, batch_size: int = 64, print_every: int = 1000,
          verbose: bool = True):
    """Returns ({epoch: cost} at every `print_every` epochs, training accuracy)."""
    tf.reset_default_graph()
    X, y = moons(300, 0.2, seed=3)
    X, Y = X.T, y.reshape(1, -1).astype(np.float64)
    np.random.seed(3)
    params = []
    for i in range(1, len(LAYERS)):
        W = np.random.randn(LAYERS[i], LAYERS[i - 1]) * np.sqrt(2 / LAYERS[i - 1])
        params.append((tf.Variable(W, name=f"W{i}"),
                       tf.Variable(np.zeros((LAYERS[i], 1)), name=f"b{i}")))

    x = tf.placeholder(tf.float64, [2, None], name="X")
    labels = tf.placeholder(tf.float64, [1, None], name="Y")
    a = x
    for i, (W, b) in enumerate(params):
        z = tf.matmul(W, a) + b
        a = tf.nn.relu(z) if i < len(params) - 1 else tf.sigmoid(z)
    # Summed log loss, as the course prints it; the training loss is its batch mean.
    cost_total = tf.reduce_sum(-labels * tf.log(a) - (1 - labels) * tf.log(1 - a))
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=z))
    step = optimizer(kind).minimize(loss)

    costs, seed, m = {}, 10, X.shape[1]
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        run = session.make_callable([cost_total, step], [x, labels])
        for epoch in range(epochs):
            seed += 1
            total = sum(run(bx, by)[0] for bx, by in random_mini_batches(X, Y, batch_size, seed))
            if epoch % print_every == 0:
                costs[epoch] = total / m
                if verbose:
                    print(f"{kind}: cost after epoch {epoch}: {total / m:f}")
        accuracy = float(np.mean((session.run(a, {x: X}) > 0.5) == Y))
    if verbose:
        print(f"{kind}: training accuracy {accuracy:.4f}")
    return costs, accuracy


if __name__ == "__main__":
    for name in ("gd", "momentum", "adam"):
        train(name)
