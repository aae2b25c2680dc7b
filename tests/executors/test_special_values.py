"""Every op agrees with the reference on special values (NaN, +-inf, +-0, subnormals), on every
executor: float inputs of each op's generated examples are replaced by draws from them."""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graphflow as gf
from graphflow.executors import executor_names
from graphflow.ops.registry import NoExamples, apply_op, registered_ops
from graphflow.testing import strategies

pytestmark = pytest.mark.executor_matrix
EXECUTORS = [n for n in executor_names(available_only=True) if n != "reference"]
GENERATED = sorted((n, c) for n, c in registered_ops().items()
                   if not isinstance(c.examples, NoExamples))
SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-40, -1e-40, 1e-310, 1.0, -2.5])


def _run(executor, cls, attrs, inputs):
    graph = gf.Graph()
    with graph.as_default():
        phs = [gf.placeholder(gf.as_dtype(a.dtype), a.shape) for a in inputs]
        out = apply_op(cls(**attrs), phs)
        outs = list(out) if isinstance(out, tuple) else [out]
        with gf.Session(graph=graph, executor=executor) as sess, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return sess.run(outs, dict(zip(phs, inputs)))
            except gf.errors.GraphflowError as err:
                return type(err)


@pytest.mark.parametrize("executor", EXECUTORS)
@pytest.mark.parametrize("name,cls", GENERATED, ids=[n for n, _ in GENERATED])
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                HealthCheck.filter_too_much])
@given(data=st.data())
def test_special_values_agree_with_the_reference(name, cls, executor, data):
    example = data.draw(cls.examples(strategies), label="example")
    picks = data.draw(st.integers(0, 2**32 - 1), label="seed")
    rng = np.random.default_rng(picks)
    inputs = []
    for value in example.inputs:
        a = np.array(value)
        if a.dtype.kind == "f" and a.size:
            a = rng.choice(SPECIAL, a.shape).astype(a.dtype)
        inputs.append(a)
    ref = _run("reference", cls, example.attrs, inputs)
    got = _run(executor, cls, example.attrs, inputs)
    if isinstance(ref, type) or isinstance(got, type):
        assert got is ref, f"{name}: reference gave {ref}, {executor} gave {got}"
        return
    for i, (g, e) in enumerate(zip(got, ref, strict=True)):
        g, e = np.asarray(g), np.asarray(e)
        assert g.dtype == e.dtype and g.shape == e.shape, f"{name} output {i}"
        if e.dtype.kind == "f":
            np.testing.assert_array_equal(np.isnan(g), np.isnan(e), err_msg=f"{name} NaNs")
            np.testing.assert_allclose(g, e, rtol=1e-4, atol=1e-6, err_msg=f"{name} output {i}")
        else:
            np.testing.assert_array_equal(g, e, err_msg=f"{name} output {i}")
