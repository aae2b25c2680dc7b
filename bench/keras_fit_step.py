"""A Keras training step against the same model written with tf.layers and `Session.run`
(issue #13, item 4). No test asserts on these figures; run
`python bench/keras_fit_step.py [--executor cpu] [--batch 128] [--model mlp|cnn]`.

The model is the 784-256-128-10 ReLU MLP with Adam (or a small conv net). Timed per step:
`model.fit` over a whole epoch (its loop, shuffling, slicing and callbacks included),
`model.train_on_batch`, and the tf.layers graph through `sess.run([train, loss], feed)` and
through `sess.make_callable`. Both versions train first, from the same weights, and their losses
must fall.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np


def _data(model: str, n: int):
    rng = np.random.RandomState(0)
    shape = (n, 784) if model == "mlp" else (n, 28, 28, 1)
    x = rng.rand(*shape).astype(np.float32)
    y = np.eye(10, dtype=np.float32)[rng.randint(0, 10, n)]
    return x, y


def keras_model(model: str):
    from graphflow import keras
    from graphflow.keras import layers as L

    if model == "mlp":
        net = keras.Sequential([L.Dense(256, activation="relu", input_shape=(784,)),
                                L.Dense(128, activation="relu"),
                                L.Dense(10, activation="softmax")])
    else:
        net = keras.Sequential([L.Conv2D(8, 3, activation="relu", input_shape=(28, 28, 1)),
                                L.MaxPooling2D(2), L.Flatten(),
                                L.Dense(10, activation="softmax")])
    net.compile(keras.optimizers.Adam(1e-3), "categorical_crossentropy")
    return net


def tf_layers_model(model: str, weights):
    import graphflow as tf

    x = tf.placeholder(tf.float32, [None, 784] if model == "mlp" else [None, 28, 28, 1])
    y = tf.placeholder(tf.float32, [None, 10])
    if model == "mlp":
        h = tf.layers.dense(x, 256, tf.nn.relu)
        h = tf.layers.dense(h, 128, tf.nn.relu)
    else:
        h = tf.layers.conv2d(x, 8, 3, activation=tf.nn.relu)
        h = tf.layers.flatten(tf.layers.max_pooling2d(h, 2, 2))
    logits = tf.layers.dense(h, 10)
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
    train = tf.train.AdamOptimizer(1e-3, epsilon=1e-7).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for var, value in zip(tf.trainable_variables(), weights):
        var.load(value, sess)
    return sess, x, y, train, loss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--executor", default=None)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--model", choices=["mlp", "cnn"], default="mlp")
    parser.add_argument("--steps", type=int, default=40, help="batches per timed epoch")
    args = parser.parse_args()
    if args.executor:
        os.environ["GRAPHFLOW_EXECUTOR"] = args.executor
    import graphflow as tf
    from graphflow.bench.timing import measure

    n = args.batch * args.steps
    x_all, y_all = _data(args.model, n)
    xb, yb = x_all[:args.batch], y_all[:args.batch]

    with tf.Graph().as_default():
        net = keras_model(args.model)
        first = net.train_on_batch(xb, yb)
        weights = net.get_weights()
        for _ in range(5):
            last = net.train_on_batch(xb, yb)
        assert last < first, "the Keras model does not train"
        net.fit(x_all, y_all, batch_size=args.batch, epochs=1, verbose=0)  # compile the plans
        start = time.perf_counter()
        epochs = 3
        net.fit(x_all, y_all, batch_size=args.batch, epochs=epochs, verbose=0)
        fit_step = (time.perf_counter() - start) / (epochs * args.steps)
        on_batch = measure(lambda: net.train_on_batch(xb, yb))

    with tf.Graph().as_default():
        sess, x, y, train, loss = tf_layers_model(args.model, weights)
        losses = [sess.run([train, loss], {x: xb, y: yb})[1] for _ in range(6)]
        assert losses[-1] < losses[0], "the tf.layers model does not train"
        run_step = measure(lambda: sess.run([train, loss], {x: xb, y: yb}))
        call = sess.make_callable([train, loss], [x, y])
        callable_step = measure(lambda: call(xb, yb))

    print(f"{args.model}, batch {args.batch}, executor "
          f"{args.executor or os.environ.get('GRAPHFLOW_EXECUTOR', 'cpu')}: time per step")
    rows = [("keras fit (per batch of an epoch)", fit_step),
            ("keras train_on_batch", on_batch),
            ("tf.layers + Session.run", run_step),
            ("tf.layers + make_callable", callable_step)]
    for name, seconds in rows:
        print(f"  {name:36s} {seconds * 1e3:8.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
