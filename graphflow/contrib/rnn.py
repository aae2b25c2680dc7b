"""`tf.contrib.rnn`: TF1's RNN cells, wrappers and the static drivers under their contrib names
(graphflow/nn/rnn)."""

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
    static_bidirectional_rnn,
    static_rnn,
)

__all__ = ["BasicLSTMCell", "BasicRNNCell", "DeviceWrapper", "DropoutWrapper", "GRUCell",
           "LSTMCell", "LSTMStateTuple", "MultiRNNCell", "RNNCell", "ResidualWrapper",
           "static_bidirectional_rnn", "static_rnn"]
