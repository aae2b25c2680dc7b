"""Ops that touch session state or stand in for values: placeholders, variables, assignments."""

from __future__ import annotations

import numpy as np

from graphflow.core.shape import as_shape, shape_argument
from graphflow.errors import InvalidArgumentError, dtype_rule, shape_rule
from graphflow.ops.registry import NoExamples, Op, register, spec

_STATEFUL = NoExamples("reads or writes session state; tested in tests/core/test_variables.py "
                       "and tests/core/test_session.py")


@register("Placeholder")
class Placeholder(Op):
    """A value supplied by `feed_dict` at run time."""

    attrs = {"dtype": None, "shape": None}
    takes_context = True
    stateful = True
    examples = _STATEFUL

    def infer(self):
        return spec(self.dtype, self.shape)

    def compute(self, ctx):
        raise ValueError("no value was fed for this placeholder; feed it in feed_dict")


def missing_feed_message(node, needed_by=None) -> str:
    shape = as_shape(node.get_attr("shape"))
    text = (f"You must feed a value for placeholder tensor '{node.name}' with dtype "
            f"{node.get_attr('dtype').tf_name} and shape {shape.bracketed()}")
    if needed_by is not None:
        text += f" (needed to compute '{needed_by}')"
    return text + f"; the placeholder was created at {node.site}."


@register("PlaceholderWithDefault")
class PlaceholderWithDefault(Op):
    """Its input unless fed; the fed value may have any shape compatible with `shape`."""

    attrs = {"shape": None}
    input_names = ("default",)
    forwards_input = True  # when it runs at all, it was not fed
    examples = NoExamples("identity unless fed; tested in tests/core/test_session.py")

    def infer(self, default):
        shape = as_shape(self.shape)
        if not shape.is_compatible_with(default.shape):
            raise shape_rule(f"the default value's shape {default.shape} does not fit {shape}")
        return spec(default.dtype, shape)

    def compute(self, default):
        return default

    def gradient(self, node, dy):
        return [dy]


@register("VariableV2")
class VariableV2(Op):
    """Reads a variable's current value from the session; `key` names it in the state."""

    attrs = {"dtype": None, "shape": None, "trainable": True, "key": None}
    takes_context = True
    stateful = True
    keyed_by_name = True
    examples = _STATEFUL

    def infer(self):
        return spec(self.dtype, self.shape)

    def compute(self, ctx):
        return ctx.read_variable(self.key)

    def make_output(self, node, index, dtype, shape):
        out = self.__dict__.pop("bound_output", None)
        if out is None:
            return super().make_output(node, index, dtype, shape)
        out._init_tensor(node, index, dtype, shape)
        return out


def _key_of(variable, key):
    """The state key of `variable` (a Variable tensor), or `key` when no variable is given."""
    if variable is None:
        return key
    return variable.op.get_attr("key") or variable.op.name


class _AssignBase(Op):
    """Writes into the variable `variable` (a Variable); its output is the variable's new value.

    `variable` is for building (dtype and shape checks, names in errors); runs use `key`."""

    attrs = {"variable": None, "key": None}
    input_names = ("value",)
    takes_context = True
    stateful = True
    examples = _STATEFUL

    def __init__(self, **attrs):
        super().__init__(**attrs)
        self.attrs["key"] = _key_of(self.attrs["variable"], self.attrs["key"])

    def infer(self, value):
        var = self.variable
        if value.dtype is not var.dtype:
            raise dtype_rule(f"the variable '{var.op.name}' is {var.dtype.name} but the value is "
                             f"{value.dtype.name}")
        if not var.shape.is_compatible_with(value.shape):
            raise shape_rule(
                f"{self.type} requires shapes of both tensors to match. lhs shape= "
                f"{var.shape.bracketed()} rhs shape= {value.shape.bracketed()} "
                f"(lhs is the variable '{var.op.name}' created at {var.op.site})"
            )
        return spec(var.dtype, var.shape)

    def check_runtime_shape(self, value):
        var = self.variable
        if tuple(value.shape) != tuple(var.shape.as_list()):
            raise InvalidArgumentError(
                f"{self.type} requires shapes of both tensors to match. lhs shape= "
                f"{var.shape.bracketed()} rhs shape= {as_shape(value.shape).bracketed()} "
                f"(lhs is the variable "
                f"'{var.op.name}' created at {var.op.site})"
            )


@register("Assign")
class Assign(_AssignBase):
    def compute(self, ctx, value):
        self.check_runtime_shape(value)
        return ctx.write_variable(self.key, np.array(value, copy=True))


@register("AssignAdd")
class AssignAdd(_AssignBase):
    update_combine = "Add"

    def compute(self, ctx, value):
        self.check_runtime_shape(value)
        return ctx.write_variable(self.key, ctx.read_variable(self.key) + value)


@register("AssignSub")
class AssignSub(_AssignBase):
    update_combine = "Sub"

    def compute(self, ctx, value):
        self.check_runtime_shape(value)
        return ctx.write_variable(self.key, ctx.read_variable(self.key) - value)


@register("ReadVariable")
class ReadVariable(Op):
    """The variable's value at the moment this op runs (after its control inputs).

    Its input is the variable itself, so gradients flow to it, but the value is read afresh:
    `with control_dependencies([assign]): v.read_value()` sees the assignment, as in TF1.
    """

    attrs = {"variable": None, "key": None}
    input_names = ("ref",)
    takes_context = True
    stateful = True
    examples = _STATEFUL

    def __init__(self, **attrs):
        super().__init__(**attrs)
        self.attrs["key"] = _key_of(self.attrs["variable"], self.attrs["key"])

    def infer(self, ref):
        return spec(ref.dtype, ref.shape)

    def compute(self, ctx, ref):
        return ctx.read_variable(self.key)

    def gradient(self, node, dy):
        return [dy]


@register("NoOp")
class NoOp(Op):
    """Does nothing; with control inputs it groups other ops (`group`, `minimize`)."""

    examples = NoExamples("no inputs or outputs; tested in tests/core/test_session.py")

    def infer(self):
        return []

    def compute(self):
        return ()


@register("Identity")
class Identity(Op):
    """Its input, unchanged (a view, never a copy)."""

    input_names = ("x",)
    forwards_input = True

    def infer(self, x):
        return spec(x.dtype, x.shape)

    def compute(self, x):
        return x

    def gradient(self, node, dy):
        return [dy]

    @staticmethod
    def examples(s):
        return s.unary_example("any")


@register("StopGradient")
class StopGradient(Op):
    """Its input, but gradients do not flow through it."""

    input_names = ("x",)
    not_differentiable = True
    forwards_input = True  # gradients were built before compiling: at run time it is the input

    def infer(self, x):
        return spec(x.dtype, x.shape)

    def compute(self, x):
        return x

    @staticmethod
    def examples(s):
        return s.unary_example("any")


# --- public functions ---------------------------------------------------------------------------
def placeholder(dtype, shape=None, name=None):
    """A value to feed at run time; `shape` may be None (any) or contain None (`[None, 784]`).

    Running an op that needs it without a value in `feed_dict` raises an
    `InvalidArgumentError` that names the placeholder and where it was made.

    Args:
        dtype: The dtype of the values to feed (`tf.float32`, or a name such as "float32").
        shape: The static shape: None for any shape, or a list with None for a dim of any size.
        name: A name for the op (default "Placeholder").

    Returns:
        A Tensor; feed it with `sess.run(..., feed_dict={x: value})`.

    Examples:
        >>> x = tf.placeholder(tf.float32, shape=[None, 2], name="x")
        >>> print(x.shape)
        (?, 2)
        >>> with tf.Session() as sess:
        ...     print(sess.run(x * 2., feed_dict={x: [[1., 2.]]}))
        [[2. 4.]]
    """
    from graphflow.core.dtypes import as_dtype
    from graphflow.core.graph import get_default_graph

    node = get_default_graph().create_node(
        Placeholder(dtype=as_dtype(dtype), shape=shape_argument(shape, "placeholder")), [],
        name=name or "Placeholder")
    return node.outputs[0]


def placeholder_with_default(input, shape, name=None):  # noqa: A002 - TF1's argument name
    """`input` unless a value is fed for it.

    Args:
        input: The default value (a tensor or a value `constant` takes).
        shape: The shape of the values that may be fed; None dims accept any size.
        name: A name for the op.

    Returns:
        A Tensor of input's dtype with static shape `shape`.

    Examples:
        >>> x = tf.placeholder_with_default([1., 2.], shape=[None])
        >>> with tf.Session() as sess:
        ...     print(sess.run(x))
        ...     print(sess.run(x, feed_dict={x: [5., 6., 7.]}))
        [1. 2.]
        [5. 6. 7.]
    """
    from graphflow.ops.constant import convert_to_tensor
    from graphflow.ops.registry import apply_op

    default = convert_to_tensor(input, name="default")
    return apply_op(PlaceholderWithDefault(shape=shape_argument(shape, "placeholder_with_default")),
                    [default],
                    name=name or "PlaceholderWithDefault")


def identity(input, name=None):  # noqa: A002 - TF1's argument name
    """`input` again, as a new tensor (an op of its own).

    Args:
        input: A tensor, or a value `constant` takes.
        name: A name for the op.

    Returns:
        A Tensor with input's value, dtype and shape.

    Examples:
        >>> y = tf.identity(tf.constant([1, 2]), name="y")
        >>> print(y.name)
        y:0
    """
    from graphflow.ops.constant import convert_to_tensor
    from graphflow.ops.registry import apply_op

    return apply_op(Identity(), [convert_to_tensor(input)], name=name)


def stop_gradient(input, name=None):  # noqa: A002 - TF1's argument name
    """`input`, treated as a constant by `gradients`.

    Args:
        input: A tensor, or a value `constant` takes.
        name: A name for the op.

    Returns:
        A Tensor with input's value; no gradient flows back through it.

    Examples:
        >>> x = tf.constant(3.)
        >>> y = x * tf.stop_gradient(x)
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.gradients(y, x)[0]))
        3.0
    """
    from graphflow.ops.constant import convert_to_tensor
    from graphflow.ops.registry import apply_op

    return apply_op(StopGradient(), [convert_to_tensor(input)], name=name)


def no_op(name=None):
    """An op that does nothing: run it for its control dependencies.

    Args:
        name: A name for the op (default "NoOp").

    Returns:
        An Operation (fetching it gives None).

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.no_op()))
        None
    """
    from graphflow.core.graph import get_default_graph

    return get_default_graph().create_node(NoOp(), [], name=name or "NoOp")


def group(*inputs, name=None):
    """An op that runs all `inputs` (ops, tensors or nested lists of them) and returns nothing.

    Args:
        *inputs: Operations or tensors to run, or nested lists of them.
        name: A name for the op (default "group_deps").

    Returns:
        An Operation; fetching it runs the inputs and gives None.

    Examples:
        >>> v = tf.Variable(0)
        >>> both = tf.group(tf.assign_add(v, 1), tf.assign_add(v, 10))
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     sess.run(both)
        ...     print(sess.run(v))
        11
    """
    from graphflow.core.graph import get_default_graph

    flat = []

    def collect(items):
        for it in items:
            if isinstance(it, (list, tuple)):
                collect(it)
            elif it is not None:
                flat.append(it)

    collect(inputs)
    graph = flat[0].graph if flat else get_default_graph()
    with graph.control_dependencies(flat):
        return graph.create_node(NoOp(), [], name=name or "group_deps")
