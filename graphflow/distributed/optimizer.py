"""`DistributedOptimizer`: any graphflow optimizer, with its gradients averaged over the ranks.

As Horovod's: `compute_gradients` asks the wrapped optimizer for the local gradients, then
averages them with one allreduce per dtype over their concatenation (see fusion), before
`apply_gradients` hands them back to the wrapped optimizer's update rule. Every rank then applies
the same update, so ranks that start from the same values (broadcast_global_variables) stay
equal. In a job of one no collective is added: the graph is the wrapped optimizer's.
"""

from __future__ import annotations

from graphflow.distributed.comm import size
from graphflow.distributed.fusion import grouped_allreduce
from graphflow.train.optimizer import Optimizer

__all__ = ["DistributedOptimizer"]


class DistributedOptimizer(Optimizer):
    """Wraps `optimizer`; its gradients are averaged across ranks before they are applied."""

    def __init__(self, optimizer: Optimizer, name: str | None = None, use_locking: bool = False):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"DistributedOptimizer wraps a graphflow.train Optimizer; got "
                            f"{type(optimizer).__name__}")
        super().__init__(use_locking=use_locking,
                         name=name or f"Distributed{type(optimizer).__name__}")
        self._optimizer = optimizer

    def compute_gradients(self, loss, var_list=None, stop_gradients=None):
        """The wrapped optimizer's (gradient, variable) pairs, gradients averaged over ranks."""
        pairs = self._optimizer.compute_gradients(loss, var_list, stop_gradients)
        if size() == 1:
            return pairs
        present = [i for i, (g, _) in enumerate(pairs) if g is not None]
        if not present:
            return pairs
        averaged = grouped_allreduce([pairs[i][0] for i in present], average=True,
                                     name=f"{self._name}_Allreduce")
        out = list(pairs)
        for i, g in zip(present, averaged):
            out[i] = (g, pairs[i][1])
        return out

    def apply_gradients(self, grads_and_vars, global_step=None, name: str | None = None):
        return self._optimizer.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def get_slot(self, var, name: str):
        return self._optimizer.get_slot(var, name)

    def get_slot_names(self) -> list[str]:
        return self._optimizer.get_slot_names()

    def variables(self) -> list:
        return self._optimizer.variables()

    def _apply_dense(self, grad, var):
        raise TypeError("DistributedOptimizer applies updates through the optimizer it wraps "
                        "(apply_gradients); it has no update rule of its own")
