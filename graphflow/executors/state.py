"""A session's state, owned by its executor: variable values, random streams and resources
(tf.data iterators), by key.

Kernels reach state through `read_variable` / `write_variable` / `rng`; everything outside the
executor (Session, Saver, check_numerics, tracing, fetches) crosses the boundary through
`to_host` / `from_host` and the `variable_*` methods, and never assumes what a value is.
`HostState` keeps NumPy arrays on the host (the cpu and reference executors); a device executor
subclasses it with its own value type.
"""

from __future__ import annotations

import threading

import numpy as np

from graphflow.errors import FailedPreconditionError


def variable_key(variable) -> str:
    """The state key of a variable, given its VariableV2 node (or the key itself)."""
    if isinstance(variable, str):
        return variable
    return variable.op.attrs.get("key") or variable.name


class HostState:
    """Variable values as read-only NumPy arrays by key, and one generator per random op."""

    def __init__(self, graph):
        self.graph = graph
        self.variables: dict[str, np.ndarray] = {}
        self._rngs: dict = {}
        self._resources: dict = {}  # host objects of stateful ops (iterators), by key
        # Held by runs that update variables and by the host boundary, so a fetch never sees a
        # half-applied update and concurrent updates all count.
        self.lock = threading.RLock()

    # --- what kernels use --------------------------------------------------------------------
    def read_variable(self, key: str):
        try:
            return self.variables[key]
        except KeyError:
            raise FailedPreconditionError(self._uninitialized(key)) from None

    def write_variable(self, key: str, value):
        value = np.asarray(value)
        value.flags.writeable = False  # fetches of it are copied, so callers cannot alias it
        self.variables[key] = value
        return value

    def rng(self, key: str, seed=None, seed2=None) -> np.random.Generator:
        """The stream of a random op: seeded ops repeat across sessions, unseeded ones do not."""
        gen = self._rngs.get(key)
        if gen is None:
            gen = np.random.default_rng(None if seed is None else [seed, seed2 or 0])
            self._rngs[key] = gen
        return gen

    def resource(self, key: str, default=None):
        """The host object a stateful op keeps under `key` (an iterator), or `default`."""
        return self._resources.get(key, default)

    def set_resource(self, key: str, value) -> None:
        self._resources[key] = value

    # --- the host boundary -----------------------------------------------------------------
    def to_host(self, value) -> np.ndarray:
        """A value of this executor as a NumPy array (no copy where none is needed)."""
        return value

    def from_host(self, array: np.ndarray):
        """A NumPy array as a value of this executor."""
        return array

    def shape_of(self, value) -> tuple:
        return tuple(np.shape(value))

    def step_value_to_host(self, value, device: str):
        """A step's result on the host: as it is when the step ran there (a host fallback)."""
        return value if device == "host" else self.to_host(value)

    def step_value_shape(self, value, device: str) -> tuple:
        return tuple(np.shape(value)) if device == "host" else self.shape_of(value)

    def is_initialized(self, variable) -> bool:
        return variable_key(variable) in self.variables

    def variable_to_host(self, variable) -> np.ndarray:
        """A host (NumPy) copy of the variable's current value; the caller may keep it."""
        key = variable_key(variable)
        with self.lock:
            return np.array(self.to_host(self.read_variable(key)), copy=True)

    def variables_from_host(self, values: dict) -> None:
        """Set several variables from host arrays ({variable node: array}), all or none."""
        staged = {variable_key(node): self.from_host(
            np.array(value, dtype=node.get_attr("dtype").np, copy=True))
            for node, value in values.items()}
        with self.lock:
            for key, value in staged.items():
                self.write_variable(key, value)

    def clear(self) -> None:
        self.variables.clear()
        self._rngs.clear()
        self._resources.clear()

    def _uninitialized(self, key: str) -> str:
        site = ""
        try:
            site = f" (the variable created at {self.graph.get_operation_by_name(key).site})"
        except (KeyError, ValueError):
            pass
        return (f"Attempting to use uninitialized value {key}{site}. Run "
                "sess.run(graphflow.global_variables_initializer()) first, or restore it from a "
                "checkpoint with a Saver.")


SessionState = HostState  # the name earlier code used
