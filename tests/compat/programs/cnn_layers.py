"""The layers tutorial's CNN: tf.layers.conv2d, max_pooling2d, dense and dropout with a training
switch fed per run."""

import graphflow.compat.v1 as tf
from graphflow.datasets import load_digits_images

tf.disable_v2_behavior()
tf.set_random_seed(4)

images, labels = load_digits_images(size=28)
train_x, train_y, test_x, test_y = images[:1200], labels[:1200], images[1500:], labels[1500:]

features = tf.placeholder(tf.float32, [None, 28, 28, 1])
targets = tf.placeholder(tf.int32, [None])
training = tf.placeholder(tf.bool, [])

conv1 = tf.layers.conv2d(inputs=features, filters=8, kernel_size=[5, 5], padding="same",
                         activation=tf.nn.relu)
pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)
conv2 = tf.layers.conv2d(inputs=pool1, filters=16, kernel_size=[5, 5], padding="same",
                         activation=tf.nn.relu)
pool2 = tf.layers.max_pooling2d(inputs=conv2, pool_size=[2, 2], strides=2)
pool2_flat = tf.reshape(pool2, [-1, 7 * 7 * 16])
dense = tf.layers.dense(inputs=pool2_flat, units=64, activation=tf.nn.relu)
dropout = tf.layers.dropout(inputs=dense, rate=0.4, training=training)
logits = tf.layers.dense(inputs=dropout, units=10)

loss = tf.losses.sparse_softmax_cross_entropy(labels=targets, logits=logits)
optimizer = tf.train.AdamOptimizer(learning_rate=0.002)
train_op = optimizer.minimize(loss=loss, global_step=tf.train.get_global_step())
predictions = tf.argmax(input=logits, axis=1, output_type=tf.int32)
accuracy = tf.reduce_mean(tf.cast(tf.equal(predictions, targets), tf.float32))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("kernels: ", [v.get_shape().as_list() for v in tf.trainable_variables()][::2])
    for epoch in range(2):
        for i in range(0, 1200, 50):
            sess.run(train_op, {features: train_x[i:i + 50], targets: train_y[i:i + 50],
                                training: True})
    same = sess.run(logits, {features: test_x[:5], training: False})
    again = sess.run(logits, {features: test_x[:5], training: False})
    print("eval is deterministic: ", bool((same == again).all()))
    print("test accuracy: ", sess.run(accuracy, {features: test_x, targets: test_y,
                                                  training: False}))
