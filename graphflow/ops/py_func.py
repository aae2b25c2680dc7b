"""Calling Python from a graph: TF1's `py_func`, `numpy_function` and `py_function`.

As in TF1 the op's attribute is a token (`pyfunc_0`, ...) naming the callable in this process's
registry, so a graph with py_funcs can be saved and imported (no code is written to the file); a
graph imported in another process, where the token names nothing, raises a clear error when the
op runs. Outputs have unknown static shapes, as in TF1.
`py_func` / `numpy_function` (op types PyFunc, PyFuncStateless) hand the function NumPy arrays and
check each returned value's dtype exactly ("0-th value returned by f is double, but expects
float"); `py_function` (EagerPyFunc) hands it `EagerValue`s (arrays with TF2's `.numpy()`) and
converts what it returns to `Tout`. PyFunc and PyFuncStateless are not differentiable (TF1
registers them so: their gradient is None); EagerPyFunc has no gradient here (TF1 builds one from
an eager tape), so `gradients` through it raises "No gradient defined".
"""

from __future__ import annotations

import numpy as np

from graphflow.core.dtypes import DType, as_dtype
from graphflow.core.node import Tensor
from graphflow.errors import (
    InvalidArgumentError,
    OpRuntimeError,
    OutOfRangeError,
    ResourceExhaustedError,
)
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.registry import NoExamples, Op, apply_op, register, spec

__all__ = ["EagerValue", "numpy_function", "py_func", "py_function"]

_TESTED = NoExamples("runs a user's Python function; tested in tests/ops/test_py_func.py")

# token -> callable, for the life of the process (TF1's FuncRegistry keeps them the same way).
_FUNCTIONS: dict[str, object] = {}


def register_function(func) -> str:
    """A new token naming `func` in this process (one per py_func built, as TF1)."""
    token = f"pyfunc_{len(_FUNCTIONS)}"
    _FUNCTIONS[token] = func
    return token


def function_of(token: str):
    """The callable a token names; a clear error when this process never registered it."""
    func = _FUNCTIONS.get(token)
    if func is None:
        raise InvalidArgumentError(
            f"the Python function of this py_func ({token!r}) is not registered in this process: "
            "a graph file holds only the token, not the code. Rebuild the graph in Python (run "
            "the code that calls tf.py_func) before running it.")
    return func


class EagerValue(np.ndarray):
    """An input of a `py_function` function: a NumPy array that also answers `.numpy()`, as
    TF's EagerTensor does (arithmetic on it works as on the array)."""

    def numpy(self) -> np.ndarray:
        return np.array(self, copy=True).view(np.ndarray)


def _func_name(func) -> str:
    return getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or repr(func)


def _dtype_text(arr: np.ndarray) -> str:
    if arr.dtype == object or arr.dtype.kind in "SU":
        return "string"
    try:
        return as_dtype(arr.dtype).tf_name
    except (TypeError, ValueError, KeyError):
        return str(arr.dtype)


_RAISED_AS = ((StopIteration, OutOfRangeError), (MemoryError, ResourceExhaustedError),
              ((ValueError, TypeError, IndexError, KeyError), InvalidArgumentError))


class _PyFuncOp(Op):
    """Runs `func` on the input values; `Tout` is the tuple of output dtypes."""

    attrs = {"token": "", "Tout": ()}
    eager = False  # py_function: EagerValue inputs, results converted to Tout
    fresh_output = True  # results are always copied out of what the function returns
    examples = _TESTED

    @property
    def func(self):
        return function_of(self.token)

    def bind(self, node) -> None:
        super().bind(node)
        self._node = node  # for errors, and for shapes users set on its outputs (set_shape)

    def infer(self, *inputs):
        return [spec(dt, None) for dt in self.Tout]

    def _fail(self, cls, message, cause=None):
        node = getattr(self, "_node", None)
        raise cls(f"{node.describe() if node is not None else self.type}: {message}") from cause

    def compute(self, *inputs):
        args = [self._argument(x) for x in inputs]
        try:
            func = self.func
        except InvalidArgumentError as exc:
            self._fail(InvalidArgumentError, str(exc))
        name = _func_name(func)
        try:
            result = func(*args)
        except Exception as exc:  # re-raised as TF1 does: the op, then the Python error
            cls = next((c for kinds, c in _RAISED_AS if isinstance(exc, kinds)), OpRuntimeError)
            self._fail(cls, f"the Python function {name} raised {type(exc).__name__}: {exc}",
                       exc)
        if isinstance(result, (list, tuple)):
            values = list(result)
        elif result is None and not self.Tout:
            values = []
        else:
            values = [result]
        if len(values) != len(self.Tout):
            self._fail(InvalidArgumentError, f"{name} returns {len(values)} values, but "
                       f"expects to see {len(self.Tout)} values.")
        out = tuple(self._result(i, v, dt, name) for i, (v, dt) in
                    enumerate(zip(values, self.Tout)))
        self._check_shapes(out, name)
        return out if len(out) != 1 else out[0]

    def _check_shapes(self, out, name):
        """A shape set on an output (`set_shape`) is what the plan relies on: hold it to it."""
        node = getattr(self, "_node", None)
        for i, arr in enumerate(out if node is not None else ()):
            static = node.outputs[i].shape
            if not static.is_compatible_with(arr.shape):
                self._fail(InvalidArgumentError, f"the {i}-th value returned by {name} has "
                           f"shape {list(arr.shape)}, but the output's shape was set to "
                           f"{static}")

    def _argument(self, x):
        arr = np.array(x, copy=True)  # the function may keep or change it: never a plan buffer
        return arr.view(EagerValue) if self.eager else arr

    def _result(self, i, value, dtype: DType, name):
        if isinstance(value, np.ndarray):
            value = value.view(np.ndarray)
        if dtype.is_string:
            arr = np.array(value, dtype=object, copy=True)
            if not all(isinstance(v, (bytes, str)) for v in arr.reshape(-1)):
                self._fail(InvalidArgumentError, f"{i}-th value returned by {name} is not a "
                           "string, but expects string")
            flat = [v.encode() if isinstance(v, str) else v for v in arr.reshape(-1)]
            out = np.empty(arr.shape, dtype=object)
            out.reshape(-1)[:] = flat
            return out
        if self.eager:
            try:
                return np.array(value, dtype=dtype.np, copy=True)
            except (TypeError, ValueError) as exc:
                self._fail(InvalidArgumentError, f"Cannot convert {value!r:.60} (the {i}-th "
                           f"value returned by {name}) to a value of dtype {dtype.tf_name}",
                           exc)
        arr = np.array(value, copy=True)
        if arr.dtype != dtype.np:
            self._fail(InvalidArgumentError, f"{i}-th value returned by {name} is "
                       f"{_dtype_text(arr)}, but expects {dtype.tf_name}")
        return arr


@register("PyFunc")
class PyFunc(_PyFuncOp):
    """py_func(stateful=True) / numpy_function: run every time, never merged."""

    stateful = True
    not_differentiable = True


@register("PyFuncStateless")
class PyFuncStateless(_PyFuncOp):
    """py_func(stateful=False): equal calls on equal inputs may be merged."""

    not_differentiable = True


@register("EagerPyFunc")
class EagerPyFunc(_PyFuncOp):
    """py_function: the function sees EagerValues; no gradient here (see the module text)."""

    stateful = True
    eager = True


def _build(cls, fn: str, func, inp, Tout, name):  # noqa: N803 - TF1's argument name
    if not callable(func):
        raise TypeError(f"{fn}: func must be callable, got {type(func).__name__}")
    single = not isinstance(Tout, (list, tuple))
    dtypes_out = (as_dtype(Tout),) if single else tuple(as_dtype(t) for t in Tout)
    inputs = [x if isinstance(x, Tensor) else convert_to_tensor(x) for x in (inp or [])]
    op = cls(token=register_function(func), Tout=dtypes_out)
    out = apply_op(op, inputs, name=name or cls.type)
    if not dtypes_out:
        return out  # the Operation, as TF1 returns for Tout=[]
    if single:
        return out
    return list(out) if isinstance(out, tuple) else [out]


def py_func(func, inp, Tout, stateful: bool = True, name: str | None = None):  # noqa: N803
    """TF1's `tf.py_func`: `func` gets NumPy arrays and must return values of exactly `Tout`.

    The function runs in Python each time the op runs; its result's shape is unknown while
    building (set it with `set_shape`). It has no gradient.

    Args:
        func: A Python function of NumPy arrays.
        inp: The input tensors, one per argument of func.
        Tout: The output dtype, or a list of them (an empty list: no output).
        stateful: False marks func as free of side effects (TF1's stateless variant).
        name: A name for the op.

    Returns:
        A Tensor (or a list of Tensors, for a list Tout).

    Examples:
        >>> y = tf.py_func(lambda a: a * 2, [tf.constant([1., 2.])], tf.float32)
        >>> with tf.Session() as sess:
        ...     print(sess.run(y))
        [2. 4.]
    """
    return _build(PyFunc if stateful else PyFuncStateless, "tf.py_func", func, inp, Tout, name)


def numpy_function(func=None, inp=None, Tout=None, stateful: bool = True,  # noqa: N803
                   name: str | None = None):
    """TF's `tf.numpy_function`: py_func under its TF2 name.

    Args:
        func: A Python function of NumPy arrays.
        inp: The input tensors.
        Tout: The output dtype, or a list of them.
        stateful: Whether func has side effects.
        name: A name for the op.

    Returns:
        A Tensor (or a list of Tensors, for a list Tout).

    Examples:
        >>> y = tf.numpy_function(lambda a: a + 1, [tf.constant([1., 2.])], tf.float32)
        >>> with tf.Session() as sess:
        ...     print(sess.run(y))
        [2. 3.]
    """
    return _build(PyFunc if stateful else PyFuncStateless, "tf.numpy_function", func, inp,
                  Tout, name)


def py_function(func=None, inp=None, Tout=None, name: str | None = None):  # noqa: N803
    """TF's `tf.py_function`: `func` gets values with `.numpy()`; results become `Tout`.

    Args:
        func: A Python function of eager-style values (call `.numpy()` on them).
        inp: The input tensors.
        Tout: The output dtype, or a list of them.
        name: A name for the op.

    Returns:
        A Tensor (or a list of Tensors, for a list Tout).

    Examples:
        >>> y = tf.py_function(lambda a: a.numpy() + 1, [tf.constant([1., 2.])], tf.float32)
        >>> with tf.Session() as sess:
        ...     print(sess.run(y))
        [2. 3.]
    """
    return _build(EagerPyFunc, "tf.py_function", func, inp, Tout, name)
