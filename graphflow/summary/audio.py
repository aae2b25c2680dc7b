"""`tf.summary.audio`: the op `AudioSummaryV2`, up to `max_outputs` clips as 16-bit WAV.

As TF1: the tensor is [batch, frames, channels] or [batch, frames] float32 in [-1, 1]; samples
are rounded from x * 32768 and clipped to int16. Tags are `name/audio` for max_outputs=1, else
`name/audio/0`, .... The WAV container is written by Python's `wave` module.
"""

from __future__ import annotations

import io
import wave

import numpy as np

from graphflow.core.dtypes import float32, string
from graphflow.core.node import Tensor
from graphflow.core.site import argument_error
from graphflow.errors import dtype_rule, shape_rule
from graphflow.ops.registry import Op, register, spec
from graphflow.summary.naming import summary_op
from graphflow.summary.protos import as_bytes, protos, serialized
from graphflow.summary.scalar import NO_EXAMPLES, bracketed, check_string


def encode_wav(clip: np.ndarray, sample_rate: float) -> bytes:
    """A [frames, channels] float clip as 16-bit little-endian PCM WAV bytes."""
    samples = np.clip(np.round(clip.astype(np.float32) * np.float32(32768)), -32768, 32767)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(clip.shape[1])
        out.setsampwidth(2)
        out.setframerate(int(sample_rate))
        out.writeframes(samples.astype("<i2").tobytes())
    return buffer.getvalue()


@register("AudioSummaryV2")
class AudioSummaryV2(Op):
    """A Summary of the first `max_outputs` clips of a [batch, frames(, channels)] tensor."""

    attrs = {"max_outputs": 3}
    input_names = ("tag", "tensor", "sample_rate")
    not_differentiable = True
    examples = NO_EXAMPLES

    def infer(self, tag, tensor, sample_rate):
        check_string(tag, "tag", self.type)
        for t, what in ((tensor, "tensor"), (sample_rate, "sample_rate")):
            if t.dtype is not float32:
                raise dtype_rule(f"Input '{what}' of 'AudioSummaryV2' Op has type "
                                 f"{t.dtype.name} that does not match expected type of float32")
        if tensor.shape.rank is not None and tensor.shape.rank not in (2, 3):
            raise shape_rule(f"Tensor must be 3-D or 2-D, got: "
                             f"{bracketed(tensor.shape.as_list())} (audio is [batch, frames, "
                             "channels] or [batch, frames])")
        if sample_rate.shape.rank not in (None, 0):
            raise shape_rule(f"sample_rate must be a scalar, got shape {sample_rate.shape}")
        return spec(string, [])

    def compute(self, tag, tensor, sample_rate):
        tensor = np.asarray(tensor)
        if tensor.ndim not in (2, 3):
            raise ValueError(f"Tensor must be 3-D or 2-D, got: {bracketed(tensor.shape)}")
        clips = tensor[:, :, None] if tensor.ndim == 2 else tensor
        rate, name = float(np.asarray(sample_rate)), as_bytes(tag).decode("utf-8")
        pb = protos().summary
        summary = pb.Summary()
        for i in range(min(clips.shape[0], self.max_outputs)):
            label = f"{name}/audio" if self.max_outputs == 1 else f"{name}/audio/{i}"
            summary.value.add(tag=label, audio=pb.Summary.Audio(
                sample_rate=rate, num_channels=clips.shape[2], length_frames=clips.shape[1],
                content_type="audio/wav", encoded_audio_string=encode_wav(clips[i], rate)))
        return serialized(summary)


def audio(name: str, tensor, sample_rate, max_outputs: int = 3, collections=None,
          family: str | None = None) -> Tensor:
    """TF1's `tf.summary.audio`: the first `max_outputs` clips of a float32 tensor
    [batch, frames, channels] (or [batch, frames]) in [-1, 1], as WAV at `sample_rate` Hz.

    Args:
        name: The summary's name; its node is named by the name scope (`train/loss`), and so
            is its tag.
        tensor: The clips, float32 in [-1, 1].
        sample_rate: The sample rate in Hz (a number or a float32 scalar tensor).
        max_outputs: How many of the batch's clips to keep (an int >= 1).
        collections: Graph collections to add it to (default `[GraphKeys.SUMMARIES]`).
        family: A prefix for the tag, so TensorBoard shows the summary in its own tab.

    Returns:
        A scalar string tensor: running it gives a serialised Summary for
        `FileWriter.add_summary`.

    Examples:
        >>> summary = tf.summary.audio("clip", tf.zeros([1, 100]), sample_rate=8000)
        >>> with tf.Session() as sess:
        ...     value = tf.Summary.FromString(sess.run(summary)).value[0]
        >>> value.tag, value.audio.sample_rate, value.audio.length_frames
        ('clip/audio/0', 8000.0, 100)
    """
    if isinstance(max_outputs, bool) or not isinstance(max_outputs, (int, np.integer)) \
            or max_outputs < 1:
        raise argument_error("tf.summary.audio", f"max_outputs must be an integer >= 1, got "
                             f"{max_outputs!r}", ValueError)
    rate = sample_rate if isinstance(sample_rate, Tensor) else np.float32(sample_rate)
    return summary_op(AudioSummaryV2(max_outputs=int(max_outputs)), name, family, tensor,
                      collections, extra=[("sample_rate", rate)])
