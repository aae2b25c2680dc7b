"""`graphflow.compat.v1`: TF1's surface, as `tf.compat.v1` is in TF 1.15 (the same names)."""

from graphflow.compat import v1

__all__ = ["v1"]
