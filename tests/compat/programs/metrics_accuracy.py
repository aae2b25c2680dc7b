"""Streaming metrics: tf.metrics.accuracy and mean over batches, reset by
local_variables_initializer."""

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

labels = tf.placeholder(tf.int64, [None])
predictions = tf.placeholder(tf.int64, [None])
values = tf.placeholder(tf.float32, [None])
accuracy, accuracy_update = tf.metrics.accuracy(labels=labels, predictions=predictions)
mean, mean_update = tf.metrics.mean(values)

rng = np.random.RandomState(0)
true = rng.randint(0, 3, 100)
guess = np.where(rng.rand(100) < 0.7, true, (true + 1) % 3)
with tf.Session() as sess:
    sess.run(tf.local_variables_initializer())
    print("local variables: ", " ".join(v.name for v in tf.local_variables()))
    for i in range(0, 100, 25):
        sess.run([accuracy_update, mean_update], {labels: true[i:i + 25],
                                                  predictions: guess[i:i + 25],
                                                  values: np.arange(i, i + 25, dtype=np.float32)})
    print("accuracy: ", sess.run(accuracy))
    print("mean: ", sess.run(mean))
    print("numpy accuracy: ", (true == guess).mean())
    sess.run(tf.local_variables_initializer())
    print("after reset: ", sess.run(accuracy))
