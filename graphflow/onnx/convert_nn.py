"""Conv2D, MaxPool, AvgPool and inference-mode FusedBatchNorm, in ONNX's NCHW layout."""

from __future__ import annotations

from graphflow.onnx.errors import unsupported
from graphflow.onnx.layout import kernel_oihw, padding_attrs, to_nchw, to_nhwc
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
