"""Learning-rate decay driven by global_step, which minimize() increments."""

import numpy as np

import graphflow.compat.v1 as tf
from graphflow.datasets import load_boston

tf.disable_v2_behavior()

features, prices = load_boston()
features = ((features - features.mean(0)) / features.std(0)).astype(np.float32)
prices = prices.reshape(-1, 1).astype(np.float32)

x = tf.placeholder(tf.float32, [None, 13])
y = tf.placeholder(tf.float32, [None, 1])
W = tf.Variable(tf.zeros([13, 1]))
b = tf.Variable(tf.zeros([1]))
loss = tf.reduce_mean(tf.square(tf.matmul(x, W) + b - y))

global_step = tf.Variable(0, trainable=False)
learning_rate = tf.train.exponential_decay(0.1, global_step, decay_steps=20, decay_rate=0.5,
                                           staircase=True)
smooth = tf.train.exponential_decay(0.1, global_step, 20, 0.5)
inverse = tf.train.inverse_time_decay(0.1, global_step, 10, 0.5)
piecewise = tf.train.piecewise_constant(global_step, [30, 60], [0.1, 0.01, 0.001])
train_op = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss,
                                                                      global_step=global_step)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(75):
        _, lr = sess.run([train_op, learning_rate], {x: features, y: prices})
    print("global step: ", sess.run(global_step))
    print("last learning rate: ", lr)
    print("schedules now: ", np.array(sess.run([learning_rate, smooth, inverse, piecewise])))
    print("loss: ", sess.run(loss, {x: features, y: prices}))
