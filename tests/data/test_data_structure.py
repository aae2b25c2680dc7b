"""Element structures: tuples, dicts and namedtuples nest; lists are one component (TF1)."""

import collections

import numpy as np

import graphflow as tf

D = tf.data.Dataset
Point = collections.namedtuple("Point", ["x", "y"])


def test_element_spec_and_tensor_spec():
    spec = D.from_tensor_slices({"a": np.zeros((3, 2), np.float32)}).element_spec
    assert spec == {"a": tf.data.TensorSpec([2], tf.float32)}
    assert repr(spec["a"]) == "TensorSpec(shape=(2,), dtype=graphflow.float32, name=None)"


def test_namedtuples_nest(elements):
    ds = D.from_tensor_slices(Point(np.arange(2), np.arange(2) * 1.5))
    assert ds.output_types == Point(tf.int64, tf.float64)
    got = elements(ds)
    assert isinstance(got[1], Point) and float(got[1].y) == 1.5


def test_get_next_mirrors_the_structure():
    ds = D.from_tensor_slices(((np.arange(2), np.arange(2)), {"k": np.ones(2, np.float32)}))
    (a, b), d = tf.data.make_one_shot_iterator(ds).get_next()
    assert (a.dtype, b.dtype, d["k"].dtype) == (tf.int64, tf.int64, tf.float32)


def test_strings_and_bools(elements):
    words = elements(D.from_tensor_slices(["ab", "c"]))
    assert words == [b"ab", b"c"]
    assert D.from_tensor_slices(["ab"]).output_types is tf.string
    flags = D.from_tensor_slices(np.array([True, False]))
    assert flags.output_types is tf.bool and [bool(v) for v in elements(flags)] == [True, False]


def test_uint8_images_keep_their_dtype(elements):
    images = np.arange(8, dtype=np.uint8).reshape(2, 2, 2)
    got = elements(D.from_tensor_slices(images).batch(2))
    assert got[0].dtype == np.uint8
    np.testing.assert_array_equal(got[0], images)


def test_map_over_strings(elements):
    ds = D.from_tensor_slices(["ab", "c"]).map(lambda s: (s, tf.constant(1)))
    assert ds.output_types == (tf.string, tf.int32)
    assert [w for w, _ in elements(ds)] == [b"ab", b"c"]
