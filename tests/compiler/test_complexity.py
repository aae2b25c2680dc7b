"""Graph building, gradients and compilation stay near-linear in the number of nodes.

Timings would be flaky on a shared machine, so these count work instead: the Python function
calls (and C calls) each phase makes on a chain of n ops and on one of 4n. Linear work grows
4.0x (a heap push or pop is one C call, so the sorts' log factor does not show). The quadratic
passes this replaced (a merge test scanning every producer outside a fusion group, dead-node
sweeps repeated until nothing changed) grew compilation's calls 4.4x from 300 to 1,200 ops and
5.2x from 600 to 2,400.
"""

import sys

import numpy as np

import graphflow as gf
from graphflow.compiler import compile_plan


class _Calls:
    def __init__(self):
        self.count = 0

    def __call__(self, frame, event, arg):
        if event in ("call", "c_call"):
            self.count += 1

    def run(self, fn, *args):
        sys.setprofile(self)
        try:
            return fn(*args)
        finally:
            sys.setprofile(None)


def _work(length: int) -> dict:
    counts = {}
    g = gf.Graph()
    with g.as_default():
        x = gf.placeholder(gf.float32, [16])

        def build():
            y = x
            for i in range(length):
                y = y + 0.01 if i % 3 == 0 else y * 0.999 if i % 3 == 1 else gf.tanh(y)
            return y

        calls = _Calls()
        y = calls.run(build)
        counts["build"] = calls.count
        calls = _Calls()
        (grad,) = calls.run(gf.gradients, y, x)
        counts["gradient"] = calls.count
        calls = _Calls()
        plan = calls.run(compile_plan, [y, grad], [], [x], [(16,)])
        counts["compile"] = calls.count
        with gf.Session(graph=g) as sess:  # the plan is right, not just cheap
            got = sess.run(grad, {x: np.zeros(16, np.float32)})
        assert got.shape == (16,) and np.all(np.isfinite(got))
        assert len(plan.steps) < 10, "the chain and its gradient should fuse into a few steps"
    return counts


def test_build_gradient_and_compile_grow_no_faster_than_n_log_n():
    small, large = _work(300), _work(1200)
    growth = {phase: large[phase] / small[phase] for phase in small}
    assert all(g < 4.25 for g in growth.values()), f"work grew by {growth} for 4x the ops"
    assert all(g > 3.5 for g in growth.values()), f"suspiciously flat growth {growth}"
