"""The errors graphflow raises. Each message names the op, the shapes and the user's line.

The classes also derive from the built-in exception a TF1 user would catch (ValueError for bad
shapes and feeds, TypeError for bad dtypes), so existing `except` clauses keep working.
"""

from __future__ import annotations

from graphflow.compat.missing import module_getattr


class GraphflowError(Exception):
    """Base of every graphflow error."""


class ShapeError(GraphflowError, ValueError):
    """Static shapes that cannot work together, found while building the graph."""


class DTypeError(GraphflowError, TypeError, ValueError):
    """Dtypes that do not match (TF1 never mixes int and float silently)."""


class GraphError(GraphflowError, ValueError):
    """A malformed graph request: a name that does not exist, a finalized graph, a bad fetch."""


class OpError(GraphflowError):
    """TF1's `tf.errors.OpError`: the base of the errors a run (or a file operation) raises."""


class InvalidArgumentError(OpError, ValueError):
    """A bad value at run time: a feed of the wrong shape or dtype, an op whose input is invalid."""


class NotFoundError(OpError, ValueError):
    """A file, a checkpoint, or a variable in a checkpoint does not exist."""


class DataLossError(OpError, ValueError):
    """A checkpoint or graph file is truncated or corrupt (it cannot be decoded or verified)."""


class FailedPreconditionError(OpError, RuntimeError):
    """A run needs state that is not there yet, e.g. an uninitialised variable."""


class OpRuntimeError(OpError, RuntimeError):
    """An op failed while it ran; the message names it and where it was built."""


class ResourceExhaustedError(OpError, MemoryError):
    """A run needs more memory than can be had (TF1's name for out-of-memory)."""


class OutOfRangeError(OpError, IndexError):
    """TF1's end-of-input signal: an iterator or queue has no more elements."""


class AlreadyExistsError(OpError, ValueError):
    """Something to be created (a file, a name) exists already."""


class PermissionDeniedError(OpError, PermissionError):
    """The caller may not do what it asked (e.g. write a file in a read-only place)."""


class GraphGrowthWarning(UserWarning):
    """Runs keep adding ops to the graph a Session uses (ops built inside a training loop)."""


class InferenceError(Exception):
    """Raised by an op's `infer` with the rule that failed; the graph adds the op's context."""

    def __init__(self, message: str, kind: str = "shape"):
        super().__init__(message)
        self.kind = kind


def shape_rule(message: str) -> InferenceError:
    return InferenceError(message, "shape")


def dtype_rule(message: str) -> InferenceError:
    return InferenceError(message, "dtype")


def value_rule(message: str) -> InferenceError:
    return InferenceError(message, "value")


__getattr__ = module_getattr(__name__, "tf.errors")  # a TF1 name graphflow lacks, or a typo
