"""W5 as a curve: build, gradient, compile, lowering and first-run time of 1k, 10k, 100k-op chains.

Each phase of one chain is timed on its own (and the time Python's cyclic garbage collector
took inside it), so a phase that grows faster than n log n shows in its own column. The chain is
W5's (add, mul, tanh repeating on shape (16,)); its gradient more than doubles the node count.
"""

from __future__ import annotations

import gc
import statistics
import time

import numpy as np

import graphflow as gf
from graphflow.core.gc_pause import gc_paused

PHASES = ("build", "gradient", "compile", "lower", "first run")


class _GCClock:
    """Seconds the cyclic collector ran since `reset`, from gc.callbacks."""

    def __init__(self):
        self.total = 0.0
        self._start = 0.0

    def __call__(self, phase, info):
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._start


def chain_phases(length: int, executor: str = "cpu") -> dict:
    """Seconds per phase (and their GC share, as `gc <phase>`) for one chain of `length` ops."""
    x_val = np.linspace(-1, 1, 16).astype(np.float32)
    clock = _GCClock()
    marks = []

    def mark():
        marks.append((time.perf_counter(), clock.total))

    gc.callbacks.append(clock)
    try:
        mark()
        g = gf.Graph()
        with g.as_default():
            x = gf.placeholder(gf.float32, [16])
            y = x
            for i in range(length):
                y = y + 0.01 if i % 3 == 0 else y * 0.999 if i % 3 == 1 else gf.tanh(y)
            mark()
            (grad,) = gf.gradients(y, x)
            mark()
            sess = gf.Session(graph=g, executor=executor)
            signature = sess._signature([y, grad], (x,))
            plan = signature.plan(((16,),))
            mark()
            plan.program = None  # as RunSignature.compile does: the IR is not run
            with gc_paused():  # RunSignature.compile lowers with the collector paused too
                runnable = sess.executor.lower(plan)
            mark()
            signature.runnables[((16,),)] = runnable  # the first run below must not recompile
            sess.run([y, grad], {x: x_val})
            mark()
            compiled = signature.compiled
            sess.close()
    finally:
        gc.callbacks.remove(clock)
    if compiled:
        raise AssertionError("the first run compiled its plan again: the phases would overlap")
    out = {"nodes": len(g)}
    for name, (t0, c0), (t1, c1) in zip(PHASES, marks, marks[1:]):
        out[name] = t1 - t0
        out[f"gc {name}"] = c1 - c0
    return out


def curve(lengths=(1000, 10000, 100000), executor: str = "cpu", repeats=None) -> list:
    """Median phase times for each chain length (fewer repeats for the long chains)."""
    results = []
    for n in lengths:
        count = repeats or (5 if n <= 1000 else 3 if n <= 10000 else 1)
        runs = [chain_phases(n, executor) for _ in range(count)]
        results.append({k: statistics.median(r[k] for r in runs) for k in runs[0]} | {"ops": n})
    return results


def format_curve(results) -> str:
    """A table: per length, the milliseconds of each phase and, per node, of the whole."""
    head = f"{'ops':>7} {'nodes':>7} " + " ".join(f"{p:>10}" for p in PHASES) + \
        f" {'total':>10} {'us/node':>8} {'gc':>8}"
    lines = [head + "  (ms)", "-" * len(head)]
    for r in results:
        total = sum(r[p] for p in PHASES)
        gc_total = sum(r[f"gc {p}"] for p in PHASES)
        lines.append(f"{r['ops']:>7} {r['nodes']:>7} " +
                     " ".join(f"{r[p] * 1e3:>10.1f}" for p in PHASES) +
                     f" {total * 1e3:>10.1f} {total / r['nodes'] * 1e6:>8.2f} "
                     f"{gc_total * 1e3:>8.1f}")
    return "\n".join(lines)
