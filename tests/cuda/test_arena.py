"""The cuda executor's buffers come from one arena sized by the plan's memory plan: offsets on
256-byte boundaries, buffers disjoint and in order, one allocation per lowering (checked on the
executor over the emulated backend), and an allocation failure named with the plan's size."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import graphflow as gf
from graphflow.executors.cuda import arena, emulate
from graphflow.executors.cuda.executor import CudaExecutor
from graphflow.testing.cuda_emulation import EmulatedCudaExecutor, emulated_executor


@given(st.lists(st.integers(0, 5000), max_size=12))
def test_layout_aligns_and_packs_the_buffers(sizes):
    offsets, total = arena.layout(sizes)
    assert all(o % arena.ALIGN == 0 for o in offsets)
    ends = [o + n for o, n in zip(offsets, sizes, strict=True)]
    assert all(e <= o for e, o in zip(ends, offsets[1:], strict=False))  # disjoint, in order
    assert all(o - e < arena.ALIGN for e, o in zip([0, *ends], offsets, strict=False))  # packed
    assert total == (ends[-1] if sizes else 0)


def test_carve_gives_byte_views_of_one_arena():
    buffers = arena.carve(np, [10, 0, 300, 4])
    assert [b.nbytes for b in buffers] == [10, 0, 300, 4]
    base = buffers[0].base
    assert base is not None and all(b.base is base for b in buffers)
    assert base.nbytes == 256 * 3 + 4
    assert arena.layout([10, 0, 300, 4])[0] == [0, 256, 256, 768]
    addresses = [b.ctypes.data - base.ctypes.data for b in buffers if b.nbytes]
    assert addresses == [0, 256, 768]
    assert buffers[3].view(np.float32).shape == (1,)
    assert arena.carve(np, []) == []
    with pytest.raises(ValueError, match="-1 bytes"):
        arena.layout([4, -1])


@pytest.mark.skipif(not emulate.available()[0], reason=emulate.available()[1])
def test_a_lowered_plan_allocates_one_arena():
    graph = gf.Graph()
    with graph.as_default():
        x = gf.placeholder(gf.float32, [64, 32])
        y = gf.tanh(gf.matmul(x, gf.transpose(x)) * 2.0)
        z = gf.reduce_sum(gf.pad(y, [[1, 1], [0, 2]]) + 1.0, axis=1)
    feed = {x: np.random.default_rng(0).standard_normal((64, 32)).astype(np.float32)}
    with emulated_executor() as name, gf.Session(graph=graph, executor=name) as sess:
        got = sess.run(z, feed)
        plan = sess.compiled_plan([z], feed)
        buffers = EmulatedCudaExecutor().lower(plan).buffers
    assert len(buffers) >= 2, "the plan has too few buffers to tell"
    assert len(buffers) == len(plan.buffers) and all(b.base is buffers[0].base for b in buffers)
    assert buffers[0].base.nbytes == arena.layout(plan.buffers)[1]
    ref = gf.Session(graph=graph, executor="reference").run(z, feed)
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-4)


def test_an_allocation_failure_names_the_plan_size(monkeypatch):
    class Plan:
        buffers = [1000, 24]

    def refuse(xp, sizes):
        raise MemoryError("out of memory allocating 1,280 bytes")

    monkeypatch.setattr(arena, "carve", refuse)
    with pytest.raises(gf.errors.ResourceExhaustedError,
                       match=r"the 2 device buffers \(1,048 bytes with alignment\) this plan "
                             r"needs: out of memory"):
        EmulatedCudaExecutor().allocate(Plan())
    assert CudaExecutor.allocate is EmulatedCudaExecutor.allocate
