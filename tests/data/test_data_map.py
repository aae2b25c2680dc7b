"""map / filter / flat_map: functions traced into their own graph, against TF1's results."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import GraphError

D = tf.data.Dataset


def test_map_runs_the_traced_function_per_element(elements):
    assert elements(D.range(3).map(lambda x: x * 2)) == [0, 2, 4]


def test_map_gives_a_tuples_components_as_arguments(elements):
    ds = D.from_tensor_slices((np.zeros((3, 2)), np.arange(3)))
    assert ds.map(lambda a, b: a).output_shapes == tf.TensorShape([2])
    assert [int(b) for b in elements(ds.map(lambda a, b: b * 10))] == [0, 10, 20]
    d = D.from_tensor_slices({"a": np.zeros((3, 2)), "b": np.arange(3)})
    assert d.map(lambda e: e["a"]).output_shapes == tf.TensorShape([2])


def test_map_returning_a_list_gives_a_tuple(elements):
    m = D.range(3).map(lambda x: [x, x * 10])
    assert m.output_types == (tf.int64, tf.int64)
    assert [tuple(map(int, e)) for e in elements(m)] == [(0, 0), (1, 10), (2, 20)]


def test_map_returning_a_dict(elements):
    m = D.range(3).map(lambda x: {"y": x, "z": tf.cast(x, tf.float32)})
    assert m.output_types == {"y": tf.int64, "z": tf.float32}
    assert [float(e["z"]) for e in elements(m)] == [0.0, 1.0, 2.0]


def test_static_shapes_come_from_the_traced_graph():
    rows = D.from_tensor_slices(np.zeros((4, 3)))
    assert rows.map(lambda v: tf.reshape(v, [3, 1])).output_shapes == tf.TensorShape([3, 1])
    assert rows.batch(2).map(lambda v: tf.reduce_sum(v, 1)).output_shapes == \
        tf.TensorShape([None])


def test_map_after_batch_runs_per_batch(elements):
    images = np.arange(24, dtype=np.uint8).reshape(6, 4)
    labels = np.array([0, 1, 2, 0, 1, 2])
    ds = D.from_tensor_slices((images, labels)).batch(4).map(
        lambda x, y: (tf.cast(x, tf.float32) / 255.0, tf.one_hot(y, 3)))
    assert ds.output_shapes == (tf.TensorShape([None, 4]), tf.TensorShape([None, 3]))
    (x0, y0), (x1, y1) = elements(ds)
    np.testing.assert_allclose(x0, images[:4] / np.float32(255.0), rtol=1e-6)
    np.testing.assert_array_equal(y1, np.eye(3, dtype=np.float32)[[1, 2]])
    assert x1.shape == (2, 4)


def test_map_captures_a_tensor_of_the_outer_graph(elements):
    offset = tf.constant(100, tf.int64)
    assert elements(D.range(3).map(lambda x: x + offset)) == [100, 101, 102]


def test_a_captured_placeholder_is_fed_at_initialisation():
    scale = tf.placeholder(tf.float32, [])
    it = tf.data.make_initializable_iterator(
        D.from_tensor_slices(np.float32([1, 2])).map(lambda x: x * scale))
    nxt = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer, {scale: 3.0})
        assert [float(sess.run(nxt)) for _ in range(2)] == [3.0, 6.0]
        sess.run(it.initializer, {scale: -1.0})
        assert float(sess.run(nxt)) == -1.0


def test_a_function_using_a_tensor_of_an_unrelated_graph_is_an_error():
    other = tf.Graph()
    with other.as_default():
        foreign = tf.constant(1, tf.int64)
    with pytest.raises(GraphError, match="Dataset.map called at .*: its function uses .*Const"):
        D.range(3).map(lambda x: x + foreign)


def test_map_with_a_random_op_draws_per_element(elements):
    got = elements(D.range(50).map(lambda x: tf.random_uniform([], seed=1)))
    assert len(set(float(v) for v in got)) == 50


def test_filter_keeps_elements_where_the_predicate_holds(elements):
    assert elements(D.range(10).filter(lambda x: tf.equal(x % 3, 0))) == [0, 3, 6, 9]
    with pytest.raises(ValueError, match="scalar boolean"):
        D.range(3).filter(lambda x: x)


def test_flat_map_chains_the_datasets_it_returns(elements):
    ds = D.range(5).flat_map(lambda x: D.range(x))
    assert elements(ds) == [0, 0, 1, 0, 1, 2, 0, 1, 2, 3]
    rows = D.from_tensor_slices(np.arange(6).reshape(3, 2)).flat_map(D.from_tensor_slices)
    assert elements(rows) == [0, 1, 2, 3, 4, 5]


def test_a_map_function_returning_none_is_an_error():
    with pytest.raises(TypeError, match="Dataset.map called at .*: the function returned None"):
        D.range(3).map(lambda x: None)
