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
    """TF1's `tf.errors.OpError`: the base of the errors a run (or a file operation) raises.

    graphflow's error classes take the message alone (`tf.errors.OutOfRangeError("end")`); the
    message names the op, the values and where the op was built.

    Examples:
        >>> x = tf.placeholder(tf.float32, name="x")
        >>> try:
        ...     tf.Session().run(x * 2.0)
        ... except tf.errors.OpError as err:
        ...     print(type(err).__name__)
        InvalidArgumentError
    """


class InvalidArgumentError(OpError, ValueError):
    """A bad value at run time: a feed of the wrong shape or dtype, an op whose input is invalid.

    Examples:
        >>> x = tf.placeholder(tf.float32, [2], name="x")
        >>> tf.Session().run(x, {x: [1., 2., 3.]})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        graphflow.errors.InvalidArgumentError: Cannot feed value of shape (3,) for Tensor 'x:0', ...
    """


class NotFoundError(OpError, ValueError):
    """A file, a checkpoint, or a variable in a checkpoint does not exist.

    Examples:
        >>> v = tf.Variable(1.0)
        >>> tf.train.Saver().restore(tf.Session(), "./no/such/model.ckpt")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        graphflow.errors.NotFoundError: No checkpoint at './no/such/model.ckpt' ...
    """


class DataLossError(OpError, ValueError):
    """A checkpoint or graph file is truncated or corrupt (it cannot be decoded or verified).

    Examples:
        >>> with open("checkpoint", "w") as f:
        ...     _ = f.write("not a state file")
        >>> tf.train.latest_checkpoint(".")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        graphflow.errors.DataLossError: Checkpoint state file ./checkpoint is corrupt: ...
    """


class FailedPreconditionError(OpError, RuntimeError):
    """A run needs state that is not there yet, e.g. an uninitialised variable.

    Examples:
        >>> v = tf.Variable(1.0, name="v")
        >>> tf.Session().run(v)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        graphflow.errors.FailedPreconditionError: Attempting to use uninitialized value v ...
    """


class OpRuntimeError(OpError, RuntimeError):
    """An op failed while it ran; the message names it and where it was built."""


class ResourceExhaustedError(OpError, MemoryError):
    """A run needs more memory than can be had (TF1's name for out-of-memory).

    It is also a MemoryError, so `except MemoryError` catches it.

    Examples:
        >>> print(issubclass(tf.errors.ResourceExhaustedError, MemoryError))
        True
    """


class OutOfRangeError(OpError, IndexError):
    """TF1's end-of-input signal: an iterator or queue has no more elements.

    Examples:
        >>> item = tf.data.Dataset.from_tensor_slices([1, 2]).make_one_shot_iterator().get_next()
        >>> with tf.Session() as sess:
        ...     try:
        ...         while True:
        ...             print(sess.run(item))
        ...     except tf.errors.OutOfRangeError:
        ...         print("done")
        1
        2
        done
    """


class AlreadyExistsError(OpError, ValueError):
    """Something to be created (a file, a name) exists already.

    Examples:
        >>> err = tf.errors.AlreadyExistsError("the directory exists")
        >>> print(isinstance(err, tf.errors.OpError), err)
        True the directory exists
    """


class PermissionDeniedError(OpError, PermissionError):
    """The caller may not do what it asked (e.g. write a file in a read-only place).

    It is also a PermissionError, so `except PermissionError` catches it.

    Examples:
        >>> print(issubclass(tf.errors.PermissionDeniedError, PermissionError))
        True
    """


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
