"""Activations beyond relu/sigmoid/tanh: relu6, leaky_relu, elu, selu, softplus, softsign.

Each is one elementwise op (so the compiler can fuse it) whose reference never overflows: the
exponentials only ever see non-positive arguments. Gradients are compositions of elementwise
primitives, so second derivatives come for free and fuse too.
"""

from __future__ import annotations

import numpy as np

from graphflow.ops.elementwise import FLOAT, UnaryOp, _check_dtype
from graphflow.ops.naming import name_public_functions
from graphflow.ops.nn_geometry import raise_rule, raise_runtime, real_problem
from graphflow.ops.registry import register, spec

SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805


def _mask(cond, like):
    from graphflow.ops.cast import cast

    return cast(cond, like.dtype)


def _examples(kinks=(0.0,), lo=-4.0, hi=4.0):
    def examples(s):
        return s.nn.activation_example(s, kinks, lo, hi)

    return staticmethod(examples)


class _Activation(UnaryOp):
    allowed = FLOAT

    def infer(self, x):
        _check_dtype(x.dtype, FLOAT, "features")
        return spec(x.dtype, x.shape)

    def compute(self, x):
        return np.asarray(self.fn(x), dtype=x.dtype)


@register("Relu6")
class Relu6(_Activation):
    """min(max(x, 0), 6); the gradient is 1 strictly inside (0, 6)."""

    examples = _examples((0.0, 6.0), -3.0, 9.0)

    @staticmethod
    def fn(x):
        return np.clip(x, 0, 6)

    def gradient(self, node, dy):
        from graphflow.ops.elementwise import greater, less, logical_and

        x = node.inputs[0]
        return [dy * _mask(logical_and(greater(x, 0), less(x, 6)), dy)]


@register("LeakyRelu")
class LeakyRelu(_Activation):
    """x where x > 0, else alpha * x (TF1's default alpha is 0.2)."""

    attrs = {"alpha": 0.2}
    examples = _examples()

    def infer(self, x):
        raise_rule(real_problem(self.alpha, "alpha"))
        return super().infer(x)

    def fn(self, x):
        raise_runtime(real_problem(self.alpha, "alpha"))
        return np.where(x > 0, x, x * np.asarray(self.alpha, dtype=x.dtype))

    def gradient(self, node, dy):
        from graphflow.ops.elementwise import greater

        pos = _mask(greater(node.inputs[0], 0), dy)
        return [dy * (pos * (1 - self.alpha) + self.alpha)]


@register("Elu")
class Elu(_Activation):
    """x where x > 0, else exp(x) - 1."""

    examples = _examples()

    @staticmethod
    def fn(x):
        return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))

    def gradient(self, node, dy):
        from graphflow.ops.elementwise import greater, minimum

        x, y = node.inputs[0], node.outputs[0]
        pos = _mask(greater(x, 0), dy)
        return [dy * (pos + (1 - pos) * (minimum(y, 0) + 1))]


@register("Selu")
class Selu(_Activation):
    """scale * (x where x > 0, else alpha * (exp(x) - 1)), self-normalising constants."""

    examples = _examples()

    @staticmethod
    def fn(x):
        neg = SELU_ALPHA * np.expm1(np.minimum(x, 0))
        return SELU_SCALE * np.where(x > 0, x, neg)

    def gradient(self, node, dy):
        from graphflow.ops.elementwise import greater, minimum

        x, y = node.inputs[0], node.outputs[0]
        pos = _mask(greater(x, 0), dy)
        neg = minimum(y, 0) + SELU_SCALE * SELU_ALPHA
        return [dy * (pos * SELU_SCALE + (1 - pos) * neg)]


@register("Softplus")
class Softplus(_Activation):
    """log(1 + exp(x)) as max(x, 0) + log1p(exp(-|x|)): no overflow for large |x|."""

    examples = _examples((), -6.0, 6.0)

    @staticmethod
    def fn(x):
        return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))

    def gradient(self, node, dy):
        from graphflow.ops.elementwise import sigmoid

        return [dy * sigmoid(node.inputs[0])]


@register("Softsign")
class Softsign(_Activation):
    """x / (1 + |x|)."""

    examples = _examples()

    @staticmethod
    def fn(x):
        return x / (1 + np.abs(x))

    def gradient(self, node, dy):
        from graphflow.ops.elementwise import abs as abs_
        from graphflow.ops.elementwise import square

        return [dy / square(abs_(node.inputs[0]) + 1)]


# --- public functions ---------------------------------------------------------------------------
def _activation(cls, name, doc, printed):
    """An activation's public function; the five share one docstring template (Args, Returns
    and an example on [-2, 0, 2] whose printed result is `printed`)."""
    def fn(features, name=None):
        from graphflow.ops.constant import convert_to_tensor
        from graphflow.ops.registry import apply_op

        return apply_op(cls(), [convert_to_tensor(features)], name=name or cls.type)

    fn.__doc__ = f"""{doc}

Args:
    features: A floating tensor.
    name: A name for the op (default `{cls.type}`).

Returns:
    A Tensor of features' shape and dtype.

Examples:
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.nn.{name}([-2., 0., 2.])))
    {printed}
"""
    return fn


relu6 = _activation(Relu6, "relu6", "min(max(features, 0), 6).", "[0. 0. 2.]")
elu = _activation(Elu, "elu", "features where > 0, else exp(features) - 1.",
                  "[-0.8647  0.      2.    ]")
selu = _activation(Selu, "selu", "Scaled exponential linear unit (Klambauer et al.).",
                   "[-1.5202  0.      2.1014]")
softplus = _activation(Softplus, "softplus", "log(exp(features) + 1), stable for large "
                       "|features|.", "[0.1269 0.6931 2.1269]")
softsign = _activation(Softsign, "softsign", "features / (abs(features) + 1).",
                       "[-0.6667  0.      0.6667]")


def leaky_relu(features, alpha: float = 0.2, name=None):
    """features where > 0, else alpha * features (TF1's default alpha is 0.2).

    Args:
        features: A floating tensor.
        alpha: The slope below 0.
        name: A name for the op.

    Returns:
        A Tensor of features' shape and dtype.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.nn.leaky_relu([-2., 0., 2.], alpha=0.1)))
        [-0.2  0.   2. ]
    """
    from graphflow.ops.constant import convert_to_tensor
    from graphflow.ops.registry import apply_op

    if isinstance(alpha, (int, float, np.number)) and not isinstance(alpha, bool):
        alpha = float(alpha)  # else the op's infer says what is wrong
    return apply_op(LeakyRelu(alpha=alpha), [convert_to_tensor(features)],
                    name=name or "LeakyRelu")


name_public_functions(globals())
