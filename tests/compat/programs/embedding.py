"""Word embeddings with tf.nn.embedding_lookup: a bag-of-words sentiment model on a toy corpus."""

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

corpus = [("good great fun", 1), ("bad awful boring", 0), ("great plot good cast", 1),
          ("boring plot bad cast", 0), ("fun fun great", 1), ("awful awful bad", 0),
          ("good cast fun plot", 1), ("bad boring awful plot", 0)]
vocab = sorted({w for sentence, _ in corpus for w in sentence.split()})
word_to_id = {w: i for i, w in enumerate(vocab)}
max_len = 4
ids = np.zeros((len(corpus), max_len), np.int32)
mask = np.zeros((len(corpus), max_len), np.float32)
for row, (sentence, _) in enumerate(corpus):
    words = sentence.split()
    ids[row, :len(words)] = [word_to_id[w] for w in words]
    mask[row, :len(words)] = 1.0
targets = np.float32([[label] for _, label in corpus])

rng = np.random.RandomState(4)
inputs = tf.placeholder(tf.int32, [None, max_len])
weights = tf.placeholder(tf.float32, [None, max_len])
labels = tf.placeholder(tf.float32, [None, 1])
embeddings = tf.Variable(rng.uniform(-1, 1, (len(vocab), 8)).astype(np.float32))
embedded = tf.nn.embedding_lookup(embeddings, inputs)
summed = tf.reduce_sum(embedded * tf.expand_dims(weights, -1), axis=1)
mean = summed / tf.reduce_sum(weights, axis=1, keepdims=True)
W = tf.Variable(tf.zeros([8, 1]))
b = tf.Variable(0.0)
logits = tf.matmul(mean, W) + b
loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits))
train_op = tf.train.AdamOptimizer(0.05).minimize(loss)
normalized = embeddings / tf.sqrt(tf.reduce_sum(tf.square(embeddings), 1, keepdims=True))
similarity = tf.matmul(normalized, normalized, transpose_b=True)

feed = {inputs: ids, weights: mask, labels: targets}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("embedded shape: ", embedded.get_shape().as_list())
    for step in range(100):
        sess.run(train_op, feed)
    print("loss: ", sess.run(loss, feed))
    print("predictions: ", (sess.run(logits, feed) > 0).astype(int).ravel())
    sim = sess.run(similarity)
    print("good~great vs good~bad: ", sim[word_to_id["good"], word_to_id["great"]],
          sim[word_to_id["good"], word_to_id["bad"]])
