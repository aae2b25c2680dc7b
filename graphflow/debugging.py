"""Finding the first NaN or Inf: a `check_numerics` op, and a Session mode that checks every op."""

from __future__ import annotations

import numpy as np

from graphflow.errors import InvalidArgumentError, dtype_rule
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.registry import Op, apply_op, register, spec


def _bad_values(value) -> str | None:
    arr = np.asarray(value)
    if arr.dtype.kind not in "fc" or arr.size == 0:
        return None
    nan, inf = int(np.isnan(arr).sum()), int(np.isinf(arr).sum())
    if not nan and not inf:
        return None
    return f"{nan} NaN and {inf} Inf values among {arr.size} in a {arr.dtype} array of shape " \
           f"{list(arr.shape)}"


@register("CheckNumerics")
class CheckNumerics(Op):
    """Its input unchanged, but the run fails if the input holds a NaN or an Inf."""

    attrs = {"message": ""}
    input_names = ("tensor",)

    def infer(self, x):
        if not x.dtype.is_floating:
            raise dtype_rule(f"check_numerics needs a floating-point tensor, not {x.dtype.name}")
        return spec(x.dtype, x.shape)

    def compute(self, x):
        problem = _bad_values(x)
        if problem:  # the run loop adds this op, its site and the producer of its input
            raise FloatingPointError(f"{self.message + ': ' if self.message else ''}{problem}")
        return x

    def gradient(self, node, dy):
        return [dy]

    @staticmethod
    def examples(s):
        return s.unary_example("float")


def check_numerics(tensor, message: str = "", name=None):
    """`tensor`, checked for NaN and Inf when it is computed (TF1's `tf.check_numerics`).

    `Session(check_numerics=True)` checks every op instead.

    Args:
        tensor: A floating tensor.
        message: Text to start the error with.
        name: A name for the op.

    Returns:
        A Tensor with tensor's value; running it on a value holding a NaN or an Inf raises an
        InvalidArgumentError that counts them and names the op and its line.

    Examples:
        >>> x = tf.placeholder(tf.float32, name="x")
        >>> y = tf.check_numerics(tf.log(x), "log of x")
        >>> sess = tf.Session()
        >>> print(sess.run(y, {x: 1.0}))
        0.0
        >>> sess.run(y, {x: -1.0})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        graphflow.errors.InvalidArgumentError: CheckNumerics ... log of x: 1 NaN and 0 Inf ...
    """
    return apply_op(CheckNumerics(message=message), [convert_to_tensor(tensor)], name=name)


class NumericsChecker:
    """The run-loop observer behind `Session(check_numerics=True)`: stops at the first op whose
    result holds a NaN or an Inf, naming it and the line that built it. Results are looked at on
    the host, through the executor's state."""

    def __init__(self, state):
        self.state = state

    def __call__(self, instruction, start_ns, end_ns, result):
        results = result if len(instruction.out_slots) != 1 else (result,)
        device = instruction.node.device
        for r in results:
            problem = None if r is None else _bad_values(
                self.state.step_value_to_host(r, device))
            if problem:
                node = instruction.node
                raise InvalidArgumentError(
                    f"check_numerics: {node.describe()} produced {problem}. Its inputs: "
                    + "; ".join(v.describe() for v in node.inputs))
