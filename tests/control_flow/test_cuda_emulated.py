"""Control flow on the cuda executor, over its host emulation (no GPU here): the If/While
kernels drive sub-plans the cuda executor lowers, with values staying device values."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.executors.cuda import emulate
from graphflow.testing.cuda_emulation import emulated_executor

pytestmark = [pytest.mark.executor_matrix,
              pytest.mark.skipif(not emulate.available()[0],
                                 reason=str(emulate.available()[1]))]


def test_loops_conds_and_their_gradients_agree_with_the_cpu():
    x = tf.placeholder(tf.float32, [None, 3])
    w = tf.Variable(np.eye(3, dtype=np.float32) * 0.5)
    p = tf.placeholder(tf.bool, [])

    def body(i, h):
        h = tf.tanh(tf.matmul(h, w) + 1.0)
        return i + 1, tf.cond(p, lambda: h * 2.0, lambda: h)

    _, h = tf.while_loop(lambda i, h: i < 3, body, [0, x])
    mapped = tf.map_fn(lambda r: tf.reduce_sum(r * r), h)
    grads = tf.gradients(tf.reduce_sum(mapped), [x, w])
    feed = {x: np.arange(6, dtype=np.float32).reshape(2, 3) / 6, p: True}
    runs = {}
    with emulated_executor() as emulated:
        for name in ("cpu", emulated):
            with tf.Session(executor=name) as sess:
                sess.run(tf.global_variables_initializer())
                runs[name] = sess.run([h, mapped, grads], feed)
    for got, want in zip(_flat(runs[emulated]), _flat(runs["cpu"]), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def _flat(x):
    if isinstance(x, (list, tuple)):
        return [y for item in x for y in _flat(item)]
    return [x]
