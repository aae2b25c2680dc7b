"""A script driven by tf.app.flags and started with tf.app.run()."""

import numpy as np

import graphflow.compat.v1 as tf

flags = tf.app.flags
FLAGS = flags.FLAGS
flags.DEFINE_integer("steps", 100, "Number of training steps.")
flags.DEFINE_float("learning_rate", 0.05, "Initial learning rate.")
flags.DEFINE_string("data_dir", "/tmp/data", "Where the data would be.")
flags.DEFINE_boolean("verbose", False, "Print progress.")


def main(_):
    rng = np.random.RandomState(11)
    data_x = rng.rand(100, 2).astype(np.float32)
    data_y = data_x @ np.float32([[3.0], [-1.0]]) + 2.0
    x = tf.placeholder(tf.float32, [None, 2])
    y = tf.placeholder(tf.float32, [None, 1])
    W = tf.Variable(tf.zeros([2, 1]))
    b = tf.Variable(tf.zeros([1]))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, W) + b - y))
    train = tf.train.GradientDescentOptimizer(FLAGS.learning_rate).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(FLAGS.steps):
            sess.run(train, {x: data_x, y: data_y})
        print("flags: ", FLAGS.steps, FLAGS.learning_rate, FLAGS.data_dir, FLAGS.verbose)
        print("loss: ", sess.run(loss, {x: data_x, y: data_y}))
        print("W: ", sess.run(W).ravel())


if __name__ == "__main__":
    tf.app.run()
