"""tf.layers as objects: a Dense layer built once and called on two inputs shares its weights."""

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

x1 = tf.placeholder(tf.float32, [None, 4])
x2 = tf.placeholder(tf.float32, [None, 4])
hidden = tf.layers.Dense(3, activation=tf.nn.relu, kernel_initializer=tf.ones_initializer(),
                         name="shared")
out = tf.layers.Dense(1, kernel_initializer=tf.constant_initializer(0.5))
y1 = out(hidden(x1))
y2 = out(hidden(x2))
conv = tf.layers.Conv2D(2, 3, padding="same", kernel_initializer=tf.ones_initializer())
pool = tf.layers.MaxPooling2D(2, 2)
image = tf.placeholder(tf.float32, [None, 4, 4, 1])
features = tf.layers.Flatten()(pool(conv(image)))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("variables: ", " ".join(v.name for v in tf.trainable_variables()))
    print("kernel shape: ", hidden.kernel.get_shape().as_list())
    feed = np.float32([[1, -2, 3, 0.5]])
    print("y1: ", sess.run(y1, {x1: feed}))
    print("y2: ", sess.run(y2, {x2: feed}))
    print("features: ", sess.run(features, {image: np.arange(16, dtype=np.float32)
                                              .reshape(1, 4, 4, 1)}))
