"""Skip-gram word2vec with tf.nn.nce_loss on a tiny corpus (the word2vec_basic tutorial)."""

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()
tf.set_random_seed(5)

words = ("the quick brown fox jumps over the lazy dog the dog sleeps the fox runs " * 20).split()
vocab = sorted(set(words))
index = {w: i for i, w in enumerate(vocab)}
data = [index[w] for w in words]
pairs = [(data[i], data[i + d]) for i in range(1, len(data) - 1) for d in (-1, 1)]
inputs_np = np.int32([p[0] for p in pairs])
labels_np = np.int32([[p[1]] for p in pairs])
vocabulary_size, embedding_size, num_sampled = len(vocab), 8, 4

train_inputs = tf.placeholder(tf.int32, shape=[None])
train_labels = tf.placeholder(tf.int32, shape=[None, 1])
embeddings = tf.Variable(tf.random_uniform([vocabulary_size, embedding_size], -1.0, 1.0))
embed = tf.nn.embedding_lookup(embeddings, train_inputs)
nce_weights = tf.Variable(tf.truncated_normal([vocabulary_size, embedding_size],
                                              stddev=1.0 / np.sqrt(embedding_size)))
nce_biases = tf.Variable(tf.zeros([vocabulary_size]))
loss = tf.reduce_mean(tf.nn.nce_loss(weights=nce_weights, biases=nce_biases,
                                     labels=train_labels, inputs=embed,
                                     num_sampled=num_sampled, num_classes=vocabulary_size))
optimizer = tf.train.GradientDescentOptimizer(0.5).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {train_inputs: inputs_np, train_labels: labels_np}
    first = sess.run(loss, feed)
    for step in range(200):
        sess.run(optimizer, feed)
    print("loss fell: ", bool(sess.run(loss, feed) < first / 2))
    print("per-example loss shape: ", tf.nn.nce_loss(
        weights=nce_weights, biases=nce_biases, labels=train_labels, inputs=embed,
        num_sampled=num_sampled, num_classes=vocabulary_size).get_shape().as_list())
