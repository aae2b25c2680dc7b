"""`tf.nn.rnn_cell`: TF1's RNN cells and their state tuple (graphflow/nn/rnn)."""

from graphflow.compat.missing import module_getattr
from graphflow.nn.rnn import (
    BasicLSTMCell,
    BasicRNNCell,
    DeviceWrapper,
    DropoutWrapper,
    GRUCell,
    LSTMCell,
    LSTMStateTuple,
    MultiRNNCell,
    ResidualWrapper,
    RNNCell,
)

__all__ = ["BasicLSTMCell", "BasicRNNCell", "DeviceWrapper", "DropoutWrapper", "GRUCell",
           "LSTMCell", "LSTMStateTuple", "MultiRNNCell", "RNNCell", "ResidualWrapper"]

__getattr__ = module_getattr(__name__, "tf.nn.rnn_cell")
