"""tf.losses give TF1's numbers (recorded from TF 1.x's tf.compat.v1.losses in graph mode) for
every reduction and weights of every shape: huber, log, hinge, squared and absolute error, cosine
distance and the mean pairwise squared error; TF1's dtype, names and errors."""

import numpy as np
import pytest

import graphflow as tf

R = tf.losses.Reduction
L = [[1., 2, 3], [4, 5, 6]]
P = [[1.5, 1, 3.5], [2, 5.2, 9]]
B = [[0., 1, 1], [1, 0, 0]]
Z = [[-0.5, 0.3, 2.0], [1.5, -1.0, 0.2]]
PR = [[0.1, 0.8, 0.6], [0.7, 0.3, 0.05]]
U = [[0.6, 0.8, 0.0], [0.0, 1.0, 0.0]]
V = [[0.8, 0.6, 0.0], [0.0, 0.6, 0.8]]
WEIGHTS = {"one": 1.0, "zero": 0.0, "col": [[2.0], [0.0]], "full": [[1, 0, 2], [0.5, 0, 1]]}
COSINE_WEIGHTS = {"one": 1.0, "zero": 0.0, "col": [[1.0], [2.0]]}
PAIRWISE_WEIGHTS = {"one": 1.0, "col": [[2.0], [0.5]], "full": [[1, 0, 2], [0.5, 0, 1]],
                    "zero": 0.0, "row0": [[1.0], [0.0]]}
LOSSES = {
    "huber": lambda w, r: tf.losses.huber_loss(L, P, weights=w, delta=1.5, reduction=r),
    "log": lambda w, r: tf.losses.log_loss(B, PR, weights=w, reduction=r),
    "hinge": lambda w, r: tf.losses.hinge_loss(B, Z, weights=w, reduction=r),
    "mse": lambda w, r: tf.losses.mean_squared_error(L, P, weights=w, reduction=r),
    "absdiff": lambda w, r: tf.losses.absolute_difference(L, P, weights=w, reduction=r),
    "cosine": lambda w, r: tf.losses.cosine_distance(U, V, axis=1, weights=w, reduction=r),
}

TF1 = {  # loss/weights/reduction -> TF1's value
    "huber/one/SUM_BY_NONZERO_WEIGHTS": 1.0033333,
    "huber/zero/SUM_BY_NONZERO_WEIGHTS": 0,
    "huber/col/NONE": [[0.25, 1, 0.25], [0, 0, 0]],
    "huber/col/SUM": 1.5,
    "huber/col/MEAN": 0.25,
    "huber/col/SUM_OVER_BATCH_SIZE": 0.25,
    "huber/col/SUM_BY_NONZERO_WEIGHTS": 0.5,
    "huber/full/NONE": [[0.125, 0, 0.25], [0.9375, 0, 3.375]],
    "huber/full/SUM": 4.6875,
    "huber/full/MEAN": 1.0416666,
    "huber/full/SUM_OVER_BATCH_SIZE": 0.78125,
    "huber/full/SUM_BY_NONZERO_WEIGHTS": 1.171875,
    "log/one/SUM_BY_NONZERO_WEIGHTS": 0.26732865,
    "log/zero/SUM_BY_NONZERO_WEIGHTS": 0,
    "log/col/NONE": [[0.21072082, 0.44628677, 1.0216508], [0, 0, 0]],
    "log/col/SUM": 1.6786584,
    "log/col/MEAN": 0.27977639,
    "log/col/SUM_OVER_BATCH_SIZE": 0.27977639,
    "log/col/SUM_BY_NONZERO_WEIGHTS": 0.55955279,
    "log/full/NONE": [[0.10536041, 0, 1.0216508], [0.1783374, 0, 0.051293183]],
    "log/full/SUM": 1.3566418,
    "log/full/MEAN": 0.30147594,
    "log/full/SUM_OVER_BATCH_SIZE": 0.22610696,
    "log/full/SUM_BY_NONZERO_WEIGHTS": 0.33916044,
    "hinge/one/SUM_BY_NONZERO_WEIGHTS": 0.40000001,
    "hinge/zero/SUM_BY_NONZERO_WEIGHTS": 0,
    "hinge/col/NONE": [[1, 1.4, 0], [0, 0, 0]],
    "hinge/col/SUM": 2.4000001,
    "hinge/col/MEAN": 0.40000001,
    "hinge/col/SUM_OVER_BATCH_SIZE": 0.40000001,
    "hinge/col/SUM_BY_NONZERO_WEIGHTS": 0.80000001,
    "hinge/full/NONE": [[0.5, 0, 0], [0, 0, 1.2]],
    "hinge/full/SUM": 1.7,
    "hinge/full/MEAN": 0.37777779,
    "hinge/full/SUM_OVER_BATCH_SIZE": 0.28333333,
    "hinge/full/SUM_BY_NONZERO_WEIGHTS": 0.42500001,
    "mse/one/SUM_BY_NONZERO_WEIGHTS": 2.4233334,
    "mse/zero/SUM_BY_NONZERO_WEIGHTS": 0,
    "mse/col/NONE": [[0.5, 2, 0.5], [0, 0, 0]],
    "mse/col/SUM": 3,
    "mse/col/MEAN": 0.5,
    "mse/col/SUM_OVER_BATCH_SIZE": 0.5,
    "mse/col/SUM_BY_NONZERO_WEIGHTS": 1,
    "mse/full/NONE": [[0.25, 0, 0.5], [2, 0, 9]],
    "mse/full/SUM": 11.75,
    "mse/full/MEAN": 2.6111112,
    "mse/full/SUM_OVER_BATCH_SIZE": 1.9583334,
    "mse/full/SUM_BY_NONZERO_WEIGHTS": 2.9375,
    "absdiff/one/SUM_BY_NONZERO_WEIGHTS": 1.1999999,
    "absdiff/zero/SUM_BY_NONZERO_WEIGHTS": 0,
    "absdiff/col/NONE": [[1, 2, 1], [0, 0, 0]],
    "absdiff/col/SUM": 4,
    "absdiff/col/MEAN": 0.66666669,
    "absdiff/col/SUM_OVER_BATCH_SIZE": 0.66666669,
    "absdiff/col/SUM_BY_NONZERO_WEIGHTS": 1.3333334,
    "absdiff/full/NONE": [[0.5, 0, 1], [1, 0, 3]],
    "absdiff/full/SUM": 5.5,
    "absdiff/full/MEAN": 1.2222222,
    "absdiff/full/SUM_OVER_BATCH_SIZE": 0.91666669,
    "absdiff/full/SUM_BY_NONZERO_WEIGHTS": 1.375,
    "cosine/one/NONE": [[0.039999962], [0.39999998]],
    "cosine/one/SUM": 0.43999994,
    "cosine/one/MEAN": 0.21999997,
    "cosine/one/SUM_OVER_BATCH_SIZE": 0.21999997,
    "cosine/one/SUM_BY_NONZERO_WEIGHTS": 0.21999997,
    "cosine/col/NONE": [[0.039999962], [0.79999995]],
    "cosine/col/SUM": 0.83999991,
    "cosine/col/MEAN": 0.27999997,
    "cosine/col/SUM_OVER_BATCH_SIZE": 0.41999996,
    "cosine/col/SUM_BY_NONZERO_WEIGHTS": 0.41999996,
    "cosine/zero/NONE": [[0], [0]],
    "cosine/zero/SUM": 0,
    "cosine/zero/MEAN": 0,
    "cosine/zero/SUM_OVER_BATCH_SIZE": 0,
    "cosine/zero/SUM_BY_NONZERO_WEIGHTS": 0,
    "mpse/one": 14.06,
    "mpse/col": 9.2800007,
    "mpse/full": 45.959999,
    "mpse/zero": 0,
    "mpse/row0": 1.5,
    "mpse/3d": 4,
}


def _value(t):
    with tf.Session() as sess:
        return sess.run(t)


@pytest.mark.parametrize("key", sorted(k for k in TF1 if not k.startswith("mpse")))
def test_weighted_losses_match_tf1(key):
    name, weights, reduction = key.split("/")
    table = COSINE_WEIGHTS if name == "cosine" else WEIGHTS
    w = table[weights]
    w = w if isinstance(w, float) else tf.constant(w, tf.float32)
    got = _value(LOSSES[name](w, getattr(R, reduction)))
    np.testing.assert_allclose(got, TF1[key], rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("key", sorted(k for k in TF1 if k.startswith("mpse/")
                                       and k != "mpse/3d"))
def test_mean_pairwise_squared_error_matches_tf1(key):
    w = PAIRWISE_WEIGHTS[key.split("/")[1]]
    got = _value(tf.losses.mean_pairwise_squared_error(L, P, weights=w))
    np.testing.assert_allclose(got, TF1[key], rtol=1e-6, atol=1e-7)


def test_mean_pairwise_squared_error_sums_over_every_inner_axis():
    got = _value(tf.losses.mean_pairwise_squared_error([[[1., 2], [3, 4]]], [[[2., 2], [1, 5]]]))
    assert got == pytest.approx(TF1["mpse/3d"], rel=1e-6)


def test_losses_are_float32_whatever_the_inputs_and_named_as_tf1():
    huber = tf.losses.huber_loss(np.array(L), np.array(P))
    hinge = tf.losses.hinge_loss(np.array(B), np.array(Z))
    assert huber.dtype == tf.float32 and hinge.dtype == tf.float32
    assert huber.name == "huber_loss/value:0" and hinge.name == "hinge_loss/value:0"
    assert tf.losses.get_losses() == [huber, hinge]
    assert tf.losses.cosine_distance(U, V, dim=1).name == "cosine_distance_loss/value:0"


def test_cross_entropy_keeps_the_logits_dtype():
    loss = tf.losses.sigmoid_cross_entropy(np.array(B), np.array(Z))
    assert loss.dtype == tf.float64


def test_the_default_loss_trains_through_the_float32_cast():
    w = tf.Variable(np.zeros(3), name="w")
    loss = tf.losses.mean_squared_error(np.ones(3), w)
    step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        np.testing.assert_allclose(sess.run(w), [1 / 3] * 3, rtol=1e-6)


@pytest.mark.parametrize("build, message", [
    (lambda: tf.losses.cosine_distance(U, V), "You must specify argument `axis`."),
    (lambda: tf.losses.cosine_distance(U, V, axis=1, dim=1), "Cannot specify both"),
    (lambda: tf.losses.hinge_loss([[0., 1]], [[1., 2, 3]]),
     r"Shapes \(1, 3\) and \(1, 2\) are incompatible"),
    (lambda: tf.losses.huber_loss(L, P, weights=[1., 2.]),
     r"weights can not be broadcast to values\. values\.rank=2\. weights\.rank=1\. "
     r"values\.shape=\(2, 3\)\. weights\.shape=\(2,\)\."),
    (lambda: tf.losses.huber_loss(L, P, weights=[[1., 2.]]),
     r"weights can not be broadcast to values\. Mismatch at dim 1\. values\.shape=\[2 3\], "
     r"weights\.shape=\[1 2\]\."),
    (lambda: tf.losses.mean_pairwise_squared_error(L, P, weights=[1., 2.]),
     r"weights can not be broadcast to values\. values\.rank=2\. weights\.rank=1\."),
    (lambda: tf.losses.huber_loss(L, P, reduction="x"),
     r"Invalid Reduction Key x\. Key should be one of \('none', 'weighted_sum'"),
    (lambda: tf.losses.hinge_loss(None, Z), r"Argument `labels` must not be None\."),
])
def test_argument_errors_are_tf1s_and_name_the_users_line(build, message):
    with pytest.raises(ValueError, match=message) as e:
        build()
    assert "test_losses_more.py" in str(e.value)
