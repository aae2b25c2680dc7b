"""bias_add, moments, batch_normalization and fused_batch_norm (TF1 semantics, NHWC).

`moments` and `batch_normalization` are compositions of primitives, as in TF1. FusedBatchNorm
is one op because training mode needs the batch statistics and the normalised output together;
its gradient is composed from reductions, so it is differentiable to any order.
Its third output follows TF1's fused kernel: in training the batch variance is Bessel-corrected
(m / (m - 1), the estimate moving averages want) while `y` is normalised with the biased one.
"""

from __future__ import annotations

import numpy as np

from graphflow.core.site import argument_error
from graphflow.errors import shape_rule
from graphflow.ops.nn_geometry import (
    check_float,
    check_nhwc,
    data_format_problem,
    first_problem,
    merge_dim,
    raise_rule,
    raise_runtime,
    real_problem,
)
from graphflow.ops.registry import Op, apply_op, register, spec

_NHW = (0, 1, 2)


@register("BiasAdd")
class BiasAdd(Op):
    """value + bias, the 1-D bias added along the last (channels) axis."""

    fresh_output = True
    attrs = {"data_format": "NHWC"}
    input_names = ("value", "bias")

    def infer(self, x, b):
        check_float(x, b)
        check_nhwc(self.data_format)
        if x.shape.rank is not None and x.shape.rank < 2:
            raise shape_rule(f"value must have at least 2 dimensions, got shape {x.shape}")
        if b.shape.rank not in (None, 1):
            raise shape_rule(f"bias must be 1-D, got shape {b.shape}")
        if x.shape.rank is None:
            return spec(x.dtype, x.shape)
        last = merge_dim(x.shape[-1], b.shape[0] if b.shape.rank else None,
                         "the last dimension of value and the size of bias")
        return spec(x.dtype, x.shape[:-1].concatenate([last]))

    def compute(self, x, b):
        raise_runtime(data_format_problem(self.data_format))
        if x.ndim < 2 or b.ndim != 1:
            raise ValueError(f"value must have at least 2 dimensions and bias 1, got shapes "
                             f"{x.shape} and {b.shape}")
        if b.shape[0] != x.shape[-1]:
            raise ValueError(f"bias of size {b.shape[0]} does not match the last dimension "
                             f"{x.shape[-1]} of value")
        return np.asarray(x + b, dtype=x.dtype)

    def gradient(self, node, dy):
        return [dy, apply_op(BiasAddGrad(data_format=self.data_format), [dy])]

    @staticmethod
    def examples(s):
        return s.nn.bias_add_example(s)


@register("BiasAddGrad")
class BiasAddGrad(Op):
    """The sum of `out_backprop` over every axis but the last: the bias gradient."""

    fresh_output = True
    attrs = {"data_format": "NHWC"}
    input_names = ("out_backprop",)

    def infer(self, dy):
        check_float(dy)
        check_nhwc(self.data_format)
        if dy.shape.rank is not None and dy.shape.rank < 2:
            raise shape_rule(f"out_backprop must have at least 2 dimensions, got {dy.shape}")
        return spec(dy.dtype, [dy.shape[-1] if dy.shape.rank is not None else None])

    def compute(self, dy):
        raise_runtime(data_format_problem(self.data_format))
        if dy.ndim < 2:
            raise ValueError(f"out_backprop must have at least 2 dimensions, got {dy.shape}")
        return np.asarray(dy.reshape(-1, dy.shape[-1]).sum(axis=0), dtype=dy.dtype)

    def gradient(self, node, dz):
        from graphflow.ops.broadcast_grad import BroadcastLike

        return [apply_op(BroadcastLike(), [dz, node.inputs[0]])]

    @staticmethod
    def examples(s):
        return s.nn.bias_add_example(s, grad=True)


@register("FusedBatchNorm")
class FusedBatchNorm(Op):
    """(y, batch_mean, batch_variance) of NHWC `x`, per channel.

    Training: statistics of this batch (the `mean`/`variance` inputs are ignored and may be
    empty). Inference: `mean`/`variance` are used and returned unchanged.
    """

    attrs = {"epsilon": 1e-3, "is_training": True, "data_format": "NHWC"}
    input_names = ("x", "scale", "offset", "mean", "variance")

    def attr_problem(self) -> str | None:
        training = self.is_training
        return first_problem(
            data_format_problem(self.data_format), real_problem(self.epsilon, "epsilon", minimum=0),
            None if isinstance(training, bool) else f"is_training must be a bool, not "
                                                   f"{training!r}")

    def infer(self, x, scale, offset, mean, variance):
        check_float(x, scale, offset, mean, variance)
        check_nhwc(self.data_format)
        raise_rule(self.attr_problem())
        if x.shape.rank not in (None, 4):
            raise shape_rule(f"x must be 4-D (NHWC), got shape {x.shape}")
        c = x.shape[3] if x.shape.rank == 4 else None
        stats = [scale, offset] + ([] if self.is_training else [mean, variance])
        for t in stats:
            if t.shape.rank not in (None, 1):
                raise shape_rule(f"{t.describe()} must be 1-D (one entry per channel)")
            c = merge_dim(c, t.shape[0] if t.shape.rank == 1 else None,
                          "the channels of x and the size of scale/offset/mean/variance")
        return [spec(x.dtype, x.shape), spec(x.dtype, [c]), spec(x.dtype, [c])]

    def input_problem(self, x, scale, offset, mean, variance) -> str | None:
        if x.ndim != 4:
            return f"x must be 4-D (NHWC), got shape {x.shape}"
        stats = {"scale": scale, "offset": offset}
        if not self.is_training:
            stats.update(mean=mean, variance=variance)
        for name, t in stats.items():
            if t.shape != (x.shape[3],):
                return f"{name} must have shape ({x.shape[3]},) (one entry per channel), got " \
                       f"{t.shape}"
        return self.attr_problem()

    def compute(self, x, scale, offset, mean, variance):
        raise_runtime(self.input_problem(x, scale, offset, mean, variance))
        if self.is_training:
            mean = x.mean(axis=_NHW, dtype=np.float64)
            variance = x.var(axis=_NHW, dtype=np.float64)
            m = x.size // max(x.shape[3], 1)
            reported = variance * (m / max(m - 1, 1))
        else:
            reported = variance
        inv = 1.0 / np.sqrt(np.asarray(variance, np.float64) + self.epsilon)
        y = (x - mean) * (inv * scale) + offset
        return (np.asarray(y, dtype=x.dtype), np.asarray(mean, dtype=x.dtype),
                np.asarray(reported, dtype=x.dtype))

    def gradient(self, node, dy, dmean, dvar):
        from graphflow.ops.cast import cast
        from graphflow.ops.elementwise import rsqrt, square
        from graphflow.ops.reduce import broadcast_reduced, reduce_mean, reduce_sum
        from graphflow.ops.shape_ops import size

        x, scale, _, mean_in, var_in = node.inputs
        mean = node.outputs[1] if self.is_training else mean_in
        xc = x - mean
        var = reduce_mean(square(xc), _NHW) if self.is_training else var_in
        inv = rsqrt(var + self.epsilon)
        dx = dscale = doffset = dmean_in = dvar_in = None
        if dy is not None:
            xhat = xc * inv
            doffset, dscale = reduce_sum(dy, _NHW), reduce_sum(dy * xhat, _NHW)
            if self.is_training:
                dx = (scale * inv) * (dy - reduce_mean(dy, _NHW)
                                      - xhat * reduce_mean(dy * xhat, _NHW))
            else:
                dx = dy * (scale * inv)
                dmean_in = -doffset * scale * inv
                dvar_in = -0.5 * reduce_sum(dy * xc, _NHW) * scale * inv * inv * inv
        if self.is_training:
            if dmean is not None:
                dx = _add(dx, broadcast_reduced(dmean, x, _NHW, mean=True))
            if dvar is not None:
                m = cast(size(x), x.dtype) / cast(size(scale), x.dtype)
                ratio = 2 * m / _max1(m - 1)
                dx = _add(dx, ratio * xc * broadcast_reduced(dvar, x, _NHW, mean=True))
        else:
            dmean_in, dvar_in = _add(dmean_in, dmean), _add(dvar_in, dvar)
        return [dx, dscale, doffset, dmean_in, dvar_in]

    @staticmethod
    def examples(s):
        return s.nn.fused_batch_norm_example(s)


def _add(a, b):
    if a is None:
        return b
    return a if b is None else a + b


def _max1(t):
    from graphflow.ops.elementwise import maximum

    return maximum(t, 1)


# --- public compositions ------------------------------------------------------------------------
def bias_add(value, bias, data_format=None, name=None):
    """value + bias along the last axis (bias is 1-D).

    Args:
        value: A tensor of rank 2 or more.
        bias: A 1-D tensor, one entry per last-axis entry of value.
        data_format: Only TF1's default (None or "NHWC", channels last).
        name: A name for the op.

    Returns:
        A Tensor of value's shape and dtype.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.nn.bias_add([[1., 2.]], [10., 20.])))
        [[11. 22.]]
    """
    from graphflow.ops.constant import convert_to_tensor

    value = convert_to_tensor(value)
    bias = convert_to_tensor(bias, dtype_hint=value.dtype)
    return apply_op(BiasAdd(data_format=data_format or "NHWC"), [value, bias],
                    name=name or "BiasAdd")


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """(mean, variance) of `x` over `axes`; the variance is the biased one (divides by m).

    Args:
        x: A floating tensor.
        axes: The axes to reduce (`[0]` for a batch, `[0, 1, 2]` for NHWC images).
        shift: TF1's unused shift; it changes nothing.
        name: A name for the ops' scope.
        keep_dims: TF1's deprecated name for `keepdims`.
        keepdims: Keep the reduced axes with length 1.

    Returns:
        A pair of Tensors `(mean, variance)`.

    Examples:
        >>> mean, variance = tf.nn.moments(tf.constant([1., 2., 3., 4.]), axes=[0])
        >>> with tf.Session() as sess:
        ...     print(sess.run([mean, variance]))
        [2.5, 1.25]
    """
    from graphflow.core.graph import get_default_graph
    from graphflow.ops.array import squeeze
    from graphflow.ops.constant import convert_to_tensor
    from graphflow.ops.elementwise import squared_difference
    from graphflow.ops.reduce import reduce_mean
    from graphflow.ops.state import stop_gradient

    del shift  # TF1 ignores it too
    keep = bool(keepdims if keepdims is not None else keep_dims)
    axes = [int(a) for a in (axes if isinstance(axes, (list, tuple)) else [axes])]
    with get_default_graph().name_scope(name or "moments"):
        x = convert_to_tensor(x)
        mean = reduce_mean(x, axes, keepdims=True, name="mean")
        variance = reduce_mean(squared_difference(x, stop_gradient(mean)), axes,
                               keepdims=True, name="variance")
        if not keep:
            mean, variance = squeeze(mean, axes), squeeze(variance, axes)
        return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) / sqrt(variance + eps) * scale + offset, as TF1 computes it.

    Args:
        x: A floating tensor.
        mean: The mean (broadcasts with x).
        variance: The variance.
        offset: The offset added after scaling (beta), or None.
        scale: The scale (gamma), or None.
        variance_epsilon: The small number added to the variance.
        name: A name for the ops' scope.

    Returns:
        A Tensor of x's shape.

    Examples:
        >>> y = tf.nn.batch_normalization(tf.constant([1., 3.]), 2., 1., 0., 1., 0.)
        >>> with tf.Session() as sess:
        ...     print(sess.run(y))
        [-1.  1.]
    """
    from graphflow.core.graph import get_default_graph
    from graphflow.ops.constant import convert_to_tensor
    from graphflow.ops.elementwise import rsqrt

    with get_default_graph().name_scope(name or "batchnorm"):
        x = convert_to_tensor(x)
        inv = rsqrt(convert_to_tensor(variance, dtype_hint=x.dtype) + variance_epsilon)
        if scale is not None:
            inv = inv * scale
        shift = -convert_to_tensor(mean, dtype_hint=x.dtype) * inv
        if offset is not None:
            shift = offset + shift
        return x * inv + shift


def fused_batch_norm(x, scale, offset, mean=None, variance=None, epsilon=0.001,
                     data_format="NHWC", is_training=True, name=None):
    """(y, batch_mean, batch_variance); TF1 raises epsilon to at least 1.001e-5.

    In training mode the statistics are the batch's over N, H and W (the variance returned is
    the unbiased one, as TF1's); otherwise `mean` and `variance` are used.

    Args:
        x: A 4-D NHWC floating tensor.
        scale: A `[channels]` tensor (gamma).
        offset: A `[channels]` tensor (beta).
        mean: The population mean, needed when not training.
        variance: The population variance, needed when not training.
        epsilon: The small number added to the variance.
        data_format: Only "NHWC".
        is_training: Use the batch's statistics (True) or the given ones.
        name: A name for the op.

    Returns:
        A triple of Tensors `(y, batch_mean, batch_variance)`.

    Examples:
        >>> x = tf.reshape(tf.constant([1., 3.]), [1, 1, 2, 1])
        >>> y, mean, variance = tf.nn.fused_batch_norm(x, [1.], [0.])
        >>> with tf.Session() as sess:
        ...     print(sess.run(y).ravel(), sess.run(mean), sess.run(variance))
        [-0.9995  0.9995] [2.] [2.]
    """
    from graphflow.ops.constant import constant, convert_to_tensor

    x = convert_to_tensor(x)
    if not is_training and (mean is None or variance is None):
        raise argument_error("fused_batch_norm",
                             "fused_batch_norm needs mean and variance when is_training=False")
    ins = [x] + [convert_to_tensor(t, dtype_hint=x.dtype) for t in (scale, offset)]
    ins += [convert_to_tensor(t, dtype_hint=x.dtype) if t is not None  # TF1: empty in training
            else constant(np.zeros(0, x.dtype.np)) for t in (mean, variance)]
    if isinstance(epsilon, (int, float, np.number)) and not isinstance(epsilon, bool):
        epsilon = max(float(epsilon), 1.001e-5)  # else the op's infer says what is wrong
    op = FusedBatchNorm(epsilon=epsilon, is_training=bool(is_training),
                        data_format=data_format)
    return apply_op(op, ins, name=name or "FusedBatchNorm")

