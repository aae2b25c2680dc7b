"""The executor contract, proved with the strict test executor and checked on every executor.

The strict executor's values refuse NumPy conversion: if Session, Saver, check_numerics, tracing
or fetch conversion touched a value without the state's `to_host` / `from_host`, these tests
would fail. Defects the contract redesign fixed have their regression tests here too.
"""

import threading

import numpy as np
import pytest
import strict_executor
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graphflow as gf
from graphflow.executors import executor_names
from graphflow.ops.registry import NoExamples, apply_op, registered_ops
from graphflow.testing import strategies

pytestmark = pytest.mark.executor_matrix
EXECUTORS = executor_names(available_only=True)
GENERATED = sorted((n, c) for n, c in registered_ops().items()
                   if not isinstance(c.examples, NoExamples))


def _run(executor, build, feeds_of, runs=1):
    graph = gf.Graph()
    with graph.as_default():
        fetches, feeds = build()
        with gf.Session(graph=graph, executor=executor) as sess:
            return [sess.run(fetches, feeds_of(feeds)) for _ in range(runs)]


# --- the strict executor runs everything through the contract ----------------------------------
@pytest.mark.parametrize("name,cls", GENERATED, ids=[n for n, _ in GENERATED])
@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_strict_executor_runs_every_op_and_its_gradient_like_the_reference(name, cls, data):
    example = data.draw(cls.examples(strategies), label="example")
    arrays = [np.asarray(v) for v in example.inputs]

    def build():
        phs = [gf.placeholder(gf.as_dtype(a.dtype), a.shape) for a in arrays]
        out = apply_op(cls(**example.attrs), phs)
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        floats = [o for o in outs if o.dtype.is_floating]
        grads = []
        if floats and not cls.not_differentiable and cls.gradient is not None:
            total = gf.add_n([gf.reduce_sum(o * gf.cast(1.5, o.dtype)) for o in floats])
            grads = [g for g in gf.gradients(total, phs) if g is not None]
        return outs + grads, phs

    results = {}
    for executor in ("reference", "strict"):
        try:
            results[executor] = _run(executor, build, lambda phs: dict(zip(phs, arrays)))[0]
        except gf.errors.GraphflowError as err:
            results[executor] = type(err)
    ref, got = results["reference"], results["strict"]
    if isinstance(ref, type):
        assert got is ref, f"{name}: reference raised {ref.__name__}, strict gave {got}"
        return
    assert not isinstance(got, type), f"{name}: strict raised {got.__name__}"
    for i, (g, e) in enumerate(zip(got, ref, strict=True)):
        g, e = np.asarray(g), np.asarray(e)
        assert g.dtype == e.dtype and g.shape == e.shape, f"{name} fetch {i}"
        np.testing.assert_array_equal(g, e, err_msg=f"{name} fetch {i}")


def _mlp_training(executor, tmp_path):
    """A digits-style MLP with dropout and Adam, saved, restored, checked and traced."""
    rng = np.random.default_rng(0)
    images = rng.normal(size=(32, 16)).astype(np.float32)
    labels = rng.integers(0, 4, size=32)
    graph = gf.Graph()
    with graph.as_default():
        gf.set_random_seed(7)
        x = gf.placeholder(gf.float32, [None, 16], name="x")
        y = gf.placeholder(gf.int64, [None], name="y")
        hidden = gf.layers.dense(x, 12, activation=gf.nn.relu, name="hidden")
        hidden = gf.nn.dropout(hidden, keep_prob=0.8)
        logits = gf.layers.dense(hidden, 4, name="out")
        loss = gf.reduce_mean(gf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=y, logits=logits))
        checked = gf.check_numerics(loss, "loss")
        accuracy = gf.reduce_mean(gf.cast(gf.equal(gf.argmax(logits, 1), y), gf.float32))
        train = gf.train.AdamOptimizer(0.01).minimize(loss)
        saver = gf.train.Saver()
        losses = []
        with gf.Session(graph=graph, executor=executor, check_numerics=True) as sess:
            sess.run(gf.global_variables_initializer())
            for _ in range(5):
                _, value = sess.run([train, checked], {x: images, y: labels})
                losses.append(value)
            path = saver.save(sess, str(tmp_path / executor / "model"))
            metadata = gf.RunMetadata()
            sess.run(loss, {x: images, y: labels},
                     options=gf.RunOptions(trace=True), run_metadata=metadata)
            weights = sess.run(gf.trainable_variables())
        with gf.Session(graph=graph, executor=executor) as sess:
            saver.restore(sess, path)
            restored = sess.run(gf.trainable_variables())
            acc = sess.run(accuracy, {x: images, y: labels})
    return losses, weights, restored, acc, metadata


def test_training_saving_checking_and_tracing_go_through_the_contract(tmp_path):
    ref = _mlp_training("reference", tmp_path)
    got = _mlp_training("strict", tmp_path)
    np.testing.assert_allclose(got[0], ref[0], rtol=1e-6)
    for a, b in zip(got[1] + got[2], ref[1] + ref[2], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    for a, b in zip(got[1], got[2], strict=True):
        np.testing.assert_array_equal(a, b)  # restored exactly what was saved
    assert got[3] == pytest.approx(ref[3])
    stats = got[4].step_stats
    assert stats and all(isinstance(t.shapes, tuple) for t in stats)
    assert any(t.type == "Transfer" for t in stats)  # the declared fallbacks ran on the host


def test_strict_values_refuse_host_access():
    with pytest.raises(strict_executor.HostAccessError):
        np.asarray(strict_executor.Opaque(np.ones(3)))


def test_check_numerics_sees_device_values():
    x = gf.placeholder(gf.float32, [2])
    y = gf.log(x) * 2.0
    with gf.Session(executor="strict", check_numerics=True) as sess:
        with pytest.raises(gf.errors.InvalidArgumentError) as info:
            sess.run(y, {x: [1.0, 0.0]})
    assert "Inf" in str(info.value) and "test_contract.py" in str(info.value)


# --- placement ----------------------------------------------------------------------------------
def test_placement_bridges_host_fallbacks_with_transfers():
    x = gf.placeholder(gf.float32, [2, 3])
    y = gf.nn.softmax(x * 2.0) + 1.0
    with gf.Session(executor="strict") as sess:
        plan = sess.compiled_plan(y, {x: np.zeros((2, 3), np.float32)})
        got = sess.run(y, {x: np.ones((2, 3), np.float32)})
    kinds = [(s.type, s.device) for s in plan.steps]
    assert ("Softmax", "host") in kinds
    transfers = [s for s in plan.steps if s.type == "Transfer"]
    assert {(s.get_attr("src"), s.get_attr("dst")) for s in transfers} == {
        ("strict:0", "host"), ("host", "strict:0")}
    np.testing.assert_allclose(got, np.full((2, 3), 1 / 3 + 1, np.float32), rtol=1e-6)
    with gf.Session(executor="cpu") as sess:
        plan = sess.compiled_plan(y, {x: np.zeros((2, 3), np.float32)})
    assert not any(s.type == "Transfer" for s in plan.steps)


def test_verify_catches_a_broken_plan():
    x = gf.placeholder(gf.float32, [3])
    y = gf.reduce_sum(gf.exp(x))
    with gf.Session() as sess:
        plan = sess.compiled_plan(y, {x: np.zeros(3, np.float32)})
    plan.verify()
    assert len(plan.steps) == 2
    plan.steps.reverse()
    with pytest.raises(AssertionError, match="before it is written"):
        plan.verify()


# --- regressions of the cpu executor that the contract redesign fixed ---------------------------
@pytest.mark.parametrize("executor", EXECUTORS)
def test_an_in_place_update_never_rewrites_an_earlier_read(executor):
    v = gf.Variable([10.0, 20.0, 30.0])
    old = v.read_value()
    with gf.control_dependencies([old]):
        update = v.assign_add([1.0, 2.0, 3.0])
    with gf.control_dependencies([update]):
        delta = v.read_value() - old
    with gf.Session(executor=executor) as sess:
        sess.run(gf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(delta), [1.0, 2.0, 3.0])
        np.testing.assert_array_equal(sess.run(v), [11.0, 22.0, 33.0])


@pytest.mark.parametrize("executor", EXECUTORS)
def test_a_fetch_with_the_update_sees_the_value_before_it(executor):
    v = gf.Variable([1.0, 2.0])
    update = v.assign_add([1.0, 1.0])
    with gf.Session(executor=executor) as sess:
        sess.run(gf.global_variables_initializer())
        before, after = sess.run([v, update])
    np.testing.assert_array_equal(before, [1.0, 2.0])
    np.testing.assert_array_equal(after, [2.0, 3.0])


def test_training_updates_stay_in_place_on_cpu():
    x = gf.placeholder(gf.float32, [4, 3])
    w = gf.Variable(np.ones((3, 2), np.float32))
    loss = gf.reduce_sum(gf.matmul(x, w))
    train = gf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with gf.Session(executor="cpu") as sess:
        plan = sess.compiled_plan(train, {x: np.ones((4, 3), np.float32)})
    updates = [s for s in plan.steps if s.type in ("AssignSub", "FusedUpdate", "MatMulUpdate")]
    assert updates and all(s.updates_in_place for s in updates)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_the_plan_cache_stays_bounded_over_many_batch_sizes(executor):
    from graphflow.run_signature import MAX_PLANS

    x = gf.placeholder(gf.float32, [None, 8])
    y = gf.reduce_sum(gf.tanh(x) * 2.0)
    with gf.Session(executor=executor) as sess:
        for n in range(1, 3 * MAX_PLANS):
            assert sess.run(y, {x: np.ones((n, 8), np.float32)}) == pytest.approx(
                8 * n * 2 * np.tanh(1.0), rel=1e-5)
        assert len(sess._runnables) <= MAX_PLANS
        assert sess._compiled == 3 * MAX_PLANS - 1


@pytest.mark.parametrize("executor", EXECUTORS)
def test_concurrent_runs_never_mix_values_and_lose_no_update(executor):
    big = 20000
    v = gf.Variable(np.zeros(big, np.float32))
    bump = v.assign_add(np.ones(big, np.float32))
    errors, seen = [], []
    steps = 60

    with gf.Session(executor=executor) as sess:
        sess.run(gf.global_variables_initializer())

        def updater():
            try:
                for _ in range(steps):
                    sess.run(bump.op)
            except Exception as err:  # reported below
                errors.append(err)

        def reader():
            try:
                for _ in range(steps):
                    value = sess.run(v)
                    seen.append(bool(np.all(value == value[0])))
            except Exception as err:
                errors.append(err)

        threads = [threading.Thread(target=f) for f in (updater, updater, reader, reader)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        final = sess.run(v)
    assert not errors, errors
    assert all(seen), f"{seen.count(False)} of {len(seen)} fetches mixed old and new values"
    np.testing.assert_array_equal(final, np.full(big, 2 * steps, np.float32))


def test_ops_know_nothing_of_the_graph_at_run_time():
    """Stateful and random ops carry their state key as an attribute; no compute reads a node."""
    v = gf.Variable([1.0], name="weights")
    gf.random_uniform([2], seed=3, name="noise")
    draw = next(op for op in gf.get_default_graph().get_operations()
                if op.type == "RandomUniform")
    assert v.op.get_attr("key") == "weights"
    assert v.assign([2.0]).op.get_attr("key") == "weights"
    assert draw.get_attr("key") == draw.name
    assert not hasattr(draw.op, "node") and not hasattr(v.op.op, "node")
