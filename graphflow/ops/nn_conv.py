"""2-D convolution (TF1 conventions: NHWC input, HWIO filter, cross-correlation, no bias).

Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter are each other's gradients, so every order
of derivative is available. The backprops take the shape they produce as a static attribute
(batch may be None: it comes from `out_backprop`), which is what lets shapes be inferred before
a run. The window geometry and the attribute rules live in nn_geometry.py (shared with pooling);
attributes are checked in `infer` (Python building and graph-file import) and again, with the
run-time shapes, before the reference or a CPU kernel touches any data.
"""

from __future__ import annotations

import numpy as np

from graphflow.core.site import argument_error
from graphflow.errors import GraphError
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
    sizes_problem,
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
    taps, pads, _ = _taps(x.shape, filter_shape, op)
    xp = np.pad(x, pads)
    dw = np.zeros(filter_shape, dtype=dy.dtype)
    for i, j, sl in taps:
        dw[i, j] = np.tensordot(xp[sl], dy, axes=([0, 1, 2], [0, 1, 2]))
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


def _static_sizes(t, what: str) -> tuple:
    """The static shape the gradient's backprop op must produce (batch may stay unknown)."""
    dims = t.shape.as_list() if t.shape.rank == 4 else None
    if dims is None or any(d is None for d in dims[1:]):
        raise GraphError(f"conv2d gradients need the {what}'s height, width and channels known "
                         f"when gradients are built; {t.describe()} has shape {t.shape}")
    return tuple(dims)


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
        dx = apply_op(Conv2DBackpropInput(input_sizes=(None, *_static_sizes(x, "input")[1:]),
                                          **self._geometry()), [w, dy])
        dw = apply_op(Conv2DBackpropFilter(filter_sizes=_static_sizes(w, "filter"),
                                           **self._geometry()), [x, dy])
        return [dx, dw]

    @staticmethod
    def examples(s):
        return s.nn.conv_example(s, "forward")


@register("Conv2DBackpropInput")
class Conv2DBackpropInput(_ConvBase):
    """The gradient of Conv2D with respect to its input; also `conv2d_transpose`."""

    fresh_output = True
    attrs = {**_ConvBase.attrs, "input_sizes": None}
    input_names = ("filter", "out_backprop")

    def attr_problem(self) -> str | None:
        return super().attr_problem() or sizes_problem(self.input_sizes, "input_sizes")

    def infer(self, w, dy):
        check_float(w, dy)
        n, oh, ow, co = dims4(dy.shape, "out_backprop")
        kh, kw, ci, co_w = dims4(w.shape, "filter")
        self._check_filter(kh, kw)
        merge_dim(co, co_w, "out_backprop channels and the filter's out_channels")
        sizes = list(self.input_sizes)
        n = merge_dim(None if sizes[0] is None or sizes[0] < 0 else sizes[0], n, "batch sizes")
        c = merge_dim(sizes[3], ci, "input_sizes channels and the filter's in_channels")
        exp_h, exp_w = self._out_hw(sizes[1], sizes[2], kh, kw)
        merge_dim(exp_h, oh, "out_backprop height and the height input_sizes implies")
        merge_dim(exp_w, ow, "out_backprop width and the width input_sizes implies")
        return spec(w.dtype, [n, sizes[1], sizes[2], c])

    def input_problem(self, w, dy) -> str | None:
        problem = self.attr_problem()
        if problem or w.ndim != 4:
            return problem or f"filter must be 4-D (HWIO), got shape {w.shape}"
        return self.run_problem((dy.shape[0] if dy.ndim else 0, *self.input_sizes[1:]),
                                w.shape, dy.shape)

    def compute(self, w, dy):
        raise_runtime(self.input_problem(w, dy))
        shape = (dy.shape[0], *self.input_sizes[1:])
        return np.asarray(backprop_input_reference(shape, w, dy, self), dtype=dy.dtype)

    def gradient(self, node, dz):
        w, dy = node.inputs
        dw = apply_op(Conv2DBackpropFilter(filter_sizes=_static_sizes(w, "filter"),
                                           **self._geometry()), [dz, dy])
        return [dw, apply_op(Conv2D(**self._geometry()), [dz, w])]

    @staticmethod
    def examples(s):
        return s.nn.conv_example(s, "input")


@register("Conv2DBackpropFilter")
class Conv2DBackpropFilter(_ConvBase):
    """The gradient of Conv2D with respect to its filter."""

    fresh_output = True
    attrs = {**_ConvBase.attrs, "filter_sizes": None}
    input_names = ("input", "out_backprop")

    def attr_problem(self) -> str | None:
        return super().attr_problem() or sizes_problem(self.filter_sizes, "filter_sizes",
                                                        batch_known=True)

    def infer(self, x, dy):
        check_float(x, dy)
        n, h, wd, c = dims4(x.shape, "input")
        n2, oh, ow, co = dims4(dy.shape, "out_backprop")
        merge_dim(n, n2, "batch sizes of input and out_backprop")
        raise_rule(self.attr_problem())
        kh, kw, ci, co_f = self.filter_sizes
        self._check_filter(kh, kw)
        merge_dim(c, ci, "input channels and filter_sizes in_channels")
        merge_dim(co, co_f, "out_backprop channels and filter_sizes out_channels")
        exp_h, exp_w = self._out_hw(h, wd, kh, kw)
        merge_dim(exp_h, oh, "out_backprop height and the conv output height")
        merge_dim(exp_w, ow, "out_backprop width and the conv output width")
        return spec(x.dtype, list(self.filter_sizes))

    def input_problem(self, x, dy) -> str | None:
        return self.attr_problem() or self.run_problem(x.shape, tuple(self.filter_sizes),
                                                       dy.shape)

    def compute(self, x, dy):
        raise_runtime(self.input_problem(x, dy))
        return np.asarray(backprop_filter_reference(x, tuple(self.filter_sizes), dy, self),
                          dtype=dy.dtype)

    def gradient(self, node, dw):
        x, dy = node.inputs
        dx = apply_op(Conv2DBackpropInput(input_sizes=(None, *_static_sizes(x, "input")[1:]),
                                          **self._geometry()), [dw, dy])
        return [dx, apply_op(Conv2D(**self._geometry()), [x, dw])]

    @staticmethod
    def examples(s):
        return s.nn.conv_example(s, "filter")


# --- public functions ---------------------------------------------------------------------------
def _conv_attrs(strides, padding, dilations, data_format) -> dict:
    """The attributes as given, widened to TF1's forms; the op's `infer` validates them."""
    return {"strides": normalize_4(strides), "padding": normalize_padding(padding),
            "dilations": normalize_4(dilations if dilations is not None else 1),
            "data_format": data_format or "NHWC"}


def _sizes(value, function: str, what: str):
    """A static 4-entry shape; a tensor batch entry (e.g. tf.shape(x)[0]) stays unknown."""
    from graphflow.core.node import Tensor

    if isinstance(value, Tensor):
        if value.op.type != "Const":
            raise argument_error(function, f"{what} must be known when the graph is built (a "
                                           f"list or a constant), got {value.describe()}")
        value = value.op.get_attr("value").tolist()
    if not isinstance(value, (list, tuple, np.ndarray)):
        return value  # the op's infer says what is wrong with it
    return tuple(None if isinstance(d, Tensor) or d is None
                 else int(d) if isinstance(d, (int, np.integer)) else d for d in value)


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa: A002
           data_format="NHWC", dilations=None, name=None, filters=None):
    """Cross-correlate NHWC `input` with HWIO `filter`; no bias is added (use bias_add)."""
    from graphflow.ops.constant import convert_to_tensor

    del use_cudnn_on_gpu
    filter = filters if filter is None else filter  # noqa: A001
    if filter is None or strides is None or padding is None:
        raise argument_error("conv2d", "conv2d needs filter, strides and padding")
    x = convert_to_tensor(input)
    w = convert_to_tensor(filter, dtype_hint=x.dtype)
    return apply_op(Conv2D(**_conv_attrs(strides, padding, dilations, data_format)), [x, w],
                    name=name or "Conv2D")


def conv2d_backprop_input(input_sizes, filter, out_backprop, strides, padding,  # noqa: A002
                          use_cudnn_on_gpu=True, data_format="NHWC", dilations=None, name=None):
    """The gradient of conv2d with respect to an input of shape `input_sizes`."""
    from graphflow.ops.constant import convert_to_tensor

    del use_cudnn_on_gpu
    dy = convert_to_tensor(out_backprop)
    w = convert_to_tensor(filter, dtype_hint=dy.dtype)
    op = Conv2DBackpropInput(input_sizes=_sizes(input_sizes, "conv2d_backprop_input",
                                                "input_sizes"),
                             **_conv_attrs(strides, padding, dilations, data_format))
    return apply_op(op, [w, dy], name=name or "Conv2DBackpropInput")


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                           use_cudnn_on_gpu=True, data_format="NHWC", dilations=None,
                           name=None):
    """The gradient of conv2d with respect to a filter of shape `filter_sizes`."""
    from graphflow.ops.constant import convert_to_tensor

    del use_cudnn_on_gpu
    x = convert_to_tensor(input)
    sizes = _sizes(filter_sizes, "conv2d_backprop_filter", "filter_sizes")
    op = Conv2DBackpropFilter(filter_sizes=sizes,
                              **_conv_attrs(strides, padding, dilations, data_format))
    return apply_op(op, [x, convert_to_tensor(out_backprop, dtype_hint=x.dtype)],
                    name=name or "Conv2DBackpropFilter")


def conv2d_transpose(value, filter, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NHWC", name=None, dilations=None):
    """The transpose of conv2d (its input gradient); filter is [h, w, out_channels, in_channels]."""
    return conv2d_backprop_input(output_shape, filter, value, strides, padding,
                                 data_format=data_format, dilations=dilations,
                                 name=name or "conv2d_transpose")
