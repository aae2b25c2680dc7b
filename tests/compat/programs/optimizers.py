"""One softmax classifier trained by each of TF1's optimizers, from the same zero start."""

import numpy as np

import graphflow.compat.v1 as tf
from graphflow.datasets import load_digits

tf.disable_v2_behavior()

images, labels = load_digits()
onehot = np.eye(10, dtype=np.float32)[labels]
feed_x, feed_y = images[:600], onehot[:600]

optimizers = {
    "momentum": tf.train.MomentumOptimizer(0.05, momentum=0.9),
    "nesterov": tf.train.MomentumOptimizer(0.05, momentum=0.9, use_nesterov=True),
    "rmsprop": tf.train.RMSPropOptimizer(0.01),
    "rmsprop_centered": tf.train.RMSPropOptimizer(0.01, momentum=0.5, centered=True),
    "adagrad": tf.train.AdagradOptimizer(0.5),
    "adam": tf.train.AdamOptimizer(0.01),
}
x = tf.placeholder(tf.float32, [None, 64])
y = tf.placeholder(tf.float32, [None, 10])
losses, train_ops = {}, {}
for name, optimizer in optimizers.items():
    with tf.variable_scope(name):
        W = tf.get_variable("W", [64, 10], initializer=tf.zeros_initializer())
        b = tf.get_variable("b", [10], initializer=tf.zeros_initializer())
        logits = tf.matmul(x, W) + b
        losses[name] = tf.reduce_mean(
            tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
        train_ops[name] = optimizer.minimize(losses[name], var_list=[W, b])

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(40):
        sess.run(list(train_ops.values()), {x: feed_x, y: feed_y})
    for name in optimizers:
        print(name + " loss: ", sess.run(losses[name], {x: feed_x, y: feed_y}))
