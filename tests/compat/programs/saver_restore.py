"""Save a trained model every few steps, then find the newest checkpoint with
get_checkpoint_state and restore it into a graph built again from scratch."""

import os

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

rng = np.random.RandomState(7)
data_x = rng.randn(200, 3).astype(np.float32)
data_y = data_x @ np.float32([[1.5], [-2.0], [0.5]]) + 0.3


def build():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    W = tf.Variable(tf.zeros([3, 1]), name="W")
    b = tf.Variable(tf.zeros([1]), name="b")
    pred = tf.matmul(x, W) + b
    loss = tf.reduce_mean(tf.square(pred - y))
    return x, y, W, b, loss


x, y, W, b, loss = build()
global_step = tf.Variable(0, name="global_step", trainable=False)
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=global_step)
saver = tf.train.Saver(max_to_keep=2)
os.makedirs("checkpoints", exist_ok=True)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(30):
        sess.run(train_op, {x: data_x, y: data_y})
        if (step + 1) % 10 == 0:
            path = saver.save(sess, "checkpoints/model.ckpt", global_step=global_step)
    print("saved to: ", os.path.basename(path))
    print("saved W: ", sess.run(W).ravel())
    saved_loss = sess.run(loss, {x: data_x, y: data_y})
    print("saved loss: ", saved_loss)

tf.reset_default_graph()
x, y, W, b, loss = build()
global_step = tf.Variable(0, name="global_step", trainable=False)
saver = tf.train.Saver()
with tf.Session() as sess:
    ckpt = tf.train.get_checkpoint_state("checkpoints")
    if ckpt and ckpt.model_checkpoint_path:
        print("restoring: ", os.path.basename(ckpt.model_checkpoint_path))
        print("kept: ", " ".join(os.path.basename(p) for p in ckpt.all_model_checkpoint_paths))
        saver.restore(sess, ckpt.model_checkpoint_path)
    print("latest: ", os.path.basename(tf.train.latest_checkpoint("checkpoints")))
    print("restored W: ", sess.run(W).ravel())
    print("restored step: ", sess.run(global_step))
    print("restored loss: ", sess.run(loss, {x: data_x, y: data_y}))
