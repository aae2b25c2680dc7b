"""tf.map_fn: a function applied to each row, with a tuple of inputs and an explicit dtype."""

import numpy as np

import graphflow.compat.v1 as tf

tf.disable_v2_behavior()

elems = tf.constant([1.0, 2.0, 3.0, 4.0])
squares = tf.map_fn(lambda x: x * x, elems)
matrix = tf.placeholder(tf.float32, [None, 3])
row_norms = tf.map_fn(lambda row: tf.sqrt(tf.reduce_sum(tf.square(row))), matrix)
alternate = tf.map_fn(lambda pair: pair[0] * pair[1], (elems, elems + 1), dtype=tf.float32)
as_ints = tf.map_fn(lambda x: tf.cast(tf.round(x), tf.int32), elems * 1.4, dtype=tf.int32)

with tf.Session() as sess:
    print("squares: ", sess.run(squares))
    print("row norms: ", sess.run(row_norms, {matrix: np.float32([[3, 4, 0], [1, 2, 2]])}))
    print("pairwise products: ", sess.run(alternate))
    print("rounded: ", sess.run(as_ints))
