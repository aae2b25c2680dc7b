"""`tf.summary.image`: the op `ImageSummary`, up to `max_outputs` images encoded as PNG.

As TF1's ImageSummary: uint8 images are kept; float images are scaled one image at a time from
their finite pixels (all values >= 0: the largest becomes 255; any negative: 0 stays at 128 and
the largest magnitude becomes 127), truncated to uint8, and pixels with a non-finite channel get
`bad_color`. Tags are `name/image` for max_outputs=1, else `name/image/0`, `name/image/1`, ....
PNG encoding is Pillow's.
"""

from __future__ import annotations

import io

import numpy as np

from graphflow.core.dtypes import float16, float32, float64, string, uint8
from graphflow.core.node import Tensor
from graphflow.core.site import argument_error
from graphflow.errors import dtype_rule, shape_rule
from graphflow.ops.registry import Op, register, spec
from graphflow.summary.naming import summary_op
from graphflow.summary.protos import as_bytes, protos, require, serialized
from graphflow.summary.scalar import NO_EXAMPLES, bracketed, check_string

IMAGE_DTYPES = (uint8, float32, float16, float64)
_ZERO_THRESHOLD = 1e-6


def to_uint8(image: np.ndarray, bad_color: np.ndarray) -> np.ndarray:
    """One [h, w, c] image as uint8, as TF1's NormalizeFloatImage does (uint8 passes through)."""
    if image.dtype == np.uint8:
        return image
    flat = image.reshape(-1, image.shape[-1])
    compute = np.float64 if image.dtype == np.float64 else np.float32
    finite = np.isfinite(flat).all(axis=1)
    good = flat[finite].astype(np.float32)
    lo = float(good.min()) if good.size else np.inf
    hi = float(good.max()) if good.size else -np.inf
    if lo < 0:
        top = max(abs(lo), abs(hi))
        scale, offset = (0.0 if top < _ZERO_THRESHOLD else 127.0 / top), 128.0
    else:
        scale, offset = (0.0 if hi < _ZERO_THRESHOLD else 255.0 / hi), 0.0
    out = np.empty(flat.shape, np.uint8)
    with np.errstate(invalid="ignore"):
        scaled = flat.astype(compute) * compute(scale) + compute(offset)
    out[finite] = scaled[finite].astype(np.uint8)
    out[~finite] = bad_color[: image.shape[-1]]
    return out.reshape(image.shape)


def encode_png(image: np.ndarray) -> bytes:
    """PNG bytes of a uint8 [h, w, c] image with c in (1, 3, 4), by Pillow."""
    pil = require("PIL.Image", "pillow", "tf.summary.image")
    mode = {1: "L", 3: "RGB", 4: "RGBA"}[image.shape[-1]]
    picture = pil.fromarray(image[..., 0] if image.shape[-1] == 1 else image, mode)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def _shape_problem(dims) -> str | None:
    if len(dims) != 4 or (dims[-1] is not None and dims[-1] not in (1, 3, 4)):
        return (f"Tensor must be 4-D with last dim 1, 3, or 4, not "
                f"{bracketed('?' if d is None else d for d in dims)} (images are "
                "[batch, height, width, channels])")
    return None


@register("ImageSummary")
class ImageSummary(Op):
    """A Summary of the first `max_images` images of a [batch, h, w, 1|3|4] tensor, as PNG."""

    attrs = {"max_images": 3, "bad_color": None}
    input_names = ("tag", "tensor")
    not_differentiable = True
    examples = NO_EXAMPLES

    def infer(self, tag, tensor):
        check_string(tag, "tag", self.type)
        if tensor.dtype not in IMAGE_DTYPES:
            raise dtype_rule(f"Value passed to parameter 'tensor' has DataType "
                             f"{tensor.dtype.name} not in list of allowed values: uint8, "
                             "float32, float16, float64")
        if tensor.shape.rank is not None:
            problem = _shape_problem(tensor.shape.as_list())
            if problem:
                raise shape_rule(problem)
        return spec(string, [])

    def compute(self, tag, tensor):
        tensor = np.asarray(tensor)
        problem = _shape_problem(list(tensor.shape))
        if problem:
            raise ValueError(problem)
        name = as_bytes(tag).decode("utf-8")
        bad = np.asarray([255, 0, 0, 255] if self.bad_color is None else self.bad_color,
                         np.uint8)
        pb = protos().summary
        summary = pb.Summary()
        count = min(tensor.shape[0], self.max_images)
        for i in range(count):
            image = to_uint8(tensor[i], bad)
            h, w, c = image.shape
            label = f"{name}/image" if self.max_images == 1 else f"{name}/image/{i}"
            summary.value.add(tag=label, image=pb.Summary.Image(
                height=h, width=w, colorspace=c, encoded_image_string=encode_png(image)))
        return serialized(summary)


def image(name: str, tensor, max_outputs: int = 3, collections=None,
          family: str | None = None) -> Tensor:
    """TF1's `tf.summary.image`: the first `max_outputs` images of a 4-D tensor
    [batch, height, width, channels] (channels 1, 3 or 4; uint8 or float) as PNG.

    Float images are scaled one image at a time, as in TF1 (non-negative ones so the largest
    pixel is 255; with negatives, 0 becomes 128); the tags are `name/image` (one
    image) or `name/image/0`, `name/image/1`, ... Needs the `pillow` package.

    Args:
        name: The summary's name; its node is named by the name scope (`train/loss`), and so
            is its tag.
        tensor: The images, [batch, height, width, channels].
        max_outputs: How many of the batch's images to keep (an int >= 1).
        collections: Graph collections to add it to (default `[GraphKeys.SUMMARIES]`).
        family: A prefix for the tag, so TensorBoard shows the summary in its own tab.

    Returns:
        A scalar string tensor: running it gives a serialised Summary for
        `FileWriter.add_summary`.

    Examples:
        >>> summary = tf.summary.image("inputs", tf.zeros([2, 4, 6, 3]), max_outputs=1)
        >>> with tf.Session() as sess:
        ...     value = tf.Summary.FromString(sess.run(summary)).value[0]
        >>> value.tag, value.image.height, value.image.width
        ('inputs/image', 4, 6)
    """
    if isinstance(max_outputs, bool) or not isinstance(max_outputs, (int, np.integer)) \
            or max_outputs < 1:
        raise argument_error("tf.summary.image", f"max_outputs must be an integer >= 1, got "
                             f"{max_outputs!r}", ValueError)
    require("PIL.Image", "pillow", "tf.summary.image")  # say so here, not when it runs
    op = ImageSummary(max_images=int(max_outputs))
    return summary_op(op, name, family, tensor, collections)
