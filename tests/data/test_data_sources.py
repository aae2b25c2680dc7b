"""Dataset sources against TF1's results (recorded from tensorflow's compat.v1 in graph mode)."""

import numpy as np
import pytest

import graphflow as tf

D = tf.data.Dataset


def test_from_tensor_slices_of_an_array_gives_its_rows(elements):
    ds = D.from_tensor_slices(np.arange(10).reshape(5, 2))
    assert ds.output_types is tf.int64
    assert ds.output_shapes == tf.TensorShape([2])
    assert ds.output_classes is tf.Tensor
    assert repr(ds.element_spec) == "TensorSpec(shape=(2,), dtype=graphflow.int64, name=None)"
    got = elements(ds)
    np.testing.assert_array_equal(np.stack(got), np.arange(10).reshape(5, 2))


def test_from_tensor_slices_takes_tf1_dtypes_for_python_values(elements):
    ds = D.from_tensor_slices([1, 2, 3])  # TF1: a list is one component, int32
    assert ds.output_types is tf.int32
    assert [int(v) for v in elements(ds)] == [1, 2, 3]
    assert D.from_tensor_slices([1.0, 2.0]).output_types is tf.float32
    assert D.from_tensor_slices(np.array([1.0, 2.0])).output_types is tf.float64


def test_from_tensor_slices_of_a_dict_and_a_tuple(elements):
    ds = D.from_tensor_slices({"b": np.arange(3), "a": np.ones((3, 2), np.float32)})
    assert ds.output_types == {"a": tf.float32, "b": tf.int64}
    assert list(ds.output_types) == ["b", "a"]  # TF1 keeps the order the keys were given in
    assert ds.output_shapes == {"a": tf.TensorShape([2]), "b": tf.TensorShape([])}
    got = elements(ds.batch(2))
    assert list(got[0]) == ["b", "a"]
    np.testing.assert_array_equal(got[0]["b"], [0, 1])
    np.testing.assert_array_equal(got[1]["a"], [[1.0, 1.0]])
    pairs = elements(D.from_tensor_slices((np.arange(3), np.arange(3) * 10.0)))
    assert [(int(a), float(b)) for a, b in pairs] == [(0, 0.0), (1, 10.0), (2, 20.0)]


def test_unequal_first_dimensions_raise_tf1s_message():
    with pytest.raises(ValueError, match="Dimensions 3 and 4 are not compatible"):
        D.from_tensor_slices((np.zeros(3), np.zeros(4)))


def test_slicing_a_scalar_is_an_error():
    with pytest.raises(ValueError, match="rank >= 1"):
        D.from_tensor_slices(np.float32(1))


def test_from_tensors_is_one_element(elements):
    ds = D.from_tensors(np.arange(3))
    assert ds.output_shapes == tf.TensorShape([3])
    got = elements(ds)
    assert len(got) == 1
    np.testing.assert_array_equal(got[0], [0, 1, 2])


def test_range_follows_pythons_range_in_int64(elements):
    assert D.range(5).output_types is tf.int64
    assert D.range(5).output_shapes == tf.TensorShape([])
    assert elements(D.range(5)) == [0, 1, 2, 3, 4]
    assert elements(D.range(2, 10, 3)) == [2, 5, 8]
    with pytest.raises(TypeError, match="Expected int64, but got 1.5 of type 'float'"):
        D.range(1.5)


def test_from_generator_checks_and_converts_what_it_yields(elements):
    def gen():
        for i in range(3):
            yield (i, [i] * 2)

    ds = D.from_generator(gen, (tf.int64, tf.float32), (tf.TensorShape([]), tf.TensorShape([2])))
    assert ds.output_types == (tf.int64, tf.float32)
    assert ds.output_shapes == (tf.TensorShape([]), tf.TensorShape([2]))
    got = elements(ds)
    assert [int(a) for a, _ in got] == [0, 1, 2]
    assert got[2][1].dtype == np.float32
    np.testing.assert_array_equal(got[2][1], [2.0, 2.0])
    unknown = D.from_generator(gen, (tf.int64, tf.float32))
    assert unknown.output_shapes == (tf.TensorShape(None), tf.TensorShape(None))


def test_from_generator_passes_its_args(elements):
    ds = D.from_generator(lambda k: iter(range(k)), tf.int64, args=(tf.constant(3),))
    assert elements(ds) == [0, 1, 2]


def test_a_generator_yielding_the_wrong_shape_fails_with_tf1s_message():
    ds = D.from_generator(lambda: iter([[1, 2], [3]]), tf.int32, tf.TensorShape([2]))
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(nxt), [1, 2])
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"yielded an element of shape \(1,\) where an element of shape "
                                 r"\(2,\) was expected"):
            sess.run(nxt)


def test_a_generator_yielding_the_wrong_type_is_an_error():
    ds = D.from_generator(lambda: iter(["a"]), tf.int32)
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="expected type was int32"):
            sess.run(nxt)


def test_text_lines_without_their_endings(elements, tmp_path):
    import gzip

    plain = tmp_path / "a.txt"
    plain.write_bytes(b"ab\r\ncd\n\nlast")
    packed = tmp_path / "b.txt.gz"
    packed.write_bytes(gzip.compress(b"x\ny\n"))
    ds = tf.data.TextLineDataset([str(plain)])
    assert ds.output_types is tf.string and ds.output_shapes == tf.TensorShape([])
    assert elements(ds) == [b"ab", b"cd", b"", b"last"]  # TF1's lines of this file
    assert elements(tf.data.TextLineDataset(str(packed), compression_type="GZIP")) == [b"x", b"y"]


def test_text_lines_of_fed_file_names(tmp_path):
    (tmp_path / "one.txt").write_text("1\n2\n")
    (tmp_path / "two.txt").write_text("3\n")
    names = tf.placeholder(tf.string, [None])
    it = tf.data.make_initializable_iterator(tf.data.TextLineDataset(names))
    nxt = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer, {names: [str(tmp_path / "one.txt"), str(tmp_path / "two.txt")]})
        assert [sess.run(nxt) for _ in range(3)] == [b"1", b"2", b"3"]
        sess.run(it.initializer, {names: [str(tmp_path / "two.txt")]})
        assert sess.run(nxt) == b"3"


def test_a_missing_text_file_is_not_found():
    nxt = tf.data.make_one_shot_iterator(tf.data.TextLineDataset("/nonexistent/x.txt")).get_next()
    with tf.Session() as sess, pytest.raises(tf.errors.NotFoundError,
                                             match="x.txt; No such file or directory"):
        sess.run(nxt)
    with pytest.raises(TypeError, match="must contain `tf.string` elements. Got `tf.int32`"):
        tf.data.TextLineDataset([1, 2])
