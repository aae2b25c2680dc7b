"""Local variables and their initializers: TF1's local_variables_initializer,
tf.initializers.local_variables, variables_initializer and report_uninitialized_variables."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.executors import executor_names


def test_local_variables_initializer_sets_only_local_variables():
    g = tf.Variable(5.0, name="g")
    loc = tf.Variable(3.0, name="loc", trainable=False,
                      collections=[tf.GraphKeys.LOCAL_VARIABLES])
    assert tf.local_variables() == [loc] and tf.global_variables() == [g]
    init = tf.local_variables_initializer()
    assert init.name == "init"
    with tf.Session() as sess:
        sess.run(init)
        assert sess.run(loc) == 3.0
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value g"):
            sess.run(g)


def test_initializers_namespace_has_tf1s_three_functions():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    with tf.Session() as sess:
        sess.run(tf.initializers.local_variables())
        assert sess.run(b) == 2.0
        sess.run(tf.initializers.global_variables())
        assert sess.run(a) == 1.0
        sess.run(a.assign(7.0))
        sess.run(tf.initializers.variables([a]))
        assert sess.run(a) == 1.0


@pytest.mark.parametrize("executor", executor_names(available_only=True))
def test_report_uninitialized_variables_lists_names_as_bytes(executor):
    a = tf.Variable(1.0, name="a")
    tf.Variable([1, 2], name="b")
    _, update = tf.metrics.mean([1.0])
    report = tf.report_uninitialized_variables()
    assert report.dtype == tf.string and report.shape.as_list() == [None]
    assert report.name == "report_uninitialized_variables:0"
    with tf.Session(executor=executor) as sess:
        np.testing.assert_array_equal(sess.run(report), [b"a", b"b", b"mean/total",
                                                         b"mean/count"])
        sess.run(a.initializer)
        sess.run(tf.local_variables_initializer())
        np.testing.assert_array_equal(sess.run(report), [b"b"])
        sess.run(tf.global_variables_initializer())
        assert sess.run(report).shape == (0,)
        assert sess.run(update) == 1.0


def test_report_uninitialized_variables_of_a_list():
    a = tf.Variable(1.0, name="a")
    tf.Variable(2.0, name="b")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(tf.report_uninitialized_variables([a])), [b"a"])
