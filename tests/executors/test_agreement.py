"""Every executor agrees with the reference executor (the NumPy oracle) on every op and on random
graphs: known and unknown dims, empty tensors, non-contiguous feeds, buffers reused across runs.

Parametrised over every executor available here (`executor_names`), so a new one gets these
tests for free; the strict test executor of tests/executors/strict_executor.py is among them."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graphflow as gf
from graphflow.executors import executor_names, get_executor
from graphflow.ops.registry import NoExamples, apply_op, registered_ops
from graphflow.testing import strategies
from graphflow.testing.agreement import assert_agree, noncontiguous

OPS = sorted(registered_ops().items())
GENERATED = [(name, cls) for name, cls in OPS if not isinstance(cls.examples, NoExamples)]
EXECUTORS = [n for n in executor_names(available_only=True) if n != "reference"]
pytestmark = [pytest.mark.parametrize("executor", EXECUTORS), pytest.mark.executor_matrix]


def run_both(graph, fetches, feed, executor, runs=2):
    """(reference results or its exception type, [executor results per run] or its exception)."""
    results = []
    for name in ("reference", executor):
        try:
            with gf.Session(graph=graph, executor=name) as sess:
                results.append([sess.run(fetches, feed) for _ in range(runs)])
        except gf.errors.GraphflowError as err:
            results.append(type(err))
    return results


def check_example(name, cls, example, mask, executor):
    graph = gf.Graph()
    with graph.as_default():
        shapes = [np.shape(v) for v in example.inputs]
        phs = [gf.placeholder(gf.as_dtype(np.asarray(v).dtype),
                              [None] * len(s) if mask == "unknown_dims" else list(s))
               for v, s in zip(example.inputs, shapes, strict=True)]
        out = apply_op(cls(**example.attrs), phs)
        outs = list(out) if isinstance(out, tuple) else [out]
    inputs = [noncontiguous(v) if mask == "noncontiguous" else v for v in example.inputs]
    ref, cpu = run_both(graph, outs, dict(zip(phs, inputs, strict=True)), executor)
    if isinstance(ref, type):
        assert cpu is ref, f"{name}: reference raised {ref.__name__}, {executor} gave {cpu}"
        return
    assert not isinstance(cpu, type), f"{name}: {executor} raised {cpu.__name__}"
    for run, got in enumerate(cpu):
        for i, (g, e) in enumerate(zip(got, ref[0], strict=True)):
            assert_agree(g, e, f"{name} output {i} run {run} ({mask}, {executor})")


@pytest.mark.parametrize("name,cls", GENERATED, ids=[n for n, _ in GENERATED])
@settings(max_examples=25, deadline=None)
@given(data=st.data(), mask=st.sampled_from(["known", "unknown_dims", "noncontiguous"]))
def test_every_op_agrees_with_reference(name, cls, data, mask, executor):
    assert name in get_executor(executor).table, f"{executor} has no kernel for {name}"
    example = data.draw(cls.examples(strategies), label="example")
    check_example(name, cls, example, mask, executor)


# --- empty tensors --------------------------------------------------------------------------------
EMPTY_SHAPES = [(0,), (0, 3), (3, 0), (2, 0, 4), (0, 0)]


@pytest.mark.parametrize("op", ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min",
                                "reduce_prod", "reduce_all", "reduce_any"])
@pytest.mark.parametrize("shape", EMPTY_SHAPES)
@pytest.mark.parametrize("axis", [None, 0, -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_empty_reductions(op, shape, axis, keepdims, executor):
    dtype = np.bool_ if op in ("reduce_all", "reduce_any") else np.float32
    x = gf.placeholder(dtype, [None] * len(shape))
    y = getattr(gf, op)(x, axis=axis, keepdims=keepdims)
    ref, cpu = run_both(gf.get_default_graph(), [y], {x: np.zeros(shape, dtype)}, executor)
    for got in cpu:
        assert_agree(got[0], ref[0][0], f"{op}{shape} axis={axis}")


@pytest.mark.parametrize("case", ["concat", "concat_all_empty", "gather_empty_indices",
                                  "gather_empty_rows", "add", "softmax", "softmax_xent",
                                  "argmax", "scatter_add", "one_hot", "transpose", "stack",
                                  "tile", "l2_loss", "sum_to_shape"])
def test_empty_tensors(case, executor):
    f = np.float32
    a = gf.placeholder(f, [None, None])
    b = gf.placeholder(f, [None, None])
    i = gf.placeholder(gf.int64, [None])
    feeds = {a: np.ones((2, 3), f), b: np.zeros((0, 3), f), i: np.zeros((0,), np.int64)}
    out = {
        "concat": lambda: gf.concat([a, b, a], axis=0),
        "concat_all_empty": lambda: gf.concat([b, b], axis=1),
        "gather_empty_indices": lambda: gf.gather(a, i),
        "gather_empty_rows": lambda: gf.gather(b, i, axis=1),
        "add": lambda: b + 1.0,
        "softmax": lambda: gf.nn.softmax(b),
        "softmax_xent": lambda: gf.nn.softmax_cross_entropy_with_logits_v2(labels=b, logits=b),
        "argmax": lambda: gf.argmax(b, axis=1),
        "scatter_add": lambda: gf.gradients(gf.reduce_sum(gf.gather(a, i)), a)[0],
        "one_hot": lambda: gf.one_hot(i, 4),
        "transpose": lambda: gf.transpose(b),
        "stack": lambda: gf.stack([b, b], axis=1),
        "tile": lambda: gf.tile(b, [2, 3]),
        "l2_loss": lambda: gf.nn.l2_loss(b),
        "sum_to_shape": lambda: gf.gradients(gf.reduce_sum(b + a[:1]), a)[0],
    }[case]()
    ref, cpu = run_both(gf.get_default_graph(), [out], feeds, executor)
    if isinstance(ref, type):
        assert cpu is ref
        return
    for got in cpu:
        assert_agree(got[0], ref[0][0], case)


# --- random graphs --------------------------------------------------------------------------------
UNARY = ["exp", "tanh", "sigmoid", "negative", "square", "abs", "relu", "identity"]
BINARY = ["add", "subtract", "multiply", "maximum"]
KINDS = ["unary", "binary", "bias", "rowmean", "colmax", "matmul", "softmax", "transpose2",
         "concat_slice", "gather", "sum_all", "logsoftmax"]


@st.composite
def random_graph(draw):
    """Steps over a pool of [batch, 4] tensors (batch unknown while building)."""
    steps, pool = [], 2
    for _ in range(draw(st.integers(2, 12))):
        kind = draw(st.sampled_from(KINDS))
        pick = st.integers(0, pool - 1)
        if kind == "unary":
            steps.append((kind, draw(st.sampled_from(UNARY)), draw(pick)))
        elif kind in ("binary", "concat_slice"):
            steps.append((kind, draw(st.sampled_from(BINARY)), draw(pick), draw(pick)))
        else:
            steps.append((kind, draw(pick)))
        pool += 1
    fetched = draw(st.lists(st.integers(0, pool - 1), min_size=1, max_size=4, unique=True))
    return steps, fetched


def build(recipe, dtype, known):
    steps, fetched = recipe
    a = gf.placeholder(dtype, [3, 4] if known else [None, 4], name="a")
    b = gf.placeholder(dtype, [3, 4], name="b")
    w = gf.constant(np.linspace(-1, 1, 16).reshape(4, 4), dtype=dtype)
    pool = [a, b]
    for step in steps:
        kind, x = step[0], pool[step[-1]]
        if kind == "unary":
            y = getattr(gf, step[1])(x)
        elif kind == "binary":
            y = getattr(gf, step[1])(pool[step[2]], x)
        elif kind == "bias":
            y = x + gf.constant([1.0, -2.0, 3.0, 0.5], dtype=dtype)
        elif kind == "rowmean":
            y = x - gf.reduce_mean(x, axis=1, keepdims=True)
        elif kind == "colmax":
            y = x * gf.reduce_max(x, axis=0)
        elif kind == "matmul":
            y = gf.matmul(x, w, transpose_b=True)
        elif kind == "softmax":
            y = gf.nn.softmax(x)
        elif kind == "logsoftmax":
            y = gf.nn.log_softmax(x)
        elif kind == "transpose2":
            y = gf.transpose(gf.transpose(x) * 2.0)
        elif kind == "concat_slice":
            y = gf.concat([pool[step[2]], x], axis=1)[:, 1:5]
        elif kind == "gather":
            y = gf.gather(x, [2, 0, 1])
        else:
            y = x + gf.reduce_sum(x)
        pool.append(y)
    return a, b, [pool[i] for i in fetched]


@given(recipe=random_graph(), seed=st.integers(0, 2**16), known=st.booleans(),
       dtype=st.sampled_from([np.float32, np.float64]))
@settings(deadline=None)
def test_random_graphs_agree(recipe, seed, known, dtype, executor):
    graph = gf.Graph()
    with graph.as_default():
        a, b, fetches = build(recipe, dtype, known)
        grads = gf.gradients(gf.add_n([gf.reduce_sum(f) for f in fetches]), [a, b])
        fetches = fetches + [g for g in grads if g is not None]
    rng = np.random.default_rng(seed)
    feed = {v: rng.uniform(-2, 2, (3, 4)).astype(dtype) for v in (a, b)}
    ref, cpu = run_both(graph, fetches, feed, executor)
    rtol = 1e-4 if dtype == np.float32 else 1e-9
    for run, got in enumerate(cpu):
        for i, (g, e) in enumerate(zip(got, ref[0], strict=True)):
            assert g.dtype == e.dtype
            np.testing.assert_allclose(g, e, rtol=rtol, atol=rtol, err_msg=f"fetch {i} run {run}")


# --- aliasing -------------------------------------------------------------------------------------
def test_outputs_do_not_alias_each_other_or_earlier_runs(executor):
    x = gf.placeholder(gf.float32, [4, 8])
    h = gf.tanh(gf.matmul(x, gf.constant(np.eye(8, dtype=np.float32))) + 1.0)
    s = gf.reduce_sum(h, axis=0)
    p = gf.nn.softmax(h)
    g = gf.gather(h, [1, 3])
    fetches = [h, s, p, g, gf.concat([h, p], axis=1), gf.transpose(h * 2.0)]
    feed = {x: np.arange(32, dtype=np.float32).reshape(4, 8) / 32}
    with gf.Session(executor="reference") as ref_sess:
        expected = ref_sess.run(fetches, feed)
    with gf.Session(executor=executor) as sess:
        first = sess.run(fetches, feed)
        for i, u in enumerate(first):
            for v in first[i + 1:]:
                assert not np.shares_memory(u, v)
            u[...] = 999.0  # the caller owns its results
        second = sess.run(fetches, feed)
    for u, v, e in zip(first, second, expected, strict=True):
        assert not np.shares_memory(u, v)
        assert_agree(v, e)
