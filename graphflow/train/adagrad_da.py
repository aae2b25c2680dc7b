"""`AdagradDAOptimizer` with TF1's update (ApplyAdagradDA, dual averaging, Duchi et al. 2011):

    g_acc  += g;   gg_acc += g^2;   T = global_step + 1
    w       = -lr * sign(g_acc) * max(|g_acc| - l1 * T, 0) / (l2 * T * lr + sqrt(gg_acc))

w depends only on the accumulators, not on its previous value. Both slots are named
`w/AdagradDA` and `w/AdagradDA_1` as in TF1; gg_acc starts at
initial_gradient_squared_accumulator_value.
"""

from __future__ import annotations

from graphflow.ops import elementwise as ew
from graphflow.ops.cast import cast
from graphflow.ops.state import group, identity
from graphflow.train.ftrl import hyper_via_float32
from graphflow.train.optimizer import Optimizer


class AdagradDAOptimizer(Optimizer):
    """Adagrad dual averaging: sparse solutions with L1, for linear models.

    Args:
        learning_rate: The step size.
        global_step: The global step variable (its value enters every update, as in TF1).
        initial_gradient_squared_accumulator_value: The squared-gradient accumulator's start.
        l1_regularization_strength: The L1 strength (0 or more).
        l2_regularization_strength: The L2 strength (0 or more).
        use_locking: TF1's locking flag; it changes nothing.
        name: The name of the ops' scope and of the slots.

    Examples:
        >>> step = tf.train.get_or_create_global_step()
        >>> w = tf.Variable(0.0)
        >>> optimizer = tf.train.AdagradDAOptimizer(1.0, step)
        >>> train = optimizer.minimize(tf.square(w - 3.0), global_step=step)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     sess.run(train)
        ...     print(round(float(sess.run(w)), 4))
        0.9986
    """

    name = "AdagradDA"

    def __init__(self, learning_rate, global_step,
                 initial_gradient_squared_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="AdagradDA"):
        if initial_gradient_squared_accumulator_value <= 0.0:
            raise ValueError("initial_gradient_squared_accumulator_value must be positive: "
                             f"{initial_gradient_squared_accumulator_value}")
        super().__init__(use_locking, name)
        self.learning_rate, self.global_step = learning_rate, global_step
        self.initial = initial_gradient_squared_accumulator_value
        self.l1, self.l2 = l1_regularization_strength, l2_regularization_strength

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "gradient_accumulator", self._name)
            self._zeros_slot(v, "gradient_squared_accumulator", self._name,
                             fill=self.initial)

    def _prepare(self):
        self._step = identity(self.global_step) + 1

    def _apply_dense(self, grad, var):
        lr = hyper_via_float32(self, self.learning_rate, var)
        l1 = hyper_via_float32(self, self.l1, var)
        l2 = hyper_via_float32(self, self.l2, var)
        step = cast(self._step, var.dtype)
        g_acc = self.get_slot(var, "gradient_accumulator")
        gg_acc = self.get_slot(var, "gradient_squared_accumulator")
        new_g = g_acc.assign_add(grad)
        new_gg = gg_acc.assign_add(grad * grad)
        shrunk = ew.maximum(ew.abs(new_g) - l1 * step, 0.0)
        value = -lr * ew.sign(new_g) * shrunk / (l2 * step * lr + ew.sqrt(new_gg))
        return group(var.assign(value))
