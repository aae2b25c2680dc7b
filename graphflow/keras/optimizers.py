"""Keras 2's optimizers (tf.keras's OptimizerV2 update rules) built from graphflow ops.

`get_updates(loss, params)` returns the assign ops of one training step; the step counter
`iterations` (int64) is incremented after them. Hyperparameters that Keras lets users change
while training (`lr`/`learning_rate`, betas, ...) are variables, created with the slots in the
graph of the first `get_updates`, so `backend.set_value(opt.lr, x)` works. The rules differ from
TF1's `tf.train` ones: Adam's ε is 1e-7, RMSprop's accumulator starts at 0 with ε outside the
square root (inside it with momentum, as TF's fused kernel), Adagrad's starts at 0.1, and
`decay` divides the rate by (1 + decay·iterations).
"""

from __future__ import annotations

from graphflow.core.graph import get_default_graph
from graphflow.ops import elementwise as el
from graphflow.ops.cast import cast

__all__ = ["SGD", "Adadelta", "Adagrad", "Adam", "Adamax", "Nadam", "Optimizer", "RMSprop",
           "deserialize", "get", "serialize"]


class Optimizer:
    """Base: hyperparameters, slots, clipping, `get_updates`, config and weights."""

    _defaults: dict = {}  # hyperparameter -> default, in Keras's constructor order
    _default_decay = 0.0
    _decays_lr = True  # Nadam reads `decay` as its momentum schedule's rate instead

    def __init__(self, *args, name=None, **kwargs):
        if len(args) > len(self._defaults):
            raise TypeError(f"{type(self).__name__}() takes at most {len(self._defaults)} "
                            f"positional arguments ({', '.join(self._defaults)})")
        for key, value in zip(self._defaults, args):
            if key in kwargs:
                raise TypeError(f"{type(self).__name__}() got {key} twice")
            kwargs[key] = value
        if "lr" in kwargs:
            kwargs["learning_rate"] = kwargs.pop("lr")
        self.clipnorm = kwargs.pop("clipnorm", None)
        self.clipvalue = kwargs.pop("clipvalue", None)
        self.global_clipnorm = kwargs.pop("global_clipnorm", None)
        self._initial_decay = float(kwargs.pop("decay", self._default_decay))
        unknown = set(kwargs) - set(self._defaults)
        if unknown:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword arguments: "
                            f"{', '.join(sorted(unknown))}")
        self._hyper = {**self._defaults, **kwargs}
        for key, value in self._hyper.items():
            if isinstance(value, bool) or value is None:
                continue
            if value < 0:
                raise ValueError(f"{type(self).__name__}: {key} must be >= 0, got {value}")
        self._name = name or type(self).__name__
        self._vars: dict = {}
        self._slots: dict = {}
        self._graph = None

    # --- variables ------------------------------------------------------------------------------
    def _in_graph(self):
        graph = get_default_graph()
        if self._graph is not graph:  # first use, or a new graph after clear_session()
            self._graph, self._vars, self._slots = graph, {}, {}
        return graph

    def _hyper_var(self, key, dtype="float32"):
        from graphflow.variables import Variable

        graph = self._in_graph()
        if key not in self._vars:
            with graph.name_scope(self._name + "/"):
                self._vars[key] = Variable(self._hyper[key], trainable=False, name=key,
                                           dtype=dtype)
        return self._vars[key]

    @property
    def iterations(self):
        from graphflow.variables import Variable

        graph = self._in_graph()
        if "iter" not in self._vars:
            with graph.name_scope(self._name + "/"):
                self._vars["iter"] = Variable(0, trainable=False, name="iter", dtype="int64")
        return self._vars["iter"]

    @property
    def learning_rate(self):
        return self._hyper_var("learning_rate")

    lr = learning_rate

    @property
    def decay(self):
        """The learning-rate decay, a variable like `lr`."""
        return self._hyper_var_decay()

    def add_slot(self, var, slot_name, initializer=0.0):
        """A non-trainable variable shaped like `var`, `<optimizer>/<var>/<slot_name>`."""
        from graphflow.ops.shape_ops import fill
        from graphflow.variables import Variable

        graph = self._in_graph()
        key = (id(var), slot_name)
        if key not in self._slots:
            base = var.op.name
            with graph.name_scope(f"{self._name}/{base}/"):
                value = fill(var.shape.as_list(), cast(initializer, var.dtype))
                self._slots[key] = Variable(value, trainable=False, name=slot_name)
        return self._slots[key]

    def get_slot(self, var, slot_name):
        return self._slots[(id(var), slot_name)]

    @property
    def weights(self) -> list:
        """The step counter, Nadam's momentum cache, then every slot in creation order (what
        Keras saves); hyperparameters are config, not weights."""
        head = [self._vars[k] for k in ("iter", "m_cache") if k in self._vars]
        return head + list(self._slots.values())

    variables = weights

    def get_weights(self) -> list:
        from graphflow.keras import backend

        return backend.batch_get_value(self.weights)

    def set_weights(self, weights) -> None:
        from graphflow.keras import backend

        params = self.weights
        if len(params) != len(weights):
            raise ValueError(f"{self._name}.set_weights: expected {len(params)} arrays (the "
                             f"step counter and the slots), got {len(weights)}")
        backend.batch_set_value(list(zip(params, weights)))

    # --- gradients and updates --------------------------------------------------------------
    def get_gradients(self, loss, params):
        """d loss / d params, clipped by `clipnorm` / `clipvalue` / `global_clipnorm`."""
        from graphflow.autodiff.gradients import gradients
        from graphflow.ops.clip_ops import clip_by_global_norm, clip_by_norm
        from graphflow.ops.reduce import clip_by_value

        grads = gradients(loss, params)
        for g, p in zip(grads, params):
            if g is None:
                raise ValueError(f"Variable {p.name} has `None` for gradient: the loss does not "
                                 "depend on it through differentiable ops. Leave it out of the "
                                 "trained weights (trainable=False) or fix the model.")
        if self.clipnorm is not None:
            grads = [clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm is not None:
            grads, _ = clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue is not None:
            grads = [clip_by_value(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    def get_updates(self, loss, params):
        """The update ops of one step on `loss` for `params`, the counter's increment last."""
        graph = self._in_graph()
        with graph.name_scope(self._name):
            return self.apply_gradients(zip(self.get_gradients(loss, params), params))

    def apply_gradients(self, grads_and_vars, name=None):
        """Keras-style: the list of update ops for (gradient, variable) pairs."""
        del name
        graph = self._in_graph()
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            raise ValueError("No gradients provided for any variable")
        iterations = self.iterations
        lr = self.learning_rate
        step = cast(iterations, "float32")
        if self._decays_lr and (self._initial_decay or "decay" in self._vars):
            lr = lr / (1.0 + self._hyper_var_decay() * step)
        updates = []
        for _, var in pairs:
            self._create_slots(var)
        self._prepare(step, updates)
        for grad, var in pairs:
            # `var -= step` in place (TF1's form: the executor fuses the step's arithmetic into
            # the update); a constraint needs the whole new value, so it is assigned.
            step_value, slot_updates = self._update(grad, var, lr, step)
            constraint = getattr(var, "constraint", None)
            updates.extend(slot_updates)
            updates.append(var.assign(constraint(var - step_value)) if constraint is not None
                           else var.assign_sub(step_value))
        with graph.control_dependencies(updates):
            updates.append(iterations.assign_add(1))
        return updates

    def minimize(self, loss, var_list):
        """The grouped op of `get_updates(loss, var_list)` (TF's spelling, for graph users)."""
        from graphflow.ops.state import group

        return group(*self.get_updates(loss, var_list))

    def _hyper_var_decay(self):
        if "decay" not in self._vars:
            from graphflow.variables import Variable

            with self._in_graph().name_scope(self._name + "/"):
                self._vars["decay"] = Variable(self._initial_decay, trainable=False,
                                               name="decay", dtype="float32")
        return self._vars["decay"]

    def _create_slots(self, var) -> None:
        """Subclasses add their slots for `var`."""

    def _prepare(self, step, updates) -> None:
        """Subclasses add once-per-step values (and their update ops)."""

    def _update(self, grad, var, lr, step):
        """(the step the variable goes down by, the slots' assign ops) for one gradient."""
        raise TypeError(f"{type(self).__name__} defines no update rule")

    # --- configuration ------------------------------------------------------------------------
    def _value(self, key):
        if key in self._vars and self._graph is get_default_graph():
            from graphflow.keras import backend

            return float(backend.get_value(self._vars[key]))
        return self._hyper[key]

    def get_config(self) -> dict:
        config = {"name": self._name}
        for key, value in self._hyper.items():
            config[key] = value if isinstance(value, bool) else self._value(key)
        config["decay"] = self._value("decay") if "decay" in self._vars else self._initial_decay
        for key in ("clipnorm", "clipvalue", "global_clipnorm"):
            if getattr(self, key) is not None:
                config[key] = getattr(self, key)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        del custom_objects
        return cls(**config)


def _f(dtype, value):
    """A Python number or a float32 hyper variable, cast to a variable's dtype."""
    return value if isinstance(value, float) else cast(value, dtype)


class SGD(Optimizer):
    """p -= lr·g; with momentum v = m·v - lr·g, p += v (Nesterov: p += m·v - lr·g)."""

    _defaults = {"learning_rate": 0.01, "momentum": 0.0, "nesterov": False}

    def _create_slots(self, var):
        if self._hyper["momentum"]:
            self.add_slot(var, "momentum")

    def _update(self, grad, var, lr, step):
        dtype = var.dtype
        lr = _f(dtype, lr)
        if not self._hyper["momentum"]:
            return lr * grad, []
        momentum = _f(dtype, self._hyper_var("momentum"))
        v = self.get_slot(var, "momentum")
        v_t = v.assign(momentum * v - lr * grad)  # read as assigned: see Adam
        if self._hyper["nesterov"]:
            return lr * grad - momentum * v_t, [v_t]
        return -v_t, [v_t]


class RMSprop(Optimizer):
    """ms = ρ·ms + (1-ρ)·g² from 0; p -= lr·g / (√ms + ε) (with momentum: lr·g / √(ms + ε)
    accumulated in a momentum slot; `centered` subtracts the mean gradient's square)."""

    _defaults = {"learning_rate": 0.001, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7,
                 "centered": False}

    def _create_slots(self, var):
        self.add_slot(var, "rms")
        if self._hyper["momentum"]:
            self.add_slot(var, "momentum")
        if self._hyper["centered"]:
            self.add_slot(var, "mg")

    def _update(self, grad, var, lr, step):
        dtype = var.dtype
        lr, rho = _f(dtype, lr), _f(dtype, self._hyper_var("rho"))
        eps = self._hyper["epsilon"]
        rms = self.get_slot(var, "rms")
        rms_t = rms.assign(rho * rms + (1.0 - rho) * el.square(grad))  # read as assigned: see Adam
        assigns = [rms_t]
        denom = rms_t
        if self._hyper["centered"]:
            mg = self.get_slot(var, "mg")
            mg_t = mg.assign(rho * mg + (1.0 - rho) * grad)
            assigns.append(mg_t)
            denom = rms_t - el.square(mg_t)
        if self._hyper["momentum"]:
            mom = self.get_slot(var, "momentum")
            mom_t = mom.assign(_f(dtype, self._hyper_var("momentum")) * mom
                               + lr * grad / el.sqrt(denom + eps))
            assigns.append(mom_t)
            return mom_t, assigns
        return lr * grad / (el.sqrt(denom) + eps), assigns


class Adagrad(Optimizer):
    """acc += g² (from `initial_accumulator_value`); p -= lr·g / (√acc + ε)."""

    _defaults = {"learning_rate": 0.001, "initial_accumulator_value": 0.1, "epsilon": 1e-7}

    def _create_slots(self, var):
        self.add_slot(var, "accumulator", self._hyper["initial_accumulator_value"])

    def _update(self, grad, var, lr, step):
        acc = self.get_slot(var, "accumulator")
        acc_t = acc + el.square(grad)
        lr = _f(var.dtype, lr)
        return lr * grad / (el.sqrt(acc_t) + self._hyper["epsilon"]), [acc.assign(acc_t)]


class Adadelta(Optimizer):
    """acc = ρ·acc + (1-ρ)·g²; u = √(acc_u + ε)/√(acc + ε)·g; acc_u = ρ·acc_u + (1-ρ)·u²;
    p -= lr·u."""

    _defaults = {"learning_rate": 0.001, "rho": 0.95, "epsilon": 1e-7}

    def _create_slots(self, var):
        self.add_slot(var, "accum_grad")
        self.add_slot(var, "accum_var")

    def _update(self, grad, var, lr, step):
        dtype = var.dtype
        lr, rho = _f(dtype, lr), _f(dtype, self._hyper_var("rho"))
        eps = self._hyper["epsilon"]
        acc, acc_u = self.get_slot(var, "accum_grad"), self.get_slot(var, "accum_var")
        acc_t = rho * acc + (1.0 - rho) * el.square(grad)
        update = el.sqrt(acc_u + eps) / el.sqrt(acc_t + eps) * grad
        acc_u_t = rho * acc_u + (1.0 - rho) * el.square(update)
        return lr * update, [acc.assign(acc_t), acc_u.assign(acc_u_t)]


class Adam(Optimizer):
    """m, v moving averages of g and g²; p -= lr·√(1-β₂ᵗ)/(1-β₁ᵗ) · m / (√v + ε) (amsgrad: the
    running max of v)."""

    _defaults = {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
                 "amsgrad": False}

    def _create_slots(self, var):
        self.add_slot(var, "m")
        self.add_slot(var, "v")
        if self._hyper["amsgrad"]:
            self.add_slot(var, "vhat")

    def _update(self, grad, var, lr, step):
        dtype = var.dtype
        b1, b2 = _f(dtype, self._hyper_var("beta_1")), _f(dtype, self._hyper_var("beta_2"))
        t = cast(step + 1.0, dtype)
        alpha = _f(dtype, lr) * el.sqrt(1.0 - el.pow(b2, t)) / (1.0 - el.pow(b1, t))
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        # The step reads the slots' assigned values (TF1's form), so its arithmetic has the
        # update as its only reader and fuses into it (the compiler's fuse_updates).
        m_t = m.assign(b1 * m + (1.0 - b1) * grad)
        v_t = v.assign(b2 * v + (1.0 - b2) * el.square(grad))
        assigns = [m_t, v_t]
        if self._hyper["amsgrad"]:
            vhat = self.get_slot(var, "vhat")
            v_t = vhat.assign(el.maximum(vhat, v_t))
            assigns.append(v_t)
        return alpha * m_t / (el.sqrt(v_t) + self._hyper["epsilon"]), assigns


class Adamax(Optimizer):
    """m = β₁·m + (1-β₁)·g; u = max(β₂·u, |g|); p -= lr/(1-β₁ᵗ) · m / (u + ε)."""

    _defaults = {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}

    def _create_slots(self, var):
        self.add_slot(var, "m")
        self.add_slot(var, "v")

    def _update(self, grad, var, lr, step):
        dtype = var.dtype
        b1, b2 = _f(dtype, self._hyper_var("beta_1")), _f(dtype, self._hyper_var("beta_2"))
        t = cast(step + 1.0, dtype)
        m, u = self.get_slot(var, "m"), self.get_slot(var, "v")
        m_t = b1 * m + (1.0 - b1) * grad
        u_t = el.maximum(b2 * u, el.abs(grad))
        alpha = _f(dtype, lr) / (1.0 - el.pow(b1, t))
        return alpha * m_t / (u_t + self._hyper["epsilon"]), [m.assign(m_t), u.assign(u_t)]


class Nadam(Optimizer):
    """Adam with Nesterov momentum and Dozat's momentum schedule μₜ = β₁(1 - 0.5·0.96^(d·t)),
    d = `decay` (0.004, Keras's schedule_decay); the learning rate itself does not decay."""

    _defaults = {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}
    _default_decay = 0.004
    _decays_lr = False

    def _create_slots(self, var):
        from graphflow.variables import Variable

        if "m_cache" not in self._vars:
            with self._in_graph().name_scope(self._name + "/"):
                self._vars["m_cache"] = Variable(1.0, trainable=False, name="momentum_cache",
                                                 dtype="float32")
        self.add_slot(var, "m")
        self.add_slot(var, "v")

    def _prepare(self, step, updates):
        b1 = self._hyper_var("beta_1")
        t = step + 1.0
        d = self._initial_decay
        self._mu_t = b1 * (1.0 - 0.5 * el.pow(0.96, t * d))
        self._mu_next = b1 * (1.0 - 0.5 * el.pow(0.96, (t + 1.0) * d))
        cache = self._vars["m_cache"]
        self._schedule = cache * self._mu_t
        self._schedule_next = self._schedule * self._mu_next
        updates.append(cache.assign(self._schedule))

    def _update(self, grad, var, lr, step):
        dtype = var.dtype
        b1, b2 = _f(dtype, self._hyper_var("beta_1")), _f(dtype, self._hyper_var("beta_2"))
        mu_t, mu_next = _f(dtype, self._mu_t), _f(dtype, self._mu_next)
        schedule, schedule_next = _f(dtype, self._schedule), _f(dtype, self._schedule_next)
        t = cast(step + 1.0, dtype)
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        g_prime = grad / (1.0 - schedule)
        m_t = b1 * m + (1.0 - b1) * grad
        m_prime = m_t / (1.0 - schedule_next)
        v_t = b2 * v + (1.0 - b2) * el.square(grad)
        v_prime = v_t / (1.0 - el.pow(b2, t))
        m_bar = (1.0 - mu_t) * g_prime + mu_next * m_prime
        return _f(dtype, lr) * m_bar / (el.sqrt(v_prime) + self._hyper["epsilon"]), [
            m.assign(m_t), v.assign(v_t)]


_CLASSES = {c.__name__: c for c in (SGD, RMSprop, Adagrad, Adadelta, Adam, Adamax, Nadam)}
_ALIASES = {name.lower(): cls for name, cls in _CLASSES.items()}


def serialize(optimizer) -> dict:
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config, custom_objects=None):
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _CLASSES.get(name) or _ALIASES.get(name.lower())
    if cls is None:
        raise ValueError(f"Unknown optimizer: {name!r}. Known: {', '.join(sorted(_CLASSES))}")
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier):
    """A Keras optimizer from a name ('adam'), a config dict or an instance. A TF1
    `graphflow.train` optimizer is returned as is (the engine calls its minimize)."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        cls = _ALIASES.get(identifier.lower())
        if cls is None:
            raise ValueError(f"Unknown optimizer: {identifier!r}. Known: "
                             f"{', '.join(sorted(_ALIASES))}")
        return cls()
    from graphflow.train.optimizer import Optimizer as TFOptimizer

    if isinstance(identifier, TFOptimizer):
        return identifier
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}")
