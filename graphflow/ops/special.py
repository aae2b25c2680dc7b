"""Special functions as elementwise ops: atan2, expm1, erfc, lgamma, digamma, polygamma, zeta.

Those with a libm function declare a `scalar` C expression (the fused cpu evaluator and the CUDA
generator render it; M_ATAN2 / M_EXPM1 / M_ERFC / M_LGAMMA map to atan2, expm1, erfc and the
reentrant lgamma_r). digamma, polygamma and zeta have none: their references (special_math.py,
Cephes' series) are the cpu kernels. Gradients are TF1's: lgamma' = digamma, digamma' =
polygamma(1, x), polygamma(a, x)' = polygamma(a + 1, x), d zeta(x, q)/dq = -x zeta(x + 1, q);
none flows into polygamma's order `a` nor zeta's exponent `x`, as in TF1.
"""

from __future__ import annotations

import numpy as np

from graphflow.core.graph import get_default_graph
from graphflow.ops import special_math
from graphflow.ops.constant import apply_binary, convert_to_tensor
from graphflow.ops.elementwise import FLOAT, BinaryOp, UnaryOp, exp, negative, square
from graphflow.ops.naming import name_public_functions
from graphflow.ops.registry import Example, apply_op, register


def _positive(lo=0.2, hi=6.0):
    """Examples on (0, hi]: lgamma/digamma/polygamma away from their poles at 0, -1, ..."""
    return staticmethod(lambda s: s.unary_example(FLOAT, lo=lo, hi=hi))


def _map_inputs(strategy, first=None, second=None):
    """`strategy`'s examples with their inputs rewritten (a function per input, dtype kept)."""
    def rewrite(ex):
        fns = (first, second)
        return Example([np.asarray(f(v), dtype=v.dtype) if f else v
                        for f, v in zip(fns, ex.inputs)], ex.attrs)

    return strategy.map(rewrite)


@register("Atan2")
class Atan2(BinaryOp):
    """The angle of the point (x, y): atan(y / x) with the quadrant from both signs."""

    input_names = ("y", "x")
    allowed = FLOAT
    scalar = "M_ATAN2(x, y)"  # operand 0 (written x in scalar text) is TF's y
    scalar_cost = 20
    # y kept at least 0.25 from 0: away from the origin and from the branch cut along x < 0
    examples = staticmethod(lambda s: _map_inputs(
        s.binary_example(FLOAT), first=lambda y: np.where(y >= 0, y + 0.25, y - 0.25)))
    fn = staticmethod(np.arctan2)

    def gradient(self, node, dz):
        from graphflow.ops.broadcast_grad import unbroadcast

        y, x = node.inputs
        scale = dz / (square(x) + square(y))
        return [unbroadcast(scale * x, y), unbroadcast(-scale * y, x)]


@register("Expm1")
class Expm1(UnaryOp):
    """e**x - 1, accurate for small x."""

    scalar = "M_EXPM1(x)"
    scalar_cost = 10
    examples = staticmethod(lambda s: s.unary_example(FLOAT))
    fn = staticmethod(np.expm1)

    def gradient(self, node, dy):
        return [dy * exp(node.inputs[0])]


@register("Erfc")
class Erfc(UnaryOp):
    """The complementary error function 1 - erf(x), without cancellation for large x."""

    scalar = "M_ERFC(x)"
    scalar_cost = 20
    examples = staticmethod(lambda s: s.unary_example(FLOAT))
    fn = staticmethod(special_math.erfc)

    def gradient(self, node, dy):
        x = node.inputs[0]
        return [dy * (-2 / np.sqrt(np.pi)) * exp(negative(square(x)))]


@register("Lgamma")
class Lgamma(UnaryOp):
    """log |Gamma(x)|; +inf at the poles 0, -1, -2, ..."""

    scalar = "M_LGAMMA(x)"
    scalar_cost = 40
    examples = _positive()
    fn = staticmethod(special_math.lgamma)

    def gradient(self, node, dy):
        return [dy * digamma(node.inputs[0])]


@register("Digamma")
class Digamma(UnaryOp):
    """psi(x), the derivative of lgamma; NaN at 0, -1, -2, ... (TF1)."""

    examples = _positive()
    fn = staticmethod(special_math.digamma)

    def gradient(self, node, dy):
        x = node.inputs[0]
        return [dy * polygamma(convert_to_tensor(1, dtype=x.dtype), x)]


def _order_and_point(s):
    """(a, x): orders 0..3 (integer-valued floats) at points in [0.2, 4]."""
    return _map_inputs(s.binary_example(FLOAT, lo=0.2, hi=4.0), first=lambda a: np.floor(a - 0.2))


@register("Polygamma")
class Polygamma(BinaryOp):
    """The n-th derivative of digamma at x, n = a a non-negative integer (else NaN, as TF1)."""

    input_names = ("a", "x")
    allowed = FLOAT
    gradient_wrt = (1,)  # no gradient flows into the order `a` (TF1 gives None)
    examples = staticmethod(_order_and_point)
    fn = staticmethod(special_math.polygamma)

    def gradient(self, node, dz):
        from graphflow.ops.broadcast_grad import unbroadcast

        a, x = node.inputs
        return [None, unbroadcast(dz * polygamma(a + 1, x), x)]


def _exponent_and_shift(s):
    """(x, q): exponents in [1.5, 5], shifts in [0.2, 4]."""
    return _map_inputs(s.binary_example(FLOAT, lo=0.2, hi=4.0), first=lambda x: x * 0.875 + 1.325)


@register("Zeta")
class Zeta(BinaryOp):
    """The Hurwitz zeta function sum over k >= 0 of (k + q)**-x."""

    input_names = ("x", "q")
    allowed = FLOAT
    gradient_wrt = (1,)  # no gradient flows into the exponent `x` (TF1 gives None)
    examples = staticmethod(_exponent_and_shift)
    fn = staticmethod(special_math.zeta)

    def gradient(self, node, dz):
        from graphflow.ops.broadcast_grad import unbroadcast

        x, q = node.inputs
        return [None, unbroadcast(dz * negative(x) * zeta(x + 1, q), q)]


# --- public functions ---------------------------------------------------------------------------
def atan2(y, x, name=None):
    """The angle of (x, y) in (-pi, pi], elementwise (TF1's argument order: y first).

    Args:
        y: A floating tensor, the y coordinates.
        x: A tensor of y's dtype, the x coordinates (they broadcast).
        name: A name for the op.

    Returns:
        A Tensor of the broadcast shape, in radians.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.atan2([1., -1., 0.], [0., 0., -1.])))
        [ 1.5708 -1.5708  3.1416]
    """
    return apply_binary(Atan2(), y, x, name=name, names=("y", "x"))


def expm1(x, name=None):
    """exp(x) - 1 elementwise, accurate for small x.

    Args:
        x: A floating tensor.
        name: A name for the op.

    Returns:
        A Tensor of x's shape and dtype.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.expm1([0., 1.])), sess.run(tf.expm1(1e-10)) > 0)
        [0.     1.7183] True
    """
    return apply_op(Expm1(), [convert_to_tensor(x)], name=name)


def erfc(x, name=None):
    """1 - erf(x) elementwise, accurate where erf(x) is near 1.

    Args:
        x: A floating tensor.
        name: A name for the op.

    Returns:
        A Tensor of x's shape and dtype.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.erfc([0., 1., -1.])))
        [1.     0.1573 1.8427]
    """
    return apply_op(Erfc(), [convert_to_tensor(x)], name=name)


def lgamma(x, name=None):
    """log |Gamma(x)| elementwise.

    Args:
        x: A floating tensor.
        name: A name for the op.

    Returns:
        A Tensor of x's shape and dtype.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.lgamma([1., 5., 0.5])))
        [0.     3.1781 0.5724]
    """
    return apply_op(Lgamma(), [convert_to_tensor(x)], name=name)


def digamma(x, name=None):
    """psi(x) = lgamma'(x) elementwise.

    Args:
        x: A floating tensor.
        name: A name for the op.

    Returns:
        A Tensor of x's shape and dtype.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.digamma([1., 2., 0.5])))
        [-0.5772  0.4228 -1.9635]
    """
    return apply_op(Digamma(), [convert_to_tensor(x)], name=name)


def polygamma(a, x, name=None):
    """The a-th derivative of digamma at x (a: non-negative integer values of x's dtype).

    Args:
        a: A floating tensor of whole numbers, the derivative's order.
        x: A tensor of a's dtype (they broadcast).
        name: A name for the op.

    Returns:
        A Tensor of the broadcast shape.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.polygamma([1., 1.], [1., 2.])))
        [1.6449 0.6449]
    """
    return apply_binary(Polygamma(), a, x, name=name, names=("a", "x"))


def zeta(x, q, name=None):
    """The Hurwitz zeta function of exponent x and shift q: the sum over n >= 0 of (n + q)**-x.

    Args:
        x: A floating tensor, the exponent (above 1).
        q: A tensor of x's dtype, the shift (they broadcast).
        name: A name for the op.

    Returns:
        A Tensor of the broadcast shape.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.zeta([2., 2.], [1., 2.])))
        [1.6449 0.6449]
    """
    return apply_binary(Zeta(), x, q, name=name, names=("x", "q"))


def log_sigmoid(x, name=None):
    """log(sigmoid(x)) as -softplus(-x), TF1's composition: stable for large |x|.

    Args:
        x: A floating tensor.
        name: A name for the ops' scope (default "LogSigmoid").

    Returns:
        A Tensor of x's shape and dtype.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.log_sigmoid([-100., 0., 100.])))
        [-100.       -0.6931   -0.    ]
    """
    from graphflow.ops.nn_activations import softplus

    x = convert_to_tensor(x)
    with get_default_graph().name_scope(name or "LogSigmoid"):
        return negative(softplus(negative(x)))


name_public_functions(globals())
