"""`pad_sequences`: variable-length sequences to one [count, maxlen, ...] array, as Keras makes
them for Embedding and recurrent layers (zeros in front by default, so an RNN's last step is the
sequence's last element)."""

from __future__ import annotations

import numpy as np

__all__ = ["pad_sequences"]

_SIDES = ("pre", "post")


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre",
                  value=0.0):
    """Pad (or cut) each sequence to `maxlen` steps.

    Args:
        sequences: A list of sequences (lists or arrays of numbers, or of equal-shaped
            vectors).
        maxlen: The length of the result; default the longest sequence's.
        dtype: The result's dtype (`int32` by default, as in Keras: pass `float32` for real
            values, which would otherwise be truncated to integers).
        padding: `"pre"` or `"post"`: where the padding goes.
        truncating: `"pre"` or `"post"`: which end of a longer sequence is cut.
        value: The padding value.

    Returns:
        A NumPy array of shape [len(sequences), maxlen, *step shape].

    Examples:
        >>> from graphflow.keras.preprocessing.sequence import pad_sequences
        >>> pad_sequences([[1, 2, 3], [4, 5], [6, 7, 8, 9, 10]], maxlen=4)
        array([[ 0,  1,  2,  3],
               [ 0,  0,  4,  5],
               [ 7,  8,  9, 10]], dtype=int32)
        >>> pad_sequences([[1, 2], [3]], padding="post", value=-1).tolist()
        [[1, 2], [3, -1]]
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    for name, side in (("Padding", padding), ("Truncating", truncating)):
        if side not in _SIDES:
            raise ValueError(f'{name} type "{side}" not understood')
    rows = [np.asarray(s) for s in sequences]
    lengths = [len(r) for r in rows]
    step_shape = next((r.shape[1:] for r in rows if len(r)), ())
    for i, r in enumerate(rows):
        if len(r) and r.shape[1:] != step_shape:
            raise ValueError(f"Shape of sample {r.shape[1:]} of sequence at position {i} is "
                             f"different from expected shape {step_shape}")
    if maxlen is None:
        maxlen = max(lengths, default=0)
    if maxlen < 0:
        raise ValueError(f"maxlen must be at least 0, got {maxlen}")
    out = np.full((len(rows), maxlen, *step_shape), value, dtype=dtype)
    for i, r in enumerate(rows):
        if not len(r) or maxlen == 0:
            continue
        kept = r[-maxlen:] if truncating == "pre" else r[:maxlen]
        if padding == "post":
            out[i, :len(kept)] = kept
        else:
            out[i, maxlen - len(kept):] = kept
    return out
