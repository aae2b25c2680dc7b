"""TF1's division functions: what they compute and how they name their ops.

Recorded from TensorFlow 2.21's `tf.compat.v1` in graph mode (2026-12-02): `tf.div` keeps
Python 2's rule (integers floor-divide: a TF1 script computing `tf.div(7, 2)` gets 3, where
true division would silently give 3.5), `tf.divide` / `tf.truediv` divide truly (int32 gives
float64), and the functions name their ops `div`, `truediv` and `floordiv`.
"""

import numpy as np
import pytest

import graphflow as tf

INTS = ([7, -7, 7, -7], [2, 2, -2, -2])

# function -> (op type, op name, result dtype, result), from TF 2.21 compat.v1
RECORDED = {
    "div": ("FloorDiv", "div", "int32", [3, -4, -4, 3]),
    "divide": ("RealDiv", "truediv", "float64", [3.5, -3.5, -3.5, 3.5]),
    "truediv": ("RealDiv", "truediv", "float64", [3.5, -3.5, -3.5, 3.5]),
    "floordiv": ("FloorDiv", "floordiv", "int32", [3, -4, -4, 3]),
    "floor_div": ("FloorDiv", "FloorDiv", "int32", [3, -4, -4, 3]),
    "mod": ("FloorMod", "FloorMod", "int32", [1, 1, -1, -1]),
}


@pytest.mark.parametrize("fn", sorted(RECORDED))
def test_integer_division_as_tf1(fn):
    op_type, op_name, dtype, expected = RECORDED[fn]
    with tf.Graph().as_default():
        a = tf.constant(INTS[0], dtype=tf.int32)
        b = tf.constant(INTS[1], dtype=tf.int32)
        out = getattr(tf, fn)(a, b)
        with tf.Session() as sess:
            got = sess.run(out)
    assert (out.op.type, out.op.name) == (op_type, op_name)
    assert got.dtype == np.dtype(dtype)
    assert got.tolist() == expected


def test_div_of_floats_divides_truly():
    with tf.Graph().as_default():
        out = tf.div(tf.constant([7.0, -7.0]), tf.constant([2.0, 2.0]))
        with tf.Session() as sess:
            assert sess.run(out).tolist() == [3.5, -3.5]
    assert (out.op.type, out.op.name, out.dtype) == ("RealDiv", "div", tf.float32)


def test_python_operands_are_named_inside_the_scope():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.int32, [2])
        out = tf.div(p, 2)
        cast = tf.truediv(p, 2)
        with tf.Session() as sess:
            assert sess.run(out, {p: [5, -5]}).tolist() == [2, -3]
    assert [t.op.name for t in out.op.inputs] == ["Placeholder", "div/y"]
    assert [t.op.name for t in cast.op.inputs] == ["truediv/Cast", "truediv/Cast_1"]


def test_div_by_integer_zero_raises_naming_the_op():
    with tf.Graph().as_default():
        out = tf.div(tf.constant([1, 2]), tf.constant([1, 0]))
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="div"):
            sess.run(out)
