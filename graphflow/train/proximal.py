"""TF1's proximal optimizers (ApplyProximalGradientDescent, ApplyProximalAdagrad): a gradient
step, then the proximal map of l1 |w| + l2/2 w^2 scaled by the step's learning rate:

    v = w - rate * g
    w = sign(v) * max(|v| - rate * l1, 0) / (1 + rate * l2)

with rate = lr (ProximalGradientDescent) or lr / sqrt(acc), acc += g^2 first, starting at
initial_accumulator_value (ProximalAdagrad, slot "accumulator" named `w/ProximalAdagrad`).
With l1 = 0 the formula is exactly TF1's v / (1 + rate * l2), since sign(v) * |v| == v.
"""

from __future__ import annotations

from graphflow.ops import elementwise as ew
from graphflow.train.optimizer import Optimizer


def _proximal(var, grad, rate, l1, l2):
    """The op setting `var` to the proximal step; rate, l1, l2 are tensors of var's dtype."""
    v = var - grad * rate
    shrunk = ew.maximum(ew.abs(v) - rate * l1, 0.0)
    return var.assign(ew.sign(v) * shrunk / (1.0 + l2 * rate))


class ProximalGradientDescentOptimizer(Optimizer):
    """Gradient descent with an L1/L2 proximal step (FOBOS).

    Args:
        learning_rate: The step size.
        l1_regularization_strength: The L1 strength (0 or more): shrinks weights toward 0.
        l2_regularization_strength: The L2 strength (0 or more).
        use_locking: TF1's locking flag; it changes nothing.
        name: The name of the ops' scope.

    Examples:
        >>> w = tf.Variable(0.0)
        >>> optimizer = tf.train.ProximalGradientDescentOptimizer(
        ...     0.5, l1_regularization_strength=1.0)
        >>> train = optimizer.minimize(tf.square(w - 3.0))
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     sess.run(train)
        ...     print(sess.run(w))
        2.5
    """

    name = "ProximalGradientDescent"

    def __init__(self, learning_rate, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, use_locking=False,
                 name="ProximalGradientDescent"):
        super().__init__(use_locking, name)
        self.learning_rate = learning_rate
        self.l1, self.l2 = l1_regularization_strength, l2_regularization_strength

    def _apply_dense(self, grad, var):
        lr = self._hyper(self.learning_rate, var)
        return _proximal(var, grad, lr, self._hyper(self.l1, var), self._hyper(self.l2, var))


class ProximalAdagradOptimizer(Optimizer):
    """Adagrad's per-coordinate rates with an L1/L2 proximal step.

    Args:
        learning_rate: The step size.
        initial_accumulator_value: The accumulator's start (positive).
        l1_regularization_strength: The L1 strength (0 or more).
        l2_regularization_strength: The L2 strength (0 or more).
        use_locking: TF1's locking flag; it changes nothing.
        name: The name of the ops' scope and of the slot.

    Examples:
        >>> w = tf.Variable(0.0)
        >>> train = tf.train.ProximalAdagradOptimizer(1.0).minimize(tf.square(w - 3.0))
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     sess.run(train)
        ...     print(round(float(sess.run(w)), 4))
        0.9986
    """

    name = "ProximalAdagrad"

    def __init__(self, learning_rate, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="ProximalAdagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: "
                             f"{initial_accumulator_value}")
        super().__init__(use_locking, name)
        self.learning_rate, self.initial = learning_rate, initial_accumulator_value
        self.l1, self.l2 = l1_regularization_strength, l2_regularization_strength

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "accumulator", self._name, fill=self.initial)

    def _apply_dense(self, grad, var):
        acc = self.get_slot(var, "accumulator")
        new_acc = acc.assign_add(grad * grad)
        rate = self._hyper(self.learning_rate, var) * ew.rsqrt(new_acc)
        return _proximal(var, grad, rate, self._hyper(self.l1, var), self._hyper(self.l2, var))
