"""An autoencoder on the digits: 64 -> 32 -> 16 -> 32 -> 64 sigmoid layers, RMSProp."""

import numpy as np

import graphflow.compat.v1 as tf
from graphflow.datasets import load_digits

tf.disable_v2_behavior()

images, _ = load_digits()
rng = np.random.RandomState(9)
num_input, num_hidden_1, num_hidden_2 = 64, 32, 16


def init(*shape):
    return (rng.randn(*shape) * 0.3).astype(np.float32)


X = tf.placeholder("float", [None, num_input])
weights = {
    "encoder_h1": tf.Variable(init(num_input, num_hidden_1)),
    "encoder_h2": tf.Variable(init(num_hidden_1, num_hidden_2)),
    "decoder_h1": tf.Variable(init(num_hidden_2, num_hidden_1)),
    "decoder_h2": tf.Variable(init(num_hidden_1, num_input)),
}
biases = {
    "encoder_b1": tf.Variable(tf.zeros([num_hidden_1])),
    "encoder_b2": tf.Variable(tf.zeros([num_hidden_2])),
    "decoder_b1": tf.Variable(tf.zeros([num_hidden_1])),
    "decoder_b2": tf.Variable(tf.zeros([num_input])),
}


def encoder(x):
    layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights["encoder_h1"]), biases["encoder_b1"]))
    return tf.nn.sigmoid(tf.add(tf.matmul(layer_1, weights["encoder_h2"]), biases["encoder_b2"]))


def decoder(x):
    layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights["decoder_h1"]), biases["decoder_b1"]))
    return tf.nn.sigmoid(tf.add(tf.matmul(layer_1, weights["decoder_h2"]), biases["decoder_b2"]))


encoder_op = encoder(X)
decoder_op = decoder(encoder_op)
y_pred, y_true = decoder_op, X
loss = tf.reduce_mean(tf.pow(y_true - y_pred, 2))
optimizer = tf.train.RMSPropOptimizer(0.01).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("initial loss: ", sess.run(loss, feed_dict={X: images}))
    for step in range(300):
        batch = images[(step * 64) % 1728:(step * 64) % 1728 + 64]
        _, l = sess.run([optimizer, loss], feed_dict={X: batch})
    print("final loss: ", sess.run(loss, feed_dict={X: images}))
    print("code shape: ", sess.run(encoder_op, feed_dict={X: images[:5]}).shape)
