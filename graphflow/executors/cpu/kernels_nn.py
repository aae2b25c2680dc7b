"""CPU kernels for convolution, pooling, bias and the extra activations.

Small convolutions (at most DIRECT_MAX_WEIGHTS filter weights, as LeNet's) run native direct
loops (ext/nn_kernels/conv_direct.c) for the forward and both gradients: no im2col matrix and no
BLAS call, whose GEMM shapes (K = 25, N = 6) waste most of each product. Larger ones are im2col
(native, OpenMP) + one GEMM through NumPy's BLAS; the im2col matrix is a workspace kept by the
kernel between runs, and a filter gradient reads the matrix its forward Conv2D built earlier in
the same run instead of building its own (`_SharedCols`). Pooling runs native loops. float16
and empty inputs fall back to the op's NumPy reference. Each kernel first asks its op what stops
it from running on these values (`input_problem`: attributes, shapes, window fit) and raises
that; the native loops check their buffers again, so bad attributes give an error naming the op,
never a bad access. Activation kernels are ufunc compositions that read each element before
writing it, so the planner may give them their input's buffer as `out`.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict

import numpy as np

from graphflow._ext import nn_kernels as native
from graphflow.executors.cpu.registry import Kernel, cpu_kernel, reference_kernel
from graphflow.ops.nn_activations import SELU_ALPHA, SELU_SCALE
from graphflow.ops.nn_geometry import data_format_problem, raise_runtime, real_problem, window

_NATIVE = (np.dtype(np.float32), np.dtype(np.float64))

reference_kernel(
    "a handful of NumPy reductions per call; the work is tiny next to the convolutions",
    "FusedBatchNorm", "SparseSoftmaxCrossEntropyWithLogits", "InTopK",
)


def _check_out(out, shape):
    """A planned buffer must have the shape the attributes imply (they may have been edited)."""
    if out is not None and out.shape != tuple(shape):
        raise ValueError(f"the attributes imply a result of shape {tuple(shape)}, but the plan "
                         f"holds {out.shape}")


def _into(out, value):
    if out is None:
        return value
    np.copyto(out, value)
    return out


def _native_ok(*arrays) -> bool:
    return all(a.dtype in _NATIVE and a.dtype == arrays[0].dtype and a.size for a in arrays)


class _Workspace:
    """One scratch array per kernel, reallocated only when the needed shape changes.

    `source` and `args` say what the array last held: the im2col matrix of the array `source`
    with window `args` (None when it holds nothing another kernel may read)."""

    def __init__(self):
        self.array = None
        self.source = None
        self.args = None

    def get(self, shape, dtype):
        a = self.array
        if a is None or a.shape != shape or a.dtype != dtype:
            a = self.array = np.empty(shape, dtype)
        return a


class _SharedCols:
    """Forward Conv2D workspaces by the plan value (ValueSpec) of their input and their attributes.

    A plan's kernels are made in its step order, so a Conv2DBackpropFilter whose factory finds an
    entry for its own input value reads a matrix that the forward step, earlier in the same run,
    built from that same value; at run time it also checks the array and the window. Entries hold
    nothing alive: the key is the spec's id, the workspace is held weakly (it lives as long as
    the forward's kernel, whose plan holds the spec, so a live entry's id is never reused), and
    at most `size` are kept: a lost entry only means the filter gradient builds its own matrix.
    """

    def __init__(self, size: int = 256):
        self.size = size
        self.entries: OrderedDict = OrderedDict()  # id(spec) -> (attrs, weakref to ws)

    @staticmethod
    def _attrs(op):
        return op.strides, op.padding, op.attrs.get("dilations", (1, 1, 1, 1))

    def offer(self, step, ws) -> None:
        if not step.inputs:
            return
        key = id(step.inputs[0])
        self.entries[key] = (self._attrs(step.op), weakref.ref(ws))
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)

    def find(self, step):
        """The workspace of a forward Conv2D made earlier for this step's input, or None."""
        entry = self.entries.get(id(step.inputs[0])) if step.inputs else None
        if entry is None or entry[0] != self._attrs(step.op):
            return None
        return entry[1]()


_SHARED_COLS = _SharedCols()


def _geometry(op, x_shape, kh, kw):
    """(window, native window args, pointwise?) for an input shape and filter size."""
    dil = op.attrs.get("dilations", (1, 1, 1, 1))
    win = window(x_shape[1], x_shape[2], kh, kw, op.strides, dil, op.padding)
    args = (kh, kw, op.strides[1], op.strides[2], dil[1], dil[2], win.pt, win.pl, win.oh, win.ow)
    pointwise = (kh == kw == 1 and op.strides[1] == op.strides[2] == 1
                 and win.pt == win.pl == 0 and (win.oh, win.ow) == tuple(x_shape[1:3]))
    return win, args, pointwise


def _cols(ws, x, kh, kw, args, pointwise):
    """The im2col matrix of x: rows are output cells, columns (tap, channel)."""
    n, _, _, c = x.shape
    if pointwise:
        return x.reshape(-1, c)
    cols = ws.get((n * args[8] * args[9], kh * kw * c), x.dtype)
    native.im2col(x, cols, *args)
    return cols


DIRECT_MAX_WEIGHTS = 4096  # kh * kw * c * co up to which convolutions run the direct loops


def _direct(w_shape) -> bool:
    return int(np.prod(w_shape)) <= DIRECT_MAX_WEIGHTS


def _padded(ws, x, win):
    """x with its padding cells as zeros (a workspace), or x itself when it has none."""
    if not (win.pt or win.pb or win.pl or win.pr):
        return x
    n, h, w, c = x.shape
    xp = ws.get((n, h + win.pt + win.pb, w + win.pl + win.pr, c), x.dtype)
    xp.fill(0)
    xp[:, win.pt:win.pt + h, win.pl:win.pl + w] = x
    return xp


def _steps(op):
    """(sh, sw, dh, dw) of a convolution."""
    dil = op.attrs.get("dilations", (1, 1, 1, 1))
    return op.strides[1], op.strides[2], dil[1], dil[2]


@cpu_kernel("Conv2D")
def _conv2d(node):
    op, ws = node.op, _Workspace()
    _SHARED_COLS.offer(node, ws)

    def conv2d(out, x, w):
        ws.source = None
        raise_runtime(op.input_problem(x, w))
        if not _native_ok(x, w):
            return _into(out, op.compute(x, w))
        given, x, w = x, np.ascontiguousarray(x), np.ascontiguousarray(w)
        kh, kw, _, co = w.shape
        win, args, pointwise = _geometry(op, x.shape, kh, kw)
        _check_out(out, (x.shape[0], win.oh, win.ow, co))
        if out is None:
            out = np.empty((x.shape[0], win.oh, win.ow, co), x.dtype)
        if _direct(w.shape) and not pointwise:
            native.conv_forward(_padded(ws, x, win), w, out, *_steps(op))
            return out
        cols = _cols(ws, x, kh, kw, args, pointwise)
        if not pointwise:
            ws.source, ws.args = given, args
        np.matmul(cols, w.reshape(-1, co), out=out.reshape(-1, co))
        return out

    return Kernel(conv2d)


@cpu_kernel("Conv2DBackpropFilter")
def _conv2d_backprop_filter(node):
    op, ws = node.op, _Workspace()
    forward = _SHARED_COLS.find(node)  # the forward Conv2D's workspace, if it is in this plan

    def backprop_filter(out, x, dy, *sizes):
        raise_runtime(op.input_problem(x, dy, *sizes))
        if not _native_ok(x, dy):
            return _into(out, op.compute(x, dy, *sizes))
        given, x, dy = x, np.ascontiguousarray(x), np.ascontiguousarray(dy)
        shape = op.result_shape(*sizes)[0]
        kh, kw, _, co = shape
        win, args, pointwise = _geometry(op, x.shape, kh, kw)
        _check_out(out, shape)
        if out is None:
            out = np.empty(shape, x.dtype)
        if _direct(shape) and not pointwise:
            native.conv_filter_grad(_padded(ws, x, win), dy, out, *_steps(op))
            return out
        if forward is not None and forward.source is given and forward.args == args \
                and forward.array.dtype == x.dtype:
            cols = forward.array  # built from this very array earlier in this run
        else:
            cols = _cols(ws, x, kh, kw, args, pointwise)
        np.matmul(cols.T, dy.reshape(-1, co), out=out.reshape(-1, co))
        return out

    return Kernel(backprop_filter)


@cpu_kernel("Conv2DBackpropInput")
def _conv2d_backprop_input(node):
    op, ws = node.op, _Workspace()

    def backprop_input(out, w, dy, *sizes):
        raise_runtime(op.input_problem(w, dy, *sizes))
        if not _native_ok(w, dy):
            return _into(out, op.compute(w, dy, *sizes))
        w, dy = np.ascontiguousarray(w), np.ascontiguousarray(dy)
        kh, kw, c, co = w.shape
        shape = op.result_shape(dy, *sizes)[0]
        win, args, pointwise = _geometry(op, shape, kh, kw)
        _check_out(out, shape)
        if out is None:
            out = np.empty(shape, dy.dtype)
        wt = w.reshape(-1, co).T
        if pointwise:
            np.matmul(dy.reshape(-1, co), wt, out=out.reshape(-1, c))
            return out
        if _direct(w.shape):
            _direct_input_grad(ws, w, dy, out, win, _steps(op))
            return out
        dcols = ws.get((dy.shape[0] * args[8] * args[9], kh * kw * c), dy.dtype)
        np.matmul(dy.reshape(-1, co), wt, out=dcols)
        native.col2im(dcols, out, *args)
        return out

    return Kernel(backprop_input)


def _direct_input_grad(ws, w, dy, out, win, steps):
    """The direct loops write the padded input's gradient; its interior is the result."""
    if not (win.pt or win.pb or win.pl or win.pr):
        native.conv_input_grad(w, dy, out, *steps)
        return
    n, h, wd, c = out.shape
    dxp = ws.get((n, h + win.pt + win.pb, wd + win.pl + win.pr, c), out.dtype)
    native.conv_input_grad(w, dy, dxp, *steps)
    np.copyto(out, dxp[:, win.pt:win.pt + h, win.pl:win.pl + wd])


def _pool_args(op, shape):
    win = window(shape[1], shape[2], op.ksize[1], op.ksize[2], op.strides, (1, 1, 1, 1),
                 op.padding)
    return win, (op.ksize[1], op.ksize[2], op.strides[1], op.strides[2], win.pt, win.pl)


def _pool_kernel(node, fn, out_shape, pass_x=True):
    """A kernel calling native `fn(*inputs, out, *window)`; out_shape(inputs, win) sizes `out`.
    Without `pass_x` (AvgPoolGrad) the input's shape comes from the op's attribute or sizes."""
    op = node.op

    def pool(out, *inputs):
        raise_runtime(op.input_problem(*inputs))
        data = inputs if pass_x else inputs[:1]  # AvgPoolGrad's sizes input is not data
        if not _native_ok(*data):
            return _into(out, op.compute(*inputs))
        in_shape = inputs[0].shape if pass_x else op.result_shape(*inputs)[0]
        data = [np.ascontiguousarray(a) for a in data]
        win, args = _pool_args(op, in_shape)
        _check_out(out, out_shape(in_shape, win))
        if out is None:
            out = np.empty(out_shape(in_shape, win), data[0].dtype)
        fn(*data, out, *args)
        return out

    return Kernel(pool)


def _pooled(shape, win):
    return shape[0], win.oh, win.ow, shape[3]


@cpu_kernel("MaxPool", "AvgPool")
def _pool(node):
    fn = native.max_pool if node.type == "MaxPool" else native.avg_pool
    return _pool_kernel(node, fn, _pooled)


@cpu_kernel("MaxPoolGrad")
def _max_pool_grad(node):
    return _pool_kernel(node, native.max_pool_grad, lambda shape, win: shape)


@cpu_kernel("MaxPoolGradGrad")
def _max_pool_grad_grad(node):
    return _pool_kernel(node, native.max_pool_grad_grad, _pooled)


@cpu_kernel("AvgPoolGrad")
def _avg_pool_grad(node):
    return _pool_kernel(node, native.avg_pool_grad, lambda shape, win: shape, pass_x=False)


TILE_ROW = 8192  # the longest bias row BiasAdd tiles (elements)


@cpu_kernel("BiasAdd")
def _bias_add(node):
    """x + b; with few channels, b is first tiled along a whole image (or image row), so NumPy's
    inner loop runs over that row instead of a handful of channels (4x faster at 6 channels)."""
    problem = data_format_problem(node.op.data_format)
    ws = _Workspace()

    def bias_add(out, x, b):
        raise_runtime(problem)
        row = _bias_row(x, b, out)
        if not row:
            return np.add(x, b, out=out) if out is not None else np.add(x, b)
        tiled = ws.get((row,), b.dtype)
        np.copyto(tiled.reshape(-1, b.shape[0]), b)
        if out is None:
            out = np.empty(x.shape, x.dtype)
        np.add(x.reshape(-1, row), tiled, out=out.reshape(-1, row))
        return out

    return Kernel(bias_add)


def _bias_row(x, b, out) -> int:
    """The length of the tiled bias row for x + b, or 0 where plain broadcasting is as good."""
    if (x.ndim < 3 or b.ndim != 1 or x.dtype != b.dtype or x.dtype not in _NATIVE
            or b.shape[0] != x.shape[-1] or not 0 < b.shape[0] < 64
            or not x.flags.c_contiguous or x.size < 4096
            or out is not None and (out.shape != x.shape or not out.flags.c_contiguous)):
        return 0
    image = x.size // x.shape[0]
    return image if image <= TILE_ROW else x.shape[-2] * x.shape[-1]


@cpu_kernel("BiasAddGrad")
def _bias_add_grad(node):
    """A GEMV with a ones vector: NumPy's axis-0 sum is slow for few, long columns."""
    ones = {}

    def bias_add_grad(out, dy):
        if dy.ndim < 2 or data_format_problem(node.op.data_format):
            return _into(out, node.op.compute(dy))  # which raises the problem
        rows = dy.reshape(-1, dy.shape[-1])
        if not _native_ok(rows):
            return _into(out, node.op.compute(dy))
        key = (rows.shape[0], rows.dtype)
        v = ones.get(key)
        if v is None:
            ones.clear()
            v = ones[key] = np.ones(rows.shape[0], rows.dtype)
        return np.dot(v, rows, out=out) if out is not None else np.dot(v, rows)

    return Kernel(bias_add_grad)


# --- activations: each reads x[i] before writing out[i] ---------------------------------------
def _activation(fn):
    def run(out, x):
        return fn(x, out if out is not None else np.empty_like(x))

    return Kernel(run)


def _relu6(x, out):
    return np.clip(x, 0, 6, out=out)


def _elu_neg(x):
    """expm1(min(x, 0)): the negative branch, never overflowing."""
    t = np.minimum(x, 0, out=np.empty_like(x))  # an array even for 0-d x
    return np.expm1(t, out=t)


def _elu(x, out):
    return np.maximum(x, _elu_neg(x), out=out)  # expm1(x) >= x for x <= 0


def _selu(x, out):
    t = _elu_neg(x)
    np.multiply(t, SELU_ALPHA, out=t)
    np.copyto(t, x, where=x > 0)
    return np.multiply(t, SELU_SCALE, out=out)


def _softplus(x, out):
    t = np.abs(x, out=np.empty_like(x))
    np.negative(t, out=t)
    np.exp(t, out=t)
    np.log1p(t, out=t)
    np.maximum(x, 0, out=out)
    return np.add(out, t, out=out)


def _softsign(x, out):
    t = np.abs(x, out=np.empty_like(x))
    np.add(t, 1, out=t)
    return np.divide(x, t, out=out)


@cpu_kernel("Relu6", "Elu", "Selu", "Softplus", "Softsign")
def _activations(node):
    return _activation({"Relu6": _relu6, "Elu": _elu, "Selu": _selu, "Softplus": _softplus,
                        "Softsign": _softsign}[node.type])


@cpu_kernel("LeakyRelu")
def _leaky_relu(node):
    alpha = node.op.alpha
    problem = real_problem(alpha, "alpha")
    pick = np.maximum if problem or alpha <= 1 else np.minimum  # x > 0 keeps x, else alpha * x

    def leaky_relu(x, out):
        raise_runtime(problem)
        return pick(x, x * np.asarray(alpha, x.dtype), out=out)

    return _activation(leaky_relu)
