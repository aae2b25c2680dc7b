"""The steps the CUDA tests render: every scalar op on several broadcast layouts, hand-written
fused programs, and plans (compiled for the reference executor) of convolutions, pools, data
movement, batch norm and the row-wise softmax kernels.

Shapes are fixed so that each family renders to one module, compiled once per test session
(NVRTC) or built once (the host emulation, also cached on disk); hypothesis varies the values.
"""

from __future__ import annotations

import importlib.util
import math
import pathlib
import sys

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import graphflow as tf
from graphflow.compiler.plan import Step, ValueSpec
from graphflow.core import dtypes
from graphflow.core.shape import as_shape
from graphflow.executors.cuda import emulate, nvrtc
from graphflow.executors.cuda.elementwise import scalar_ops
from graphflow.ops.elementwise import BinaryOp
from graphflow.ops.fused import FusedElementwise
from graphflow.ops.indexing import StridedSliceGrad
from graphflow.ops.nn_norm import BiasAddGrad
from graphflow.ops.nn_pool import MaxPoolGrad, MaxPoolGradGrad
from graphflow.ops.registry import apply_op, get_op
from graphflow.ops.slicing import MirrorPadGrad

# The cuda executor tests share tests/cuda/executor_support.py; they import it by this name.
_spec = importlib.util.spec_from_file_location(
    "executor_support", pathlib.Path(__file__).parent / "executor_support.py")
sys.modules["executor_support"] = _support = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_support)

FLOATS = (dtypes.float32, dtypes.float64)
BINARY_LAYOUTS = [((3, 5), (3, 5)), ((3, 5), (5,)), ((3, 5), ()), ((2, 1, 4), (3, 1)),
                  ((1,), (2, 3))]
BROADCAST_OPS = ("Add", "Maximum", "Greater", "LogicalOr")  # on every layout in float32
SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, 2.5, math.inf, -math.inf, math.nan]
TOL = {np.dtype(np.float32): (2e-5, 2e-5), np.dtype(np.float64): (1e-12, 1e-12)}


def require_nvrtc():
    ok, why = nvrtc.available()
    if not ok:
        pytest.skip(why)


def require_emulation():
    ok, why = emulate.available()
    if not ok:
        pytest.skip(why)


def make_step(op, input_specs, name="step"):
    """A plan Step of `op` over ValueSpecs, its outputs inferred as the compiler would."""
    out = op.infer(*input_specs)
    outs = out if isinstance(out, list) else [out]
    outputs = [ValueSpec(o.dtype, o.shape) for o in outs]
    n = len(input_specs)
    return Step(op, name, "tests/cuda/conftest.py", None, (), input_specs, outputs,
                range(n), range(n, n + len(outputs)))


def spec(dtype, shape):
    return ValueSpec(dtype, as_shape(list(shape)))


def values(dtype, shape, special=True):
    """A strategy of arrays: moderate values, some special ones (NaN, infinities, zeros)."""
    np_dtype = np.dtype(dtype.np)
    if np_dtype == np.bool_:
        return hnp.arrays(np.bool_, shape, elements=st.booleans())
    if np_dtype.kind in "iu":  # not -1: every bit set is the emulation's poison
        info = np.iinfo(np_dtype)
        ints = st.integers(max(int(info.min), -1000), min(int(info.max), 1000))
        return hnp.arrays(np_dtype, shape, elements=ints.filter(lambda v: v != -1))
    width = 8 * np_dtype.itemsize
    finite = st.floats(-4.0, 4.0, width=width)
    elements = st.one_of(finite, st.sampled_from(SPECIAL)) if special else finite
    return hnp.arrays(np_dtype, shape, elements=elements)


def assert_agrees(got, ref, what="", scaled=False):
    """Equal shapes and dtypes, NaNs and infinities in the same places, close elsewhere
    (`scaled`: the absolute tolerance scales with the largest magnitude, for sums)."""
    ref = np.asarray(ref)
    got = np.asarray(got).reshape(ref.shape)
    assert got.dtype == ref.dtype, f"{what}: dtype {got.dtype} vs {ref.dtype}"
    if ref.dtype == np.bool_:
        raw = got.view(np.uint8)
        assert np.isin(raw, (0, 1)).all(), f"{what}: unwritten (poisoned) bool elements"
        np.testing.assert_array_equal(got, ref, err_msg=what)
        return
    np.testing.assert_array_equal(np.isnan(got), np.isnan(ref), err_msg=f"{what}: NaNs")
    rtol, atol = TOL[ref.dtype]
    finite = np.abs(ref[np.isfinite(ref)])
    if scaled and finite.size:
        atol *= max(1.0, float(finite.max()))
    np.testing.assert_allclose(got, ref, rtol=rtol, atol=atol, err_msg=what)


# --- elementwise ---------------------------------------------------------------------------------
def _scalar_steps():
    """Every scalar op in both dtypes; broadcast layouts on a few (NVRTC time is per kernel)."""
    steps = []
    for dtype in FLOATS:
        for op_type, cls in scalar_ops().items():
            in_dtype = dtypes.bool_ if getattr(cls, "allowed", None) == "bool" else dtype
            if len(cls.input_names) == 1:
                layouts = [((3, 5),)]
            elif not issubclass(cls, BinaryOp):  # e.g. the cross-entropies: no broadcasting
                layouts = [((3, 5), (3, 5))]
            elif dtype is dtypes.float64:
                layouts = BINARY_LAYOUTS[1:2]
            else:
                layouts = BINARY_LAYOUTS[:2] if op_type not in BROADCAST_OPS else BINARY_LAYOUTS
            for shapes in layouts:
                ins = [spec(in_dtype, s) for s in shapes]
                steps.append(make_step(get_op(op_type)(), ins, f"{op_type}_{len(steps)}"))
    return steps


def _fused(dtype, program, results, shapes_dtypes, name):
    op = FusedElementwise(program=tuple(program), results=tuple(results), members=())
    return make_step(op, [spec(d or dtype, s) for s, d in shapes_dtypes], name)


def _fused_steps():
    steps, b = [], dtypes.bool_
    for t in FLOATS:
        # broadcast row, column of bools, a scalar; comparison, logical and, Cast, Identity; two
        # results, one of them bool
        steps.append(_fused(t, [("Mul", {}, (0, 3)), ("Add", {}, (-1, 1)), ("Tanh", {}, (-2,)),
                                ("Greater", {}, (0, 1)), ("LogicalAnd", {}, (-4, 2)),
                                ("Cast", {"dtype": t}, (-5,)), ("Mul", {}, (-3, -6)),
                                ("Identity", {}, (-7,))], (7, 4),
                            [((4, 3), None), ((3,), None), ((4, 1), b), ((), None)], "f1"))
        # a result smaller than the group's shape (written once per element), StopGradient
        steps.append(_fused(t, [("Square", {}, (0,)), ("Add", {}, (-1, 1)),
                                ("Less", {}, (-2, 0)), ("Cast", {"dtype": t}, (-3,)),
                                ("StopGradient", {}, (-4,)), ("Sub", {}, (-2, -5))], (0, 5),
                            [((3,), None), ((4, 3), None)], "f2"))
        # general N-d broadcasting: [2, 1, 4] with [3, 1] and [2, 3, 4]
        steps.append(_fused(t, [("SquaredDifference", {}, (0, 1)), ("Maximum", {}, (-1, 2)),
                                ("Sigmoid", {}, (-2,)), ("Sub", {}, (-3, 0)),
                                ("Log1p", {}, (-1,))], (3, 4),
                            [((2, 1, 4), None), ((3, 1), None), ((2, 3, 4), None)], "f3"))
        # Cast to bool and back, LogicalNot, Exp, Rsqrt of a column
        steps.append(_fused(t, [("Cast", {"dtype": b}, (0,)), ("LogicalNot", {}, (-1,)),
                                ("Cast", {"dtype": t}, (-2,)), ("Exp", {}, (1,)),
                                ("Rsqrt", {}, (-4,)), ("Add", {}, (-3, -5)),
                                ("SigmoidCrossEntropyWithLogits", {}, (-3, 0))], (5, 6),
                            [((5, 2), None), ((5, 1), None)], "f4"))
    return steps


# --- convolutions and pools, as compiled plans ------------------------------------------------
CONV_GEOMETRIES = [((1, 1), "VALID", (1, 1)), ((2, 2), "SAME", (1, 1)), ((1, 1), "SAME", (2, 2)),
                   ((1, 2), ((0, 0), (1, 2), (0, 1), (0, 0)), (1, 2)), ((2, 1), "VALID", (1, 1))]
POOL_GEOMETRIES = [((2, 2), (2, 2), "VALID"), ((3, 3), (2, 2), "SAME"), ((3, 3), (1, 1), "SAME"),
                   ((2, 3), (1, 2), "VALID")]


class PlanCase:
    """A graph with placeholders of fixed shapes, its reference session and compiled plan."""

    def __init__(self, build):
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.placeholders, self.fetches = build()
            self.sess = tf.Session(graph=self.graph, executor="reference")
            self.plan = self.sess.compiled_plan(self.fetches, self.zeros())

    def zeros(self):
        return {p: np.zeros(p.shape.as_list(), p.dtype.np) for p in self.placeholders}

    def strategy(self, special=True):
        return st.tuples(*[values(p.dtype, p.shape.as_list(), special)
                           for p in self.placeholders])

    def reference(self, feeds):
        with self.graph.as_default():
            return self.sess.run(self.fetches, dict(zip(self.placeholders, feeds)))

    def feed_order(self, feeds):
        """Feed values in the plan's feed order."""
        by = dict(zip(self.placeholders, feeds))
        return [by[t] for t in self.plan.feeds]


def _conv_graph(dtype=tf.float32):
    x = tf.placeholder(dtype, [2, 7, 6, 3])
    w = tf.placeholder(dtype, [3, 2, 3, 4])
    places, fetches = [x, w], []
    for strides, padding, dilations in CONV_GEOMETRIES:
        y = tf.nn.conv2d(x, w, strides=strides, padding=padding, dilations=dilations)
        dy = tf.placeholder(dtype, y.shape.as_list())
        places.append(dy)
        fetches += [y, tf.nn.conv2d_backprop_input([2, 7, 6, 3], w, dy, strides, padding,
                                                   dilations=dilations),
                    tf.nn.conv2d_backprop_filter(x, [3, 2, 3, 4], dy, strides, padding,
                                                 dilations=dilations)]
    return places, fetches


def _pool_graph(dtype=tf.float32):
    x = tf.placeholder(dtype, [2, 5, 6, 3])
    g = tf.placeholder(dtype, [2, 5, 6, 3])
    places, fetches = [x, g], []
    for ksize, strides, padding in POOL_GEOMETRIES:
        geometry = {"ksize": (1, *ksize, 1), "strides": (1, *strides, 1), "padding": padding}
        y = tf.nn.max_pool(x, geometry["ksize"], geometry["strides"], padding)
        dy = tf.placeholder(dtype, y.shape.as_list())
        places.append(dy)
        fetches += [y, tf.nn.avg_pool(x, geometry["ksize"], geometry["strides"], padding),
                    apply_op(MaxPoolGrad(**geometry), [x, dy]),
                    apply_op(MaxPoolGradGrad(**geometry), [x, g]),
                    tf.gradients(tf.nn.avg_pool(x, geometry["ksize"], geometry["strides"],
                                                padding), [x], [dy])[0]]
    return places, fetches


# --- data movement and batch norm, as compiled plans ----------------------------------------------
def _movement_graph():
    """Slices, strided slices and their gradient, tiles, pads, fills, splits and unstacks over
    every element width (bool / int8, float16, float32, int64 / float64), empty results too."""
    x = tf.placeholder(tf.float32, [3, 4, 5])
    half = tf.placeholder(tf.float16, [4, 3])
    small = tf.placeholder(tf.int8, [2, 5])
    wide = tf.placeholder(tf.int64, [3, 2, 2])
    flags = tf.placeholder(tf.bool, [2, 3])
    value = tf.placeholder(tf.float64, [])
    spec = (("slice", None, None, -1), ("slice", 1, 3, 1), ("newaxis",), ("slice", None, None, 2))
    dy = tf.placeholder(tf.float32, [3, 2, 1, 3])
    dy2 = tf.placeholder(tf.float32, [4, 2])
    dyp = tf.placeholder(tf.float32, [6, 5, 9])
    fetches = [
        tf.slice(x, [1, 0, 2], [2, -1, 2]), tf.slice(small, [0, 1], [2, 3]),
        tf.slice(x, [3, 0, 0], [0, 4, 5]),
        x[::-1, 1:3, None, ::2], x[1, ..., -1], x[:, -1:0:-2, 3], wide[..., None, 1],
        half[2:0:-1, ::2], flags[:, 1],
        tf.tile(small, [2, 1]), tf.tile(half, [1, 3]), tf.tile(flags, [3, 2]),
        tf.tile(x, [1, 2, 2]), tf.tile(x, [0, 1, 2]),
        tf.pad(x, [[1, 2], [0, 1], [2, 0]], constant_values=-2),
        tf.pad(x, [[1, 2], [0, 3], [2, 4]], mode="REFLECT"),
        tf.pad(wide, [[2, 3], [1, 2], [0, 2]], mode="SYMMETRIC"),
        tf.pad(flags, [[1, 1], [0, 2]], constant_values=True),
        tf.pad(half, [[0, 1], [3, 0]], constant_values=1.5),
        tf.pad(wide, [[1, 0], [0, 0], [2, 1]], constant_values=-2),
        tf.fill([2, 3], value), tf.fill([0, 3], value), tf.fill([], value),
        *tf.split(x, [1, 3, 1], axis=2), *tf.split(wide, 3, axis=0), *tf.split(x, [4, 0], 1),
        *tf.unstack(x, axis=1), *tf.unstack(flags, axis=0),
        apply_op(StridedSliceGrad(spec=spec, shape=(3, 4, 5)), [dy]),
        apply_op(StridedSliceGrad(spec=(("int", -1), ("ellipsis",), ("slice", 4, 0, -3)),
                                  shape=(3, 4, 5)), [dy2]),
        apply_op(MirrorPadGrad(paddings=((1, 2), (0, 2), (3, 1)), mode="REFLECT"), [dyp]),
        apply_op(MirrorPadGrad(paddings=((2, 1), (2, 0), (1, 3)), mode="SYMMETRIC"), [dyp]),
    ]
    places = [x, half, small, wide, flags, value, dy, dy2, dyp]
    return places, fetches


def _batch_norm_graph(dtype=tf.float32):
    """Training and inference, a batch of one chunk and one of several (a partial last one)."""
    places, fetches = [], []
    for shape in ([4, 5, 3, 6], [2, 10, 10, 3]):
        x = tf.placeholder(dtype, shape)
        stats = [tf.placeholder(dtype, [shape[3]]) for _ in range(4)]
        scale, offset, mean, variance = stats
        places += [x, *stats]
        fetches += tf.nn.fused_batch_norm(x, scale, offset, epsilon=1e-3)[:3]
        fetches += tf.nn.fused_batch_norm(x, scale, offset, mean, tf.abs(variance),
                                          epsilon=1e-2, is_training=False)[:3]
    return places, fetches


def _rows_graph(dtype=tf.float32):
    """Softmax and log-softmax along every axis of a 3-D value, one-class rows, an empty batch,
    and the dense cross-entropy; rows of 300 (a block per row) and a column of them."""
    x = tf.placeholder(dtype, [3, 4, 5])
    labels = tf.placeholder(dtype, [3, 4, 5])
    one = tf.placeholder(dtype, [6, 1])
    empty = tf.placeholder(dtype, [0, 5])
    long = tf.placeholder(dtype, [4, 300])
    fetches = [tf.nn.softmax(x, axis=a) for a in (-1, 0, 1)]
    fetches += [tf.nn.log_softmax(x, axis=a) for a in (2, 0)]
    fetches += [tf.nn.softmax(one), tf.nn.log_softmax(one), tf.nn.softmax(empty),
                tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=x),
                tf.nn.softmax_cross_entropy_with_logits(labels=tf.nn.softmax(one), logits=one)]
    fetches += [tf.nn.softmax(long), tf.nn.log_softmax(long), tf.nn.softmax(long, axis=0),
                tf.nn.softmax_cross_entropy_with_logits(labels=tf.nn.softmax(long * 0.5),
                                                        logits=long)]
    return [x, labels, one, empty, long], fetches


def _reduce_graph(dtype=tf.float32):
    """Every reduction over single, several, all and no axes with keepdims, one chunk and several
    (a partial last one) along rows (block passes) and columns (thread passes), empty reductions
    (identities), integer and bool inputs, ties for the arg reductions, and the gradients' sums
    (BiasAddGrad of 3-D and 2-D gradients, SumToShape)."""
    x = tf.placeholder(dtype, [3, 4, 5])
    long = tf.placeholder(dtype, [2, 700])
    empty = tf.placeholder(dtype, [3, 0])
    ints = tf.placeholder(tf.int32, [4, 300])
    wide = tf.placeholder(tf.int64, [3, 5])
    flags = tf.placeholder(tf.bool, [3, 4, 2])
    dy = tf.placeholder(dtype, [3, 4, 5])
    fetches = []
    for fn in (tf.reduce_sum, tf.reduce_mean, tf.reduce_max, tf.reduce_min, tf.reduce_prod):
        # a product of 700 draws overflows float32 at an order-dependent step: near 1 instead
        y = 1.0 + long * 0.001 if fn is tf.reduce_prod else long
        fetches += [fn(x), fn(x, 1), fn(x, [0, 2], keepdims=True), fn(y, 1), fn(y, 0),
                    fn(tf.reshape(y, [700, 2]), 0), fn(empty, 1), fn(empty)]
    fetches.append(tf.reduce_prod(tf.sign(long), 1))  # two passes of exact products
    for fn in (tf.reduce_sum, tf.reduce_mean, tf.reduce_max, tf.reduce_min, tf.reduce_prod):
        fetches += [fn(ints, 1), fn(ints), fn(wide, 0, keepdims=True)]
    fetches += [tf.reduce_all(flags, [0, 2]), tf.reduce_any(flags, 1), tf.reduce_all(flags),
                tf.reduce_any(flags, 2, keepdims=True)]
    for fn in (tf.argmax, tf.argmin):
        fetches += [fn(x, 0), fn(x, 2, output_type=tf.int32), fn(long, 1), fn(tf.round(x), 1),
                    fn(tf.reshape(long, [700, 2]), 0), fn(ints, 1), fn(wide, 0)]
    bias = tf.zeros([5], dtype)
    fetches += tf.gradients(tf.nn.bias_add(x, bias), [bias], [dy])
    fetches.append(apply_op(BiasAddGrad(), [tf.reshape(dy, [12, 5])]))
    row = tf.zeros([1, 1, 5], dtype)
    fetches += tf.gradients(x + row, [row], [dy])
    fetches.append(tf.nn.l2_loss(long))
    return [x, long, empty, ints, wide, flags, dy], fetches


@pytest.fixture(scope="session")
def reduce_case():
    return PlanCase(_reduce_graph)


@pytest.fixture(scope="session")
def reduce64_case():
    return PlanCase(lambda: _reduce_graph(tf.float64))


@pytest.fixture(scope="session")
def rows_case():
    return PlanCase(_rows_graph)


@pytest.fixture(scope="session")
def rows64_case():
    return PlanCase(lambda: _rows_graph(tf.float64))


@pytest.fixture(scope="session")
def movement_case():
    return PlanCase(_movement_graph)


@pytest.fixture(scope="session")
def batch_norm_case():
    return PlanCase(_batch_norm_graph)


@pytest.fixture(scope="session")
def batch_norm64_case():
    return PlanCase(lambda: _batch_norm_graph(tf.float64))


@pytest.fixture(scope="session")
def scalar_steps():
    return _scalar_steps()


@pytest.fixture(scope="session")
def fused_steps():
    return _fused_steps()


@pytest.fixture(scope="session")
def conv_case():
    return PlanCase(_conv_graph)


@pytest.fixture(scope="session")
def pool_case():
    return PlanCase(_pool_graph)


@pytest.fixture(scope="session")
def float64_case():
    return PlanCase(lambda: _conv_graph(tf.float64))


@pytest.fixture(scope="session")
def h():
    """This module's helpers (test modules cannot import a conftest in importlib mode)."""
    import sys

    return sys.modules[__name__]
