"""The common `is_training = tf.placeholder(tf.bool)` switch (no shape given) driving
tf.layers.dropout and tf.layers.batch_normalization in one graph for training and evaluation."""

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

rng = np.random.RandomState(8)
data_x = rng.randn(64, 6).astype(np.float32)
data_y = (data_x[:, :1] > 0).astype(np.float32)

x = tf.placeholder(tf.float32, [None, 6])
y = tf.placeholder(tf.float32, [None, 1])
is_training = tf.placeholder(tf.bool, name="is_training")
h = tf.layers.dense(x, 8, kernel_initializer=tf.constant_initializer(rng.randn(6, 8) * 0.5))
h = tf.layers.batch_normalization(h, training=is_training)
h = tf.nn.relu(h)
h = tf.layers.dropout(h, rate=0.5, training=is_training)
logits = tf.layers.dense(h, 1, kernel_initializer=tf.constant_initializer(rng.randn(8, 1)))
loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("shapes: ", h.get_shape().as_list(), logits.get_shape().as_list())
    print("eval loss before: ", sess.run(loss, {x: data_x, y: data_y, is_training: False}))
    for _ in range(10):
        sess.run(train_op, {x: data_x, y: data_y, is_training: True})
    moving_mean = [v for v in tf.global_variables() if "moving_mean" in v.name][0]
    print("moving mean: ", sess.run(moving_mean)[:3])
    first = sess.run(logits, {x: data_x[:4], is_training: False})
    print("eval is deterministic: ", bool((first == sess.run(logits, {x: data_x[:4],
                                                                     is_training: False})).all()))
