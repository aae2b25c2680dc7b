"""The cuda executor on a real GPU (marked `gpu`; skipped with `available()`'s reason anywhere
else, CI included): every op example and its gradient agree with the reference executor, the
digits MLP and LeNet train to the cpu's accuracy, 10,000 training steps do not grow the memory
pool, and mixed placement works once `graphflow.device` exists. Run by scripts/gpu_check.sh."""

import importlib.util
import os
import pathlib
import sys

import executor_support
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graphflow as gf
import graphflow.session
from graphflow.executors import executor_status
from graphflow.testing import strategies

OK, WHY = executor_status()["cuda"]
pytestmark = [pytest.mark.gpu, pytest.mark.skipif(not OK, reason=WHY or "cuda available")]
EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"




support = executor_support


@pytest.mark.parametrize("name,cls", support.GENERATED, ids=[n for n, _ in support.GENERATED])
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_every_op_agrees_with_reference_on_the_gpu(name, cls, data):
    example = data.draw(cls.examples(strategies), label="example")
    support.check_example(name, cls, example, "cuda")


@pytest.mark.parametrize("name,cls", support.GENERATED, ids=[n for n, _ in support.GENERATED])
@settings(max_examples=5, deadline=None)
@given(data=st.data())
def test_every_gradient_agrees_with_reference_on_the_gpu(name, cls, data):
    example = data.draw(cls.examples(strategies), label="example")
    support.check_gradient(name, cls, example, "cuda")


def _example(name):
    path = EXAMPLES / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"examples_{name}_cuda", path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(EXAMPLES))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(EXAMPLES))
    return module


def test_digits_mlp_trains_to_the_cpus_accuracy(monkeypatch):
    monkeypatch.setattr(graphflow.session, "DEFAULT_EXECUTOR", "cuda")
    accuracy, restored = _example("digits_mlp").train(verbose=False)
    assert accuracy >= 0.95 and restored == accuracy  # cpu: about 0.97


def test_lenet_trains_to_the_cpus_accuracy(monkeypatch):
    monkeypatch.setattr(graphflow.session, "DEFAULT_EXECUTOR", "cuda")
    accuracy, _, params = _example("lenet").train(verbose=False)
    assert params == 61_706 and accuracy >= 0.97  # cpu: 0.9833


def test_ten_thousand_training_steps_do_not_grow_the_memory_pool():
    import cupy

    graph = gf.Graph()
    with graph.as_default():
        x = gf.placeholder(gf.float32, [64, 32])
        y = gf.placeholder(gf.int32, [64])
        w = gf.Variable(np.random.RandomState(0).randn(32, 10).astype(np.float32) * 0.1)
        loss = gf.reduce_mean(gf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=y, logits=gf.matmul(x, w)))
        step = gf.train.GradientDescentOptimizer(0.05).minimize(loss)
    xs = np.random.RandomState(1).randn(64, 32).astype(np.float32)
    ys = np.arange(64) % 10
    pool = cupy.get_default_memory_pool()
    with gf.Session(graph=graph, executor="cuda") as sess:
        sess.run(gf.global_variables_initializer())
        call = sess.make_callable([loss, step], [x, y])
        for _ in range(100):
            call(xs, ys)
        before = pool.used_bytes()
        for _ in range(10_000):
            call(xs, ys)
        after = pool.used_bytes()
    assert after <= before, f"the pool grew from {before:,} to {after:,} bytes"


def test_mixed_placement():
    if not hasattr(gf, "device"):
        pytest.skip("graphflow.device does not exist yet")
    graph = gf.Graph()
    with graph.as_default():
        a = gf.placeholder(gf.float32, [4, 4])
        with gf.device("/cpu:0"):
            b = gf.tanh(a) + 1.0
        with gf.device("/gpu:0"):
            c = gf.matmul(b, b)
    value = np.random.RandomState(0).randn(4, 4).astype(np.float32)
    with gf.Session(graph=graph, executor="cuda") as sess:
        got = sess.run(c, {a: value})
    expected = (np.tanh(value) + 1) @ (np.tanh(value) + 1)
    np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_environment_selects_cuda():
    assert os.environ.get("GRAPHFLOW_EXECUTOR", "cuda") in ("cuda", "cpu", "reference")
    with gf.Session(graph=gf.Graph(), executor="cuda") as sess:
        assert sess.executor.name == "cuda"
