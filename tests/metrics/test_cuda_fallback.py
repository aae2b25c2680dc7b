"""Metrics, py_func, report_uninitialized_variables and the new optimizers on the cuda executor:
its declared host fallbacks (CheckRange, PyFunc, EagerPyFunc, ReportUninitialized) bridged by
transfers, and the optimizers' graph ops on the device. Without a GPU the cuda executor runs over
its host emulation (tests/cuda)."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.executors.cuda import emulate
from graphflow.testing.cuda_emulation import emulated_executor

pytestmark = [pytest.mark.executor_matrix,
              pytest.mark.skipif(not emulate.available()[0],
                                 reason=str(emulate.available()[1]))]


def test_metrics_and_py_func_on_the_cuda_executor_as_on_the_cpu():
    labels, preds = tf.placeholder(tf.int32, [None]), tf.placeholder(tf.float32, [None])
    _, auc_op = tf.metrics.auc(labels, preds)
    _, acc_op = tf.metrics.accuracy(labels, tf.cast(preds > 0.5, tf.int32))
    _, iou_op = tf.metrics.mean_iou(labels, tf.cast(preds > 0.5, tf.int32), 2)
    doubled = tf.py_func(lambda a: a * 2, [preds], tf.float32)
    shifted = tf.py_function(lambda a: a.numpy() + 1, [preds], tf.float32)
    report = tf.report_uninitialized_variables()
    batches = [([0, 1, 1, 0, 1], [0.1, 0.8, 0.4, 0.6, 0.95]), ([1, 0, 1], [0.3, 0.2, 0.7])]
    runs = {}
    with emulated_executor() as emulated:
        for name in ("cpu", emulated):
            with tf.Session(executor=name) as sess:
                assert len(sess.run(report)) == 7
                sess.run(tf.local_variables_initializer())
                assert sess.run(report).shape == (0,)
                out = [sess.run([auc_op, acc_op, iou_op, doubled, shifted],
                                {labels: y, preds: p}) for y, p in batches]
                with pytest.raises(tf.errors.InvalidArgumentError,
                                   match=r"predictions must be in \[0, 1\]"):
                    sess.run(auc_op, {labels: [1], preds: [2.0]})
                runs[name] = out
    np.testing.assert_allclose(runs["cpu"][1][0], 0.86666644, rtol=2e-6)
    for cpu, device in zip(runs["cpu"], runs[emulated]):
        for a, b in zip(cpu, device):
            np.testing.assert_allclose(a, b, rtol=1e-6)


def test_new_optimizers_on_the_cuda_executor_as_on_the_cpu():
    w = tf.Variable(np.float32([0.5, -1.0, 2.0]), name="w")
    gs = tf.train.get_or_create_global_step()
    loss = tf.reduce_sum(tf.square(w - [1.0, -2.0, 0.5]))
    steps = [
        tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.01,
                               l2_shrinkage_regularization_strength=0.05).minimize(loss),
        tf.train.ProximalAdagradOptimizer(0.3, l1_regularization_strength=0.1).minimize(loss),
        tf.train.ProximalGradientDescentOptimizer(0.1, 0.1, 0.1).minimize(loss),
        tf.train.AdagradDAOptimizer(0.5, gs, l1_regularization_strength=0.05).minimize(
            loss, global_step=gs),
    ]
    got = {}
    with emulated_executor() as emulated:
        for name in ("cpu", emulated):
            with tf.Session(executor=name) as sess:
                sess.run(tf.global_variables_initializer())
                for _ in range(3):
                    for step in steps:
                        sess.run(step)
                got[name] = sess.run(w)
    np.testing.assert_allclose(got[emulated], got["cpu"], rtol=1e-5)
