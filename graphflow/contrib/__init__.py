"""`graphflow.contrib`: the parts of TF1's `tf.contrib` that the course material uses."""

from graphflow.contrib import layers, rnn

__all__ = ["layers", "rnn"]
