"""TF1's optimizers, with exactly TF1's update rules (SEEDS.md section 2.5)."""

from __future__ import annotations

from graphflow.ops import elementwise as ew
from graphflow.ops.state import group
from graphflow.train.optimizer import Optimizer


class GradientDescentOptimizer(Optimizer):
    """w -= lr * g: plain gradient descent.

    Args:
        learning_rate: The step size (a float or a scalar tensor, such as a decay schedule).
        use_locking: TF1's locking flag; it changes nothing.
        name: The name of the ops' scope.

    Examples:
        >>> w = tf.Variable(0.0)
        >>> train = tf.train.GradientDescentOptimizer(0.5).minimize(tf.square(w - 3.0))
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     sess.run(train)
        ...     print(sess.run(w))
        3.0
    """

    name = "GradientDescent"

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self.learning_rate = learning_rate

    def _apply_dense(self, grad, var):
        return var.assign_sub(self._hyper(self.learning_rate, var) * grad)


class MomentumOptimizer(Optimizer):
    """a = mu*a + g; w -= lr*a  (Nesterov: w -= lr*(g + mu*a)).

    Args:
        learning_rate: The step size.
        momentum: mu, the decay of the accumulated gradient.
        use_locking: TF1's locking flag; it changes nothing.
        name: The name of the ops' scope and of the accumulator slot.
        use_nesterov: Use Nesterov momentum.

    Examples:
        >>> w = tf.Variable(0.0)
        >>> train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(tf.square(w - 3.0))
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     for _ in range(2):
        ...         sess.run(train)
        ...     print(round(float(sess.run(w)), 4))
        1.62
    """

    name = "Momentum"

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False):
        super().__init__(use_locking, name)
        self.learning_rate, self.momentum, self.use_nesterov = learning_rate, momentum, use_nesterov

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _apply_dense(self, grad, var):
        lr, mu = self._hyper(self.learning_rate, var), self._hyper(self.momentum, var)
        accum = self.get_slot(var, "momentum")
        new_accum = accum.assign(accum * mu + grad)
        step = lr * (grad + mu * new_accum) if self.use_nesterov else lr * new_accum
        return var.assign_sub(step)


class AdagradOptimizer(Optimizer):
    """acc += g^2; w -= lr * g / sqrt(acc).

    Args:
        learning_rate: The step size.
        initial_accumulator_value: acc's starting value (positive).
        use_locking: TF1's locking flag; it changes nothing.
        name: The name of the ops' scope and of the slot.

    Examples:
        >>> w = tf.Variable(0.0)
        >>> train = tf.train.AdagradOptimizer(1.0).minimize(tf.square(w - 3.0))
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     sess.run(train)
        ...     print(round(float(sess.run(w)), 4))
        0.9986
    """

    name = "Adagrad"

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad"):
        super().__init__(use_locking, name)
        if initial_accumulator_value <= 0:
            raise ValueError("initial_accumulator_value must be positive")
        self.learning_rate, self.initial = learning_rate, initial_accumulator_value

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "accumulator", self._name, fill=self.initial)

    def _apply_dense(self, grad, var):
        acc = self.get_slot(var, "accumulator")
        new_acc = acc.assign_add(grad * grad)
        return var.assign_sub(self._hyper(self.learning_rate, var) * grad * ew.rsqrt(new_acc))


class RMSPropOptimizer(Optimizer):
    """ms = rho*ms + (1-rho) g^2; mom = mu*mom + lr*g/sqrt(ms+eps); w -= mom (ms starts at 1).

    Args:
        learning_rate: The step size.
        decay: rho, the decay of the mean square ms.
        momentum: mu.
        epsilon: The small number added to ms.
        use_locking: TF1's locking flag; it changes nothing.
        centered: Divide by the variance estimate (ms minus the squared mean gradient).
        name: The name of the ops' scope and of the slots.

    Examples:
        >>> w = tf.Variable(0.0)
        >>> train = tf.train.RMSPropOptimizer(0.1).minimize(tf.square(w - 3.0))
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     sess.run(train)
        ...     print(round(float(sess.run(w)), 4))
        0.2828
    """

    name = "RMSProp"

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False,
                 centered=False, name="RMSProp"):
        super().__init__(use_locking, name)
        self.learning_rate, self.decay, self.momentum = learning_rate, decay, momentum
        self.epsilon, self.centered = epsilon, centered

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "rms", self._name, fill=1.0)
            if self.centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _apply_dense(self, grad, var):
        rho, mu = self._hyper(self.decay, var), self._hyper(self.momentum, var)
        lr, eps = self._hyper(self.learning_rate, var), self._hyper(self.epsilon, var)
        ms = self.get_slot(var, "rms")
        new_ms = ms.assign(rho * ms + (1 - rho) * grad * grad)
        denom = new_ms
        if self.centered:
            mg = self.get_slot(var, "mg")
            new_mg = mg.assign(rho * mg + (1 - rho) * grad)
            denom = new_ms - new_mg * new_mg
        mom = self.get_slot(var, "momentum")
        new_mom = mom.assign(mu * mom + lr * grad * ew.rsqrt(denom + eps))
        return var.assign_sub(new_mom)


class AdamOptimizer(Optimizer):
    """TF1's Adam: lr_t = lr*sqrt(1-b2^t)/(1-b1^t); w -= lr_t * m / (sqrt(v) + eps).

    Its slots are `m` and `v` per variable; `beta1_power` and `beta2_power` are non-slot
    variables, as in TF1 (so checkpoints carry the same names).

    Args:
        learning_rate: The step size.
        beta1: The decay of the first moment m.
        beta2: The decay of the second moment v.
        epsilon: The small number added to sqrt(v).
        use_locking: TF1's locking flag; it changes nothing.
        name: The name of the ops' scope and of the slots.

    Examples:
        >>> w = tf.Variable(0.0)
        >>> train = tf.train.AdamOptimizer(0.1).minimize(tf.square(w - 3.0))
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     for _ in range(100):
        ...         sess.run(train)
        ...     print(round(float(sess.run(w)), 2))
        2.98
    """

    name = "Adam"

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="Adam"):
        super().__init__(use_locking, name)
        self.learning_rate, self.beta1, self.beta2, self.epsilon = (learning_rate, beta1, beta2,
                                                                    epsilon)

    def _create_slots(self, var_list):
        first = min(var_list, key=lambda v: v.op.name)
        self._beta1_power = self._non_slot("beta1_power", self.beta1, first)
        self._beta2_power = self._non_slot("beta2_power", self.beta2, first)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _apply_dense(self, grad, var):
        b1, b2 = self._hyper(self.beta1, var), self._hyper(self.beta2, var)
        lr, eps = self._hyper(self.learning_rate, var), self._hyper(self.epsilon, var)
        b1p, b2p = self._power(self._beta1_power, var), self._power(self._beta2_power, var)
        lr_t = lr * ew.sqrt(1 - b2p) / (1 - b1p)
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        m_t = m.assign(b1 * m + (1 - b1) * grad)
        v_t = v.assign(b2 * v + (1 - b2) * grad * grad)
        return var.assign_sub(lr_t * m_t / (ew.sqrt(v_t) + eps))

    def _power(self, power, var):
        return power if power.dtype is var.dtype else ew.cast(power, var.dtype)

    def _finish(self, update_ops, name):
        graph = self._beta1_power.graph
        with graph.control_dependencies(update_ops):
            u1 = self._beta1_power.assign(self._beta1_power * self.beta1)
            u2 = self._beta2_power.assign(self._beta2_power * self.beta2)
        return group(*update_ops, u1, u2, name=name)
