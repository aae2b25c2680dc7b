"""A strict test executor, written only against the public executor contract.

Its device values are opaque boxes that refuse every NumPy conversion, so any code outside the
executor that touches a value without going through the state's `to_host` / `from_host` fails
loudly. Its kernels unbox, run the op's NumPy reference and box the results; a few op types are
declared host fallbacks, so the compiler's placement pass must bridge them with transfers.
Registered as the executor "strict" by tests/conftest.py: every test parametrised over
`executor_names()` runs on it too.
"""

from __future__ import annotations

import numpy as np

from graphflow.executors import Executor, HostState, Kernel, KernelTable, register_executor
from graphflow.executors.control_flow import register_control_flow

DEVICE = "strict:0"


class HostAccessError(AssertionError):
    """A device value was used as a host value without crossing the executor's boundary."""


class Opaque:
    """A device value: holds an array, but refuses to be one."""

    __slots__ = ("_value",)
    __array_priority__ = 1e9

    def __init__(self, value):
        if isinstance(value, Opaque):
            raise HostAccessError("boxing a device value twice")
        self._value = value

    def __array__(self, *args, **kwargs):
        raise HostAccessError("a strict device value was converted to NumPy outside the "
                              "executor contract (use the state's to_host)")

    def __array_ufunc__(self, *args, **kwargs):
        raise HostAccessError("NumPy math on a strict device value outside the executor")

    def __array_function__(self, *args, **kwargs):
        raise HostAccessError("a NumPy function on a strict device value outside the executor")

    def __iter__(self):
        raise HostAccessError("iterating a strict device value outside the executor")

    def __bool__(self):
        raise HostAccessError("truth value of a strict device value outside the executor")

    def __float__(self):
        raise HostAccessError("float() of a strict device value outside the executor")

    def __repr__(self):
        return "<Opaque device value>"


def box(value):
    return Opaque(np.asarray(value)) if not isinstance(value, Opaque) else value


def unbox(value):
    if isinstance(value, Opaque):
        return value._value
    if isinstance(value, np.ndarray) or np.isscalar(value):
        raise HostAccessError(f"a kernel of the strict executor got a host value {type(value)}")
    return value


class StrictState(HostState):
    """Variables as opaque device values; the host boundary converts."""

    def write_variable(self, key, value):
        if not isinstance(value, Opaque):
            raise HostAccessError(f"variable {key} written with a host value")
        self.variables[key] = value
        return value

    def to_host(self, value):
        if not isinstance(value, Opaque):
            raise HostAccessError(f"to_host of something that is not a device value: {value!r}")
        return np.array(value._value, copy=True)

    def from_host(self, array):
        if isinstance(array, Opaque):
            raise HostAccessError("from_host of a device value")
        return Opaque(np.array(array, copy=True))

    def shape_of(self, value):
        return tuple(unbox(value).shape)


class _HostContext:
    """What a reference compute sees as its context: the state, in host values."""

    def __init__(self, state):
        self.state = state

    def read_variable(self, key):
        return unbox(self.state.read_variable(key))

    def write_variable(self, key, value):
        value = np.asarray(value)
        self.state.write_variable(key, box(value))
        return value

    def rng(self, key, seed=None, seed2=None):
        return self.state.rng(key, seed, seed2)


def _device_kernel(step) -> Kernel:
    """The op's reference, on unboxed inputs, with boxed results."""
    op = step.op
    compute, multi = op.compute, len(step.outputs) != 1

    def wrap(result):
        if multi:
            return tuple(box(r) for r in result)
        return box(result)

    if op.takes_context:
        def run(state, *inputs):
            return wrap(compute(_HostContext(state), *[unbox(a) for a in inputs]))

        return Kernel(run, passes_out=False, takes_context=True)

    def run(*inputs):
        return wrap(compute(*[unbox(a) for a in inputs]))

    return Kernel(run, passes_out=False)


STRICT_KERNELS = KernelTable("strict", default=_device_kernel)
register_control_flow(STRICT_KERNELS, "strict")  # sub-plans of If/While on the strict device
# Declared host fallbacks: these run the reference on the host, behind transfer steps.
STRICT_KERNELS.fallback("runs on the host to exercise the placement pass's transfers",
                        "Softmax", "ArgMax", "Tanh", "Mean", "Reshape")
STRICT_KERNELS.fallback("tf.data iterators keep Python streams in the state's resource store, "
                        "on the host", "IteratorV2", "OneShotIterator", "MakeIterator",
                        "IteratorGetNext")


@STRICT_KERNELS.register("Transfer", fresh=True)
def _transfer(step) -> Kernel:
    to_device = step.op.dst != "host"

    def transfer(state, x):
        return state.from_host(x) if to_device else state.to_host(x)

    return Kernel(transfer, passes_out=False, takes_context=True)


@register_executor
class StrictExecutor(Executor):
    name = "strict"
    device = DEVICE
    table = STRICT_KERNELS

    def create_state(self, graph):
        return StrictState(graph)

    def constant(self, value):
        return Opaque(value)
