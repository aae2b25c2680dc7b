"""Dropout with a keep_prob placeholder: fed 0.5 to train, 1.0 to evaluate (fixed weights)."""

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

hidden_layer_weights = [[0.1, 0.2, 0.4], [0.4, 0.6, 0.6], [0.5, 0.9, 0.1], [0.8, 0.2, 0.8]]
out_weights = [[0.1, 0.6], [0.2, 0.1], [0.7, 0.9]]
weights = [tf.Variable(hidden_layer_weights), tf.Variable(out_weights)]
biases = [tf.Variable(tf.zeros(3)), tf.Variable(tf.zeros(2))]
features = tf.Variable([[0.0, 2.0, 3.0, 4.0], [0.1, 0.2, 0.3, 0.4], [11.0, 12.0, 13.0, 14.0]])

keep_prob = tf.placeholder(tf.float32)
hidden_layer = tf.add(tf.matmul(features, weights[0]), biases[0])
hidden_layer = tf.nn.relu(hidden_layer)
dropped = tf.nn.dropout(hidden_layer, keep_prob)
logits = tf.add(tf.matmul(dropped, weights[1]), biases[1])

big = tf.nn.dropout(tf.ones([200, 500]), keep_prob)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("hidden: ", sess.run(hidden_layer))
    print("eval output: ", sess.run(logits, feed_dict={keep_prob: 1.0}))
    h, d = sess.run([hidden_layer, dropped], feed_dict={keep_prob: 0.5})
    print("train scale set: ", sorted(set(np.round(d / h, 5).ravel().tolist())))
    kept = sess.run(big, feed_dict={keep_prob: 0.5})
    print("train values: ", sorted(set(kept.ravel().tolist())))
    print("kept fraction: ", (kept > 0).mean())
