"""The Optimizer base: compute_gradients / apply_gradients / minimize, slots and global_step (TF1).

Each optimizer only states its update rule as graph ops over the variable, its gradient and its
slot variables; the base class does the rest.
"""

from __future__ import annotations

import abc

import numpy as np

from graphflow.autodiff import gradients
from graphflow.core.graph import GraphKeys, get_default_graph
from graphflow.core.node import Tensor
from graphflow.errors import GraphflowError
from graphflow.ops.cast import cast
from graphflow.ops.constant import constant, convert_to_tensor
from graphflow.ops.state import group


class Optimizer(abc.ABC):
    """Base class. Subclasses implement `_apply_dense(grad, var)` returning the update op.

    `minimize(loss)` is `compute_gradients` then `apply_gradients`; slots (per-variable
    state, such as Adam's `m`) are variables named `<variable>/<optimizer name>`.

    Args:
        use_locking: TF1's locking flag; graphflow orders the updates of one run, so it
            changes nothing.
        name: The name of the ops' scope and of the slots.

    Examples:
        >>> optimizer = tf.train.GradientDescentOptimizer(0.1)
        >>> print(isinstance(optimizer, tf.train.Optimizer))
        True
    """

    name = "Optimizer"

    def __init__(self, use_locking: bool = False, name: str | None = None):
        self._name = name or self.name
        self._slots: dict[str, dict] = {}
        self._non_slots: dict[str, object] = {}
        self._hyper_cache: dict = {}

    # --- TF1's public API ---------------------------------------------------------------------
    def compute_gradients(self, loss, var_list=None, stop_gradients=None):
        """[(gradient, variable)] for the trainable variables (or `var_list`) that `loss` uses.

        Args:
            loss: A floating scalar tensor.
            var_list: The variables to differentiate for (default: the trainable variables).
            stop_gradients: Tensors to treat as constants (as in `tf.gradients`).

        Returns:
            A list of pairs; the gradient is None for a variable the loss does not depend on.

        Examples:
            >>> w = tf.Variable(2.0)
            >>> pairs = tf.train.GradientDescentOptimizer(0.1).compute_gradients(w * w)
            >>> with tf.Session() as sess:
            ...     sess.run(w.initializer)
            ...     print([(sess.run(g), v.name) for g, v in pairs])
            [(4.0, 'Variable:0')]
        """
        loss = convert_to_tensor(loss)
        if not loss.dtype.is_floating:
            raise GraphflowError(f"The loss {loss.describe()} must be floating-point to "
                                 "be minimised; cast it first.")
        if var_list is None:
            var_list = loss.graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)
        var_list = list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize: create trainable Variables first, "
                             "or pass var_list.")
        grads = gradients(loss, var_list, stop_gradients=stop_gradients)
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name: str | None = None):
        """The op that applies each (gradient, variable) update, then increments global_step.

        Args:
            grads_and_vars: Pairs from `compute_gradients` (gradients may be changed, such as
                clipped, in between); pairs whose gradient is None are skipped.
            global_step: A variable to add 1 to after the updates, or None.
            name: A name for the op.

        Returns:
            An Operation that runs the updates.

        Examples:
            >>> w = tf.Variable(2.0)
            >>> optimizer = tf.train.GradientDescentOptimizer(0.1)
            >>> pairs = optimizer.compute_gradients(w * w)
            >>> clipped = [(tf.clip_by_value(g, -1.0, 1.0), v) for g, v in pairs]
            >>> train = optimizer.apply_gradients(clipped)
            >>> with tf.Session() as sess:
            ...     sess.run(w.initializer)
            ...     sess.run(train)
            ...     print(sess.run(w))
            1.9
        """
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            names = [v.name for _, v in grads_and_vars]
            raise ValueError(f"No gradients provided for any variable: {names}. Does the loss "
                             "depend on them (and not only through stop_gradient or ints)?")
        graph = pairs[0][1].graph
        # Slots first, in the caller's scopes (TF1: `Adam/` does not prefix them); then the
        # updates in the op's scope, and the op itself named as that scope (`train`, not
        # `train/update`), as TF1 names it.
        self._create_slots([v for _, v in pairs])
        with graph.name_scope(name or self._name) as scope:
            self._prepare()
            updates = [self._constrained(self._apply_dense(g, v), v) for g, v in pairs]
            if global_step is None:
                return self._finish(updates, scope)
            finish = self._finish(updates, "update")
            with graph.control_dependencies([finish]):
                return global_step.assign_add(constant(1, dtype=global_step.dtype),
                                              name=scope).op

    def minimize(self, loss, global_step=None, var_list=None, name: str | None = None,
                 stop_gradients=None):
        """compute_gradients then apply_gradients: the one-line training step of TF1 scripts.

        Args:
            loss: A floating scalar tensor to decrease.
            global_step: A variable to add 1 to after each step, or None.
            var_list: The variables to update (default: the trainable variables).
            name: A name for the op.
            stop_gradients: Tensors to treat as constants.

        Returns:
            An Operation; each run takes one step.

        Examples:
            >>> step = tf.train.get_or_create_global_step()
            >>> w = tf.Variable(0.0)
            >>> train = tf.train.GradientDescentOptimizer(0.5).minimize(tf.square(w - 3.0),
            ...                                                         global_step=step)
            >>> with tf.Session() as sess:
            ...     sess.run(tf.global_variables_initializer())
            ...     sess.run(train)
            ...     print(sess.run([w, step]))
            [3.0, 1]
        """
        pairs = self.compute_gradients(loss, var_list, stop_gradients)
        return self.apply_gradients(pairs, global_step=global_step, name=name)

    def get_slot(self, var, name: str):
        """The slot variable `name` the optimizer made for `var`, or None.

        Args:
            var: A variable the optimizer updates.
            name: The slot's name, one of `get_slot_names()`.

        Returns:
            A Variable, or None.

        Examples:
            >>> w = tf.Variable(1.0, name="w")
            >>> adam = tf.train.AdamOptimizer()
            >>> train = adam.minimize(w * w)
            >>> print(adam.get_slot(w, "m").name)
            w/Adam:0
        """
        return self._slots.get(name, {}).get(var.op.name)

    def get_name(self) -> str:
        """The optimizer's name: the scope of its ops and the suffix of its slots (TF1's).

        Returns:
            The `name` given to the constructor, or the optimizer's default ("Adam", ...).

        Examples:
            >>> print(tf.train.AdamOptimizer().get_name(),
            ...       tf.train.MomentumOptimizer(0.1, 0.9, name="sgd_m").get_name())
            Adam sgd_m
        """
        return self._name

    def get_slot_names(self) -> list[str]:
        """The per-variable slots only; non-slot variables (Adam's beta powers) are not slots.

        Returns:
            The slot names, sorted.

        Examples:
            >>> w = tf.Variable(1.0)
            >>> adam = tf.train.AdamOptimizer()
            >>> train = adam.minimize(w * w)
            >>> print(adam.get_slot_names())
            ['m', 'v']
        """
        return sorted(self._slots)

    def variables(self) -> list:
        """Every variable the optimizer made (slots and non-slot ones), sorted by name (TF1).

        Returns:
            A list of Variables.

        Examples:
            >>> w = tf.Variable(1.0, name="w")
            >>> adam = tf.train.AdamOptimizer()
            >>> train = adam.minimize(w * w)
            >>> print([v.name for v in adam.variables()])
            ['beta1_power:0', 'beta2_power:0', 'w/Adam:0', 'w/Adam_1:0']
        """
        made = [v for slots in self._slots.values() for v in slots.values()]
        return sorted(made + list(self._non_slots.values()), key=lambda v: v.name)

    @staticmethod
    def _constrained(update, var):
        """The update, then the variable's constraint applied to the result (TF1 layers'
        kernel_constraint / bias_constraint)."""
        constraint = getattr(var, "constraint", None)
        if constraint is None:
            return update
        with var.graph.control_dependencies([update]):
            return var.assign(constraint(var.read_value()), name="constrain")

    # --- for subclasses -------------------------------------------------------------------------
    def _create_slots(self, var_list) -> None:  # noqa: B027 - optional hook
        """Create the optimizer's slot variables (none by default)."""

    def _prepare(self) -> None:  # noqa: B027 - optional hook
        """Build tensors shared by every variable's update (none by default)."""

    @abc.abstractmethod
    def _apply_dense(self, grad, var):
        """The op that applies `grad` to `var` (and the optimizer's slots)."""

    def _finish(self, update_ops, name: str):
        """The op that runs every update; `name` ends in `/` to name it exactly (a scope)."""
        return group(*update_ops, name=name)

    def _hyper(self, value, var):
        """A hyperparameter (float, tensor or placeholder) as a tensor of `var`'s dtype."""
        # Tensors by identity (the graph keeps them alive); numbers by value: the id of a
        # temporary float is reused once it dies, so it must not be the key.
        if isinstance(value, Tensor):
            key = ("tensor", id(value), var.dtype)
        elif isinstance(value, (int, float, np.number)):
            key = ("number", type(value), float(value), var.dtype)
        else:
            return constant(value, dtype=var.dtype)
        t = self._hyper_cache.get(key)
        if t is None:
            if isinstance(value, Tensor):
                t = value if value.dtype is var.dtype else cast(value, var.dtype)
            else:
                t = constant(value, dtype=var.dtype)
            self._hyper_cache[key] = t
        return t

    def _zeros_slot(self, var, slot_name: str, op_name: str, fill: float = 0.0):
        """A non-trainable variable shaped like `var`, named as TF1 names it: the variable
        scope (not the name scope), the variable's op name, then `op_name` made unique
        (`w/Adam`, `w/Adam_1`; inside variable_scope("s"): `s/s/w/Adam`)."""
        from graphflow.variable_scope import get_variable_scope
        from graphflow.variables import Variable

        slots = self._slots.setdefault(slot_name, {})
        if var.op.name not in slots:
            graph = var.graph
            scope = get_variable_scope().name
            name = f"{scope}/{var.op.name}/{op_name}" if scope else f"{var.op.name}/{op_name}"
            with graph.name_scope(None), graph.control_dependencies(None):
                value = np.full(var.shape.as_list(), fill, dtype=var.dtype.np)
                slots[var.op.name] = Variable(value, trainable=False, name=name)
        return slots[var.op.name]

    def _non_slot(self, name: str, initial: float, like):
        """A scalar optimizer variable such as Adam's beta1_power: one per optimizer, in the
        caller's name scope (`beta1_power`, `scope/beta1_power`), not one of its slots."""
        from graphflow.variables import Variable

        if name not in self._non_slots:
            graph = like.graph
            with graph.control_dependencies(None):
                self._non_slots[name] = Variable(constant(initial, dtype=like.dtype),
                                                 trainable=False, name=name)
        return self._non_slots[name]


def get_or_create_global_step(graph=None):
    """The graph's global step (an int64 variable named `global_step`), made on first use.

    Args:
        graph: The graph (default: the default graph).

    Returns:
        The global step Variable, in `GraphKeys.GLOBAL_STEP`.

    Examples:
        >>> step = tf.train.get_or_create_global_step()
        >>> print(step.name, step.dtype, tf.train.get_or_create_global_step() is step)
        global_step:0 int64 True
    """
    from graphflow.variables import Variable

    graph = graph or get_default_graph()
    existing = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if existing:
        return existing[0]
    with graph.as_default(), graph.name_scope(None):
        step = Variable(constant(0, dtype="int64"), trainable=False, name="global_step")
    graph.add_to_collection(GraphKeys.GLOBAL_STEP, step)
    return step


def get_global_step(graph=None):
    """The graph's global step variable, or None when there is none yet.

    Args:
        graph: The graph (default: the default graph).

    Returns:
        A Variable or None.

    Examples:
        >>> print(tf.train.get_global_step())
        None
        >>> step = tf.train.get_or_create_global_step()
        >>> print(tf.train.get_global_step() is step)
        True
    """
    graph = graph or get_default_graph()
    existing = graph.get_collection(GraphKeys.GLOBAL_STEP)
    return existing[0] if existing else None
