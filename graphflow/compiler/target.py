"""What the compiler may assume about the executor it compiles for.

An executor describes itself to the compiler as a `Target`: where its values live, which ops it
runs there (the rest are host fallbacks, reached through explicit transfer steps), which
elementwise ops its fused evaluator takes, which kernels may write their result over a dying input
or update a variable in place, and which may return a view of an input. The compiler never looks
at kernels themselves; executors build their Target from their kernel table.
"""

from __future__ import annotations

HOST = "host"


class Target:
    """The default target: the host, every op native, properties as the ops declare them."""

    name = "host"
    device = HOST
    plans_buffers = True  # the executor runs kernels into the memory plan's buffers

    def device_of(self, op) -> str:
        """Where a step of `op` runs: `self.device`, or HOST for a declared host fallback."""
        return self.device

    def fusable(self, op) -> bool:
        """True when `op` may join a fused elementwise group."""
        return op.elementwise

    def fresh(self, op) -> bool:
        """True when the kernel's results never share memory with its inputs."""
        return op.elementwise or op.fresh_output

    def in_place(self, op) -> bool:
        """True when the kernel may write its result over an input that dies at the step."""
        return op.elementwise or op.type == "FusedElementwise"

    def updates_in_place(self, op) -> bool:
        """True when the kernel may update a variable's storage in place (when legal)."""
        return False


DEFAULT_TARGET = Target()
