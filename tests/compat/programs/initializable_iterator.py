"""An initializable iterator over a placeholder: the same pipeline fed training data, then test
data, each pass ending in OutOfRangeError."""

import numpy as np

import graphflow.compat.v1 as tf
from graphflow.datasets import load_digits

tf.disable_v2_behavior()

images, labels = load_digits()
onehot = np.eye(10, dtype=np.float32)[labels]

x_input = tf.placeholder(tf.float32, [None, 64])
y_input = tf.placeholder(tf.float32, [None, 10])
batch_size = tf.placeholder(tf.int64, [])
dataset = tf.data.Dataset.from_tensor_slices((x_input, y_input)).batch(batch_size)
iterator = dataset.make_initializable_iterator()
x, y = iterator.get_next()

W = tf.Variable(tf.zeros([64, 10]))
b = tf.Variable(tf.zeros([10]))
logits = tf.matmul(x, W) + b
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
correct = tf.reduce_sum(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1)), tf.int32))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(3):
        sess.run(iterator.initializer, {x_input: images[:1500], y_input: onehot[:1500],
                                        batch_size: 100})
        batches = 0
        while True:
            try:
                sess.run(train_op)
                batches += 1
            except tf.errors.OutOfRangeError:
                break
    print("batches per epoch: ", batches)
    sess.run(iterator.initializer, {x_input: images[1500:], y_input: onehot[1500:],
                                    batch_size: 1000})
    total = 0
    try:
        while True:
            total += sess.run(correct)
    except tf.errors.OutOfRangeError:
        pass
    print("test accuracy: ", total / 297.0)
