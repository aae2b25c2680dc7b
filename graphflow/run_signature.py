"""A run signature: what is fetched and which tensors are fed, resolved once per Session.

`Session.run` looks its signature up by the fetch structure and the feed keys; each call then
only checks the feed values (a dtype and shape comparison on the fast path), finds the plan
compiled for these feed shapes, runs it, and rebuilds the fetch structure.
"""

from __future__ import annotations

from graphflow import nest
from graphflow._ext.fastpath import SignatureCore
from graphflow.compiler import compile_plan
from graphflow.core.node import Operation, Tensor


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
    def __init__(self, session, fetches, feed_tensors):
        from graphflow.session import convert_feed

        self.session = session
        self.convert_feed = convert_feed
        self.pack = nest.pack_sequence_as
        leaves = [session._as_fetch(f) for f in nest.flatten(fetches)]
        self.tensors = list(dict.fromkeys(x for x in leaves if isinstance(x, Tensor)))
        self.targets = list(dict.fromkeys(x for x in leaves if isinstance(x, Operation)))
        index = {t: i for i, t in enumerate(self.tensors)}
        self.leaf_index = [index.get(x, -1) for x in leaves]
        self.structure = fetches if isinstance(fetches, (list, tuple, dict)) else None
        self.feed_tensors = list(feed_tensors)
        self.feed_dtypes = [t.dtype.np for t in self.feed_tensors]
        self.feed_dims = [t.shape.dims for t in self.feed_tensors]
        self.runnables = {}

    __call__ = SignatureCore.call

    def compile(self, shapes):
        session = self.session
        plan = compile_plan(self.tensors, self.targets, self.feed_tensors, list(shapes),
                            session.disabled_passes)
        session._compiled += 1
        return session.executor.lower(plan)

    def plan(self, shapes):
        return compile_plan(self.tensors, self.targets, self.feed_tensors, list(shapes),
                            self.session.disabled_passes)
