"""Dtypes under TF1's names: `tf.float32`, `"float"`, NumPy dtypes and Python types."""

import numpy as np
import pytest

import graphflow as tf


@pytest.mark.parametrize(
    "name, expected",
    [("float", tf.float32), ("float32", tf.float32), ("double", tf.float64),
     ("float64", tf.float64), ("half", tf.float16), ("int32", tf.int32), ("int64", tf.int64),
     ("bool", tf.bool), ("string", tf.string), ("uint8", tf.uint8)],
)
def test_as_dtype_names(name, expected):
    assert tf.as_dtype(name) is expected


@pytest.mark.parametrize(
    "value, expected",
    [(np.float32, tf.float32), (np.dtype("float64"), tf.float64), (np.int64, tf.int64),
     (float, tf.float32), (int, tf.int32), (bool, tf.bool), (str, tf.string),
     (tf.int16, tf.int16)],
)
def test_as_dtype_numpy_and_python_types(value, expected):
    assert tf.as_dtype(value) is expected


def test_unknown_dtype_name_raises():
    with pytest.raises(TypeError, match="Unknown dtype name 'floaty'"):
        tf.as_dtype("floaty")


def test_dtype_names_and_properties():
    assert tf.float32.name == "float32"
    assert str(tf.float32) == "float32"
    assert repr(tf.float32) == "graphflow.float32"
    assert tf.float32.as_numpy_dtype is np.float32
    assert tf.float32.is_floating and not tf.float32.is_integer
    assert tf.int32.is_integer and tf.int32.is_numeric
    assert tf.bool.is_bool and not tf.bool.is_numeric
    assert tf.string.is_string


def test_placeholder_accepts_float_as_dtype():
    x = tf.placeholder("float", [None, 784])
    assert x.dtype is tf.float32


def test_python_values_get_tf1_dtypes():
    assert tf.constant(1).dtype is tf.int32
    assert tf.constant(1.0).dtype is tf.float32
    assert tf.constant([[1, 2], [3, 4]]).dtype is tf.int32
    assert tf.constant(True).dtype is tf.bool
    assert tf.constant(2**40).dtype is tf.int64
    assert tf.constant(np.float64(1.0)).dtype is tf.float64  # NumPy values keep their dtype
    assert tf.constant(np.arange(3, dtype=np.int64)).dtype is tf.int64
    assert tf.constant("Hello World!").dtype is tf.string


def test_constant_with_dtype():
    with tf.Session() as sess:
        value = sess.run(tf.constant([1, 2], dtype=tf.float64))
    assert value.dtype == np.float64
    np.testing.assert_array_equal(value, [1.0, 2.0])


def test_python_scalar_takes_the_tensor_dtype():
    f = tf.placeholder(tf.float32)
    i = tf.placeholder(tf.int32)
    assert (f * 2).dtype is tf.float32
    assert (2 * f).dtype is tf.float32
    assert (i * 2).dtype is tf.int32
    with pytest.raises(TypeError):
        i * 2.5


def test_true_division_of_ints():
    a, b = tf.constant(10), tf.constant(4)
    assert (a / b).dtype is tf.float64
    assert (a // b).dtype is tf.int32
    small = tf.constant(np.int16(10))
    assert (small / small).dtype is tf.float32
    with tf.Session() as sess:
        assert sess.run(a / b) == 2.5
        assert sess.run(a // b) == 2


def test_cast_accepts_float_and_bool_to_float():
    correct = tf.constant([True, False, True, True])
    acc = tf.cast(correct, "float")
    assert acc.dtype is tf.float32
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(acc), [1.0, 0.0, 1.0, 1.0])
