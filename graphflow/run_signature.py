"""A run signature: what is fetched and which tensors are fed, resolved once per Session.

`Session.run` looks its signature up by the fetch structure and the feed keys; each call then
only checks the feed values (a dtype and shape comparison on the fast path), finds the plan
compiled for these feed shapes, runs it, and rebuilds the fetch structure. A signature holds no
Session: it is given the executor, the session's state and the compiler settings.
"""

from __future__ import annotations

import os

from graphflow import nest
from graphflow._ext.fastpath import SignatureCore
from graphflow.compiler import compile_plan
from graphflow.core.gc_pause import without_gc
from graphflow.core.node import Operation, Tensor
from graphflow.feeds import convert_feed

# Plans kept per signature, oldest dropped first: a Session fed many batch sizes stays bounded.
MAX_PLANS = int(os.environ.get("GRAPHFLOW_MAX_PLANS", "8"))
MAX_PLAN_BYTES = int(os.environ.get("GRAPHFLOW_MAX_PLAN_BYTES", str(256 << 20)))


def freeze(fetches):
    """A hashable key for a fetch structure (lists and dicts become tuples, leaves stay)."""
    if isinstance(fetches, (Tensor, Operation, str)):
        return fetches
    if isinstance(fetches, dict):
        return (type(fetches), tuple((k, freeze(v)) for k, v in fetches.items()))
    if isinstance(fetches, (list, tuple)):
        return (type(fetches), tuple(freeze(v) for v in fetches))
    return fetches


class RunSignature(SignatureCore):
    def __init__(self, executor, state, fetch_leaves, fetches, feed_tensors, disabled_passes=()):
        self.executor = executor
        self.state = state
        self.disabled_passes = tuple(disabled_passes)
        self.convert_feed = convert_feed
        self.pack = nest.pack_sequence_as
        leaves = list(fetch_leaves)
        self.tensors = list(dict.fromkeys(x for x in leaves if isinstance(x, Tensor)))
        self.targets = list(dict.fromkeys(x for x in leaves if isinstance(x, Operation)))
        index = {t: i for i, t in enumerate(self.tensors)}
        self.leaf_index = [index.get(x, -1) for x in leaves]
        self.structure = fetches if isinstance(fetches, (list, tuple, dict)) else None
        self.feed_tensors = list(feed_tensors)
        self.feed_dtypes = [t.dtype.np for t in self.feed_tensors]
        self.feed_dims = [t.shape.dims for t in self.feed_tensors]
        self.runnables = {}
        self.compiled = 0  # plans compiled over this signature's life

    __call__ = SignatureCore.call

    @without_gc
    def compile(self, shapes):
        """Compile and lower the plan for these feed shapes, and cache it (bounded)."""
        plan = self.plan(shapes)
        plan.program = None  # the compiler's IR is for explain and pictures, not for running
        runnable = self.executor.lower(plan)
        self.compiled += 1
        self._evict(sum(plan.buffers))
        self.runnables[shapes] = runnable
        return runnable

    def _evict(self, incoming: int) -> None:
        cached = self.runnables
        total = incoming + sum(sum(r.plan.buffers) for r in cached.values())
        while cached and (len(cached) >= MAX_PLANS or total > MAX_PLAN_BYTES):
            oldest = next(iter(cached))
            total -= sum(cached.pop(oldest).plan.buffers)

    def plan(self, shapes):
        return compile_plan(self.tensors, self.targets, self.feed_tensors, list(shapes),
                            self.disabled_passes, self.executor.target())
