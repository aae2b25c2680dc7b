"""Batch normalisation with tf.layers: the moving statistics update through UPDATE_OPS under
control_dependencies; a bool placeholder switches training and inference."""

import numpy as np

import graphflow.compat.v1 as tf
from graphflow.datasets import load_digits

tf.disable_v2_behavior()

images, labels = load_digits()
train_x, train_y, test_x, test_y = images[:1500], labels[:1500], images[1500:], labels[1500:]
rng = np.random.RandomState(5)
W1 = (rng.randn(64, 32) * 0.2).astype(np.float32)
W2 = (rng.randn(32, 10) * 0.2).astype(np.float32)

x = tf.placeholder(tf.float32, [None, 64])
y = tf.placeholder(tf.int64, [None])
is_training = tf.placeholder_with_default(False, shape=(), name="is_training")
h = tf.layers.dense(x, 32, use_bias=False, kernel_initializer=tf.constant_initializer(W1))
h = tf.layers.batch_normalization(h, training=is_training, momentum=0.9)
h = tf.nn.relu(h)
logits = tf.layers.dense(h, 10, kernel_initializer=tf.constant_initializer(W2))
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
with tf.control_dependencies(update_ops):
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.float32))
moving_mean, moving_var = [v for v in tf.global_variables() if "moving" in v.name]

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("update ops: ", len(update_ops))
    print("variables: ", " ".join(v.name for v in tf.global_variables()))
    for epoch in range(5):
        for i in range(0, 1500, 100):
            sess.run(train_op, {x: train_x[i:i + 100], y: train_y[i:i + 100], is_training: True})
    print("moving mean: ", sess.run(moving_mean)[:4])
    print("moving variance: ", sess.run(moving_var)[:4])
    print("train loss: ", sess.run(loss, {x: train_x, y: train_y, is_training: True}))
    print("test accuracy: ", sess.run(accuracy, {x: test_x, y: test_y}))
