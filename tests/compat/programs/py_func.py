"""tf.py_func: NumPy code inside the graph, on fed and computed tensors."""

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()


def clip_and_count(x, limit):
    clipped = np.clip(x, -limit, limit)
    return clipped.astype(np.float32), np.int32((np.abs(x) > limit).sum())


x = tf.placeholder(tf.float32, [None])
limit = tf.constant(1.5)
clipped, count = tf.py_func(clip_and_count, [x, limit], [tf.float32, tf.int32])
doubled = tf.py_func(lambda v: v * 2, [clipped], tf.float32)
total = tf.reduce_sum(doubled)

with tf.Session() as sess:
    feed = {x: np.float32([-3, -1, 0, 1, 2.5, 4])}
    print("clipped: ", sess.run(clipped, feed))
    print("count: ", sess.run(count, feed))
    print("total: ", sess.run(total, feed))
