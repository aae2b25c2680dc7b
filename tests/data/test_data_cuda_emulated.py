"""tf.data on the cuda executor's own code, without a GPU (NumPy as its array module, its CUDA C
emulated on the host): iterator ops run on the host, and the placement pass copies elements to
the device for the ops that read them."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.executors.cuda import emulate
from graphflow.testing.cuda_emulation import emulated_executor

pytestmark = pytest.mark.skipif(not emulate.available()[0], reason=emulate.available()[1])


@pytest.fixture
def executor():
    with emulated_executor() as name:
        yield name


def test_a_pipeline_feeds_device_ops(executor):
    x = tf.placeholder(tf.float32, [None, 3])
    ds = tf.data.Dataset.from_tensor_slices(x).map(lambda r: r * 2.0).batch(2)
    it = tf.data.make_initializable_iterator(ds)
    y = tf.matmul(it.get_next(), tf.constant(np.eye(3, dtype=np.float32))) + 1.0
    data = np.arange(9, dtype=np.float32).reshape(3, 3)
    with tf.Session(executor=executor) as sess:
        sess.run(it.initializer, {x: data})
        got = [sess.run(y), sess.run(y)]
        with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
            sess.run(y)
    np.testing.assert_allclose(np.concatenate(got), data * 2 + 1)
