"""Max and average pooling over NHWC windows, with TF1's padding rules.

Max pooling ignores padded cells and propagates NaN (a window holding a NaN gives NaN); its
gradient goes to each window's first NaN, else to its first maximum in row-major order (TF1's tie
rule), so an all -inf window routes to its first real cell. SAME average pooling divides by the
number of real cells in the window, not the window size. MaxPoolGrad and MaxPoolGradGrad are each
other's gradients (both are linear in their second input), as are AvgPool and AvgPoolGrad.
Attributes are checked in `infer` (building and graph-file import) and again with the run-time
shapes before any data is touched; explicit paddings must be smaller than the window. AvgPoolGrad
takes the input's shape as an attribute whose dims may be None, plus, when height, width or
channels are unknown while building, a trailing `shape(x)` input read at run time (TF1's
`orig_input_shape`).
"""

from __future__ import annotations

import numpy as np

from graphflow.core.site import argument_error
from graphflow.ops.nn_conv import backprop_sizes, sizes_input_rule
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
    window,
)
from graphflow.ops.registry import Op, apply_op, register, spec

_NO_DILATION = (1, 1, 1, 1)


class _Pool(Op):
    attrs = {"ksize": (1, 1, 1, 1), "strides": (1, 1, 1, 1), "padding": "VALID",
             "data_format": "NHWC"}

    def attr_problem(self) -> str | None:
        """What is wrong with this op's attributes, or None."""
        bad_ksize = four_problem(self.ksize, "ksize")
        return first_problem(bad_ksize, four_problem(self.strides, "strides"),
                             padding_problem(self.padding, None if bad_ksize else self.ksize[1:3]),
                             data_format_problem(self.data_format))

    def run_problem(self, x_shape, pooled_shape=None) -> str | None:
        """What stops this op from running on an input of `x_shape` (and a pooled operand)."""
        problem = self.attr_problem()
        if problem:
            return problem
        for shape, what in ((x_shape, "the input"), (pooled_shape, "the pooled operand")):
            if shape is not None and len(shape) != 4:
                return f"{what} must be 4-D (NHWC), got shape {tuple(shape)}"
        try:
            win = window(x_shape[1], x_shape[2], self.ksize[1], self.ksize[2], self.strides,
                         _NO_DILATION, self.padding)
        except ValueError as err:
            return str(err)
        expected = (x_shape[0], win.oh, win.ow, x_shape[3])
        if pooled_shape is not None and tuple(pooled_shape) != expected:
            return f"the pooled operand must have shape {expected}, got {tuple(pooled_shape)}"
        return None

    def _pooled(self, x):
        """The static pooled shape of a tensor shaped like the pool's input."""
        raise_rule(self.attr_problem())
        n, h, w, c = dims4(x.shape, "input")
        return [n, out_dim(h, self.ksize[1], self.strides[1], 1, self.padding, 1),
                out_dim(w, self.ksize[2], self.strides[2], 1, self.padding, 2), c]

    def _geometry(self):
        return {k: self.attrs[k] for k in ("ksize", "strides", "padding", "data_format")}

    def _taps(self, shape):
        """(window, [(tap index, slice of the padded input)]) for an input of `shape`."""
        kh, kw = self.ksize[1], self.ksize[2]
        win = window(shape[1], shape[2], kh, kw, self.strides, _NO_DILATION, self.padding)
        sh, sw = self.strides[1], self.strides[2]
        taps = [(i * kw + j, (slice(None), slice(i, i + (win.oh - 1) * sh + 1, sh),
                              slice(j, j + (win.ow - 1) * sw + 1, sw)))
                for i in range(kh) for j in range(kw)]
        return win, taps

    def _pad(self, x, win, value):
        return np.pad(x, ((0, 0), (win.pt, win.pb), (win.pl, win.pr), (0, 0)),
                      constant_values=value)

    @staticmethod
    def _crop(xp, win, shape):
        return xp[:, win.pt:win.pt + shape[1], win.pl:win.pl + shape[2], :]

    def _argmax(self, x):
        """The pooled maxima and, per output cell, the tap holding the first NaN or else the
        first maximum; the window's first real cell holds it until something beats it."""
        win, taps = self._taps(x.shape)
        xp = self._pad(x, win, -np.inf)
        real = self._pad(np.ones((1, *x.shape[1:3], 1), dtype=bool), win, False)
        best = np.full((x.shape[0], win.oh, win.ow, x.shape[3]), -np.inf, dtype=x.dtype)
        idx = np.full(best.shape, -1, dtype=np.int64)
        for t, sl in taps:
            v = xp[sl]
            # strict: an equal later value does not take over; a NaN does, once
            better = real[sl] & ((idx < 0) | (v > best) | (np.isnan(v) & ~np.isnan(best)))
            best = np.where(better, v, best)
            idx[better] = t
        return best, idx, win, taps


@register("MaxPool")
class MaxPool(_Pool):
    """The maximum of each window; padded cells never win."""

    fresh_output = True
    input_names = ("input",)

    def infer(self, x):
        check_float(x)
        return spec(x.dtype, self._pooled(x))

    def input_problem(self, x) -> str | None:
        """What stops this op from running on these values (checked by every executor)."""
        return self.run_problem(x.shape)

    def compute(self, x):
        raise_runtime(self.input_problem(x))
        return np.asarray(self._argmax(x)[0], dtype=x.dtype)

    def gradient(self, node, dy):
        return [apply_op(MaxPoolGrad(**self._geometry()), [node.inputs[0], dy])]

    @staticmethod
    def examples(s):
        return s.nn.pool_example(s, "forward")


@register("MaxPoolGrad")
class MaxPoolGrad(_Pool):
    """`grad` (pooled shape) routed back to each window's first maximum in `orig_input`."""

    fresh_output = True
    input_names = ("orig_input", "grad")

    def infer(self, x, dy):
        check_float(x, dy)
        pooled = self._pooled(x)
        for a, b in zip(pooled, dims4(dy.shape, "grad"), strict=True):
            merge_dim(a, b, "grad's shape and the pooled shape of orig_input")
        return spec(x.dtype, dims4(x.shape, "orig_input"))

    def input_problem(self, x, dy) -> str | None:
        return self.run_problem(x.shape, dy.shape)

    def compute(self, x, dy):
        raise_runtime(self.input_problem(x, dy))
        _, idx, win, taps = self._argmax(x)
        dxp = np.zeros((x.shape[0], x.shape[1] + win.pt + win.pb,
                        x.shape[2] + win.pl + win.pr, x.shape[3]), dtype=dy.dtype)
        for t, sl in taps:
            dxp[sl] += np.where(idx == t, dy, 0)
        return np.asarray(self._crop(dxp, win, x.shape), dtype=dy.dtype)

    def gradient(self, node, dz):
        return [None, apply_op(MaxPoolGradGrad(**self._geometry()), [node.inputs[0], dz])]

    @staticmethod
    def examples(s):
        return s.nn.pool_example(s, "max_grad")


@register("MaxPoolGradGrad")
class MaxPoolGradGrad(_Pool):
    """Per window, `grad` (input shape) read at the first maximum of `orig_input`."""

    fresh_output = True
    input_names = ("orig_input", "grad")

    def infer(self, x, g):
        check_float(x, g)
        return spec(x.dtype, self._pooled(x))

    def input_problem(self, x, g) -> str | None:
        if g.shape != x.shape:
            return f"grad must have the input's shape {x.shape}, got {g.shape}"
        return self.run_problem(x.shape)

    def compute(self, x, g):
        raise_runtime(self.input_problem(x, g))
        _, idx, win, taps = self._argmax(x)
        gp = self._pad(g, win, 0)
        out = np.zeros(idx.shape, dtype=g.dtype)
        for t, sl in taps:
            out = np.where(idx == t, gp[sl], out)
        return out

    def gradient(self, node, dy):
        return [None, apply_op(MaxPoolGrad(**self._geometry()), [node.inputs[0], dy])]

    @staticmethod
    def examples(s):
        return s.nn.pool_example(s, "max_gradgrad")


def _avg_counts(pool, shape, dtype):
    """How many real (unpadded) cells each window covers: TF1's SAME divisor."""
    win, taps = pool._taps(shape)
    ones = pool._pad(np.ones((1, shape[1], shape[2], 1), dtype=dtype), win, 0)
    return sum(ones[sl] for _, sl in taps), win, taps


@register("AvgPool")
class AvgPool(_Pool):
    """The mean of the real cells of each window (padding is not counted)."""

    fresh_output = True
    input_names = ("value",)

    def infer(self, x):
        check_float(x)
        return spec(x.dtype, self._pooled(x))

    def input_problem(self, x) -> str | None:
        return self.run_problem(x.shape)

    def compute(self, x):
        raise_runtime(self.input_problem(x))
        counts, win, taps = _avg_counts(self, x.shape, x.dtype)
        xp = self._pad(x, win, 0)
        return np.asarray(sum(xp[sl] for _, sl in taps) / counts, dtype=x.dtype)

    def gradient(self, node, dy):
        sizes, extra = backprop_sizes(node.inputs[0])
        return [apply_op(AvgPoolGrad(orig_input_shape=sizes, **self._geometry()), [dy, *extra])]

    @staticmethod
    def examples(s):
        return s.nn.pool_example(s, "forward")


@register("AvgPoolGrad")
class AvgPoolGrad(_Pool):
    """Each window's `grad` spread evenly over its real cells; the shape is `orig_input_shape`."""

    fresh_output = True
    attrs = {**_Pool.attrs, "orig_input_shape": None}
    input_names = ("grad", "orig_input_shape")

    def attr_problem(self) -> str | None:
        return super().attr_problem() or sizes_problem(self.orig_input_shape,
                                                       "orig_input_shape")

    def infer(self, dy, sizes_t=None):
        check_float(dy)
        raise_rule(self.attr_problem())
        n, oh, ow, c = dims4(dy.shape, "grad")
        sizes = sizes_input_rule(sizes_t, self.orig_input_shape, "orig_input_shape")
        n = merge_dim(sizes[0], n, "batch sizes")
        c = merge_dim(sizes[3], c, "channels of grad and orig_input_shape")
        merge_dim(out_dim(sizes[1], self.ksize[1], self.strides[1], 1, self.padding, 1), oh,
                  "grad's height and the pooled height")
        merge_dim(out_dim(sizes[2], self.ksize[2], self.strides[2], 1, self.padding, 2), ow,
                  "grad's width and the pooled width")
        return spec(dy.dtype, [n, sizes[1], sizes[2], c])

    def result_shape(self, dy, sizes=None):
        """(the input shape this op produces on these values, None) or (None, problem)."""
        return resolve_sizes(self.orig_input_shape, sizes, "orig_input_shape",
                             dy.shape[0] if dy.ndim else 0)

    def input_problem(self, dy, sizes=None) -> str | None:
        problem = self.attr_problem()
        if problem:
            return problem
        shape, problem = self.result_shape(dy, sizes)
        return problem or self.run_problem(shape, dy.shape)

    def compute(self, dy, sizes=None):
        raise_runtime(self.input_problem(dy, sizes))
        shape = self.result_shape(dy, sizes)[0]
        counts, win, taps = _avg_counts(self, shape, dy.dtype)
        dxp = self._pad(np.zeros(shape, dtype=dy.dtype), win, 0)
        share = dy / counts
        for _, sl in taps:
            dxp[sl] += share
        return np.asarray(self._crop(dxp, win, shape), dtype=dy.dtype)

    def gradient(self, node, dz):
        return [apply_op(AvgPool(**self._geometry()), [dz])] + [None] * (len(node.inputs) - 1)

    @staticmethod
    def examples(s):
        return s.nn.pool_example(s, "avg_grad")


# --- public functions ---------------------------------------------------------------------------
def _pool(cls, value, ksize, strides, padding, data_format, name):
    from graphflow.ops.constant import convert_to_tensor

    if not isinstance(padding, (str, bytes)):
        function = "max_pool" if cls is MaxPool else "avg_pool"
        raise argument_error(function, "padding must be 'SAME' or 'VALID' (TF1's "
                             f"pools take no explicit padding), got {padding!r}")
    op = cls(ksize=normalize_4(ksize), strides=normalize_4(strides),
             padding=normalize_padding(padding), data_format=data_format)
    return apply_op(op, [convert_to_tensor(value)], name=name or cls.type)


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa: A002
    """The maximum of each [1, kh, kw, 1] window; SAME padding counts as -inf.

    Args:
        value: A 4-D NHWC tensor.
        ksize: The window, `[1, kh, kw, 1]` (or an int or a pair for the height and width).
        strides: The steps, in the same forms.
        padding: "VALID" (windows inside the input only) or "SAME" (output size ceil(in /
            stride)).
        data_format: Only "NHWC".
        name: A name for the op.
        input: TF2's name for `value`.

    Returns:
        A 4-D Tensor of value's dtype.

    Examples:
        >>> image = tf.reshape(tf.range(16.), [1, 4, 4, 1])
        >>> pooled = tf.nn.max_pool(image, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
        >>> with tf.Session() as sess:
        ...     print(sess.run(pooled)[0, :, :, 0])
        [[ 5.  7.]
         [13. 15.]]
    """
    return _pool(MaxPool, value if input is None else input, ksize, strides, padding,
                 data_format, name)


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa: A002
    """The mean of each window's real cells (SAME divides by the cells inside the input).

    Args:
        value: A 4-D NHWC floating tensor.
        ksize: The window, `[1, kh, kw, 1]` (or an int or a pair).
        strides: The steps, in the same forms.
        padding: "VALID" or "SAME".
        data_format: Only "NHWC".
        name: A name for the op.
        input: TF2's name for `value`.

    Returns:
        A 4-D Tensor of value's dtype.

    Examples:
        >>> image = tf.reshape(tf.range(16.), [1, 4, 4, 1])
        >>> pooled = tf.nn.avg_pool(image, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
        >>> with tf.Session() as sess:
        ...     print(sess.run(pooled)[0, :, :, 0])
        [[ 2.5  4.5]
         [10.5 12.5]]
    """
    return _pool(AvgPool, value if input is None else input, ksize, strides, padding,
                 data_format, name)
