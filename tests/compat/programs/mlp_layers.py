"""The same MLP with tf.layers.dense and tf.losses, on 784-pixel digit images."""

import graphflow.compat.v1 as tf
from graphflow.datasets import load_digits_images

tf.disable_v2_behavior()
tf.set_random_seed(2)

images, labels = load_digits_images(size=28)
images = images.reshape(-1, 784)
train_x, train_y, test_x, test_y = images[:1500], labels[:1500], images[1500:], labels[1500:]

x = tf.placeholder(tf.float32, shape=[None, 784], name="x")
y = tf.placeholder(tf.int64, shape=[None], name="y")
hidden1 = tf.layers.dense(x, 128, activation=tf.nn.relu, name="hidden1")
hidden2 = tf.layers.dense(hidden1, 64, activation=tf.nn.relu, name="hidden2")
logits = tf.layers.dense(hidden2, 10, name="outputs")
loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
train_op = tf.train.AdamOptimizer(0.001).minimize(loss)
correct = tf.nn.in_top_k(logits, y, 1)
accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))

with tf.Session() as sess:
    tf.global_variables_initializer().run()
    print("variables: ", " ".join(v.name for v in tf.trainable_variables()))
    for epoch in range(8):
        for i in range(0, 1500, 50):
            sess.run(train_op, feed_dict={x: train_x[i:i + 50], y: train_y[i:i + 50]})
    print("train accuracy: ", accuracy.eval(feed_dict={x: train_x, y: train_y}))
    print("test accuracy: ", accuracy.eval(feed_dict={x: test_x, y: test_y}))
