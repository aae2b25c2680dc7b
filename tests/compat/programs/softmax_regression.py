"""MNIST for ML beginners: softmax regression on 784-pixel images (the digits enlarged to 28x28)."""

import numpy as np

import graphflow.compat.v1 as tf
from graphflow.datasets import batches, load_digits_images

tf.disable_v2_behavior()

images, labels = load_digits_images(size=28)
images = images.reshape(-1, 784)
onehot = np.eye(10, dtype=np.float32)[labels]
train_x, train_y, test_x, test_y = images[:1500], onehot[:1500], images[1500:], onehot[1500:]

x = tf.placeholder(tf.float32, [None, 784])
W = tf.Variable(tf.zeros([784, 10]))
b = tf.Variable(tf.zeros([10]))
y = tf.nn.softmax(tf.matmul(x, W) + b)
y_ = tf.placeholder(tf.float32, [None, 10])
cross_entropy = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), reduction_indices=[1]))
train_step = tf.train.GradientDescentOptimizer(0.1).minimize(cross_entropy)

sess = tf.Session()
sess.run(tf.global_variables_initializer())
for epoch in range(3):
    for batch_xs, batch_ys in batches(100, train_x, train_y):
        sess.run(train_step, feed_dict={x: batch_xs, y_: batch_ys})
correct_prediction = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
print("train loss: ", sess.run(cross_entropy, feed_dict={x: train_x, y_: train_y}))
print("test accuracy: ", sess.run(accuracy, feed_dict={x: test_x, y_: test_y}))
sess.close()
