"""A training loop fed by tf.data: an MLP on the offline digits, epochs by re-initialising an
iterator with fed arrays, evaluation through a second dataset on the same iterator."""

import numpy as np
import pytest

import graphflow as tf

sklearn = pytest.importorskip("sklearn", reason="the digits ship with scikit-learn")


def test_an_mlp_learns_the_digits_through_tf_data():
    from graphflow.datasets import load_digits

    X, y = load_digits()
    order = np.random.default_rng(0).permutation(len(X))
    train, test = order[:1400], order[1400:]
    tf.set_random_seed(0)

    features = tf.placeholder(tf.float32, [None, 64], name="features")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    source = tf.data.Dataset.from_tensor_slices((features, labels))
    train_ds = source.shuffle(1400, seed=1).batch(64).map(
        lambda x, t: (x, tf.one_hot(t, 10)))
    test_ds = source.batch(500).map(lambda x, t: (x, tf.one_hot(t, 10)))
    it = tf.data.Iterator.from_structure(train_ds.output_types, train_ds.output_shapes)
    x, onehot = it.get_next()
    assert x.shape == tf.TensorShape([None, 64]) and onehot.shape == tf.TensorShape([None, 10])

    hidden = tf.layers.dense(x, 32, activation=tf.nn.relu)
    logits = tf.layers.dense(hidden, 10)
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=onehot,
                                                                     logits=logits))
    train_op = tf.train.AdamOptimizer(0.01).minimize(loss)
    correct = tf.reduce_sum(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(onehot, 1)),
                                    tf.float32))

    train_init, test_init = it.make_initializer(train_ds), it.make_initializer(test_ds)

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(8):
            sess.run(train_init, {features: X[train], labels: y[train]})
            steps = 0
            while True:
                try:
                    sess.run(train_op)
                    steps += 1
                except tf.errors.OutOfRangeError:
                    break
            assert steps == 22  # ceil(1400 / 64)
        sess.run(test_init, {features: X[test], labels: y[test]})
        right = 0.0
        while True:
            try:
                right += sess.run(correct)
            except tf.errors.OutOfRangeError:
                break
    assert right / len(test) > 0.9
