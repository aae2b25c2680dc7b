"""The CPU kernel for FusedElementwise (ext/fused/, kernels_fused.py) against the reference.

Random fused programs over broadcasting operands, sizes around the evaluator's block and
threading thresholds, special values, in-place outputs, fallbacks, and the evaluator's own
exp/log/log1p/tanh/sigmoid on dense grids against float64 NumPy.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graphflow as tf
from graphflow._ext import fused as ext
from graphflow.executors.cpu.kernels_fused import _OPCODES, compile_evaluator

TOL = {np.float32: (2e-6, 1e-6), np.float64: (1e-12, 1e-12)}


def fused_steps(sess, fetches, feed):
    plan = sess.compiled_plan(fetches, feed)
    return [s for s in plan.steps if s.type == "FusedElementwise"], plan


def run_both(fetches, feed, expect_fused=True, native=True):
    """(cpu results, reference results); checks the plan really fused and which kernel ran."""
    sess = tf.Session(executor="cpu")
    nodes, _ = fused_steps(sess, fetches, feed)
    if expect_fused:
        assert nodes, "nothing was fused"
        for node in nodes:
            assert (compile_evaluator(node) is not None) == native, node.op.describe_program()
    got = sess.run(fetches, feed)
    again = sess.run(fetches, feed)  # buffers reused across runs
    ref = tf.Session(executor="reference").run(fetches, feed)
    for a, b in zip(got, again, strict=True):
        np.testing.assert_array_equal(a, b)
    return got, ref


def assert_close(got, ref, dtype, scale=1.0, what=""):
    rtol, atol = TOL[dtype]
    got, ref = np.asarray(got), np.asarray(ref)
    assert got.dtype == ref.dtype and got.shape == ref.shape, what
    np.testing.assert_array_equal(np.isnan(got), np.isnan(ref), err_msg=f"{what}: NaNs")
    np.testing.assert_allclose(got, ref, rtol=rtol, atol=atol * max(1.0, scale), err_msg=what)


# --- random programs ----------------------------------------------------------------------------
# Each op keeps values bounded and well-conditioned (log/sqrt/division of |v| + 1, exp of a tanh),
# so float32 rounding differences stay near the values' magnitude: `bound` tracks that magnitude
# and scales atol. Floor/Ceil/Sign/Round only see exactly computed values (no transcendentals).
UNARY = {
    "neg": (lambda v: -v, lambda b: b, True),
    "abs": (tf.abs, lambda b: b, True),
    "square": (tf.square, lambda b: b * b, True),
    "relu": (tf.nn.relu, lambda b: b, True),
    "tanh": (tf.tanh, lambda b: 1.0, False),
    "sigmoid": (tf.sigmoid, lambda b: 1.0, False),
    "exp": (lambda v: tf.exp(tf.tanh(v) * 2.0), lambda b: 7.4, False),
    "log": (lambda v: tf.log(tf.abs(v) + 1.0), lambda b: math.log(b + 1), False),
    "log1p": (lambda v: tf.log1p(tf.abs(v)), lambda b: math.log1p(b), False),
    "sqrt": (lambda v: tf.sqrt(tf.abs(v) + 1.0), lambda b: math.sqrt(b + 1), False),
    "rsqrt": (lambda v: tf.rsqrt(tf.abs(v) + 1.0), lambda b: 1.0, False),
    "reciprocal": (lambda v: tf.reciprocal(tf.abs(v) + 1.0), lambda b: 1.0, False),
    "floor": (tf.floor, lambda b: b + 1, None),
    "ceil": (tf.ceil, lambda b: b + 1, None),
    "sign": (tf.sign, lambda b: 1.0, None),
    "round": (tf.round, lambda b: b + 1, None),
}
BINARY = {
    "add": (tf.add, lambda a, b: a + b),
    "sub": (tf.subtract, lambda a, b: a + b),
    "mul": (tf.multiply, lambda a, b: a * b),
    "max": (tf.maximum, max),
    "min": (tf.minimum, max),
    "sqdiff": (tf.squared_difference, lambda a, b: (a + b) ** 2),
    "div": (lambda x, y: x / (tf.abs(y) + 1.0), lambda a, b: a),
    "sce": (lambda x, y: tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=x),
            lambda a, b: a + a * b + 1),
}
# input layouts on an output of shape (a, b, c)
LAYOUTS = {
    "full": lambda a, b, c: (a, b, c), "full2d": lambda a, b, c: (b, c),
    "row": lambda a, b, c: (c,), "row3d": lambda a, b, c: (1, 1, c),
    "plane": lambda a, b, c: (b, c), "column": lambda a, b, c: (a, 1, 1),
    "channel": lambda a, b, c: (1, b, 1), "scalar": lambda a, b, c: (),
    "scalar3d": lambda a, b, c: (1, 1, 1), "general": lambda a, b, c: (a, 1, c),
}
SIZES = st.sampled_from([1, 2, 3, 7, 40, 129, 1031])


@st.composite
def programs(draw):
    dims = draw(st.tuples(st.sampled_from([1, 2, 5]), SIZES, SIZES))
    while math.prod(dims) > 60000:
        dims = (dims[0], dims[1], max(1, dims[2] // 7))
    n_in = draw(st.integers(1, 3))
    layouts = ["full"] + [draw(st.sampled_from(sorted(LAYOUTS))) for _ in range(n_in - 1)]
    steps = [draw(st.tuples(st.booleans(), st.sampled_from(sorted(UNARY)),
                            st.sampled_from(sorted(BINARY)), st.integers(0, 99),
                            st.integers(0, 99))) for _ in range(draw(st.integers(1, 7)))]
    fetch_mid = draw(st.booleans())
    return dims, layouts, steps, fetch_mid


def build(dims, layouts, steps, fetch_mid, dtype, seed):
    rng = np.random.default_rng(seed)
    feed, full, others = {}, [], []
    for lay in layouts:
        shape = LAYOUTS[lay](*dims)
        value = rng.uniform(-3, 3, shape).astype(dtype)
        ph = tf.placeholder(tf.as_dtype(dtype), list(shape))
        feed[ph] = value
        entry = (ph, 3.0, True)
        (full if tuple(shape) == tuple(dims) else others).append(entry)
    values = list(full)
    for unary, uname, bname, i, j in steps:
        x, bx, exact_x = values[i % len(values)]
        if unary:
            fn, bound, exact = UNARY[uname]
            if exact is None and not exact_x or bound(bx) > 1e4:
                continue
            values.append((fn(x), bound(bx), exact_x and bool(exact)))
        else:
            pool = values if bname == "sce" else values + others  # sce: labels of one shape
            y, by, exact_y = pool[j % len(pool)]
            fn, bound = BINARY[bname]
            if bound(bx, by) > 1e4:
                continue
            exact = exact_x and exact_y and bname not in ("div", "sce")
            values.append((fn(x, y), bound(bx, by), exact))
    if len(values) == len(full):  # nothing applied: one safe op so there is a program
        x, bx, _ = values[0]
        values.append((tf.tanh(x) * 2.0 + 1.0, 3.0, False))
    fetches = [values[-1]]
    if fetch_mid and len(values) > len(full) + 1:
        fetches.append(values[(len(full) + len(values)) // 2])
    return [f[0] for f in fetches], [f[1] for f in fetches], feed


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@settings(max_examples=40, deadline=None)
@given(program=programs(), seed=st.integers(0, 2**31 - 1))
def test_random_programs_agree_with_reference(dtype, program, seed):
    tf.reset_default_graph()
    fetches, bounds, feed = build(*program, dtype, seed)
    sess = tf.Session(executor="cpu")
    nodes, _ = fused_steps(sess, fetches, feed)
    got = sess.run(fetches, feed)
    ref = tf.Session(executor="reference").run(fetches, feed)
    for g, r, b in zip(got, ref, bounds, strict=True):
        assert_close(g, r, dtype, scale=b, what=" / ".join(n.op.describe_program() for n in nodes))


# --- fixed cases ---------------------------------------------------------------------------------
def w2(x):
    return tf.tanh(x * 0.7 + 0.1) * tf.sigmoid(x) - 0.5 * x


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [0, 1, 15, 255, 256, 257, 2048, 2049, 32767, 32768, 100003])
def test_w2_sizes(dtype, n):
    x = tf.placeholder(tf.as_dtype(dtype), [n])
    xv = np.random.default_rng(n).standard_normal(n).astype(dtype) * 4
    got, ref = run_both([w2(x)], {x: xv})
    assert_close(got[0], ref[0], dtype)


@pytest.mark.parametrize("shape,operand", [
    ((300, 129), (129,)), ((300, 129), (1, 129)), ((300, 129), (300, 1)), ((300, 129), ()),
    ((4, 33, 65), (1, 33, 1)), ((4, 33, 65), (4, 1, 65)), ((4, 33, 65), (33, 65)),
    ((4, 33, 65), (4, 1, 1)), ((2, 3, 4, 513), (3, 1, 513)), ((70000,), (1,)),
])
def test_broadcast_operands(shape, operand):
    rng = np.random.default_rng(1)
    x = tf.placeholder(tf.float32, list(shape))
    b = tf.placeholder(tf.float32, list(operand))
    y = tf.nn.relu(tf.tanh(x) * b + b) - tf.sigmoid(b - x)
    got, ref = run_both([y], {x: rng.standard_normal(shape).astype(np.float32),
                              b: rng.standard_normal(operand).astype(np.float32)})
    assert_close(got[0], ref[0], np.float32)


def test_broadcast_operands_of_unknown_shape_and_noncontiguous_feeds():
    rng = np.random.default_rng(2)
    x = tf.placeholder(tf.float32, [None, None])
    b = tf.placeholder(tf.float32, [None])
    y = tf.exp(-tf.abs(x + b)) * b
    xv = rng.standard_normal((50, 2 * 77)).astype(np.float32)[:, ::2]
    got, ref = run_both([y], {x: xv, b: rng.standard_normal(77).astype(np.float32)})
    assert_close(got[0], ref[0], np.float32)


def test_empty_tensor():
    x = tf.placeholder(tf.float32, [0, 5])
    got, ref = run_both([w2(x), tf.exp(x) + 1.0], {x: np.zeros((0, 5), np.float32)})
    assert got[0].shape == (0, 5) and got[1].shape == (0, 5)


SPECIAL = [np.inf, -np.inf, np.nan, 0.0, -0.0, 1e-40, -1e-40, 1e-30, 80, -80, 88.5, 88.8, -87,
           -100, -104, -110, 710, -745, 1e30, -1e30, -1, -0.5, 0.5, 9, -9, 20, -20, 1e-3]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_special_values_through_the_graph(dtype):
    xv = np.array(SPECIAL * 3, dtype)
    x = tf.placeholder(tf.as_dtype(dtype), [len(xv)])
    outs = [tf.exp(x) + 0.0, tf.log(x) + 0.0, tf.log1p(x) + 0.0, tf.tanh(x) + 0.0,
            tf.sigmoid(x) + 0.0, tf.nn.relu(x) * 1.5, tf.maximum(x, 0.5) - 0.0,
            tf.minimum(x, 0.5) - 0.0, tf.sign(x) * 2.0, tf.sqrt(x) + 0.0, tf.floor(x) + 0.5,
            tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.sigmoid(x), logits=x)]
    got, ref = run_both(outs, {x: xv})
    for g, r, out in zip(got, ref, outs, strict=True):
        np.testing.assert_array_equal(np.isinf(g), np.isinf(r), err_msg=out.name)
        assert_close(np.where(np.isinf(g), 0, g), np.where(np.isinf(r), 0, r), dtype, what=out.name)


def test_multiple_outputs_and_shared_subexpressions():
    x = tf.placeholder(tf.float32, [3000])
    h = tf.tanh(x * 2.0)
    outs = [h, h * h + x, tf.sigmoid(h) - h]
    got, ref = run_both(outs, {x: np.linspace(-5, 5, 3000, dtype=np.float32)})
    for g, r in zip(got, ref, strict=True):
        assert_close(g, r, np.float32)


def test_in_place_output_over_a_dying_input():
    rng = np.random.default_rng(3)
    a = tf.placeholder(tf.float32, [64, 300])
    w = tf.placeholder(tf.float32, [300, 1000])
    h = tf.matmul(a, w)  # a planned buffer that dies at the fused node
    y = tf.reduce_sum(tf.tanh(h * 0.1) * tf.sigmoid(h) + 1.0, axis=1)
    feed = {a: rng.standard_normal((64, 300)).astype(np.float32),
            w: rng.standard_normal((300, 1000)).astype(np.float32)}
    sess = tf.Session(executor="cpu")
    nodes, plan = fused_steps(sess, [y], feed)
    assert len(nodes) == 1 and nodes[0].outputs[0].buffer is not None
    assert nodes[0].outputs[0].buffer == nodes[0].inputs[0].buffer, "not planned in place"
    got, ref = run_both([y], feed)
    np.testing.assert_allclose(got[0], ref[0], rtol=1e-5)


def test_evaluator_copies_operands_that_overlap_its_output():
    x = np.linspace(-3, 3, 5000, dtype=np.float32)
    code = [(_OPCODES["Add"], 2, 0, 1), (_OPCODES["Tanh"], 3, 2, 2)]
    ev = ext.Evaluator(code, 2, 4, [3], [(ext.FULL, 1, 5000), (ext.TILE, 1, 100)], (5000,),
                       np.float32, 256)
    expected = np.tanh(x + np.tile(x[:100], 50))
    out = x.copy()
    np.testing.assert_allclose(ev(out, out, out[:100]), expected, rtol=2e-6, atol=1e-6)
    out = x.copy()  # a shifted full-size view of the output's memory is not an exact alias
    buf = np.concatenate([x, x])
    np.testing.assert_allclose(ev(buf[1:5001], buf[:5000], x[:100]), expected, rtol=2e-6,
                               atol=1e-6)


def test_comparisons_and_bool_casts_run_natively():
    rng = np.random.default_rng(4)
    x = tf.placeholder(tf.float32, [40, 1001])
    dy = tf.placeholder(tf.float32, [40, 1001])
    m = tf.placeholder(tf.bool, [1001])
    relu_grad = dy * tf.cast(tf.greater(x, 0.0), tf.float32)
    mixed = tf.cast(tf.logical_or(tf.logical_and(x >= dy, tf.logical_not(m)), tf.equal(x, 0.5))
                    , tf.float32) * x + tf.cast(tf.not_equal(x, dy), tf.float32) \
        - tf.cast(tf.less_equal(x, -1.0), tf.float32) * tf.cast(x < dy, tf.float32)
    xv = rng.standard_normal((40, 1001)).astype(np.float32)
    xv[0, :5] = [np.nan, 0.5, 0.0, -1.0, np.inf]
    feed = {x: xv, dy: rng.standard_normal((40, 1001)).astype(np.float32),
            m: rng.random(1001) < 0.5}
    got, ref = run_both([relu_grad, mixed], feed)
    for g, r in zip(got, ref, strict=True):
        np.testing.assert_array_equal(g, r)


def test_unsupported_members_fall_back_to_the_reference():
    x = tf.placeholder(tf.float32, [1000])
    y = tf.floordiv(x * 7.0, 3.0) + tf.cast(tf.cast(x * 4.0, tf.int32), tf.float32)
    got, ref = run_both([y], {x: np.linspace(-1, 1, 1000, dtype=np.float32)}, native=False)
    np.testing.assert_array_equal(got[0], ref[0])
    i = tf.placeholder(tf.int32, [100])
    got, ref = run_both([i * 3 + 1 - i], {i: np.arange(100, dtype=np.int32)}, native=False)
    np.testing.assert_array_equal(got[0], ref[0])


# --- the evaluator's math on dense grids -------------------------------------------------------
def ulps(got, exact, dtype):
    """Error in units of the float's spacing at the exact value (subnormals: the least spacing)."""
    spacing = np.spacing(np.abs(exact).astype(dtype)).astype(np.float64)
    return np.abs(got.astype(np.float64) - exact) / spacing


GRID = np.linspace(-100, 100, 1_000_001)
POSITIVE = np.concatenate([np.geomspace(1e-300, 1e300, 200_001), np.linspace(1e-6, 100, 800_000)])
# op: (inputs, float64 NumPy truth, ulp budget float32, ulp budget float64); for float64 the
# "truth" carries NumPy's own error of an ulp or two, so its budget covers both.
MATH = {
    "Exp": (GRID, np.exp, 2, 2),
    "Tanh": (GRID, np.tanh, 5, 2),  # float32: a rational function, worst at its clamp (7.905)
    "Sigmoid": (GRID, lambda x: np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x))),
                3, 4),
    "Log": (POSITIVE, np.log, 2, 2),
    "Log1p": (np.concatenate([GRID[GRID > -1], np.geomspace(1e-30, 1e-3, 100_001),
                              -np.geomspace(1e-30, 0.999, 100_001)]), np.log1p, 3, 3),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(MATH))
def test_math_accuracy_on_a_dense_grid(name, dtype):
    x, truth_fn, budget32, budget64 = MATH[name]
    with np.errstate(all="ignore"):
        xs = x.astype(dtype)
        xs = xs[(xs != 0) | (name != "Log")]
        truth = truth_fn(xs.astype(np.float64))
        got = ext.math(_OPCODES[name], xs)
        finite = np.isfinite(truth) & (np.abs(truth) <= np.finfo(dtype).max)
        np.testing.assert_array_equal(np.isinf(got[~finite]), True)
        err = ulps(got[finite], truth[finite], dtype)
    assert err.max() <= (budget32 if dtype == np.float32 else budget64), (
        f"{name} {dtype.__name__}: {err.max():.2f} ulp at x = {xs[finite][np.argmax(err)]!r}")
    normal = np.abs(truth[finite]) >= np.finfo(dtype).tiny
    rel = np.abs(got[finite] - truth[finite])[normal] / np.abs(truth[finite])[normal]
    assert rel.max() <= (2e-6 if dtype == np.float32 else 1e-13)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_math_edge_cases(dtype):
    inf, nan = np.inf, np.nan
    cases = {
        "Exp": [(inf, inf), (-inf, 0), (nan, nan), (1000, inf), (-1000, 0), (0, 1)],
        "Log": [(0, -inf), (-0.0, -inf), (-1, nan), (-inf, nan), (inf, inf), (nan, nan), (1, 0)],
        "Log1p": [(-1, -inf), (-2, nan), (inf, inf), (nan, nan), (0, 0), (-0.0, -0.0)],
        "Tanh": [(inf, 1), (-inf, -1), (nan, nan), (50, 1), (-50, -1), (0, 0), (-0.0, -0.0)],
        "Sigmoid": [(inf, 1), (-inf, 0), (nan, nan), (1000, 1), (-1000, 0), (0, 0.5)],
        "Relu": [(nan, nan), (-inf, 0), (inf, inf), (-1, 0), (2, 2)],
    }
    for name, pairs in cases.items():
        x = np.array([p[0] for p in pairs], dtype)
        with np.errstate(all="ignore"):
            got = ext.math(_OPCODES[name], x)
        np.testing.assert_array_equal(got, np.array([p[1] for p in pairs], dtype), err_msg=name)
        np.testing.assert_array_equal(np.signbit(got), np.signbit([p[1] for p in pairs]),
                                      err_msg=f"{name} signs")
    with np.errstate(all="ignore"):  # exp through the subnormal range agrees with NumPy
        x = np.linspace(-110, -80, 30001).astype(dtype) * (1 if dtype == np.float32 else 8.5)
        np.testing.assert_allclose(ext.math(_OPCODES["Exp"], x), np.exp(x), rtol=2e-6,
                                   atol=2 * np.finfo(dtype).smallest_subnormal)


def test_evaluator_writes_outputs_it_cannot_use_directly():
    x = np.linspace(-3, 3, 600, dtype=np.float32).reshape(20, 30)
    ev = ext.Evaluator([(_OPCODES["Tanh"], 1, 0, 0)], 1, 2, [1], [(ext.FULL, 1, 600)], (20, 30),
                       np.float32, 256)
    out = np.zeros((30, 20), np.float32).T  # not C-contiguous
    assert ev(out, x) is out
    np.testing.assert_allclose(out, np.tanh(x), rtol=2e-6, atol=1e-6)
