"""TensorBoard summaries: scalar and histogram summaries, merge_all, a FileWriter with the graph,
one event per step."""

import glob

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

rng = np.random.RandomState(1)
data_x = rng.randn(100, 2).astype(np.float32)
data_y = data_x @ np.float32([[2.0], [-1.0]]) + 0.5

x = tf.placeholder(tf.float32, [None, 2], name="x")
y = tf.placeholder(tf.float32, [None, 1], name="y")
with tf.name_scope("model"):
    W = tf.Variable(tf.zeros([2, 1]), name="W")
    b = tf.Variable(tf.zeros([1]), name="b")
    pred = tf.matmul(x, W) + b
with tf.name_scope("loss"):
    loss = tf.reduce_mean(tf.square(pred - y))
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
tf.summary.scalar("loss", loss)
tf.summary.histogram("weights", W)
merged = tf.summary.merge_all()

with tf.Session() as sess:
    writer = tf.summary.FileWriter("logs/train", sess.graph)
    sess.run(tf.global_variables_initializer())
    for step in range(20):
        summary, _, l = sess.run([merged, train_op, loss], {x: data_x, y: data_y})
        writer.add_summary(summary, step)
    writer.close()
    print("final loss: ", l)
    print("event files: ", len(glob.glob("logs/train/events.out.tfevents.*")))
