"""What a Session keeps between runs: variable values and random streams, keyed by node."""

from __future__ import annotations

import numpy as np

from graphflow.errors import FailedPreconditionError


class SessionState:
    """Variable values by variable name, and one random generator per random op."""

    def __init__(self, graph):
        self.graph = graph
        self.variables: dict[str, np.ndarray] = {}
        self._rngs: dict = {}

    def read_variable(self, var_node) -> np.ndarray:
        try:
            return self.variables[var_node.name]
        except KeyError:
            raise FailedPreconditionError(
                f"Attempting to use uninitialized value {var_node.name} (the variable created at "
                f"{var_node.site}). Run sess.run(graphflow.global_variables_initializer()) first, "
                "or restore it from a checkpoint with a Saver."
            ) from None

    def write_variable(self, var_node, value: np.ndarray) -> np.ndarray:
        value = np.asarray(value, dtype=var_node.get_attr("dtype").np)
        value.flags.writeable = False  # fetches of it are copied, so callers cannot alias it
        self.variables[var_node.name] = value
        return value

    def is_initialized(self, var_node) -> bool:
        return var_node.name in self.variables

    # --- the host boundary: what Saver and other host-side code use --------------------------
    def variable_to_host(self, var_node) -> np.ndarray:
        """A host (NumPy) copy of the variable's current value; the caller may keep it."""
        return np.array(self.read_variable(var_node), copy=True)

    def variables_from_host(self, values: dict) -> None:
        """Set several variables from host arrays ({variable node: array}), all or none."""
        staged = {node: np.array(value, dtype=node.get_attr("dtype").np, copy=True)
                  for node, value in values.items()}
        for node, value in staged.items():
            self.write_variable(node, value)

    def rng(self, node) -> np.random.Generator:
        """The stream of a random op: seeded ops repeat across sessions, unseeded ones do not."""
        gen = self._rngs.get(node)
        if gen is None:
            seed, seed2 = node.get_attr("seed"), node.get_attr("seed2")
            gen = np.random.default_rng(None if seed is None else [seed, seed2])
            self._rngs[node] = gen
        return gen
