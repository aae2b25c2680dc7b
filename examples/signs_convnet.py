"""The course's SIGNS ConvNet (hand signs for 0-5), with tf.nn and tf.contrib.layers.

X (None, 64, 64, 3); W1 [4, 4, 3, 8] and W2 [2, 2, 8, 16] (xavier, seed 0); conv SAME -> relu ->
max-pool 8/8 SAME -> conv SAME -> relu -> max-pool 4/4 SAME -> flatten -> fully_connected(6):
64x64x8 -> 8x8x8 -> 8x8x16 -> 2x2x16 -> 64 -> 6. Adam 0.009, batches of 64, as the course.

The SIGNS photos are not bundled, so the images are synthetic "hands": k bright vertical
fingers on a noisy background for the sign k, at a random position.
"""

import numpy as np

import graphflow as tf
from graphflow.datasets import batches


def synthetic_signs(n: int, seed: int = 0):
    """(X (n, 64, 64, 3) float32 in [0, 1], Y one-hot (n, 6)): k fingers for the sign k."""
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 6, n)
    X = rng.uniform(0.0, 0.3, (n, 64, 64, 3)).astype(np.float32)
    for image, k in zip(X, labels):
        top, left = rng.randint(4, 20), rng.randint(2, 10)
        for finger in range(k):
            column = left + 9 * finger
            image[top:top + 36, column:column + 5] += np.float32(0.7)
    return np.clip(X, 0.0, 1.0), np.eye(6, dtype=np.float32)[labels]


def build():
    """The network in the default graph; returns its tensors by name in a dict."""
    X = tf.placeholder(tf.float32, [None, 64, 64, 3], name="X")
    Y = tf.placeholder(tf.float32, [None, 6], name="Y")
    init = tf.contrib.layers.xavier_initializer(seed=0)
    W1 = tf.get_variable("W1", [4, 4, 3, 8], initializer=init)
    W2 = tf.get_variable("W2", [2, 2, 8, 16], initializer=init)
    A1 = tf.nn.relu(tf.nn.conv2d(X, W1, strides=[1, 1, 1, 1], padding="SAME"))
    P1 = tf.nn.max_pool(A1, ksize=[1, 8, 8, 1], strides=[1, 8, 8, 1], padding="SAME")
    A2 = tf.nn.relu(tf.nn.conv2d(P1, W2, strides=[1, 1, 1, 1], padding="SAME"))
    P2 = tf.nn.max_pool(A2, ksize=[1, 4, 4, 1], strides=[1, 4, 4, 1], padding="SAME")
    F = tf.contrib.layers.flatten(P2)
    Z3 = tf.contrib.layers.fully_connected(F, 6, activation_fn=None)
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=Z3, labels=Y))
    correct = tf.equal(tf.argmax(Z3, 1), tf.argmax(Y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    return dict(X=X, Y=Y, A1=A1, P1=P1, A2=A2, P2=P2, F=F, Z3=Z3, cost=cost,
                accuracy=accuracy)


def train(epochs: int = 20, n_train: int = 600, n_test: int = 120, batch_size: int = 64,
          learning_rate: float = 0.009, verbose: bool = True):
    """Returns (first epoch cost, last epoch cost, train accuracy, test accuracy)."""
    X_train, Y_train = synthetic_signs(n_train, seed=1)
    X_test, Y_test = synthetic_signs(n_test, seed=2)
    tf.reset_default_graph()
    tf.set_random_seed(1)
    net = build()
    step = tf.train.AdamOptimizer(learning_rate).minimize(net["cost"])
    costs, shuffle = [], np.random.RandomState(3)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        run = session.make_callable([net["cost"], step], [net["X"], net["Y"]])
        for epoch in range(epochs):
            order = shuffle.permutation(n_train)
            total = sum(run(bx, by)[0] * len(by)
                        for bx, by in batches(batch_size, X_train[order], Y_train[order]))
            costs.append(total / n_train)
            if verbose and (epoch % 5 == 0 or epoch == epochs - 1):
                print(f"cost after epoch {epoch}: {costs[-1]:f}")
        train_acc, test_acc = (session.run(net["accuracy"], {net["X"]: X, net["Y"]: Y})
                               for X, Y in ((X_train, Y_train), (X_test, Y_test)))
    if verbose:
        print(f"train accuracy {train_acc:.4f}, test accuracy {test_acc:.4f}")
    return costs[0], costs[-1], float(train_acc), float(test_acc)


if __name__ == "__main__":
    tf.reset_default_graph()
    for name, tensor in build().items():
        if name in ("A1", "P1", "A2", "P2", "F", "Z3"):
            print(f"{name}: {tensor.shape}")
    train()
