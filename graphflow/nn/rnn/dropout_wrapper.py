"""TF1's `DropoutWrapper`: dropout on a cell's inputs, outputs and new state.

Keep probabilities are floats in (0, 1] or tensors (a placeholder fed 1.0 at evaluation). A
fresh mask is drawn at every step, or with `variational_recurrent=True` one mask per run, made
when the wrapper is built and shared by every step (Gal and Ghahramani 2016), as in TF1. The
wrapper adds no variable scope: the wrapped cell's variables keep their names.
"""

from __future__ import annotations

import hashlib
import numbers

from graphflow import nest
from graphflow.core.site import argument_error
from graphflow.nn.rnn.cell import CellWrapper, LSTMStateTuple, RNNCell
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.elementwise import floor
from graphflow.ops.nn_misc import dropout
from graphflow.ops.random import random_uniform


def default_state_filter(substate) -> bool | LSTMStateTuple:
    """Which parts of a state get state dropout: all but an LSTM's memory `c` (TF1's rule)."""
    if isinstance(substate, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    return True


class DropoutWrapper(CellWrapper):
    """`cell` with dropout on its inputs, outputs and state."""

    def __init__(self, cell: RNNCell, input_keep_prob=1.0, output_keep_prob=1.0,
                 state_keep_prob=1.0, variational_recurrent: bool = False, input_size=None,
                 dtype=None, seed=None, dropout_state_filter_visitor=None):
        super().__init__(cell, "DropoutWrapper")
        self._seed = seed
        self._filter = dropout_state_filter_visitor or default_state_filter
        self._keep = {}
        for what, prob in (("input", input_keep_prob), ("state", state_keep_prob),
                           ("output", output_keep_prob)):
            if isinstance(prob, numbers.Real) and not 0.0 < float(prob) <= 1.0:
                raise argument_error("DropoutWrapper", f"Parameter {what}_keep_prob must be "
                                     f"between 0 and 1: {prob}", ValueError)
            self._keep[what] = prob
        self._noise = {}
        if variational_recurrent:
            if dtype is None:
                raise argument_error("DropoutWrapper", "When variational_recurrent=True, dtype "
                                     "must be provided", ValueError)
            if self._should_drop("input"):
                if input_size is None:
                    raise argument_error("DropoutWrapper", "When variational_recurrent=True and "
                                         "input_keep_prob < 1.0 or is unknown, input_size must "
                                         "be provided", ValueError)
                self._noise["input"] = self._batch_noise(input_size, dtype, "input")
            self._noise["state"] = self._batch_noise(cell.state_size, dtype, "state")
            self._noise["output"] = self._batch_noise(cell.output_size, dtype, "output")

    def _seed_for(self, what: str, index: int):
        """A seed per use (TF1's salted md5 of "<what>_<index>"), so masks are independent."""
        if self._seed is None:
            return None
        salt = int(hashlib.md5(f"{what}_{index}".encode()).digest()[:8].hex(), 16) & 0x7FFFFFFF
        return (self._seed + salt) & 0x7FFFFFFF

    def _batch_noise(self, sizes, dtype, what: str):
        """Uniform noise [1, size] per leaf of `sizes`: one mask for the whole batch."""
        leaves = [random_uniform([1, int(s)], dtype=dtype, seed=self._seed_for(what, i))
                  for i, s in enumerate(nest.flatten(sizes))]
        return nest.pack_sequence_as(sizes, leaves) if isinstance(sizes, (list, tuple)) \
            else leaves[0]

    def _should_drop(self, what: str) -> bool:
        prob = self._keep[what]
        return not isinstance(prob, numbers.Real) or float(prob) < 1.0

    def _drop(self, values, what: str, keep_mask=True):
        """`values` with dropout, leaves where `keep_mask` says False left as they are."""
        flat = nest.flatten(values)
        mask = keep_mask if isinstance(keep_mask, list) else [keep_mask] * len(flat)
        noise = nest.flatten(self._noise[what]) if what in self._noise else None
        prob = self._keep[what]
        out = []
        for k, (v, apply) in enumerate(zip(flat, mask)):
            if not apply:
                out.append(v)
            elif noise is not None:
                p = convert_to_tensor(prob, dtype_hint=v.dtype)
                out.append(v / p * floor(p + noise[k]))
            else:
                out.append(dropout(v, keep_prob=prob, seed=self._seed_for(what, k)))
        return nest.pack_sequence_as(values, out) if isinstance(values, (list, tuple)) \
            else out[0]

    def _state_mask(self, state) -> list[bool]:
        """Per leaf of `state`, whether it gets dropout: the filter is asked about each
        substructure, True descends into it, False or a structure of bools settles it."""
        verdict = self._filter(state)
        if isinstance(verdict, bool):
            if verdict and isinstance(state, (list, tuple)):
                return [b for sub in state for b in self._state_mask(sub)]
            return [verdict] * len(nest.flatten(state))
        return _spread_all(verdict, state)

    def __call__(self, inputs, state, scope=None):
        if self._should_drop("input"):
            inputs = self._drop(inputs, "input")
        output, new_state = self._cell(inputs, state, scope=scope)
        if self._should_drop("state"):
            new_state = self._drop(new_state, "state", self._state_mask(new_state))
        if self._should_drop("output"):
            output = self._drop(output, "output")
        return output, new_state


def _spread(verdict: bool, sub) -> list[bool]:
    return [verdict] * len(nest.flatten(sub))


def _spread_all(verdicts, sub) -> list[bool]:
    return [b for s, v in zip(sub, verdicts)
            for b in (_spread(v, s) if isinstance(v, bool) else _spread_all(v, s))]
