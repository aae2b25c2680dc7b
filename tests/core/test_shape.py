"""Static shapes: `(?, 784)`, partial dimensions, compatibility, merging and broadcasting."""

import pytest

import graphflow as tf
from graphflow.core.shape import broadcast_shapes


def test_placeholder_shape_prints_like_tf1():
    x = tf.placeholder(tf.float32, [None, 784])
    assert str(x.shape) == "(?, 784)"
    assert str(x.get_shape()) == "(?, 784)"
    assert x.get_shape().as_list() == [None, 784]
    assert x.shape[0] is None and x.shape[1] == 784
    assert x.shape.rank == 2 and x.shape.ndims == 2


def test_shape_strings():
    assert str(tf.TensorShape([])) == "()"
    assert str(tf.TensorShape([3])) == "(3,)"
    assert str(tf.TensorShape([2, 3])) == "(2, 3)"
    assert str(tf.TensorShape(None)) == "<unknown>"
    assert str(tf.placeholder(tf.float32).shape) == "<unknown>"


def test_as_list_of_unknown_rank_raises():
    with pytest.raises(ValueError, match=r"^as_list\(\) is not defined on an unknown "
                                         r"TensorShape\.$"):  # TF1's words
        tf.TensorShape(None).as_list()


def test_shape_accepts_minus_one_and_tuples():
    assert tf.TensorShape((None, -1, 3)).as_list() == [None, None, 3]
    x = tf.placeholder(tf.float32, shape=(2, 3))
    assert x.shape.as_list() == [2, 3]
    assert x.shape.is_fully_defined() and x.shape.num_elements() == 6


def test_is_compatible_with():
    s = tf.TensorShape([None, 784])
    assert s.is_compatible_with([32, 784])
    assert s.is_compatible_with([None, None])
    assert s.is_compatible_with(tf.TensorShape(None))
    assert not s.is_compatible_with([32, 10])
    assert not s.is_compatible_with([784])


def test_merge_with():
    assert tf.TensorShape([None, 784]).merge_with([32, None]).as_list() == [32, 784]
    assert tf.TensorShape(None).merge_with([1, 2]).as_list() == [1, 2]
    with pytest.raises(ValueError, match="not compatible"):
        tf.TensorShape([None, 784]).merge_with([32, 10])


def test_set_shape_refines_and_rejects_contradictions():
    x = tf.placeholder(tf.float32, [None, 3])
    x.set_shape([8, None])
    assert x.shape.as_list() == [8, 3]
    with pytest.raises(ValueError, match="Cannot set the shape"):
        x.set_shape([8, 4])


@pytest.mark.parametrize(
    "a, b, expected",
    [([4, 3], [3], [4, 3]), ([2, 1], [1, 5], [2, 5]), ([], [2, 2], [2, 2]),
     ([None, 3], [3], [None, 3]), ([None, 3], [5, 1], [5, 3]), ([None], [1], [None]),
     ([None], [4], [4]), ([None, None], [None], [None, None])],
)
def test_broadcast_static_shapes(a, b, expected):
    assert broadcast_shapes(tf.TensorShape(a), tf.TensorShape(b)).as_list() == expected
    assert broadcast_shapes(tf.TensorShape(b), tf.TensorShape(a)).as_list() == expected


def test_broadcast_with_unknown_rank_is_unknown():
    assert broadcast_shapes(tf.TensorShape(None), tf.TensorShape([3])).rank is None


def test_broadcast_error_names_the_dimensions():
    with pytest.raises(ValueError, match="dimension -1 is 3 in one operand and 2 in the other"):
        broadcast_shapes(tf.TensorShape([3]), tf.TensorShape([2]))


def test_ops_infer_broadcast_shapes():
    x = tf.placeholder(tf.float32, [None, 3])
    y = x + tf.constant([1.0, 2.0, 3.0])
    assert str(y.shape) == "(?, 3)"
    col = tf.placeholder(tf.float32, [5, 1])
    assert (col * tf.placeholder(tf.float32, [1, 7])).shape.as_list() == [5, 7]
    with pytest.raises(ValueError, match=r"\(\?, 3\) and \(2,\)"):
        x + tf.constant([1.0, 2.0])
