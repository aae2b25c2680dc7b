"""map_fn, scan, foldl, foldr: TF1's results (recorded from TF 2.x's compat.v1 graph mode)."""

import numpy as np
import pytest

import graphflow as tf

E = [1.0, 2.0, 3.0, 4.0]


def test_scan_and_folds_match_tf1(executor):
    e = tf.constant(E)
    fetches = {
        "scan_reverse": tf.scan(lambda a, b: a + b, e, reverse=True),
        "scan_init": tf.scan(lambda a, b: a * 2 + b, e, initializer=1.0),
        "scan_reverse_init": tf.scan(lambda a, b: a - b, e, reverse=True, initializer=0.0),
        "foldr": tf.foldr(lambda a, b: a - b, e),
        "foldl": tf.foldl(lambda a, b: a - b, e),
        "scan_tuple": tf.scan(lambda a, b: (a[0] + b, a[1] * b), e, initializer=(0.0, 1.0)),
    }
    expected = {  # TF1's values
        "scan_reverse": [10.0, 9.0, 7.0, 4.0], "scan_init": [3.0, 8.0, 19.0, 42.0],
        "scan_reverse_init": [-10.0, -9.0, -7.0, -4.0], "foldr": -2.0, "foldl": -8.0,
        "scan_tuple": ([1.0, 3.0, 6.0, 10.0], [1.0, 2.0, 6.0, 24.0]),
    }
    assert [t.shape.as_list() for t in fetches["scan_tuple"]] == [[4], [4]]
    with tf.Session(executor=executor) as sess:
        got = sess.run(fetches)
    for key, want in expected.items():
        np.testing.assert_allclose(np.asarray(got[key], dtype=np.float64), want, err_msg=key)


def test_map_fn_over_nested_elems(executor):
    e = tf.constant(E)
    x = tf.placeholder(tf.float32, [None, 2])
    product = tf.map_fn(lambda t: t[0] * t[1], (e, e * 2), dtype=tf.float32)  # TF1: 2 8 18 32
    rows = tf.map_fn(lambda r: {"sum": tf.reduce_sum(r), "neg": -r}, x,
                     dtype={"sum": tf.float32, "neg": tf.float32})
    assert product.shape.as_list() == [4]
    assert rows["sum"].shape.as_list() == [None] and rows["neg"].shape.as_list() == [None, 2]
    with tf.Session(executor=executor) as sess:
        np.testing.assert_allclose(sess.run(product), [2.0, 8.0, 18.0, 32.0])
        got = sess.run(rows, {x: [[1.0, 2.0], [3.0, 5.0], [0.5, 0.5]]})
        np.testing.assert_allclose(got["sum"], [3.0, 8.0, 1.0])
        np.testing.assert_allclose(got["neg"], [[-1, -2], [-3, -5], [-0.5, -0.5]])
        assert sess.run(rows, {x: np.zeros((0, 2))})["neg"].shape == (0, 2)


def test_map_fn_errors_like_tf1():
    e = tf.zeros([3, 2])
    with pytest.raises(ValueError, match="same nested structure"):
        tf.map_fn(lambda v: (v, v), e)
    with pytest.raises(ValueError, match="1\\+ dimensional"):
        tf.map_fn(lambda v: v, tf.constant(1.0))
    with pytest.raises(TypeError, match="callable"):
        tf.map_fn(1, e)


def test_a_body_that_samples_builds_a_new_value_each_iteration(executor):
    noise = tf.map_fn(lambda r: r + tf.random_uniform([3]), tf.zeros([4, 3]))
    with tf.Session(executor=executor) as sess:
        rows = sess.run(noise)
    assert len({tuple(r) for r in rows.round(6)}) == 4


def test_seeded_random_ops_in_bodies_repeat_across_sessions_and_differ_from_each_other():
    tf.set_random_seed(3)
    outside = tf.random_uniform([4])
    first = tf.map_fn(lambda r: r + tf.random_uniform([]), tf.zeros([4]))
    second = tf.map_fn(lambda r: r + tf.random_uniform([]), tf.zeros([4]))
    runs = []
    for _ in range(2):
        with tf.Session() as sess:
            runs.append(sess.run([outside, first, second]))
    for a, b in zip(*runs):
        np.testing.assert_array_equal(a, b)
    values = [tuple(np.round(v, 6)) for v in runs[0]]
    assert len(set(values)) == 3
