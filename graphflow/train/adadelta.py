"""`AdadeltaOptimizer` with TF1's update (ApplyAdadelta).

    accum        = rho * accum + (1 - rho) * g^2
    update       = sqrt(accum_update + eps) / sqrt(accum + eps) * g
    accum_update = rho * accum_update + (1 - rho) * update^2
    w           -= lr * update

Both slots start at zero; TF1's defaults are lr=0.001, rho=0.95, epsilon=1e-8.
"""

from __future__ import annotations

from graphflow.ops import elementwise as ew
from graphflow.ops.state import group
from graphflow.train.optimizer import Optimizer


class AdadeltaOptimizer(Optimizer):
    """Adadelta: per-coordinate steps scaled by the ratio of running RMS of updates and grads."""

    name = "Adadelta"

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-8, use_locking=False,
                 name="Adadelta"):
        super().__init__(use_locking, name)
        self.learning_rate, self.rho, self.epsilon = learning_rate, rho, epsilon

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "accum", self._name)
            self._zeros_slot(v, "accum_update", self._name + "_1")

    def _apply_dense(self, grad, var):
        lr, rho = self._hyper(self.learning_rate, var), self._hyper(self.rho, var)
        eps = self._hyper(self.epsilon, var)
        accum, accum_update = self.get_slot(var, "accum"), self.get_slot(var, "accum_update")
        new_accum = accum.assign(rho * accum + (1 - rho) * grad * grad)
        update = ew.sqrt(accum_update + eps) * ew.rsqrt(new_accum + eps) * grad
        new_update = accum_update.assign(rho * accum_update + (1 - rho) * update * update)
        return group(new_update, var.assign_sub(lr * update))
