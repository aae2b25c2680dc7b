"""Special functions (atan2, expm1, erfc, lgamma, digamma, polygamma, zeta, log_sigmoid): values,
poles and gradients as TF1 gives them (numbers recorded from TF 2.21's tf.compat.v1 in graph
mode), on every executor; the fused cpu evaluator's libm opcodes; the NumPy series' accuracy."""

import math

import numpy as np
import pytest

import graphflow as tf
from graphflow._ext import fused as fused_ext
from graphflow.executors import executor_names
from graphflow.executors.cpu.kernels_fused import _OPCODES
from graphflow.ops import special_math
from graphflow.testing.gradient_check import check_gradients

EXECUTORS = executor_names(available_only=True)
X = np.array([-2.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.7, 10.0, 1e-3])
INF, NAN = np.inf, np.nan
# tf.math.<name>(X) in float64, from TF1.
TF1_VALUES = {
    "lgamma": [-0.0562437164976741, INF, 1.2655121234846454, INF, 0.5723649429247001, 0.0, 0.0,
               1.428072326665388, 12.80182748008147, 6.907178885383853],
    "digamma": [1.1031566406452433, NAN, 3.6489973978576451e-02, NAN, -1.9635100260214227,
                -5.7721566490153231e-01, 4.2278433509846747e-01, 1.1671535393615109,
                2.2517525890667214, -1.0005755719318104e+03],
    "erfc": [1.9995930479825550, 1.8427007929497148, 1.5204998778130467, 1.0,
             4.7950012218695337e-01, 1.5729920705028522e-01, 4.6777349810472662e-03,
             1.6715105790914596e-07, 2.0884875837625443e-45, 9.9887162120903072e-01],
    "expm1": [-9.1791500137610116e-01, -6.3212055882855767e-01, -3.9346934028736658e-01, 0.0,
              6.4872127070012819e-01, 1.7182818284590455, 6.3890560989306522,
              3.9447304360067399e+01, 2.2025465794806718e+04, 1.0005001667083417e-03],
    "log_sigmoid": [-2.5788897342925496, -1.3132616875182228, -9.7407698418010669e-01,
                    -6.9314718055994529e-01, -4.7407698418010669e-01, -3.1326168751822281e-01,
                    -1.2692801104297249e-01, -2.4422845933779157e-02, -4.5398899216864647e-05,
                    -6.9264730555994014e-01],
}
TRIGAMMA = [9.5392466449891238, INF, 8.9348022005446790, INF, 4.9348022005446799,
            1.6449340668482266, 6.4493406684822663e-01, 3.1003785767003833e-01,
            1.0516633568168576e-01, 1.0000016425331959e+06]  # polygamma(1, X)
# d/dx at [0.3, 1.7, 4.2, 9.0] in float64, from TF1's tf.gradients.
GRAD_AT = np.array([0.3, 1.7, 4.2, 9.0])
TF1_GRADIENTS = {
    "lgamma": [-3.502524222200133, 0.2085478748734935, 1.3113388912865993, 2.14064147795561],
    "digamma": [12.245364546107734, 0.7932328301639984, 0.2686649407314008, 0.1175120146940314],
    "erfc": [-1.0312609096189631, -6.2711040496868403e-02, -2.4632040986683433e-08,
             -7.4920734282459752e-36],
    "expm1": [1.3498588075760032, 5.4739473917271999, 6.6686331040925154e+01,
              8.1030839275753842e+03],
    "log_sigmoid": [4.2555748318834102e-01, 1.5446526508353470e-01, 1.4774031693273055e-02,
                    1.2339457598623172e-04],
}


def _run(fetch, feed=None, executor="cpu"):
    with tf.Session(executor=executor) as sess:
        return sess.run(fetch, feed)


@pytest.mark.parametrize("executor", EXECUTORS)
@pytest.mark.parametrize("name", sorted(TF1_VALUES))
def test_values_and_poles_match_tf1(name, executor):
    x = tf.placeholder(tf.float64, [None])
    got = _run(getattr(tf.math, name)(x), {x: X}, executor)
    np.testing.assert_allclose(got, TF1_VALUES[name], rtol=1e-12)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_polygamma_and_zeta_match_tf1(executor):
    fetches = [
        tf.math.polygamma(np.ones_like(X), X),
        tf.math.polygamma(np.float64([0., 2., 3., 1.]), np.float64([1.5, 0.5, 2., -1.5])),
        tf.math.polygamma(np.float64([0.5, -1., 1.]), np.float64([1.5, 2., -2.5])),  # a: NaN
        tf.math.zeta(np.float64([2., 3., 1., 0.5, 2., 2., 3.]),
                     np.float64([1., 2., 1., 1., -1.5, 0., -2.])),
    ]
    got = _run(fetches, executor=executor)
    np.testing.assert_allclose(got[0], TRIGAMMA, rtol=1e-12)
    np.testing.assert_allclose(got[1], [0.0364899739785765, -16.828796644234316,
                                        0.4939394022668293, 9.379246644989124], rtol=1e-12)
    np.testing.assert_allclose(got[2], [NAN, NAN, 9.5392466449891238], rtol=1e-12)
    np.testing.assert_allclose(got[3], [1.6449340668482266, 0.2020569031595943, INF, NAN,
                                        9.379246644989124, INF, NAN], rtol=1e-12)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_atan2_quadrants_and_signed_zeros_match_tf1(executor):
    y = np.array([1., -1., 0., 0., -0., 1.])
    x = np.array([0., 0., 1., -1., -1., -2.])
    got = _run(tf.atan2(y, x), executor=executor)
    np.testing.assert_allclose(got, [1.5707963267948966, -1.5707963267948966, 0.,
                                     3.141592653589793, -3.141592653589793, 2.677945044588987],
                               rtol=1e-15)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_float32_edges_match_tf1(executor):
    got = _run([tf.lgamma(np.float32([0.3, 1.7, 4.2, 9.0, -2.5])),
                tf.math.log_sigmoid(np.float32([-100., -20., 0., 20., 100.])),
                tf.erfc(np.float32([5., 9., 10., -10., 27.])),
                tf.math.expm1(np.float32([1e-7, -1e-7, 1e-3, 89.]))], executor=executor)
    assert all(g.dtype == np.float32 for g in got)
    np.testing.assert_allclose(got[0], [1.095798, -0.09580769, 2.0485554, 10.604603,
                                        -0.05624371], rtol=2e-6)
    # TF1 flushes subnormals to zero on the CPU: log_sigmoid(100) is -0 there, -3.8e-44 here
    np.testing.assert_allclose(got[1], [-100., -20., -0.69314718, -2.0611537e-09, -0.],
                               rtol=2e-6, atol=1e-43)
    np.testing.assert_allclose(got[2], [1.53746e-12, 4.1370317e-37, 0., 2., 0.], rtol=2e-6,
                               atol=1e-44)  # erfc(10) = 2.1e-45: a subnormal here, 0 in TF1
    np.testing.assert_allclose(got[3], [1.0000001e-07, -9.9999994e-08, 1.0005002e-03, INF],
                               rtol=2e-6)


@pytest.mark.parametrize("executor", EXECUTORS)
@pytest.mark.parametrize("name", sorted(TF1_GRADIENTS))
def test_gradients_match_tf1(name, executor):
    x = tf.placeholder(tf.float64, [4])
    (grad,) = tf.gradients(getattr(tf.math, name)(x), [x])
    np.testing.assert_allclose(_run(grad, {x: GRAD_AT}, executor), TF1_GRADIENTS[name],
                               rtol=1e-12)


def test_gradients_of_the_binary_functions_match_tf1():
    a, b = tf.placeholder(tf.float64, []), tf.placeholder(tf.float64, [])
    np.testing.assert_allclose(_run(tf.gradients(tf.atan2(a, b), [a, b]), {a: 0.3, b: -0.7}),
                               [-1.206896551724138, -0.5172413793103449], rtol=1e-12)
    x = tf.placeholder(tf.float64, [4])
    (g,) = tf.gradients(tf.math.polygamma(np.float64(2.), x), [x])
    np.testing.assert_allclose(_run(g, {x: GRAD_AT}),
                               [7.431417646550497e+02, 8.895620066243167e-01,
                                3.812584146098512e-02, 3.234396045945104e-03], rtol=1e-12)
    q = tf.placeholder(tf.float64, [])
    (g,) = tf.gradients(tf.math.zeta(np.float64(3.), q), [q])
    np.testing.assert_allclose(_run(g, {q: 1.7}), -0.44478100331215836, rtol=1e-10)


def test_no_gradient_flows_into_the_order_or_the_exponent():
    """TF1 gives None for polygamma's `a` and zeta's `x`."""
    p = tf.placeholder(tf.float64, [])
    assert tf.gradients(tf.math.polygamma(p, np.float64(2.)), [p]) == [None]
    assert tf.gradients(tf.math.zeta(p, np.float64(2.)), [p]) == [None]


@pytest.mark.parametrize("name", ["lgamma", "digamma", "erfc", "expm1", "log_sigmoid"])
def test_second_derivatives_by_finite_differences(name):
    """The gradients are graph ops themselves: differentiating them again works (lgamma'' is
    trigamma, digamma'' is polygamma(2, x))."""
    fn = getattr(tf.math, name)

    def first_derivative(x):
        return tf.gradients(fn(x), [x])[0]

    assert check_gradients(first_derivative, [np.array([0.4, 1.3, 2.9])]) < 1e-7
    assert check_gradients(first_derivative, [np.array([0.4, 1.3, 2.9])], executor="cpu") < 1e-7


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_libm_ops_fuse_and_agree_with_the_reference(dtype):
    gdt = tf.as_dtype(dtype)
    x = tf.placeholder(gdt, [256])
    y = tf.placeholder(gdt, [256])
    out = tf.lgamma(tf.abs(x) + 0.1) * 2.0 + tf.erfc(x) - tf.math.expm1(y) + tf.atan2(y, x)
    rng = np.random.default_rng(0)
    feed = {x: rng.normal(size=256).astype(dtype) * 3, y: rng.normal(size=256).astype(dtype)}
    ref = _run(out, feed, "reference")
    with tf.Session() as sess:
        got = sess.run(out, feed)
        steps = [s.type for s in sess.compiled_plan(out, feed).steps]
    assert steps == ["FusedElementwise"]
    np.testing.assert_allclose(got, ref, rtol=2e-6 if dtype == np.float32 else 1e-13, atol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_evaluator_libm_opcodes_on_a_dense_grid(dtype):
    """Each opcode against the float64 truth (math module), in ulps of `dtype`."""
    grid = np.linspace(-30, 30, 20001)
    non_integer = grid[grid % 1 != 0]  # lgamma's poles left out
    cases = {"Erfc": (grid, np.vectorize(math.erfc, otypes=[np.float64])),
             "Expm1": (grid, np.expm1),
             "Lgamma": (np.concatenate([np.linspace(0.01, 30, 10000), non_integer]),
                        special_math.lgamma)}
    for name, (xs, truth_fn) in cases.items():
        xs = xs.astype(dtype)
        truth = truth_fn(xs.astype(np.float64))
        got = fused_ext.math(_OPCODES[name], xs)
        finite = np.isfinite(truth) & (np.abs(truth) <= np.finfo(dtype).max) & \
            (np.abs(truth) >= np.finfo(dtype).tiny)
        # lgamma is compared absolutely where |lgamma| < 1: it has zeros (1, 2, and one
        # between each pair of negative poles), next to which no implementation is relative
        scale = np.maximum(np.abs(truth[finite]), 1.0 if name == "Lgamma" else 0.0)
        err = np.abs(got[finite] - truth[finite]) / scale
        assert err.max() <= 16 * np.finfo(dtype).eps, (name, dtype, err.max())


def test_the_series_against_closed_forms():
    """digamma(n) = H_(n-1) - gamma, digamma(1/2) = -gamma - 2 ln 2, zeta(2k, 1) closed forms,
    the reflection formula below zero, and polygamma's relation to zeta."""
    euler = 0.57721566490153286061
    n = np.arange(1, 30)
    harmonic = np.array([sum(1.0 / k for k in range(1, m)) for m in n])
    np.testing.assert_allclose(special_math.digamma(n.astype(float)), harmonic - euler,
                               rtol=1e-14, atol=1e-15)
    assert special_math.digamma(np.array(0.5)) == pytest.approx(-euler - 2 * math.log(2), 1e-15)
    x = np.linspace(-7.9, -0.1, 40) + 0.013
    np.testing.assert_allclose(special_math.digamma(x),
                               special_math.digamma(1 - x) - np.pi / np.tan(np.pi * x),
                               rtol=1e-11)
    np.testing.assert_allclose(special_math.zeta(np.array([2., 4., 6.]), np.ones(3)),
                               [np.pi ** 2 / 6, np.pi ** 4 / 90, np.pi ** 6 / 945], rtol=1e-15)
    # lgamma' = digamma by central differences in float64
    x = np.linspace(0.3, 20, 50)
    h = 1e-6
    numeric = (special_math.lgamma(x + h) - special_math.lgamma(x - h)) / (2 * h)
    np.testing.assert_allclose(special_math.digamma(x), numeric, rtol=1e-7, atol=1e-8)


def test_shapes_broadcast_and_integer_inputs_are_refused():
    a = tf.placeholder(tf.float32, [None, 3])
    b = tf.placeholder(tf.float32, [3])
    assert tf.atan2(a, b).shape.as_list() == [None, 3]
    assert tf.math.polygamma(a, b).shape.as_list() == [None, 3]
    with pytest.raises(TypeError, match="Lgamma.*int32.*floating-point"):
        tf.lgamma(tf.constant([1, 2]))
    with pytest.raises(TypeError, match="float64"):
        tf.atan2(tf.constant([1.0]), tf.constant([1.0], dtype=tf.float64))


def test_the_tf_math_namespace():
    assert tf.math.lgamma is tf.lgamma and tf.math.atan2 is tf.atan2
    assert tf.math.reduce_sum is tf.reduce_sum and tf.math.softplus is tf.nn.softplus
    assert tf.compat.v1.math.digamma is tf.digamma
    with pytest.raises(AttributeError, match="does not support tf.math.igamma"):
        tf.math.igamma  # noqa: B018
    with pytest.raises(AttributeError, match="did you mean tf.math.lgamma"):
        tf.math.lgama  # noqa: B018
