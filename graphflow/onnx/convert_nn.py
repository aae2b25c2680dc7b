"""Conv2D, its transpose (Conv2DBackpropInput), MaxPool, AvgPool and inference-mode
FusedBatchNorm, in ONNX's NCHW layout."""

from __future__ import annotations

from graphflow.onnx.errors import unsupported
from graphflow.onnx.layout import kernel_oihw, padding_attrs, same_pads, to_nchw, to_nhwc
from graphflow.onnx.table import converts


@converts("Conv2D")
def conv2d(b, node, ins):
    x, w = node.inputs
    kernel = w.shape.as_list() if w.shape.rank == 4 else None
    if kernel is None or None in kernel[:2]:
        raise unsupported(node, f"the filter's height and width must be known ({w.describe()})")
    strides, dilations = node.get_attr("strides"), node.get_attr("dilations")
    pads = padding_attrs(node, x.shape, kernel[:2], strides, dilations)
    y = b.add("Conv", [to_nchw(b, ins[0]), kernel_oihw(b, ins[1])], hint="nchw",
              kernel_shape=kernel[:2], strides=list(strides[1:3]),
              dilations=list(dilations[1:3]), group=1, **pads)
    return [to_nhwc(b, y, b.outputs(node)[0])]


@converts("Conv2DBackpropInput")
def conv2d_transpose(b, node, ins):
    """ConvTranspose with explicit pads: those of the forward convolution from an input of
    `input_sizes` to `out_backprop`, so each input cell lands where TF1 puts it; rows and
    columns beyond the last one the kernel reaches (VALID with a stride) are output_padding."""
    w, dy = node.inputs[:2]
    kernel = w.shape.as_list() if w.shape.rank == 4 else None
    sizes = node.get_attr("input_sizes")
    if kernel is None or None in kernel[:2]:
        raise unsupported(node, f"the filter's height and width must be known ({w.describe()})")
    if sizes is None or None in tuple(sizes)[1:3]:
        raise unsupported(node, "the output's height and width must be known when the graph "
                                f"is built (input_sizes is {sizes}); give conv2d_transpose an "
                                "output_shape whose height and width are numbers")
    in_hw = dy.shape.as_list()[1:3] if dy.shape.rank == 4 else [None, None]
    if None in in_hw:
        raise unsupported(node, f"the input's height and width must be known ({dy.describe()})")
    strides, dilations = node.get_attr("strides"), node.get_attr("dilations")
    padding = node.get_attr("padding")
    begin, end, extra = [], [], []
    for axis in (0, 1):
        n, k, s, d = int(sizes[axis + 1]), kernel[axis], strides[axis + 1], dilations[axis + 1]
        if padding == "SAME":
            top = same_pads(n, k, s, d)[0]
        elif padding == "VALID":
            top = 0
        else:  # explicit [[0, 0], [top, bottom], [left, right], [0, 0]]
            top = int(padding[axis + 1][0])
        reach = (in_hw[axis] - 1) * s + (k - 1) * d + 1 - top  # rows the kernel writes, from 0
        begin.append(top)
        end.append(max(reach - n, 0))
        extra.append(max(n - reach, 0))
    y = b.add("ConvTranspose", [to_nchw(b, ins[1]), kernel_oihw(b, ins[0])], hint="nchw",
              kernel_shape=kernel[:2], strides=list(strides[1:3]),
              dilations=list(dilations[1:3]), group=1, pads=begin + end,
              output_padding=extra if any(extra) else None)
    return [to_nhwc(b, y, b.outputs(node)[0])]


@converts("MaxPool", "AvgPool")
def pool(b, node, ins):
    """AvgPool leaves padded cells out of the count (count_include_pad=0), as TF1's SAME does;
    MaxPool never picks a padded cell."""
    ksize, strides = node.get_attr("ksize"), node.get_attr("strides")
    pads = padding_attrs(node, node.inputs[0].shape, ksize[1:3], strides, (1, 1, 1, 1))
    extra = {"count_include_pad": 0} if node.type == "AvgPool" else {}
    y = b.add("MaxPool" if node.type == "MaxPool" else "AveragePool", [to_nchw(b, ins[0])],
              hint="nchw", kernel_shape=list(ksize[1:3]), strides=list(strides[1:3]),
              **pads, **extra)
    return [to_nhwc(b, y, b.outputs(node)[0])]


@converts("FusedBatchNorm")
def fused_batch_norm(b, node, ins):
    """Inference mode only: normalise with the given mean and variance, which are also the
    op's second and third outputs."""
    if node.get_attr("is_training"):
        raise unsupported(node, "batch normalisation in training mode uses the batch's "
                                "statistics; build the graph with is_training=False (or "
                                "training=False in tf.layers) to export it")
    x, scale, offset, mean, variance = ins
    y = b.add("BatchNormalization", [to_nchw(b, x), scale, offset, mean, variance],
              hint="nchw", epsilon=float(node.get_attr("epsilon")))
    return [to_nhwc(b, y, b.outputs(node)[0]), mean, variance]
