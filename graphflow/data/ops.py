"""The iterator ops: stateful, keyed by name, their state in the session's executor state.

`IteratorV2` yields the iterator's handle, a string scalar naming its state (its node's name,
or its `shared_name`); `MakeIterator` (the initializer) starts a stream of the dataset there from
the values of the pipeline's input tensors, which are its own inputs; `IteratorGetNext` takes
the next element (an `OutOfRangeError` "End of sequence" at the end). `OneShotIterator` is a
handle that starts its dataset's stream the first time it runs. Every executor runs them on the
host: a stream is a Python object in `HostState`'s resource store, so each Session iterates on
its own. The dataset (a `Stage`) is held by the op object, outside its attributes: a graph
written to a file keeps the ops but not the pipeline.
"""

from __future__ import annotations

import numpy as np

from graphflow.core import dtypes
from graphflow.data.stage import Env
from graphflow.errors import FailedPreconditionError, OpError, OutOfRangeError
from graphflow.ops.registry import NoExamples, Op, register, spec

_TESTED = NoExamples("iterator state lives in the session; tested in tests/data/")


class _IteratorOp(Op):
    takes_context = True
    stateful = True
    # Handles and elements are new arrays (get_next copies them out of the stream); and the
    # memory planner needs a consumer with no outputs (MakeIterator) to say so.
    fresh_output = True
    examples = _TESTED

    def bind(self, node) -> None:
        super().bind(node)
        self.__dict__["where"] = f"{node.type} '{node.name}' (created at {node.site})"


class Stream:
    """One initialisation of an iterator: the running stream of flat elements."""

    def __init__(self, stage, env):
        self.elements = iter(stage.stream(env))
        self.done = False

    def next(self):
        if not self.done:
            element = next(self.elements, None)
            if element is not None:
                return element
            self.done = True
        return None


def start(ctx, key: str, stage, values, where: str) -> None:
    """(Re)start the iterator `key` on `stage`, its inputs' values checked first."""
    env = Env(dict(zip(stage.inputs(), [_kept(v) for v in values])))
    try:
        for each in stage.stages():
            each.check(env)
    except OpError as err:
        raise type(err)(f"{err}\n  while {where} started the iterator") from None
    ctx.set_resource(key, Stream(stage, env))


def _kept(value):
    """A value the stream may keep: a plan's buffer is reused and a fed array is the caller's,
    so both are copied; only read-only arrays that own their memory (constants) are not."""
    if isinstance(value, np.ndarray) and not value.flags.writeable and value.base is None:
        return value
    return np.array(value, copy=True)


def handle_value(key: str) -> np.ndarray:
    out = np.empty((), dtype=object)
    out[()] = key.encode()
    return out


@register("IteratorV2")
class IteratorHandle(_IteratorOp):
    """The iterator's handle (a string scalar), the input of its initializers and get_next ops."""

    attrs = {"key": None, "shared_name": ""}
    keyed_by_name = True

    def infer(self):
        return spec(dtypes.string, [])

    def compute(self, ctx):
        return handle_value(self.shared_name or self.key)


@register("OneShotIterator")
class OneShotIterator(_IteratorOp):
    """A handle whose dataset stream starts the first time it runs in a session."""

    attrs = {"key": None}
    keyed_by_name = True

    def infer(self, *values):
        return spec(dtypes.string, [])

    def compute(self, ctx, *values):
        if ctx.resource(self.key) is None:
            stage = self.__dict__.get("stage")
            if stage is None:
                raise FailedPreconditionError(f"{self.where} has no dataset: graphs read from "
                                              "files do not carry tf.data pipelines")
            start(ctx, self.key, stage, values, self.where)
        return handle_value(self.key)


@register("MakeIterator")
class MakeIterator(_IteratorOp):
    """(Re)starts the iterator named by `handle` on this op's dataset; no outputs."""

    input_names = ("iterator",)

    def infer(self, handle, *values):
        return []

    def compute(self, ctx, handle, *values):
        stage = self.__dict__.get("stage")
        if stage is None:
            raise FailedPreconditionError(f"{self.where} has no dataset: graphs read from files "
                                          "do not carry tf.data pipelines")
        start(ctx, _key(handle), stage, values, self.where)
        return ()


@register("IteratorGetNext")
class IteratorGetNext(_IteratorOp):
    """The next element of the iterator named by `handle`, one output per component."""

    attrs = {"output_types": (), "output_shapes": ()}
    input_names = ("iterator",)

    def infer(self, handle):
        return [spec(t, s) for t, s in zip(self.output_types, self.output_shapes)]

    def compute(self, ctx, handle):
        stream = ctx.resource(_key(handle))
        if stream is None:
            raise FailedPreconditionError(
                "GetNext() failed because the iterator has not been initialized. Ensure that "
                "you have run the initializer operation for this iterator before getting the "
                f"next element ({self.where}).")
        try:
            element = stream.next()
        except OpError as err:  # a stream's own error (a bad element): say which op ran it
            raise type(err)(f"{err}\n  while {self.where} made the next element") from None
        if element is None:
            raise OutOfRangeError(f"End of sequence (in {self.where})")
        out = tuple(np.array(v, dtype=t.np, copy=True) for v, t in zip(element,
                                                                       self.output_types))
        return out[0] if len(out) == 1 else out


def _key(handle) -> str:
    value = handle[()] if isinstance(handle, np.ndarray) else handle
    return value.decode() if isinstance(value, bytes) else str(value)
