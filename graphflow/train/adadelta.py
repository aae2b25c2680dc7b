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
    """Adadelta: per-coordinate steps scaled by the ratio of running RMS of updates and grads.

    Args:
        learning_rate: The factor on each step (TF1's default 0.001; 1.0 is the paper's).
        rho: The decay of both running averages.
        epsilon: The small number added inside both RMS.
        use_locking: TF1's locking flag; it changes nothing.
        name: The name of the ops' scope and of the slots.

    Examples:
        >>> w = tf.Variable(0.0)
        >>> train = tf.train.AdadeltaOptimizer(1.0).minimize(tf.square(w - 3.0))
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     sess.run(train)
        ...     print(round(float(sess.run(w)), 6))
        0.000447
    """

    name = "Adadelta"

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-8, use_locking=False,
                 name="Adadelta"):
        super().__init__(use_locking, name)
        self.learning_rate, self.rho, self.epsilon = learning_rate, rho, epsilon

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "accum", self._name)
            self._zeros_slot(v, "accum_update", self._name)

    def _apply_dense(self, grad, var):
        lr, rho = self._hyper(self.learning_rate, var), self._hyper(self.rho, var)
        eps = self._hyper(self.epsilon, var)
        accum, accum_update = self.get_slot(var, "accum"), self.get_slot(var, "accum_update")
        new_accum = accum.assign(rho * accum + (1 - rho) * grad * grad)
        update = ew.sqrt(accum_update + eps) * ew.rsqrt(new_accum + eps) * grad
        new_update = accum_update.assign(rho * accum_update + (1 - rho) * update * update)
        return group(new_update, var.assign_sub(lr * update))
