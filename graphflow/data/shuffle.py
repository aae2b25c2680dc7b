"""`Dataset.shuffle`: TF1's buffer semantics over a seeded NumPy stream.

A buffer of `buffer_size` elements is filled from upstream; each element handed out is drawn
uniformly from the buffer, and its place refilled with the next upstream element, so a buffer
as large as the data shuffles it uniformly and a small one only locally. Seeds follow TF1's
graph-seed rules (graphflow.ops.random.get_seed): with a seed, every initialisation of an
iterator repeats the same orders; without one, each differs. With
`reshuffle_each_iteration` each pass (under `repeat`) gets a new order, else every pass repeats
the first. The orders are NumPy's, not TensorFlow's: the same seed gives a different (equally
uniform) permutation than TF1 does.
"""

from __future__ import annotations

import weakref

import numpy as np

from graphflow.core.graph import get_default_graph
from graphflow.data.stage import Stage, check_positive, tensor_inputs
from graphflow.ops.random import get_seed

_SHUFFLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # graph -> shuffles built


class Shuffle(Stage):
    def __init__(self, upstream, buffer_size, seed=None, reshuffle_each_iteration=None):
        self.upstream = (upstream,)
        self.buffer_size = buffer_size
        check_positive(buffer_size, "buffer_size", "Dataset.shuffle", building=True)
        self.seeds = get_seed(seed)
        # Under a graph seed, TF1 derives each unseeded shuffle's seed from the ops built before
        # it; datasets build none here, so count this graph's shuffles to keep them distinct.
        self.serial = 0
        if seed is None:
            graph = get_default_graph()
            self.serial = _SHUFFLES.get(graph, 0) + 1
            _SHUFFLES[graph] = self.serial
        self.reshuffle = True if reshuffle_each_iteration is None else bool(
            reshuffle_each_iteration)
        self.structure = upstream.structure

    def own_inputs(self):
        return tensor_inputs(self.buffer_size)

    def check(self, env):
        check_positive(env.count(self.buffer_size), "buffer_size", "Dataset.shuffle")

    def stream(self, env):
        size = env.count(self.buffer_size)
        state = env.state(self, self._first_pass)
        rng = np.random.default_rng(state["material"] + [state["epoch"]])
        if self.reshuffle:
            state["epoch"] += 1
        return _shuffled(self.upstream[0].stream(env), size, rng)

    def _first_pass(self) -> dict:
        seed, seed2 = self.seeds
        if seed is None:  # unseeded: fresh entropy for each initialisation
            material = [int(w) for w in np.random.SeedSequence().generate_state(2)]
        else:
            material = [seed, seed2 or 0, self.serial]
        return {"material": material, "epoch": 0}


def _shuffled(elements, size: int, rng: np.random.Generator):
    elements = iter(elements)
    buffer = []
    for element in elements:
        buffer.append(element)
        if len(buffer) == size:
            break
    while buffer:
        i = int(rng.integers(len(buffer)))
        chosen = buffer[i]
        refill = next(elements, _END)
        if refill is _END:
            buffer[i] = buffer[-1]
            buffer.pop()
        else:
            buffer[i] = refill
        yield chosen


_END = object()
