"""A multilayer perceptron with tf.nn: two relu hidden layers over the digits, Adam, batches."""

import numpy as np

import graphflow.compat.v1 as tf
from graphflow.datasets import load_digits

tf.disable_v2_behavior()
tf.set_random_seed(1)

images, labels = load_digits()
onehot = np.eye(10, dtype=np.float32)[labels]
train_x, train_y, test_x, test_y = images[:1500], onehot[:1500], images[1500:], onehot[1500:]

learning_rate = 0.01
batch_size = 100
n_hidden_1, n_hidden_2, n_input, n_classes = 64, 32, 64, 10

X = tf.placeholder("float", [None, n_input])
Y = tf.placeholder("float", [None, n_classes])
weights = {
    "h1": tf.Variable(tf.random_normal([n_input, n_hidden_1], stddev=0.1)),
    "h2": tf.Variable(tf.random_normal([n_hidden_1, n_hidden_2], stddev=0.1)),
    "out": tf.Variable(tf.random_normal([n_hidden_2, n_classes], stddev=0.1)),
}
biases = {
    "b1": tf.Variable(tf.zeros([n_hidden_1])),
    "b2": tf.Variable(tf.zeros([n_hidden_2])),
    "out": tf.Variable(tf.zeros([n_classes])),
}


def multilayer_perceptron(x):
    layer_1 = tf.nn.relu(tf.add(tf.matmul(x, weights["h1"]), biases["b1"]))
    layer_2 = tf.nn.relu(tf.add(tf.matmul(layer_1, weights["h2"]), biases["b2"]))
    return tf.matmul(layer_2, weights["out"]) + biases["out"]


logits = multilayer_perceptron(X)
loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
train_op = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(loss_op)
correct_pred = tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1))
accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
init = tf.global_variables_initializer()

with tf.Session() as sess:
    sess.run(init)
    for epoch in range(15):
        for i in range(0, len(train_x), batch_size):
            sess.run(train_op, feed_dict={X: train_x[i:i + batch_size],
                                          Y: train_y[i:i + batch_size]})
    print("train loss: ", sess.run(loss_op, feed_dict={X: train_x, Y: train_y}))
    print("test accuracy: ", sess.run(accuracy, feed_dict={X: test_x, Y: test_y}))
