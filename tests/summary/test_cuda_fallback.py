"""Summary ops on the cuda executor: declared host fallbacks, bridged by transfers, in a training
run. Without a GPU the cuda executor runs over its host emulation (tests/cuda)."""

import numpy as np
import pytest

pytest.importorskip("tensorboard", reason="graphflow.summary needs tensorboard "
                    "(pip install graphflow[summary])")

import graphflow as tf  # noqa: E402
from graphflow.executors.cuda import emulate  # noqa: E402
from graphflow.testing.cuda_emulation import emulated_executor  # noqa: E402


@pytest.mark.executor_matrix
@pytest.mark.skipif(not emulate.available()[0], reason=str(emulate.available()[1]))
def test_summaries_run_on_the_cuda_executor_as_on_the_cpu():
    w = tf.Variable(np.float32([1.0, 2.0]), name="weights")
    loss = tf.reduce_sum(w * w)
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("w", w)
    tf.summary.image("im", tf.reshape(w, [1, 1, 2, 1]))
    merged = tf.summary.merge_all()
    runs = {}
    with emulated_executor() as emulated:
        for name in ("cpu", emulated):
            with tf.Session(executor=name) as sess:
                sess.run(tf.global_variables_initializer())
                runs[name] = [sess.run([merged, train_op])[0] for _ in range(2)]
    assert runs["cpu"] == runs[emulated]
    first = tf.summary.Summary.FromString(runs["cpu"][1])
    assert [v.tag for v in first.value] == ["loss", "w", "im/image/0"]
    assert first.value[0].simple_value == pytest.approx(3.2)
