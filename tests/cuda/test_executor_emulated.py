"""The cuda executor's own code (lowering, kernel choice, buffers, state, bounds checks) run
without a GPU: NumPy as its array module and its generated CUDA C emulated on the host. Every op
with generated examples agrees with the reference executor; a small MLP trains identically."""


import executor_support
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graphflow as gf
from graphflow.executors.cuda import emulate
from graphflow.testing import strategies

support = executor_support
GENERATED, check_example, emulated_executor = (support.GENERATED, support.check_example,
                                               support.emulated_executor)
pytestmark = pytest.mark.skipif(not emulate.available()[0], reason=emulate.available()[1])


@pytest.fixture(scope="module")
def executor():
    with emulated_executor() as name:
        yield name


@pytest.mark.parametrize("name,cls", GENERATED, ids=[n for n, _ in GENERATED])
@settings(max_examples=4, deadline=None)
@given(data=st.data())
def test_every_op_agrees_with_reference(name, cls, data, executor):
    example = data.draw(cls.examples(strategies), label="example")
    check_example(name, cls, example, executor)


def _mlp():
    graph = gf.Graph()
    with graph.as_default():
        x = gf.placeholder(gf.float32, [16, 6])
        labels = gf.placeholder(gf.int32, [16])
        w = gf.Variable(np.random.RandomState(0).randn(6, 5).astype(np.float32))
        b = gf.Variable(np.zeros(5, np.float32))
        logits = gf.nn.relu(gf.matmul(x, w) + b) * 2.0 - 1.0
        loss = gf.reduce_mean(gf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=logits))
        train = gf.train.GradientDescentOptimizer(0.1).minimize(loss)
        init = gf.global_variables_initializer()
    feed = {x: np.random.RandomState(1).randn(16, 6).astype(np.float32),
            labels: np.arange(16) % 5}
    return graph, loss, train, init, feed, (x, labels)


def test_mlp_training_matches_the_reference(executor):
    graph, loss, train, init, feed, _ = _mlp()
    losses = {}
    for name in ("reference", executor):
        with gf.Session(graph=graph, executor=name) as sess:
            sess.run(init)
            losses[name] = [sess.run([loss, train], feed)[0] for _ in range(6)]
    np.testing.assert_allclose(losses[executor], losses["reference"], rtol=1e-5)
    assert losses[executor][-1] < losses[executor][0]


def test_an_out_of_range_label_names_the_op(executor):
    graph, loss, _, init, feed, (_, labels) = _mlp()
    with gf.Session(graph=graph, executor=executor) as sess:
        sess.run(init)
        with pytest.raises(gf.errors.InvalidArgumentError,
                           match=r"SparseSoftmaxCrossEntropyWithLogits.*labels\[0\] = 7 is not in "
                                 r"\[0, 5\)"):
            sess.run(loss, {**feed, labels: np.full(16, 7)})


def test_an_out_of_range_gather_index_names_the_op(executor):
    graph = gf.Graph()
    with graph.as_default():
        params = gf.placeholder(gf.float32, [4, 3])
        idx = gf.placeholder(gf.int32, [2])
        out = gf.gather(params, idx)
    with gf.Session(graph=graph, executor=executor) as sess:
        with pytest.raises(gf.errors.InvalidArgumentError,
                           match=r"GatherV2.*indices\[1\] = -1 is not in \[0, 4\)"):
            sess.run(out, {params: np.zeros((4, 3), np.float32), idx: np.array([0, -1])})


def test_variables_stay_device_values_and_update_in_place(executor):
    graph, loss, train, init, feed, _ = _mlp()
    with gf.Session(graph=graph, executor=executor) as sess:
        sess.run(init)
        state = sess.state
        before = {k: id(v) for k, v in state.variables.items()}
        sess.run(train, feed)
        assert all(state.backend.is_value(v) for v in state.variables.values())
        kept = [k for k, v in state.variables.items() if id(v) == before.get(k)]
        assert kept, "no variable was updated in its own storage"


@pytest.mark.parametrize("name,cls", GENERATED, ids=[n for n, _ in GENERATED])
@settings(max_examples=2, deadline=None)
@given(data=st.data())
def test_every_gradient_agrees_with_reference(name, cls, data, executor):
    example = data.draw(cls.examples(strategies), label="example")
    support.check_gradient(name, cls, example, executor)
