"""Dataset.interleave and Dataset.window, element for element as TF1 gives them. Every
expected list is what TensorFlow 2.21's tf.compat.v1 produced for the same pipeline
(2026-12-02)."""

import os

import numpy as np
import pytest

import graphflow as tf

D = tf.data.Dataset


def _plain(values):
    return [v.tolist() if hasattr(v, "tolist") else v for v in values]


@pytest.mark.parametrize("make, want", [
    (lambda: D.range(1, 6).interleave(lambda x: D.from_tensors(x).repeat(x), cycle_length=2,
                                      block_length=2),
     [1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 4, 4, 5, 5, 5]),
    (lambda: D.range(1, 6).interleave(lambda x: D.from_tensors(x).repeat(6 - x),
                                      cycle_length=3, block_length=1),
     [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 1, 4, 5, 4]),
    (lambda: D.range(1, 4).interleave(lambda x: D.range(x * 10, x * 10 + 3), cycle_length=1),
     [10, 11, 12, 20, 21, 22, 30, 31, 32]),
    (lambda: D.range(0, 4).interleave(lambda x: D.range(x).map(lambda y: y + x * 10),
                                      cycle_length=2, block_length=3),
     [10, 20, 21, 30, 31, 32]),
], ids=["blocks", "refill", "one-at-a-time", "empty-inner"])
def test_interleave_order(make, want, elements):
    assert _plain(elements(make())) == want


def test_interleave_defaults_and_fed_lengths(elements):
    files = D.range(3).interleave(lambda x: D.from_tensors(x).repeat(2))
    cycle = min(os.cpu_count() or 1, 3)
    assert sorted(_plain(elements(files))) == [0, 0, 1, 1, 2, 2]
    if cycle >= 3:  # all three open at once, one element from each in turn
        assert _plain(elements(files)) == [0, 1, 2, 0, 1, 2]
    cycle_length = tf.placeholder(tf.int64, [])
    it = tf.data.make_initializable_iterator(D.range(1, 3).interleave(
        lambda x: D.from_tensors(x).repeat(2), cycle_length=cycle_length))
    nxt = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer, {cycle_length: 1})
        assert [sess.run(nxt) for _ in range(4)] == [1, 1, 2, 2]
        with pytest.raises(tf.errors.InvalidArgumentError, match="cycle_length must be greater"):
            sess.run(it.initializer, {cycle_length: 0})


@pytest.mark.parametrize("make, want", [
    (lambda: D.range(7).window(3).flat_map(lambda w: w.batch(3)), [[0, 1, 2], [3, 4, 5], [6]]),
    (lambda: D.range(7).window(3, shift=2, drop_remainder=True).flat_map(lambda w: w.batch(3)),
     [[0, 1, 2], [2, 3, 4], [4, 5, 6]]),
    (lambda: D.range(10).window(3, shift=1, stride=3).flat_map(lambda w: w.batch(3)),
     [[0, 3, 6], [1, 4, 7], [2, 5, 8], [3, 6, 9], [4, 7], [5, 8], [6, 9], [7], [8], [9]]),
    (lambda: D.range(5).window(2, 3).flat_map(lambda w: w), [0, 1, 3, 4]),
    (lambda: D.from_tensor_slices({"a": [1, 2, 3]}).window(2).flat_map(
        lambda d: d["a"].batch(2)), [[1, 2], [3]]),
    (lambda: D.range(6).window(4, 2).interleave(lambda w: w.batch(2), cycle_length=2),
     [[0, 1], [2, 3], [2, 3], [4, 5], [4, 5]]),
], ids=["tumbling", "sliding", "strided", "gaps", "dict", "interleaved"])
def test_window_contents(make, want, elements):
    assert _plain(elements(make())) == want


def test_window_of_tuples_and_its_specs(elements):
    ds = D.from_tensor_slices(([1, 2, 3, 4], np.float32([5, 6, 7, 8]))).window(2)
    a_spec, b_spec = ds.output_types
    assert repr(a_spec) == ("DatasetSpec(TensorSpec(shape=(), dtype=graphflow.int32, "
                            "name=None), TensorShape([]))")
    assert ds.output_shapes == ds.output_types == ds.output_classes
    zipped = ds.flat_map(lambda a, b: D.zip((a.batch(2), b.batch(2))))
    assert zipped.output_shapes == (tf.TensorShape([None]), tf.TensorShape([None]))
    assert [(a.tolist(), b.tolist()) for a, b in elements(zipped)] == [
        ([1, 2], [5.0, 6.0]), ([3, 4], [7.0, 8.0])]


def test_windows_must_become_tensors_before_they_are_used_as_such():
    windows = D.range(7).window(3)
    for use, name in ((lambda: tf.data.make_one_shot_iterator(windows), "make_one_shot_iterator"),
                      (lambda: windows.batch(2), "Dataset.batch"),
                      (lambda: windows.map(lambda w: w), "Dataset.map"),
                      (lambda: windows.window(2), "Dataset.window")):
        with pytest.raises(TypeError, match=f"{name} called at .*datasets"):
            use()
    for bad in ({"size": 0}, {"size": 2, "shift": 0}, {"size": 2, "stride": 0}):
        with pytest.raises(tf.errors.InvalidArgumentError, match="must be greater than zero"):
            D.range(3).window(**bad)


def test_a_window_of_elements_of_different_shapes_is_refused(elements):
    ragged = D.range(1, 4).map(lambda n: tf.range(n)).window(2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="different shapes in component 0"):
        elements(ragged.flat_map(lambda w: w))
