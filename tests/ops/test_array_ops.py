"""Array ops as a TF1 user writes them: values against NumPy, unknown dims, errors, gradients."""

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import InvalidArgumentError, ShapeError
from graphflow.testing.gradient_check import check_gradients

A = np.arange(6, dtype=np.float32).reshape(2, 3)


def run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def grad_of(y, x, feed, weights=None):
    """d(sum(w * y))/dx evaluated with `feed`."""
    w = tf.constant(weights) if weights is not None else None
    loss = tf.reduce_sum(y * w if w is not None else y)
    (g,) = tf.gradients(loss, [x])
    return run(g, feed)


# --- reshape --------------------------------------------------------------------------------------
def test_reshape_values_and_minus_one():
    x = tf.constant(A)
    y = tf.reshape(x, [3, -1])
    assert y.shape.as_list() == [3, 2]
    np.testing.assert_array_equal(run(y), A.reshape(3, 2))
    assert y.op.type == "Reshape" and y.name == "Reshape:0"


def test_reshape_unknown_batch_keeps_question_mark():
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    y = tf.reshape(x, [-1, 784])
    assert str(y.shape) == "(?, 784)"
    v = np.ones((5, 28, 28, 1), np.float32)
    assert run(y, {x: v}).shape == (5, 784)


def test_reshape_with_runtime_shape_tensor():
    x = tf.placeholder(tf.float32, [None, 3])
    flat = tf.reshape(x, [-1])
    back = tf.reshape(flat, tf.shape(x))
    assert back.shape.as_list() == [None, 3]  # known dims flow through shape(x)
    packed = tf.reshape(x, [tf.shape(x)[0], -1])
    assert packed.shape.rank == 2  # TF1 too cannot tell the -1 here
    v = np.arange(12, dtype=np.float32).reshape(4, 3)
    out_back, out_packed = run([back, packed], {x: v})
    np.testing.assert_array_equal(out_back, v)
    np.testing.assert_array_equal(out_packed, v)


def test_reshape_static_error_names_op_and_shapes():
    x = tf.constant(A)
    with pytest.raises(ShapeError) as err:
        tf.reshape(x, [4])
    text = str(err.value)
    assert "Reshape" in text and "6 elements" in text and "[4]" in text and "[2,3]" in text
    with pytest.raises(ShapeError, match="only one dimension"):
        tf.reshape(x, [-1, -1])
    p = tf.placeholder(tf.float32, [None, 3])
    with pytest.raises(ShapeError, match="multiple of 3"):
        tf.reshape(p, [4])


def test_reshape_runtime_mismatch_raises():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.reshape(x, [-1, 2])
    with pytest.raises(InvalidArgumentError, match="Reshape"):
        run(y, {x: np.zeros((3, 3), np.float32)})


def test_reshape_gradient_with_unknown_batch():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.reshape(x, [-1])
    g = grad_of(y * y, x, {x: A})
    np.testing.assert_allclose(g, 2 * A)


def test_reshape_shape_arg_must_be_static_or_int_tensor():
    x = tf.constant(A)
    with pytest.raises(TypeError):
        tf.reshape(x, tf.constant([2.0, 3.0]))


# --- transpose, expand_dims, squeeze --------------------------------------------------------------
def test_transpose_default_reverses_and_perm():
    x = tf.constant(np.arange(24).reshape(2, 3, 4))
    assert tf.transpose(x).shape.as_list() == [4, 3, 2]
    y = tf.transpose(x, [1, 0, 2])
    np.testing.assert_array_equal(run(y), np.arange(24).reshape(2, 3, 4).transpose(1, 0, 2))
    with pytest.raises(ShapeError, match="Transpose.*rank 3"):
        tf.transpose(x, [1, 0])
    with pytest.raises(ShapeError, match="not a permutation"):
        tf.transpose(x, [0, 0, 1])


def test_transpose_unknown_dims_and_gradient():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.transpose(x)
    assert y.shape.as_list() == [3, None]
    w = np.arange(6, dtype=np.float32).reshape(3, 2)
    np.testing.assert_allclose(grad_of(y, x, {x: A}, w), w.T)


def test_expand_dims_and_squeeze_negative_axes():
    x = tf.placeholder(tf.float32, [None, 3])
    e = tf.expand_dims(x, -1)
    assert e.shape.as_list() == [None, 3, 1]
    s = tf.squeeze(e, axis=-1)
    assert s.shape.as_list() == [None, 3]
    assert tf.squeeze(tf.constant(np.zeros((1, 2, 1)))).shape.as_list() == [2]
    out = run(tf.squeeze(tf.expand_dims(x, 0), [0]), {x: A})
    np.testing.assert_array_equal(out, A)


def test_squeeze_non_one_dim_errors():
    x = tf.constant(np.zeros((1, 3)))
    with pytest.raises(ShapeError) as err:
        tf.squeeze(x, axis=1)
    assert "Squeeze" in str(err.value) and "expected a dimension of 1, got 3" in str(err.value)
    p = tf.placeholder(tf.float32, [None, 3])
    y = tf.squeeze(p, 0)
    assert y.shape.as_list() == [3]
    with pytest.raises(InvalidArgumentError, match="squeeze"):
        run(y, {p: A})
    assert tf.squeeze(p).shape.dims is None  # the unknown dim may be 1


# --- concat, stack, unstack, split ----------------------------------------------------------------
def test_concat_negative_axis_and_unknown_dims():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.concat([x, tf.ones([2, 2])], axis=-1)
    assert y.shape.as_list() == [2, 5]
    z = tf.concat([x, x], 0)
    assert z.shape.as_list() == [None, 3]
    out = run(y, {x: A})
    np.testing.assert_array_equal(out, np.concatenate([A, np.ones((2, 2))], -1))


def test_concat_mismatch_error():
    with pytest.raises(ShapeError) as err:
        tf.concat([tf.zeros([2, 3]), tf.zeros([3, 3])], axis=1)
    text = str(err.value)
    assert "ConcatV2" in text and "(2, 3)" in text and "(3, 3)" in text
    with pytest.raises(TypeError):
        tf.concat([tf.zeros([2]), tf.zeros([2], dtype=tf.int32)], 0)


def test_concat_gradient_with_unknown_sizes():
    a = tf.placeholder(tf.float32, [None, 3])
    b = tf.placeholder(tf.float32, [None, 3])
    y = tf.concat([a, b], 0)
    w = np.arange(15, dtype=np.float32).reshape(5, 3)
    loss = tf.reduce_sum(y * w)
    ga, gb = tf.gradients(loss, [a, b])
    va, vb = run([ga, gb], {a: A, b: np.ones((3, 3), np.float32)})
    np.testing.assert_array_equal(va, w[:2])
    np.testing.assert_array_equal(vb, w[2:])


def test_stack_unstack_roundtrip_and_auto_pack():
    a, b = tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])
    s = tf.stack([a, b], axis=1)
    np.testing.assert_array_equal(run(s), [[1, 3], [2, 4]])
    parts = tf.unstack(s, axis=1)
    assert len(parts) == 2 and parts[0].shape.as_list() == [2]
    np.testing.assert_array_equal(run(parts[1]), [3, 4])
    packed = tf.convert_to_tensor([a, b])  # TF1 auto-packing of a list of tensors
    np.testing.assert_array_equal(run(packed), [[1, 2], [3, 4]])


def test_unstack_needs_num_for_unknown_dim():
    x = tf.placeholder(tf.float32, [None, 3])
    with pytest.raises(ValueError, match="Cannot infer num"):
        tf.unstack(x)
    rows = tf.unstack(x, num=2)
    assert len(rows) == 2
    cols = tf.unstack(x, axis=-1)
    assert len(cols) == 3 and cols[0].shape.as_list() == [None]
    np.testing.assert_array_equal(run(cols[2], {x: A}), A[:, 2])


def test_unstack_gradient_when_only_some_outputs_are_used():
    x = tf.placeholder(tf.float32, [2, 3])
    rows = tf.unstack(x)
    g = grad_of(rows[1] * 3.0, x, {x: A})
    np.testing.assert_array_equal(g, [[0, 0, 0], [3, 3, 3]])


def test_split_equal_and_sizes():
    x = tf.constant(np.arange(12).reshape(2, 6))
    a, b, c = tf.split(x, 3, axis=1)
    assert a.shape.as_list() == [2, 2]
    np.testing.assert_array_equal(run(c), [[4, 5], [10, 11]])
    p, q = tf.split(x, [1, -1], axis=-1)
    assert q.shape.as_list() == [2, 5]
    np.testing.assert_array_equal(run(p), [[0], [6]])
    with pytest.raises(ShapeError, match="evenly divide"):
        tf.split(x, 4, axis=1)
    with pytest.raises(ShapeError, match="add up to 7"):
        tf.split(x, [3, 4], axis=1)


def test_split_unknown_dim_and_gradient():
    x = tf.placeholder(tf.float32, [None, 4])
    a, b = tf.split(x, 2, axis=0)
    assert a.shape.as_list() == [None, 4]
    v = np.arange(16, dtype=np.float32).reshape(4, 4)
    np.testing.assert_array_equal(run(b, {x: v}), v[2:])
    left, right = tf.split(x, [1, 3], axis=1)
    g = grad_of(right * 2.0, x, {x: v})
    np.testing.assert_array_equal(g, np.array([[0, 2, 2, 2]] * 4, np.float32))


# --- slice, tile, pad -----------------------------------------------------------------------------
def test_slice_size_minus_one_and_errors():
    x = tf.constant(np.arange(12).reshape(3, 4))
    y = tf.slice(x, [1, 1], [-1, 2])
    assert y.shape.as_list() == [2, 2]
    np.testing.assert_array_equal(run(y), np.arange(12).reshape(3, 4)[1:, 1:3])
    with pytest.raises(ShapeError) as err:
        tf.slice(x, [2, 0], [2, 1])
    assert "Slice" in str(err.value) and "(3, 4)" in str(err.value)


def test_slice_gradient_unknown_dims():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.slice(x, [0, 1], [-1, 1])
    assert y.shape.as_list() == [None, 1]
    g = grad_of(y, x, {x: A})
    np.testing.assert_array_equal(g, [[0, 1, 0], [0, 1, 0]])


def test_tile_values_and_gradient():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.tile(x, [2, 1])
    assert y.shape.as_list() == [None, 3]
    np.testing.assert_array_equal(run(y, {x: A}), np.tile(A, [2, 1]))
    np.testing.assert_allclose(grad_of(y, x, {x: A}), np.full_like(A, 2))
    assert check_gradients(lambda t: tf.tile(t, [2, 3]), [A.astype(np.float64)]) < 1e-7


@pytest.mark.parametrize("mode", ["CONSTANT", "REFLECT", "SYMMETRIC"])
def test_pad_modes_match_numpy(mode):
    v = np.arange(12, dtype=np.float64).reshape(3, 4)
    pads = [[1, 2], [2, 1]]
    y = tf.pad(tf.constant(v), pads, mode=mode)
    expected = np.pad(v, pads, mode={"CONSTANT": "constant", "REFLECT": "reflect",
                                     "SYMMETRIC": "symmetric"}[mode])
    np.testing.assert_array_equal(run(y), expected)
    assert check_gradients(lambda t: tf.pad(t, pads, mode=mode), [v]) < 1e-7


def test_pad_constant_values_and_errors():
    y = tf.pad(tf.constant([[1, 2]]), [[0, 0], [1, 1]], constant_values=9)
    np.testing.assert_array_equal(run(y), [[9, 1, 2, 9]])
    with pytest.raises(ShapeError, match="REFLECT"):
        tf.pad(tf.zeros([2, 2]), [[2, 0], [0, 0]], mode="REFLECT")
    with pytest.raises(ShapeError, match="rank"):
        tf.pad(tf.zeros([2, 2]), [[1, 1]])


def test_pad_gradient_unknown_dims():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.pad(x, [[1, 0], [0, 2]])
    assert y.shape.as_list() == [None, 5]
    np.testing.assert_array_equal(grad_of(y, x, {x: A}), np.ones_like(A))


# --- fill, zeros, ones, *_like, range, shape, size, rank ------------------------------------------
def test_zeros_ones_fill_static_and_runtime_shape():
    assert run(tf.zeros([2, 3])).dtype == np.float32
    np.testing.assert_array_equal(run(tf.ones([2], dtype=tf.int32)), [1, 1])
    np.testing.assert_array_equal(run(tf.fill([2, 2], 7)), [[7, 7], [7, 7]])
    x = tf.placeholder(tf.float32, [None, 3])
    z = tf.zeros(tf.shape(x))
    assert z.shape.as_list() == [None, 3]
    assert run(z, {x: A}).shape == (2, 3)
    o = tf.ones_like(x, dtype=tf.int64)
    assert o.dtype is tf.int64 and run(o, {x: A}).dtype == np.int64
    np.testing.assert_array_equal(run(tf.zeros_like(tf.constant([1, 2]))), [0, 0])


def test_fill_gradient_reaches_the_value():
    v = tf.placeholder(tf.float32, [])
    y = tf.fill([2, 3], v)
    assert float(grad_of(y, v, {v: 1.5})) == 6.0


def test_range_dtypes_follow_tf1():
    r = tf.range(5)
    assert r.dtype is tf.int32 and r.shape.as_list() == [5]
    np.testing.assert_array_equal(run(r), np.arange(5))
    f = tf.range(0, 1, 0.25)
    assert f.dtype is tf.float32
    np.testing.assert_allclose(run(f), [0, 0.25, 0.5, 0.75])
    np.testing.assert_array_equal(run(tf.range(5, 0, -2)), [5, 3, 1])
    assert tf.range(3, dtype=tf.float64).dtype is tf.float64
    assert run(tf.range(3, 3)).shape == (0,)
    n = tf.placeholder(tf.int32, [])
    d = tf.range(n)
    assert d.shape.as_list() == [None]
    np.testing.assert_array_equal(run(d, {n: 3}), [0, 1, 2])


def test_shape_size_rank():
    x = tf.placeholder(tf.float32, [None, 3])
    s, n, r = tf.shape(x), tf.size(x), tf.rank(x)
    assert s.dtype is tf.int32 and s.shape.as_list() == [2]
    assert n.shape.as_list() == [] and r.dtype is tf.int32
    vs, vn, vr = run([s, n, r], {x: np.zeros((4, 3), np.float32)})
    np.testing.assert_array_equal(vs, [4, 3])
    assert vn == 12 and vr == 2
    assert tf.shape(x, out_type=tf.int64).dtype is tf.int64


# --- gather, one_hot, where, broadcast_to ---------------------------------------------------------
def test_gather_axes_and_bad_index():
    params = np.arange(12, dtype=np.float32).reshape(3, 4)
    p = tf.constant(params)
    g0 = tf.gather(p, [2, 0])
    np.testing.assert_array_equal(run(g0), params[[2, 0]])
    g1 = tf.gather(p, [[1, 3]], axis=-1)
    assert g1.shape.as_list() == [3, 1, 2]
    np.testing.assert_array_equal(run(g1), params[:, [[1, 3]]])
    bad = tf.gather(p, [3])
    with pytest.raises(InvalidArgumentError, match=r"not in \[0, 3\)"):
        run(bad)


def test_gather_gradient_accumulates_repeats_with_unknown_batch():
    p = tf.placeholder(tf.float32, [None, 2])
    y = tf.gather(p, [0, 2, 0])
    g = grad_of(y, p, {p: np.zeros((3, 2), np.float32)})
    np.testing.assert_array_equal(g, [[2, 2], [0, 0], [1, 1]])
    params = np.random.default_rng(0).standard_normal((3, 4))
    idx = np.array([[1, 1], [0, 2]])
    assert check_gradients(lambda t, i: tf.gather(t, i, axis=1), [params, idx]) < 1e-7


def test_one_hot_axes_dtype_and_out_of_range():
    y = tf.one_hot([0, 2, -1, 5], 3)
    assert y.dtype is tf.float32 and y.shape.as_list() == [4, 3]
    np.testing.assert_array_equal(run(y), [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]])
    y0 = tf.one_hot([1, 0], 2, axis=0, on_value=5, off_value=-1, dtype=tf.int32)
    np.testing.assert_array_equal(run(y0), [[-1, 5], [5, -1]])
    labels = tf.placeholder(tf.int32, (None,))
    oh = tf.one_hot(labels, 10)
    assert oh.shape.as_list() == [None, 10]
    with pytest.raises(TypeError):
        tf.one_hot(tf.constant([0.5]), 2)


def test_where_select_broadcasts_and_gradient():
    c = tf.constant([[True, False, True]])
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.where(c, x, tf.zeros([1, 3]) - 1.0)
    np.testing.assert_array_equal(run(y, {x: A}), np.where([[1, 0, 1]], A, -1))
    np.testing.assert_array_equal(grad_of(y, x, {x: A}), [[1, 0, 1], [1, 0, 1]])


def test_where_tf1_row_select_with_vector_condition():
    x = tf.constant(A)
    y = tf.where(tf.constant([False, True]), x, -x)
    np.testing.assert_array_equal(run(y), [-A[0], A[1]])


def test_where_coordinates():
    c = tf.placeholder(tf.bool, [None, 2])
    idx = tf.where(c)
    assert idx.dtype is tf.int64 and idx.shape.as_list() == [None, 2]
    np.testing.assert_array_equal(run(idx, {c: [[True, False], [True, True]]}),
                                  [[0, 0], [1, 0], [1, 1]])
    with pytest.raises(ValueError):
        tf.where(c, x=tf.zeros([2]))


def test_broadcast_to_and_gradient():
    x = tf.placeholder(tf.float32, [3, 1])
    y = tf.broadcast_to(x, [2, 3, 4])
    v = np.arange(3, dtype=np.float32).reshape(3, 1)
    np.testing.assert_array_equal(run(y, {x: v}), np.broadcast_to(v, (2, 3, 4)))
    np.testing.assert_array_equal(grad_of(y, x, {x: v}), np.full((3, 1), 8))
    with pytest.raises(ShapeError, match="BroadcastTo"):
        tf.broadcast_to(x, [2, 4])


def test_static_arguments_accept_constants_but_not_runtime_tensors():
    x = tf.constant(A)
    assert tf.transpose(x, tf.constant([1, 0])).shape.as_list() == [3, 2]
    axis = tf.placeholder(tf.int32, [])
    with pytest.raises(TypeError, match="known while building"):
        tf.concat([x, x], axis)
