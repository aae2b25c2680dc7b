"""Shared by the cuda executor tests: agreement of one op example with the reference executor,
and the cuda executor over the host emulation ("cuda-emulated": NumPy as the array module, the
generated CUDA C compiled for the host), registered only while a test uses it."""

from __future__ import annotations

import numpy as np

import graphflow as gf
from graphflow.ops.registry import NoExamples, apply_op, registered_ops
from graphflow.testing.agreement import assert_agree
from graphflow.testing.cuda_emulation import EmulatedCudaExecutor, emulated_executor  # noqa: F401

# float32 results of CUDA's expf/tanhf may differ from NumPy's by a few ulp more than the cpu's.
TOL = {np.dtype(np.float32): (1e-4, 1e-5), np.dtype(np.float64): (1e-10, 1e-12),
       np.dtype(np.float16): (1e-3, 1e-3)}
GENERATED = [(n, c) for n, c in sorted(registered_ops().items())
             if not isinstance(c.examples, NoExamples)]


def run_all(graph, fetches, feed, executor, runs=2):
    try:
        with gf.Session(graph=graph, executor=executor) as sess:
            return [sess.run(fetches, feed) for _ in range(runs)]
    except gf.errors.GraphflowError as err:
        return type(err)


def check_example(name, cls, example, executor):
    """The op on `example`'s inputs agrees with the reference on `executor` (or both raise)."""
    graph = gf.Graph()
    with graph.as_default():
        phs = [gf.placeholder(gf.as_dtype(np.asarray(v).dtype), list(np.shape(v)))
               for v in example.inputs]
        out = apply_op(cls(**example.attrs), phs)
        outs = list(out) if isinstance(out, tuple) else [out]
    feed = dict(zip(phs, example.inputs, strict=True))
    ref, got = run_all(graph, outs, feed, "reference"), run_all(graph, outs, feed, executor)
    if isinstance(ref, type):
        assert got is ref, f"{name}: reference raised {ref.__name__}, {executor} gave {got}"
        return
    assert not isinstance(got, type), f"{name}: {executor} raised {got.__name__}"
    for run, values in enumerate(got):
        for i, (g, e) in enumerate(zip(values, ref[0], strict=True)):
            assert_agree(g, e, f"{name} output {i} run {run} ({executor})", TOL)


def check_gradient(name, cls, example, executor):
    """d(sum of the float outputs)/d(float inputs) agrees with the reference on `executor`."""
    graph = gf.Graph()
    with graph.as_default():
        phs = [gf.placeholder(gf.as_dtype(np.asarray(v).dtype), list(np.shape(v)))
               for v in example.inputs]
        try:
            out = apply_op(cls(**example.attrs), phs)
        except gf.errors.GraphflowError:
            return  # the example is an error case: check_example covers it
        outs = [o for o in (out if isinstance(out, tuple) else [out]) if o.dtype.is_floating]
        wrt = [p for p in phs if p.dtype.is_floating]
        if not outs or not wrt:
            return
        try:
            grads = gf.gradients(gf.add_n([gf.reduce_sum(o) for o in outs]), wrt)
        except (gf.errors.GraphflowError, LookupError):
            return  # no gradient defined
        grads = [g for g in grads if g is not None]
    if not grads:
        return
    feed = dict(zip(phs, example.inputs, strict=True))
    ref, got = run_all(graph, grads, feed, "reference"), run_all(graph, grads, feed, executor)
    if isinstance(ref, type):
        assert got is ref, f"{name} gradient: reference raised {ref.__name__}, {executor} {got}"
        return
    assert not isinstance(got, type), f"{name} gradient: {executor} raised {got.__name__}"
    for i, (g, e) in enumerate(zip(got[0], ref[0], strict=True)):
        assert_agree(g, e, f"{name} gradient {i} ({executor})", TOL)
