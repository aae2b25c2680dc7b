"""A tf.data pipeline: from_tensor_slices, batch, repeat for epochs, then the OutOfRangeError loop
that ends training when the data runs out."""

import numpy as np

import graphflow.compat.v1 as tf
from graphflow.datasets import load_boston

tf.disable_v2_behavior()

features, prices = load_boston()
features = ((features - features.mean(0)) / features.std(0)).astype(np.float32)
prices = prices.reshape(-1, 1).astype(np.float32)

dataset = tf.data.Dataset.from_tensor_slices((features, prices))
dataset = dataset.batch(64).repeat(3)
iterator = dataset.make_one_shot_iterator()
next_x, next_y = iterator.get_next()

W = tf.Variable(tf.zeros([13, 1]))
b = tf.Variable(tf.zeros([1]))
loss = tf.reduce_mean(tf.square(tf.matmul(next_x, W) + b - next_y))
train_op = tf.train.GradientDescentOptimizer(0.05).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("batch shapes: ", next_x.get_shape().as_list(), next_y.get_shape().as_list())
    steps = 0
    try:
        while True:
            _, l = sess.run([train_op, loss])
            steps += 1
    except tf.errors.OutOfRangeError:
        print("end of data after steps: ", steps)
    print("last batch loss: ", l)
    print("b: ", sess.run(b))
