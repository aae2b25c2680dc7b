"""Sequence helpers shared by the RNN drivers: `sequence_length` checks, TF1's per-step masking
(outputs past a sequence's length are zero and its state is copied through) and time reversal
that respects each sequence's length (TF1's reverse_sequence, built from a gather)."""

from __future__ import annotations

from graphflow import nest
from graphflow.core import dtypes
from graphflow.core.node import Tensor
from graphflow.core.site import argument_error
from graphflow.ops.array import reshape, transpose
from graphflow.ops.cast import cast
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.gather import gather, where
from graphflow.ops.joining import concat
from graphflow.ops.shape_ops import range as range_
from graphflow.ops.shape_ops import shape


def sequence_lengths(function: str, sequence_length) -> Tensor | None:
    """`sequence_length` as an int32 vector [batch] (None stays None)."""
    if sequence_length is None:
        return None
    lengths = convert_to_tensor(sequence_length, name="sequence_length")
    if not lengths.dtype.is_integer:
        raise argument_error(function, f"sequence_length must be an integer vector, got "
                             f"{lengths.describe()}", TypeError)
    if lengths.shape.rank not in (None, 1):
        raise argument_error(function, f"Argument sequence_length must be a vector of "
                             f"length batch_size, but saw shape: {lengths.shape}", ValueError)
    return lengths if lengths.dtype is dtypes.int32 else cast(lengths, dtypes.int32)


def mask_step(time, lengths: Tensor, zero_output, state, output, new_state):
    """TF1's step past the end: rows with time >= length give zeros and keep their state."""
    done = time >= lengths
    output = nest.pack_sequence_as(output, [
        where(done, z, o) for z, o in zip(nest.flatten(zero_output), nest.flatten(output))])
    new_state = nest.pack_sequence_as(new_state, [
        where(done, s, n) for s, n in zip(nest.flatten(state), nest.flatten(new_state))])
    return output, new_state


def _swap_first_axes(x: Tensor) -> Tensor:
    rank = x.shape.rank
    if rank is None or rank < 2:
        raise argument_error("rnn", f"expected a tensor of rank at least 2 (time and batch "
                             f"axes), got {x.describe()}", ValueError)
    return transpose(x, [1, 0] + list(range(2, rank)))


def reverse_time(x: Tensor, lengths: Tensor | None, time_major: bool) -> Tensor:
    """`x` reversed along its time axis; with `lengths`, only each row's first length[b]
    steps are reversed and the padding stays where it is."""
    x = convert_to_tensor(x)
    xt = x if time_major else _swap_first_axes(x)
    n_steps = shape(xt)[0]
    if lengths is None:
        out = gather(xt, range_(n_steps - 1, -1, -1))
    else:
        n_batch = shape(xt)[1]
        t = reshape(range_(n_steps), [-1, 1])                    # [T, 1]
        src = where(t < lengths, lengths - 1 - t, t + 0 * lengths)  # [T, B]: the step to read
        flat = src * n_batch + range_(n_batch)                     # into rows of [T * B, ...]
        rows = reshape(xt, concat([[-1], shape(xt)[2:]], 0))
        out = reshape(gather(rows, flat), shape(xt))
    out.set_shape(xt.shape)
    return out if time_major else _swap_first_axes(out)


def to_time_major(x: Tensor) -> Tensor:
    """[batch, time, ...] -> [time, batch, ...]."""
    return _swap_first_axes(convert_to_tensor(x))


def from_time_major(x: Tensor) -> Tensor:
    """[time, batch, ...] -> [batch, time, ...]."""
    return _swap_first_axes(x)
