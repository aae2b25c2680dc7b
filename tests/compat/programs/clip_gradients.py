"""compute_gradients, clip_by_global_norm, apply_gradients: a clipped-gradient training loop."""

import numpy as np

import graphflow.compat.v1 as tf
from graphflow.datasets import load_digits

tf.disable_v2_behavior()

images, labels = load_digits()
rng = np.random.RandomState(3)
x = tf.placeholder(tf.float32, [None, 64])
y = tf.placeholder(tf.int32, [None])
W1 = tf.Variable((rng.randn(64, 32) * 0.5).astype(np.float32))
b1 = tf.Variable(tf.zeros([32]))
W2 = tf.Variable((rng.randn(32, 10) * 0.5).astype(np.float32))
b2 = tf.Variable(tf.zeros([10]))
logits = tf.matmul(tf.tanh(tf.matmul(x, W1) + b1), W2) + b2
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))

optimizer = tf.train.GradientDescentOptimizer(0.5)
grads_and_vars = optimizer.compute_gradients(loss)
grads, variables = zip(*grads_and_vars)
clipped, global_norm = tf.clip_by_global_norm(grads, clip_norm=1.0)
train_op = optimizer.apply_gradients(zip(clipped, variables))
clipped_norm = tf.global_norm(clipped)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {x: images[:500], y: labels[:500]}
    print("initial loss: ", sess.run(loss, feed))
    print("global norm: ", sess.run(global_norm, feed))
    print("clipped norm: ", sess.run(clipped_norm, feed))
    for step in range(100):
        sess.run(train_op, feed)
    print("final loss: ", sess.run(loss, feed))
    print("final norm: ", sess.run(global_norm, feed))
