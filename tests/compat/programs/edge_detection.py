"""Fixed-filter convolutions and pooling from the CNN course: vertical and horizontal edge
detectors (VALID), a max-pool quiz, and SAME padding's output sizes."""

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

A = np.float32([[3, 0, 1, 2, 7, 4], [1, 5, 8, 9, 3, 1], [2, 7, 2, 5, 1, 3],
                [0, 1, 3, 1, 7, 8], [4, 2, 1, 6, 2, 8], [2, 4, 5, 2, 3, 9]])
B = np.float32([[10, 10, 10, 0, 0, 0]] * 3 + [[0, 0, 0, 10, 10, 10]] * 3)
vertical = np.float32([[1, 0, -1]] * 3)
horizontal = np.float32([[1, 1, 1], [0, 0, 0], [-1, -1, -1]])
pool_in = np.float32([[0, 1, .5, 10], [2, 2.5, 1, -8], [4, 0, 5, 6], [15, 1, 2, 3]])

image = tf.placeholder(tf.float32, [1, None, None, 1])
kernel = tf.placeholder(tf.float32, [3, 3, 1, 1])
edges = tf.squeeze(tf.nn.conv2d(image, kernel, strides=[1, 1, 1, 1], padding="VALID"))
pooled = tf.nn.max_pool(image, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
big = tf.zeros([1, 10, 10, 3])
conv_same = tf.nn.conv2d(big, tf.ones([5, 5, 3, 64]), strides=[1, 2, 2, 1], padding="SAME")
pool_same = tf.nn.max_pool(conv_same, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")

with tf.Session() as sess:
    print("vertical edges: ", sess.run(edges, {image: A[None, :, :, None],
                                               kernel: vertical[:, :, None, None]}))
    print("horizontal edges: ", sess.run(edges, {image: B[None, :, :, None],
                                                 kernel: horizontal[:, :, None, None]}))
    print("max pool: ", sess.run(pooled, {image: pool_in[None, :, :, None]}).squeeze())
    print("same shapes: ", conv_same.get_shape().as_list(), pool_same.get_shape().as_list())
