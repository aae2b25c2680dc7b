"""`FtrlOptimizer` with TF1's update (ApplyFtrl / ApplyFtrlV2, McMahan et al. 2013).

    g'      = g + 2 * l2_shrinkage * w                  (g' = g without shrinkage)
    n_new   = n + g^2
    z      += g' - (n_new^-p - n^-p) / lr * w           (p = learning_rate_power; sqrt at -0.5)
    w       = (l1 * sign(z) - z) / (n_new^-p / lr + 2 * l2)   where |z| > l1, else 0
    n       = n_new

Slots "accum" (starts at initial_accumulator_value) and "linear" (zeros), named as TF1 names
them (`w/Ftrl`, `w/Ftrl_1`, or accum_name / linear_name), so checkpoints match TF1's.
"""

from __future__ import annotations

import numpy as np

from graphflow.ops import elementwise as ew
from graphflow.ops.constant import constant
from graphflow.ops.gather import where
from graphflow.ops.shape_ops import zeros_like
from graphflow.ops.state import group
from graphflow.train.optimizer import Optimizer


def hyper_via_float32(opt, value, var):
    """A hyperparameter as TF1's Ftrl and AdagradDA make it: a Python number becomes a float32
    tensor first, then is cast to the variable's dtype (so 0.1 is float32's 0.1 in float64)."""
    if isinstance(value, (int, float)):  # not through opt._hyper: it caches by id(value)
        return constant(float(np.float32(value)), dtype=var.dtype)
    return opt._hyper(value, var)


def _not_negative(name: str, value) -> None:
    if isinstance(value, (int, float)) and value < 0.0:
        raise ValueError(f"{name} {value:f} needs to be positive or zero")


class FtrlOptimizer(Optimizer):
    """Follow-the-regularized-leader: per-coordinate rates with L1 (sparsity) and L2 terms.

    Args:
        learning_rate: The step size.
        learning_rate_power: How the rate falls with the accumulated squared gradient (0 or
            negative; -0.5 is Adagrad-like).
        initial_accumulator_value: The accumulator's start (0 or more).
        l1_regularization_strength: The L1 strength (0 or more).
        l2_regularization_strength: The L2 strength (0 or more).
        use_locking: TF1's locking flag; it changes nothing.
        name: The name of the ops' scope and of the slots.
        accum_name: The accumulator slot's name (default: `name`).
        linear_name: The linear slot's name (default: `name`).
        l2_shrinkage_regularization_strength: The L2 shrinkage applied to the gradient (0 or
            more).
        beta: TF's beta: adds beta / (2 * learning_rate) to the L2 strength.

    Examples:
        >>> w = tf.Variable(0.0)
        >>> train = tf.train.FtrlOptimizer(1.0).minimize(tf.square(w - 3.0))
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     sess.run(train)
        ...     print(round(float(sess.run(w)), 4))
        0.9986
    """

    name = "Ftrl"

    def __init__(self, learning_rate, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="Ftrl", accum_name=None, linear_name=None,
                 l2_shrinkage_regularization_strength=0.0, beta=None):
        super().__init__(use_locking, name)
        _not_negative("initial_accumulator_value", initial_accumulator_value)
        if isinstance(learning_rate_power, (int, float)) and learning_rate_power > 0.0:
            raise ValueError(f"learning_rate_power {learning_rate_power:f} needs to be negative "
                             "or zero")
        _not_negative("l1_regularization_strength", l1_regularization_strength)
        _not_negative("l2_regularization_strength", l2_regularization_strength)
        _not_negative("l2_shrinkage_regularization_strength",
                      l2_shrinkage_regularization_strength)
        self.learning_rate, self.learning_rate_power = learning_rate, learning_rate_power
        self.initial = initial_accumulator_value
        self.l1, self.l2 = l1_regularization_strength, l2_regularization_strength
        self.l2_shrinkage = l2_shrinkage_regularization_strength
        self.beta = 0.0 if beta is None else beta
        self.accum_name, self.linear_name = accum_name, linear_name

    def _create_slots(self, var_list):
        for v in var_list:
            # equal names are made unique (`w/Ftrl`, `w/Ftrl_1`), as TF1 makes them
            self._zeros_slot(v, "accum", self.accum_name or self._name, fill=self.initial)
            self._zeros_slot(v, "linear", self.linear_name or self._name)

    def _apply_dense(self, grad, var):
        lr = hyper_via_float32(self, self.learning_rate, var)
        l1 = hyper_via_float32(self, self.l1, var)
        l2 = self.l2
        if self.beta:  # TF's adjusted L2: l2 + beta / (2 lr)
            l2 = l2 + self.beta / (2.0 * max(self.learning_rate, 1e-36))
        l2 = hyper_via_float32(self, l2, var)
        accum, linear = self.get_slot(var, "accum"), self.get_slot(var, "linear")
        shrunk = grad
        if not isinstance(self.l2_shrinkage, (int, float)) or self.l2_shrinkage > 0.0:
            shrunk = grad + 2 * hyper_via_float32(self, self.l2_shrinkage, var) * var
        new_accum = accum + grad * grad
        if self.learning_rate_power == -0.5:
            new_root, old_root = ew.sqrt(new_accum), ew.sqrt(accum)
        else:
            power = -hyper_via_float32(self, self.learning_rate_power, var)
            new_root, old_root = ew.pow(new_accum, power), ew.pow(accum, power)
        new_linear = linear.assign(linear + shrunk - (new_root - old_root) / lr * var)
        quadratic = new_root / lr + 2 * l2
        shrunk_var = (l1 * ew.sign(new_linear) - new_linear) / quadratic
        update_var = var.assign(where(ew.greater(ew.abs(new_linear), l1), shrunk_var,
                                      zeros_like(shrunk_var)))
        # every read of the old accumulator is upstream of update_var
        with var.graph.control_dependencies([update_var]):
            update_accum = accum.assign(new_accum)
        return group(update_var, update_accum)
