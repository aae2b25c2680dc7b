"""Save a model with its graph, then rebuild nothing: import_meta_graph, restore, and fetch the
tensors by name and from a collection."""

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

rng = np.random.RandomState(2)
data_x = rng.randn(100, 4).astype(np.float32)
data_y = (data_x.sum(axis=1, keepdims=True) > 0).astype(np.float32)

x = tf.placeholder(tf.float32, [None, 4], name="x")
y = tf.placeholder(tf.float32, [None, 1], name="y")
W = tf.Variable(tf.zeros([4, 1]), name="W")
b = tf.Variable(tf.zeros([1]), name="b")
logits = tf.add(tf.matmul(x, W), b, name="logits")
prob = tf.sigmoid(logits, name="prob")
loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
train_op = tf.train.GradientDescentOptimizer(1.0).minimize(loss, name="train")
tf.add_to_collection("prediction", prob)
saver = tf.train.Saver()
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(50):
        sess.run(train_op, {x: data_x, y: data_y})
    print("trained: ", sess.run(prob, {x: data_x[:3]}).ravel())
    saver.save(sess, "./my_model")

tf.reset_default_graph()
with tf.Session() as sess:
    new_saver = tf.train.import_meta_graph("my_model.meta")
    new_saver.restore(sess, tf.train.latest_checkpoint("./"))
    graph = tf.get_default_graph()
    x = graph.get_tensor_by_name("x:0")
    prob = graph.get_tensor_by_name("prob:0")
    print("restored: ", sess.run(prob, {x: data_x[:3]}).ravel())
    prediction = tf.get_collection("prediction")[0]
    print("from collection: ", sess.run(prediction, {x: data_x[:3]}).ravel())
    print("variables: ", " ".join(v.name for v in tf.global_variables()))
    train = graph.get_operation_by_name("train")
    y = graph.get_tensor_by_name("y:0")
    loss_before = sess.run("Mean:0", {x: data_x, y: data_y})
    sess.run(train, {x: data_x, y: data_y})
    print("training continues: ", sess.run("Mean:0", {x: data_x, y: data_y}) < loss_before)
