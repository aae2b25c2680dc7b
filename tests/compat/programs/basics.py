"""Hello TensorFlow: constants, placeholders fed per run, the TF1 dtype rules, softmax."""

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

hello = tf.constant("Hello, TensorFlow!")
a = tf.constant(10)
b = tf.constant(2)
x = tf.subtract(tf.divide(a, b), tf.cast(tf.constant(1), tf.float64))
p = tf.placeholder(tf.float32, shape=[None, 3], name="p")
q = tf.placeholder(tf.float32, name="q")
total = p + q
logits = tf.constant([2.0, 1.0, 0.1])
probs = tf.nn.softmax(logits)
m = tf.constant([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]) + tf.constant([1, 2, 3])

with tf.Session() as sess:
    print("hello:", sess.run(hello).decode())
    print("divide dtype:", x.dtype.name)
    print("divide:", sess.run(x))
    print("placeholder:", p)
    print("fed sum:", sess.run(total, feed_dict={p: [[1, 2, 3], [4, 5, 6]], q: 0.5}))
    print("softmax:", sess.run(probs))
    print("broadcast:", sess.run(m).tolist())
    print("argmax:", sess.run(tf.argmax(m, 1)))
