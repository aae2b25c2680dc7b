"""TF1's recurrent networks: the cells of `tf.nn.rnn_cell` and the drivers `static_rnn`,
`dynamic_rnn` (on one While over time, time_loop.py), their bidirectional forms, and `raw_rnn`."""

from graphflow.nn.rnn.basic_rnn_cell import BasicRNNCell
from graphflow.nn.rnn.bidirectional import bidirectional_dynamic_rnn, static_bidirectional_rnn
from graphflow.nn.rnn.cell import LSTMStateTuple, RNNCell
from graphflow.nn.rnn.dropout_wrapper import DropoutWrapper
from graphflow.nn.rnn.dynamic_rnn import dynamic_rnn
from graphflow.nn.rnn.gru_cell import GRUCell
from graphflow.nn.rnn.lstm_cells import BasicLSTMCell, LSTMCell
from graphflow.nn.rnn.multi_rnn_cell import MultiRNNCell
from graphflow.nn.rnn.raw_rnn import raw_rnn
from graphflow.nn.rnn.residual_device_wrappers import DeviceWrapper, ResidualWrapper
from graphflow.nn.rnn.static_rnn import static_rnn

__all__ = ["BasicLSTMCell", "BasicRNNCell", "DeviceWrapper", "DropoutWrapper", "GRUCell",
           "LSTMCell", "LSTMStateTuple", "MultiRNNCell", "RNNCell", "ResidualWrapper",
           "bidirectional_dynamic_rnn", "dynamic_rnn", "raw_rnn", "static_bidirectional_rnn",
           "static_rnn"]
