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
    """Base class. Subclasses implement `_apply_dense(grad, var)` returning the update op."""

    name = "Optimizer"

    def __init__(self, use_locking: bool = False, name: str | None = None):
        self._name = name or self.name
        self._slots: dict[str, dict] = {}
        self._hyper_cache: dict = {}

    # --- TF1's public API ---------------------------------------------------------------------
    def compute_gradients(self, loss, var_list=None, stop_gradients=None):
        """[(gradient, variable)] for the trainable variables (or `var_list`) that `loss` uses."""
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
        """The op that applies each (gradient, variable) update, then increments global_step."""
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            names = [v.name for _, v in grads_and_vars]
            raise ValueError(f"No gradients provided for any variable: {names}. Does the loss "
                             "depend on them (and not only through stop_gradient or ints)?")
        graph = pairs[0][1].graph
        with graph.name_scope(name or self._name):
            self._create_slots([v for _, v in pairs])
            self._prepare()
            updates = [self._constrained(self._apply_dense(g, v), v) for g, v in pairs]
            finish = self._finish(updates)
            if global_step is None:
                return group(finish, name="update")
            with graph.control_dependencies([finish]):
                return global_step.assign_add(constant(1, dtype=global_step.dtype),
                                              name="update").op

    def minimize(self, loss, global_step=None, var_list=None, name: str | None = None,
                 stop_gradients=None):
        """compute_gradients then apply_gradients: the one-line training step of TF1 scripts."""
        pairs = self.compute_gradients(loss, var_list, stop_gradients)
        return self.apply_gradients(pairs, global_step=global_step, name=name)

    def get_slot(self, var, name: str):
        return self._slots.get(name, {}).get(var.op.name)

    def get_slot_names(self) -> list[str]:
        return sorted(self._slots)

    def variables(self) -> list:
        return [v for slots in self._slots.values() for v in slots.values()]

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

    def _finish(self, update_ops):
        return group(*update_ops, name="apply")

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
        """A non-trainable variable shaped like `var`, named like TF1's (`w/Adam`, `w/Adam_1`)."""
        from graphflow.variables import Variable

        slots = self._slots.setdefault(slot_name, {})
        if var.op.name not in slots:
            graph = var.graph
            with graph.name_scope(None), graph.control_dependencies(None):
                value = np.full(var.shape.as_list(), fill, dtype=var.dtype.np)
                slots[var.op.name] = Variable(value, trainable=False,
                                              name=f"{var.op.name}/{op_name}")
        return slots[var.op.name]

    def _non_slot(self, name: str, initial: float, like):
        """A scalar optimizer variable such as Adam's beta1_power (one per optimizer)."""
        from graphflow.variables import Variable

        slots = self._slots.setdefault(name, {})
        if "" not in slots:
            graph = like.graph
            with graph.name_scope(None), graph.control_dependencies(None):
                slots[""] = Variable(constant(initial, dtype=like.dtype), trainable=False,
                                     name=name)
        return slots[""]


def get_or_create_global_step(graph=None):
    """The graph's global step (an int64 variable named `global_step`)."""
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
    graph = graph or get_default_graph()
    existing = graph.get_collection(GraphKeys.GLOBAL_STEP)
    return existing[0] if existing else None
