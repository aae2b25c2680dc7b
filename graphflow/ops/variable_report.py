"""`ReportUninitialized`: the names of the listed variables that the session has not yet set
(TF1's `report_uninitialized_variables`), read from the executor's state when it runs."""

from __future__ import annotations

import numpy as np

from graphflow.core import dtypes
from graphflow.errors import FailedPreconditionError
from graphflow.ops.registry import NoExamples, Op, register, spec


def _has(ctx, key) -> bool:
    """Whether the state holds `key`, asked through the kernel contract (read_variable)."""
    try:
        ctx.read_variable(key)
    except FailedPreconditionError:
        return False
    return True


@register("ReportUninitialized")
class ReportUninitialized(Op):
    """A 1-D string tensor: the `names` whose state `keys` hold no value yet, in list order."""

    attrs = {"keys": (), "names": ()}
    takes_context = True
    stateful = True  # its answer changes as the session initialises variables
    examples = NoExamples("reads session state; tested in tests/metrics/test_local_variables.py")

    def infer(self):
        return spec(dtypes.string, [None])

    def compute(self, ctx):
        missing = [n.encode() for k, n in zip(self.keys, self.names) if not _has(ctx, k)]
        out = np.empty(len(missing), dtype=object)  # TF1's string tensors hold bytes
        out[:] = missing
        return out
