"""2-D convolution (TF1 conventions: NHWC input, HWIO filter, cross-correlation, no bias).

Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter are each other's gradients, so every order
of derivative is available. The backprops take the shape they produce as a static attribute whose
dims may be None, which lets shapes be inferred before a run: an unknown batch comes from
`out_backprop`, and when another dim is unknown (height or width fed at run time) the op also
takes the sizes as a trailing int32 input, `shape(x)`, as TF1's `input_sizes`/`filter_sizes`.
The window geometry and the attribute rules live in nn_geometry.py (shared with pooling);
attributes are checked in `infer` (Python building and graph-file import) and again, with the
run-time shapes, before the reference or a CPU kernel touches any data.
"""

from __future__ import annotations

import numpy as np

from graphflow.core.site import argument_error
from graphflow.errors import DTypeError, dtype_rule, shape_rule
from graphflow.ops.array_util import shape_tensor_value
from graphflow.ops.nn_geometry import (
    check_float,
    data_format_problem,
    dims4,
    first_problem,
    four_problem,
    merge_dim,
    normalize_4,
    normalize_padding,
    out_dim,
    padding_problem,
    raise_rule,
    raise_runtime,
    resolve_sizes,
    sizes_problem,
    static_sizes,
    window,
)
from graphflow.ops.registry import Op, apply_op, register, spec


# --- NumPy reference ----------------------------------------------------------------------------
def _taps(x_shape, w_shape, op):
    """Yield (i, j, padded-input slices) for each filter tap, plus the padding and window."""
    kh, kw = w_shape[0], w_shape[1]
    win = window(x_shape[1], x_shape[2], kh, kw, op.strides, op.dilations, op.padding)
    (_, sh, sw, _), (_, dh, dw, _) = op.strides, op.dilations
    taps = [(i, j, (slice(None), slice(i * dh, i * dh + (win.oh - 1) * sh + 1, sh),
                    slice(j * dw, j * dw + (win.ow - 1) * sw + 1, sw)))
            for i in range(kh) for j in range(kw)]
    return taps, ((0, 0), (win.pt, win.pb), (win.pl, win.pr), (0, 0)), win


def conv2d_reference(x, w, op):
    taps, pads, win = _taps(x.shape, w.shape, op)
    xp = np.pad(x, pads)
    out = np.zeros((x.shape[0], win.oh, win.ow, w.shape[3]), dtype=np.result_type(x, w))
    for i, j, sl in taps:
        out += xp[sl] @ w[i, j]
    return out


def backprop_input_reference(input_shape, w, dy, op):
    taps, pads, _ = _taps(input_shape, w.shape, op)
    n, h, wd, c = input_shape
    dxp = np.zeros((n, h + sum(pads[1]), wd + sum(pads[2]), c), dtype=dy.dtype)
    for i, j, sl in taps:
        dxp[sl] += dy @ w[i, j].T
    return dxp[:, pads[1][0]:pads[1][0] + h, pads[2][0]:pads[2][0] + wd, :]


def backprop_filter_reference(x, filter_shape, dy, op):
    """A matmul per tap: np.dot (and tensordot) skip zero multipliers, so a padding cell times
    an infinite dy would give 0 where TF1 (and IEEE) give NaN."""
    taps, pads, _ = _taps(x.shape, filter_shape, op)
    xp = np.pad(x, pads)
    dw = np.zeros(filter_shape, dtype=dy.dtype)
    m = dy.shape[0] * dy.shape[1] * dy.shape[2]  # explicit: a channel count may be 0
    rows = dy.reshape(m, filter_shape[3])
    for i, j, sl in taps:
        dw[i, j] = xp[sl].reshape(m, filter_shape[2]).T @ rows
    return dw


# --- ops ------------------------------------------------------------------------------------------
class _ConvBase(Op):
    attrs = {"strides": (1, 1, 1, 1), "padding": "VALID", "dilations": (1, 1, 1, 1),
             "data_format": "NHWC"}

    def attr_problem(self) -> str | None:
        """What is wrong with this op's attributes, or None."""
        return first_problem(four_problem(self.strides, "strides"),
                             four_problem(self.dilations, "dilations"),
                             padding_problem(self.padding), data_format_problem(self.data_format))

    def run_problem(self, x_shape, w_shape, dy_shape=None) -> str | None:
        """What stops this op from running on these shapes (input, filter, out_backprop)."""
        problem = self.attr_problem()
        if problem:
            return problem
        for shape, what in ((x_shape, "input"), (w_shape, "filter"), (dy_shape, "out_backprop")):
            if shape is not None and len(shape) != 4:
                return f"{what} must be 4-D (NHWC / HWIO), got shape {tuple(shape)}"
        if min(w_shape[:2]) < 1:
            return f"the filter's height and width must be at least 1, got shape {tuple(w_shape)}"
        if x_shape[3] != w_shape[2]:
            return (f"input channels {x_shape[3]} and the filter's in_channels {w_shape[2]} "
                    "disagree")
        try:
            win = window(x_shape[1], x_shape[2], w_shape[0], w_shape[1], self.strides,
                         self.dilations, self.padding)
        except ValueError as err:
            return str(err)
        expected = (x_shape[0], win.oh, win.ow, w_shape[3])
        if dy_shape is not None and tuple(dy_shape) != expected:
            return f"out_backprop must have shape {expected}, got {tuple(dy_shape)}"
        return None

    def _check_filter(self, kh, kw):
        raise_rule(self.attr_problem())
        if any(k is not None and k < 1 for k in (kh, kw)):
            raise_rule(f"the filter's height and width must be at least 1, got {kh}x{kw}")

    def _out_hw(self, h, w, kh, kw):
        return (out_dim(h, kh, self.strides[1], self.dilations[1], self.padding, 1),
                out_dim(w, kw, self.strides[2], self.dilations[2], self.padding, 2))

    def _geometry(self):
        return {k: self.attrs[k] for k in ("strides", "padding", "dilations", "data_format")}


def backprop_sizes(t, batch_from_dy: bool = True) -> tuple:
    """(static sizes attribute, [runtime sizes input] or []) for a backprop producing `t`'s shape.

    The batch may stay unknown (out_backprop has it); any other unknown dim is read at run time
    from `shape(t)`, as TF1's gradients pass `array_ops.shape(x)`."""
    from graphflow.ops.shape_ops import shape

    dims = t.shape.as_list() if t.shape.rank is not None else [None] * 4
    if batch_from_dy:
        dims[0] = None
    inputs = [shape(t)] if any(d is None for d in dims[batch_from_dy:]) else []
    return tuple(dims), inputs


def sizes_input_rule(sizes_t, sizes, what: str, batch_from_dy: bool = True) -> list:
    """Build time: the static sizes merged with what is known of the sizes input's values."""
    dims = static_sizes(sizes)
    if sizes_t is None:
        if None in dims[batch_from_dy:]:
            raise_rule(f"{what} {dims} must be known integers (only the batch may be None, "
                       f"from out_backprop), or be given as a tensor input")
        return dims
    rank = sizes_t.shape.rank
    got = f"{sizes_t.dtype.name}{sizes_t.shape.bracketed()}"
    if not sizes_t.dtype.is_integer:
        raise dtype_rule(f"the {what} input must be int32 or int64, got {got}")
    if rank not in (None, 1) or rank == 1 and sizes_t.shape[0] not in (None, 4):
        raise shape_rule(f"the {what} input must be a vector of 4 sizes, got {got}")
    known = shape_tensor_value(sizes_t)
    if known is None:
        return dims
    if len(known) != 4:
        raise shape_rule(f"{what} must have 4 entries, got {known}")
    return [merge_dim(a, b, f"{what} and the {what} input") for a, b in zip(dims, known)]


@register("Conv2D")
class Conv2D(_ConvBase):
    """Cross-correlation of NHWC `input` with an HWIO `filter`: no kernel flip, no bias."""

    fresh_output = True
    input_names = ("input", "filter")

    def infer(self, x, w):
        check_float(x, w)
        n, h, wd, c = dims4(x.shape, "input")
        kh, kw, ci, co = dims4(w.shape, "filter")
        self._check_filter(kh, kw)
        merge_dim(c, ci, "input channels and the filter's in_channels")
        return spec(x.dtype, [n, *self._out_hw(h, wd, kh, kw), co])

    def input_problem(self, x, w) -> str | None:
        """What stops this op from running on these values (checked by every executor)."""
        return self.run_problem(x.shape, w.shape)

    def compute(self, x, w):
        raise_runtime(self.input_problem(x, w))
        return np.asarray(conv2d_reference(x, w, self), dtype=x.dtype)

    def gradient(self, node, dy):
        x, w = node.inputs
        return [_input_grad(self, x, w, dy), _filter_grad(self, w, x, dy)]

    @staticmethod
    def examples(s):
        return s.nn.conv_example(s, "forward")


@register("Conv2DBackpropInput")
class Conv2DBackpropInput(_ConvBase):
    """The gradient of Conv2D with respect to its input; also `conv2d_transpose`."""

    fresh_output = True
    attrs = {**_ConvBase.attrs, "input_sizes": None}
    input_names = ("filter", "out_backprop", "input_sizes")

    def attr_problem(self) -> str | None:
        return super().attr_problem() or sizes_problem(self.input_sizes, "input_sizes")

    def infer(self, w, dy, sizes_t=None):
        check_float(w, dy)
        n, oh, ow, co = dims4(dy.shape, "out_backprop")
        kh, kw, ci, co_w = dims4(w.shape, "filter")
        self._check_filter(kh, kw)
        merge_dim(co, co_w, "out_backprop channels and the filter's out_channels")
        sizes = sizes_input_rule(sizes_t, self.input_sizes, "input_sizes")
        n = merge_dim(sizes[0], n, "batch sizes")
        c = merge_dim(sizes[3], ci, "input_sizes channels and the filter's in_channels")
        exp_h, exp_w = self._out_hw(sizes[1], sizes[2], kh, kw)
        merge_dim(exp_h, oh, "out_backprop height and the height input_sizes implies")
        merge_dim(exp_w, ow, "out_backprop width and the width input_sizes implies")
        return spec(w.dtype, [n, sizes[1], sizes[2], c])

    def result_shape(self, dy, sizes=None):
        """(the input shape this op produces on these values, None) or (None, problem)."""
        return resolve_sizes(self.input_sizes, sizes, "input_sizes",
                             dy.shape[0] if dy.ndim else 0)

    def input_problem(self, w, dy, sizes=None) -> str | None:
        problem = self.attr_problem()
        if problem or w.ndim != 4:
            return problem or f"filter must be 4-D (HWIO), got shape {w.shape}"
        shape, problem = self.result_shape(dy, sizes)
        return problem or self.run_problem(shape, w.shape, dy.shape)

    def compute(self, w, dy, sizes=None):
        raise_runtime(self.input_problem(w, dy, sizes))
        shape = self.result_shape(dy, sizes)[0]
        return np.asarray(backprop_input_reference(shape, w, dy, self), dtype=dy.dtype)

    def gradient(self, node, dz):
        w, dy = node.inputs[:2]
        rest = [None] * (len(node.inputs) - 2)
        return [_filter_grad(self, w, dz, dy), apply_op(Conv2D(**self._geometry()), [dz, w]),
                *rest]

    @staticmethod
    def examples(s):
        return s.nn.conv_example(s, "input")


@register("Conv2DBackpropFilter")
class Conv2DBackpropFilter(_ConvBase):
    """The gradient of Conv2D with respect to its filter."""

    fresh_output = True
    attrs = {**_ConvBase.attrs, "filter_sizes": None}
    input_names = ("input", "out_backprop", "filter_sizes")

    def attr_problem(self) -> str | None:
        return super().attr_problem() or sizes_problem(self.filter_sizes, "filter_sizes")

    def infer(self, x, dy, sizes_t=None):
        check_float(x, dy)
        n, h, wd, c = dims4(x.shape, "input")
        n2, oh, ow, co = dims4(dy.shape, "out_backprop")
        merge_dim(n, n2, "batch sizes of input and out_backprop")
        raise_rule(self.attr_problem())
        kh, kw, ci, co_f = sizes = sizes_input_rule(sizes_t, self.filter_sizes, "filter_sizes",
                                                    batch_from_dy=False)
        self._check_filter(kh, kw)
        merge_dim(c, ci, "input channels and filter_sizes in_channels")
        merge_dim(co, co_f, "out_backprop channels and filter_sizes out_channels")
        exp_h, exp_w = self._out_hw(h, wd, kh, kw)
        merge_dim(exp_h, oh, "out_backprop height and the conv output height")
        merge_dim(exp_w, ow, "out_backprop width and the conv output width")
        return spec(x.dtype, sizes)

    def result_shape(self, sizes=None):
        """(the filter shape this op produces, None) or (None, problem)."""
        return resolve_sizes(self.filter_sizes, sizes, "filter_sizes")

    def input_problem(self, x, dy, sizes=None) -> str | None:
        shape, problem = self.result_shape(sizes)
        return self.attr_problem() or problem or self.run_problem(x.shape, shape, dy.shape)

    def compute(self, x, dy, sizes=None):
        raise_runtime(self.input_problem(x, dy, sizes))
        return np.asarray(backprop_filter_reference(x, self.result_shape(sizes)[0], dy, self),
                          dtype=dy.dtype)

    def gradient(self, node, dw):
        x, dy = node.inputs[:2]
        rest = [None] * (len(node.inputs) - 2)
        return [_input_grad(self, x, dw, dy), apply_op(Conv2D(**self._geometry()), [x, dw]),
                *rest]

    @staticmethod
    def examples(s):
        return s.nn.conv_example(s, "filter")


def _input_grad(op, x, w, dy):
    """d/dx of a convolution of x by w, given dy; x's shape may be known only at run time."""
    sizes, extra = backprop_sizes(x)
    return apply_op(Conv2DBackpropInput(input_sizes=sizes, **op._geometry()), [w, dy, *extra])


def _filter_grad(op, w, x, dy):
    """d/dw of a convolution of x by w, given dy."""
    sizes, extra = backprop_sizes(w, batch_from_dy=False)
    return apply_op(Conv2DBackpropFilter(filter_sizes=sizes, **op._geometry()), [x, dy, *extra])


# --- public functions ---------------------------------------------------------------------------
def _conv_attrs(strides, padding, dilations, data_format) -> dict:
    """The attributes as given, widened to TF1's forms; the op's `infer` validates them."""
    return {"strides": normalize_4(strides), "padding": normalize_padding(padding),
            "dilations": normalize_4(dilations if dilations is not None else 1),
            "data_format": data_format or "NHWC"}


def _sizes(value, function: str, what: str, batch_from_dy: bool = True):
    """(static sizes, [the sizes tensor] or []): a tensor whose values are not all known while
    building (e.g. `tf.shape(x)` or a stack holding `tf.shape(x)[0]`) is also an input of the op,
    read at run time; its known entries still give the result's static shape, as in TF1."""
    from graphflow.core.node import Tensor
    from graphflow.ops.constant import convert_to_tensor

    if isinstance(value, (list, tuple)) and any(isinstance(d, Tensor) for d in value):
        value = convert_to_tensor(value)  # a stack of scalars, as TF1 converts it
    if isinstance(value, Tensor):
        if not value.dtype.is_integer:
            raise argument_error(function, f"{what} must be int32 or int64, got "
                                           f"{value.describe()}", cls=DTypeError)
        known = shape_tensor_value(value)
        if known is not None and len(known) == 4 and None not in known[batch_from_dy:]:
            return tuple(known), []  # an unknown batch comes from out_backprop
        return (tuple(known) if known is not None and len(known) == 4 else (None,) * 4), [value]
    if not isinstance(value, (list, tuple, np.ndarray)):
        return value, []  # the op's infer says what is wrong with it
    return tuple(None if d is None else int(d) if isinstance(d, (int, np.integer)) else d
                 for d in value), []


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa: A002
           data_format="NHWC", dilations=(1, 1, 1, 1), name=None, filters=None):
    """Cross-correlate NHWC `input` with HWIO `filter`; no bias is added (use bias_add).

    Args:
        input: A 4-D `[batch, height, width, in_channels]` floating tensor.
        filter: A 4-D `[kh, kw, in_channels, out_channels]` tensor.
        strides: The steps, `[1, sh, sw, 1]` (or an int or a pair).
        padding: "VALID", "SAME", or explicit `[[0, 0], [top, bottom], [left, right], [0, 0]]`.
        use_cudnn_on_gpu: TF1's hint; it changes nothing.
        data_format: Only "NHWC".
        dilations: The filter's dilation, `[1, dh, dw, 1]`.
        name: A name for the op.
        filters: TF2's name for `filter`.

    Returns:
        A 4-D Tensor `[batch, out_height, out_width, out_channels]`.

    Examples:
        >>> image = tf.reshape(tf.range(16.), [1, 4, 4, 1])
        >>> summed = tf.nn.conv2d(image, tf.ones([2, 2, 1, 1]), [1, 1, 1, 1], "VALID")
        >>> with tf.Session() as sess:
        ...     print(sess.run(summed)[0, :, :, 0])
        [[10. 14. 18.]
         [26. 30. 34.]
         [42. 46. 50.]]
        >>> print(tf.nn.conv2d(image, tf.ones([3, 3, 1, 8]), [1, 2, 2, 1], "SAME").shape)
        (1, 2, 2, 8)
    """
    from graphflow.ops.constant import convert_to_tensor

    del use_cudnn_on_gpu
    filter = filters if filter is None else filter  # noqa: A001
    if filter is None or strides is None or padding is None:
        raise argument_error("conv2d", "conv2d needs filter, strides and padding")
    x = convert_to_tensor(input)
    w = convert_to_tensor(filter, dtype_hint=x.dtype)
    return apply_op(Conv2D(**_conv_attrs(strides, padding, dilations, data_format)), [x, w],
                    name=name or "Conv2D")


def conv2d_backprop_input(input_sizes, filter=None, out_backprop=None, strides=None,  # noqa: A002
                          padding=None, use_cudnn_on_gpu=True, data_format="NHWC",
                          dilations=(1, 1, 1, 1), name=None, filters=None):
    """The gradient of conv2d with respect to an input of shape `input_sizes` (a list, or an
    int tensor such as `tf.shape(x)` when the input's height or width is fed at run time).

    Args:
        input_sizes: The input's shape, `[batch, height, width, in_channels]`.
        filter: The conv2d filter, `[kh, kw, in_channels, out_channels]`.
        out_backprop: The gradient of conv2d's output.
        strides: conv2d's strides.
        padding: conv2d's padding.
        use_cudnn_on_gpu: Changes nothing.
        data_format: Only "NHWC".
        dilations: conv2d's dilations.
        name: A name for the op.
        filters: TF2's name for `filter`.

    Returns:
        A Tensor of shape `input_sizes`.

    Examples:
        >>> dy = tf.ones([1, 3, 3, 1])
        >>> dx = tf.nn.conv2d_backprop_input([1, 4, 4, 1], tf.ones([2, 2, 1, 1]), dy,
        ...                                  [1, 1, 1, 1], "VALID")
        >>> with tf.Session() as sess:
        ...     print(sess.run(dx)[0, :, :, 0])
        [[1. 2. 2. 1.]
         [2. 4. 4. 2.]
         [2. 4. 4. 2.]
         [1. 2. 2. 1.]]
    """
    from graphflow.ops.constant import convert_to_tensor

    del use_cudnn_on_gpu
    filter = filters if filter is None else filter  # noqa: A001
    if filter is None or out_backprop is None or strides is None or padding is None:
        raise argument_error("conv2d_backprop_input", "conv2d_backprop_input needs filter, "
                             "out_backprop, strides and padding")
    dy = convert_to_tensor(out_backprop)
    w = convert_to_tensor(filter, dtype_hint=dy.dtype)
    sizes, extra = _sizes(input_sizes, "conv2d_backprop_input", "input_sizes")
    op = Conv2DBackpropInput(input_sizes=sizes,
                             **_conv_attrs(strides, padding, dilations, data_format))
    return apply_op(op, [w, dy, *extra], name=name or "Conv2DBackpropInput")


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                           use_cudnn_on_gpu=True, data_format="NHWC", dilations=(1, 1, 1, 1),
                           name=None):
    """The gradient of conv2d with respect to a filter of shape `filter_sizes`.

    Args:
        input: conv2d's input.
        filter_sizes: The filter's shape, `[kh, kw, in_channels, out_channels]`.
        out_backprop: The gradient of conv2d's output.
        strides: conv2d's strides.
        padding: conv2d's padding.
        use_cudnn_on_gpu: Changes nothing.
        data_format: Only "NHWC".
        dilations: conv2d's dilations.
        name: A name for the op.

    Returns:
        A Tensor of shape `filter_sizes`.

    Examples:
        >>> x = tf.ones([1, 3, 3, 1])
        >>> dw = tf.nn.conv2d_backprop_filter(x, [2, 2, 1, 1], tf.ones([1, 2, 2, 1]),
        ...                                   [1, 1, 1, 1], "VALID")
        >>> with tf.Session() as sess:
        ...     print(sess.run(dw)[:, :, 0, 0])
        [[4. 4.]
         [4. 4.]]
    """
    from graphflow.ops.constant import convert_to_tensor

    del use_cudnn_on_gpu
    x = convert_to_tensor(input)
    sizes, extra = _sizes(filter_sizes, "conv2d_backprop_filter", "filter_sizes",
                          batch_from_dy=False)
    op = Conv2DBackpropFilter(filter_sizes=sizes,
                              **_conv_attrs(strides, padding, dilations, data_format))
    return apply_op(op, [x, convert_to_tensor(out_backprop, dtype_hint=x.dtype), *extra],
                    name=name or "Conv2DBackpropFilter")


def conv2d_transpose(value=None, filter=None, output_shape=None, strides=None,  # noqa: A002
                     padding="SAME", data_format="NHWC", name=None, input=None,  # noqa: A002
                     filters=None, dilations=None):
    """The transpose of conv2d (its input gradient); filter is [h, w, out_channels, in_channels].

    Args:
        value: A 4-D NHWC tensor.
        filter: A `[kh, kw, out_channels, in_channels]` tensor.
        output_shape: The output's shape, `[batch, height, width, out_channels]`.
        strides: The steps of the conv2d this transposes.
        padding: "SAME" (the default) or "VALID".
        data_format: Only "NHWC".
        name: A name for the op.
        input: TF2's name for `value`.
        filters: TF2's name for `filter`.
        dilations: The dilation of the conv2d this transposes.

    Returns:
        A Tensor of shape `output_shape`.

    Examples:
        >>> up = tf.nn.conv2d_transpose(tf.ones([1, 2, 2, 1]), tf.ones([3, 3, 1, 1]),
        ...                             [1, 4, 4, 1], [1, 2, 2, 1])
        >>> print(up.shape)
        (1, 4, 4, 1)
    """
    value = input if value is None else value
    filter = filters if filter is None else filter  # noqa: A001
    if value is None or filter is None or output_shape is None or strides is None:
        raise argument_error("conv2d_transpose", "conv2d_transpose needs value, filter, "
                             "output_shape and strides")
    return conv2d_backprop_input(output_shape, filter, value, strides, padding,
                                 data_format=data_format, dilations=dilations,
                                 name=name or "conv2d_transpose")
