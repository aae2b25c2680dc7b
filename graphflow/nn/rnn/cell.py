"""The RNN cell contract (TF1's `RNNCell`) and the LSTM state pair.

A cell maps (inputs, state) to (output, new_state) for one time step. As TF1's Layer-based cells
do, a cell fixes its variable scope on its first call (`<current scope>/<name>`, made unique, or
the `scope` given) and re-enters that scope with reuse on every later call, so a cell called at
every step of a static or dynamic RNN makes its variables once.
"""

from __future__ import annotations

import abc
import collections

from graphflow import nest
from graphflow.core.graph import get_default_graph
from graphflow.core.node import Tensor
from graphflow.core.site import argument_error
from graphflow.ops.constant import convert_to_tensor
from graphflow.ops.elementwise import relu, sigmoid, tanh
from graphflow.ops.joining import concat, stack
from graphflow.ops.matmul import matmul
from graphflow.ops.nn_norm import bias_add
from graphflow.ops.shape_ops import zeros
from graphflow.variable_scope import VariableScope, get_variable, variable_scope

_ACTIVATIONS = {"tanh": tanh, "relu": relu, "sigmoid": sigmoid}


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """An LSTM's state: the memory `c` and the output `h` (TF1's field order)."""

    __slots__ = ()

    @property
    def dtype(self):
        c, h = self
        if c.dtype is not h.dtype:
            raise TypeError(f"Inconsistent internal state: {c.dtype.name} vs {h.dtype.name}")
        return c.dtype


def activation_fn(activation, default=tanh):
    """A callable for `activation` (a callable, TF's names "tanh"/"relu"/"sigmoid", or None)."""
    if activation is None:
        return default
    if isinstance(activation, str):
        if activation not in _ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; pass a callable or one of "
                             f"{sorted(_ACTIVATIONS)}")
        return _ACTIVATIONS[activation]
    if not callable(activation):
        raise TypeError(f"activation must be callable, got {activation!r}")
    return activation


def input_depth(cell_name: str, inputs: Tensor) -> int:
    """The static size of the last axis of a cell's [batch, depth] inputs (TF1 needs it)."""
    if inputs.shape.rank != 2:
        raise argument_error(cell_name, f"inputs must be a [batch, depth] matrix, got "
                             f"{inputs.describe()}", ValueError)
    depth = inputs.shape[-1]
    if depth is None:
        raise argument_error(cell_name, f"Input size (depth of inputs) must be accessible via "
                             f"shape inference, but saw value None for {inputs.describe()}",
                             ValueError)
    return depth


class RNNCell(abc.ABC):
    """One step of a recurrent network: `output, new_state = cell(inputs, state)`.

    Subclasses give `state_size`, `output_size`, `build(inputs)` and `call(inputs, state)`
    (`build` makes the variables with `add_variable`, on the first call only), or, as old TF1
    cells do, their own `__call__(inputs, state, scope=None)`.
    """

    base_name = "rnn_cell"

    def __init__(self, reuse=None, name: str | None = None, dtype=None):
        self._reuse = reuse
        self._name = name
        self._dtype = dtype
        self._scope: VariableScope | None = None
        self.built = False
        self._variables: list = []

    # --- what a cell says about itself ---------------------------------------------------------
    @property
    @abc.abstractmethod
    def state_size(self):
        """The state's size: an int, or a structure of ints (LSTMStateTuple(c, h))."""

    @property
    @abc.abstractmethod
    def output_size(self):
        """The size of one step's output."""

    @property
    def name(self) -> str:
        return self._scope.name if self._scope is not None else (self._name or self.base_name)

    @property
    def variables(self) -> list:
        return list(self._variables)

    weights = variables

    @property
    def trainable_variables(self) -> list:
        return [v for v in self._variables if v.trainable]

    trainable_weights = trainable_variables

    # --- calling -------------------------------------------------------------------------------
    def __call__(self, inputs, state, scope=None):
        inputs = nest.pack_sequence_as(inputs, [convert_to_tensor(t) for t in
                                                nest.flatten(inputs)])
        if self._scope is None:
            self._scope = self._first_scope(scope)
        with variable_scope(self._scope, reuse=True if self.built else self._reuse):
            if not self.built:
                self.build(inputs)
                self.built = True
            return self.call(inputs, state)

    def _first_scope(self, scope) -> VariableScope:
        base = self._name or self.base_name
        if scope is not None:
            opened = variable_scope(scope, reuse=self._reuse)
        elif self._reuse:
            opened = variable_scope(base, reuse=self._reuse)
        else:
            opened = variable_scope(None, default_name=base)
        with opened as s:
            return s

    def build(self, inputs) -> None:  # noqa: B027 - cells without variables need none
        """Make the cell's variables; `inputs` is the first call's inputs."""

    def call(self, inputs, state):
        """One step inside the cell's scope: (output, new_state). A TF1-style cell may define
        `__call__(inputs, state, scope=None)` instead."""
        raise TypeError(f"{type(self).__name__} defines neither call(inputs, state) nor "
                        "__call__(inputs, state, scope=None); an RNNCell needs one of them")

    def add_variable(self, name: str, shape, dtype=None, initializer=None):
        var = get_variable(name, shape, dtype=dtype or self._dtype, initializer=initializer)
        if var not in self._variables:
            self._variables.append(var)
        return var

    add_weight = add_variable

    # --- states --------------------------------------------------------------------------------
    def zero_state(self, batch_size, dtype):
        """Zeros shaped like `state_size` for `batch_size` rows (an int or a scalar tensor)."""
        with get_default_graph().name_scope(type(self).__name__ + "ZeroState"):
            return zeros_for_sizes(self.state_size, batch_size, dtype)


class CellWrapper(RNNCell):
    """A cell around another cell: its sizes, variables and zero state are the inner cell's,
    and it adds no variable scope (the inner cell's variables keep their names)."""

    def __init__(self, cell: RNNCell, wrapper: str):
        super().__init__()
        if not isinstance(cell, RNNCell):
            raise argument_error(wrapper, f"The parameter cell is not a RNNCell: {cell!r}",
                                 TypeError)
        self._cell = cell

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._cell.output_size

    @property
    def variables(self) -> list:
        return self._cell.variables

    @property
    def trainable_variables(self) -> list:
        return self._cell.trainable_variables

    def zero_state(self, batch_size, dtype):
        return self._cell.zero_state(batch_size, dtype)

    @property
    def wrapped_cell(self) -> RNNCell:
        return self._cell

    def __call__(self, inputs, state, scope=None):
        return self._cell(inputs, state, scope=scope)


def zeros_for_sizes(sizes, batch_size, dtype):
    """A structure of [batch_size, size] zeros, one per leaf of `sizes`."""
    flat = []
    for size in nest.flatten(sizes):
        if isinstance(batch_size, Tensor):
            flat.append(zeros(stack([batch_size, size]), dtype=dtype))
        else:
            flat.append(zeros([int(batch_size), size], dtype=dtype))
    return nest.pack_sequence_as(sizes, flat) if isinstance(sizes, (list, tuple)) else flat[0]


def linear(parts, kernel, bias=None):
    """concat(parts, 1) @ kernel (+ bias): the affine map every TF1 cell applies."""
    joined = concat(list(parts), 1) if len(parts) > 1 else parts[0]
    out = matmul(joined, kernel)
    return bias_add(out, bias) if bias is not None else out
