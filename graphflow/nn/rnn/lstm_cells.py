"""TF1's LSTM cells: `BasicLSTMCell` and `LSTMCell` (peepholes, cell clipping, projection).

One kernel over [x, h] gives the gates in TF1's order i, j, f, o (input gate, new input,
forget gate, output gate):

    c' = sigmoid(f + forget_bias [+ w_f_diag * c]) * c + sigmoid(i [+ w_i_diag * c]) * act(j)
    h' = sigmoid(o [+ w_o_diag * c']) * act(c')        (then h' @ projection/kernel if num_proj)

The state is LSTMStateTuple(c, h), or [c, h] concatenated on axis 1 with state_is_tuple=False.
"""

from __future__ import annotations

from graphflow.core.site import argument_error
from graphflow.initializers import Zeros
from graphflow.nn.rnn.cell import LSTMStateTuple, RNNCell, activation_fn, input_depth, linear
from graphflow.ops.elementwise import sigmoid
from graphflow.ops.joining import concat, split
from graphflow.ops.matmul import matmul
from graphflow.ops.reduce import clip_by_value
from graphflow.variable_scope import variable_scope


def split_state(cell_name: str, state, state_is_tuple: bool, sizes: tuple[int, int]):
    """(c, h) from a tuple state or from [c, h] concatenated along axis 1."""
    if state_is_tuple:
        if not isinstance(state, (tuple, list)) or len(state) != 2:
            raise argument_error(cell_name, f"state must be an LSTMStateTuple (c, h) when "
                                 f"state_is_tuple=True, got {state!r}", TypeError)
        return state[0], state[1]
    return split(state, list(sizes), axis=1)


def join_state(c, h, state_is_tuple: bool):
    return LSTMStateTuple(c, h) if state_is_tuple else concat([c, h], 1)


class BasicLSTMCell(RNNCell):
    """The LSTM without peepholes or projection; `forget_bias` (default 1) is added to the
    forget gate so that training starts by remembering."""

    base_name = "basic_lstm_cell"

    def __init__(self, num_units: int, forget_bias: float = 1.0, state_is_tuple: bool = True,
                 activation=None, reuse=None, name=None, dtype=None):
        super().__init__(reuse=reuse, name=name, dtype=dtype)
        self._num_units = int(num_units)
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation_fn(activation)

    @property
    def state_size(self):
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, inputs) -> None:
        depth = input_depth(type(self).__name__, inputs)
        dtype = self._dtype or inputs.dtype
        n = self._num_units
        self._kernel = self.add_variable("kernel", [depth + n, 4 * n], dtype)
        self._bias = self.add_variable("bias", [4 * n], dtype, Zeros())

    def call(self, inputs, state):
        n = self._num_units
        c, h = split_state(type(self).__name__, state, self._state_is_tuple, (n, n))
        i, j, f, o = split(linear([inputs, h], self._kernel, self._bias), 4, axis=1)
        act = self._activation
        new_c = c * sigmoid(f + self._forget_bias) + sigmoid(i) * act(j)
        new_h = act(new_c) * sigmoid(o)
        return new_h, join_state(new_c, new_h, self._state_is_tuple)


class LSTMCell(RNNCell):
    """The LSTM with optional peepholes (`w_f_diag`, `w_i_diag`, `w_o_diag`), `cell_clip`, and a
    projection of the output to `num_proj` units (`projection/kernel`, then `proj_clip`)."""

    base_name = "lstm_cell"

    def __init__(self, num_units: int, use_peepholes: bool = False, cell_clip=None,
                 initializer=None, num_proj=None, proj_clip=None, num_unit_shards=None,
                 num_proj_shards=None, forget_bias: float = 1.0, state_is_tuple: bool = True,
                 activation=None, reuse=None, name=None, dtype=None):
        super().__init__(reuse=reuse, name=name, dtype=dtype)
        for arg, value in (("num_unit_shards", num_unit_shards),
                           ("num_proj_shards", num_proj_shards)):
            if value is not None:  # deprecated in TF1 itself, in favour of a partitioner
                raise argument_error("LSTMCell", f"{arg} (deprecated in TF1) is not supported; "
                                     "leave it None", ValueError)
        self._num_units = int(num_units)
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = None if num_proj is None else int(num_proj)
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation_fn(activation)

    @property
    def state_size(self):
        n, m = self._num_units, self._num_proj or self._num_units
        return LSTMStateTuple(n, m) if self._state_is_tuple else n + m

    @property
    def output_size(self) -> int:
        return self._num_proj or self._num_units

    def build(self, inputs) -> None:
        depth = input_depth(type(self).__name__, inputs)
        dtype = self._dtype or inputs.dtype
        n, h_depth = self._num_units, self._num_proj or self._num_units
        self._kernel = self.add_variable("kernel", [depth + h_depth, 4 * n], dtype,
                                         self._initializer)
        self._bias = self.add_variable("bias", [4 * n], dtype, Zeros())
        if self._use_peepholes:
            self._w_f_diag = self.add_variable("w_f_diag", [n], dtype, self._initializer)
            self._w_i_diag = self.add_variable("w_i_diag", [n], dtype, self._initializer)
            self._w_o_diag = self.add_variable("w_o_diag", [n], dtype, self._initializer)
        if self._num_proj is not None:
            with variable_scope("projection"):
                self._proj_kernel = self.add_variable("kernel", [n, self._num_proj], dtype,
                                                      self._initializer)

    def call(self, inputs, state):
        n, m = self._num_units, self._num_proj or self._num_units
        c_prev, m_prev = split_state(type(self).__name__, state, self._state_is_tuple, (n, m))
        i, j, f, o = split(linear([inputs, m_prev], self._kernel, self._bias), 4, axis=1)
        act = self._activation
        if self._use_peepholes:
            c = (sigmoid(f + self._forget_bias + self._w_f_diag * c_prev) * c_prev
                 + sigmoid(i + self._w_i_diag * c_prev) * act(j))
        else:
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * act(j)
        if self._cell_clip is not None:
            c = clip_by_value(c, -self._cell_clip, self._cell_clip)
        gate = sigmoid(o + self._w_o_diag * c) if self._use_peepholes else sigmoid(o)
        h = gate * act(c)
        if self._num_proj is not None:
            h = matmul(h, self._proj_kernel)
            if self._proj_clip is not None:
                h = clip_by_value(h, -self._proj_clip, self._proj_clip)
        return h, join_state(c, h, self._state_is_tuple)
