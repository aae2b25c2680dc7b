"""Helpers for the tf.data tests: drain a dataset through a one-shot iterator in a Session."""

import pytest

import graphflow as tf


def drain(dataset, executor=None, limit=1000):
    """Every element of `dataset`, read by the TF1 loop until OutOfRangeError."""
    next_element = tf.data.make_one_shot_iterator(dataset).get_next()
    out = []
    with tf.Session(executor=executor) as sess:
        while len(out) < limit:
            try:
                out.append(sess.run(next_element))
            except tf.errors.OutOfRangeError:
                break
    return out


@pytest.fixture
def elements():
    return drain
