"""`keras.preprocessing`: turning raw sequences into model inputs (`sequence.pad_sequences`)."""

from graphflow.keras.preprocessing import sequence  # noqa: F401

__all__ = ["sequence"]
