"""TF1's NHWC/HWIO layouts in ONNX's NCHW/OIHW, and TF1's padding as ONNX pads.

Each Conv, pool or batch norm is wrapped in a Transpose to NCHW and one back to NHWC, so every
value between them keeps graphflow's layout (a flatten then sees the elements in TF's order and
the dense weights need no change). A value already transposed is reused, not transposed twice.
Kernels held in initializers are stored as OIHW directly.
"""

from __future__ import annotations

NHWC_TO_NCHW = (0, 3, 1, 2)
NCHW_TO_NHWC = (0, 2, 3, 1)
HWIO_TO_OIHW = (3, 2, 0, 1)


def to_nchw(b, x: str) -> str:
    """The NCHW form of the NHWC value `x` (a Transpose, made once per value)."""
    cached = b.nchw.get(x)
    if cached is None:
        cached = b.nchw[x] = b.transpose(x, NHWC_TO_NCHW, hint="nchw")
    return cached


def to_nhwc(b, y: str, output: str) -> str:
    """Write the NCHW value `y` as the NHWC value `output`, remembering the pair."""
    b.transpose(y, NCHW_TO_NHWC, output=output)
    b.nchw[output] = y
    return output


def kernel_oihw(b, w: str) -> str:
    return b.transpose(w, HWIO_TO_OIHW, hint="oihw")


def padding_attrs(node, x_shape, kernel_hw, strides, dilations) -> dict:
    """ONNX `pads` [top, left, bottom, right] for TF1's padding of `node`.

    SAME is made explicit from the static height and width; when they are unknown it becomes
    SAME_UPPER, which puts the odd cell at the bottom/right as TF1 does.
    """
    padding = node.get_attr("padding")
    if padding == "VALID":
        return {"pads": [0, 0, 0, 0]}
    if padding != "SAME":  # explicit [[0, 0], [top, bottom], [left, right], [0, 0]]
        (_, _), (top, bottom), (left, right), (_, _) = padding
        return {"pads": [int(top), int(left), int(bottom), int(right)]}
    dims = x_shape.dims
    h, w = (dims[1], dims[2]) if dims is not None and len(dims) == 4 else (None, None)
    if h is None or w is None:
        return {"auto_pad": "SAME_UPPER"}
    top, bottom = same_pads(h, kernel_hw[0], strides[1], dilations[1])
    left, right = same_pads(w, kernel_hw[1], strides[2], dilations[2])
    return {"pads": [top, left, bottom, right]}


def same_pads(n: int, k: int, s: int, d: int) -> tuple[int, int]:
    """TF1's SAME split along one axis: ceil(n / s) outputs, the odd padding cell after."""
    out = -(-n // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
    return total // 2, total - total // 2
