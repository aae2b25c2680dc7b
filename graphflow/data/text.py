"""`tf.data.TextLineDataset`: the lines of local text files (optionally GZIP or ZLIB
compressed), as string scalars without their line endings."""

from __future__ import annotations

import gzip
import zlib

import numpy as np

from graphflow.core import dtypes
from graphflow.core.site import argument_error
from graphflow.data import structure
from graphflow.data.sources import component
from graphflow.data.stage import Stage, tensor_inputs
from graphflow.errors import NotFoundError

_COMPRESSIONS = ("", "GZIP", "ZLIB")


class TextLines(Stage):
    def __init__(self, filenames, compression_type=None):
        self.filenames = component(filenames)
        dtype = structure.spec_of(self.filenames).dtype
        if dtype is not dtypes.string:
            raise argument_error("TextLineDataset", "The `filenames` argument must contain "
                                 f"`tf.string` elements. Got `tf.{dtype.name}` elements.",
                                 TypeError)
        self.compression = (compression_type or "").upper()
        if self.compression not in _COMPRESSIONS:
            raise argument_error("TextLineDataset", f"compression_type must be one of None, "
                                 f"'GZIP' or 'ZLIB', got {compression_type!r}", ValueError)
        self.structure = structure.leaf(structure.TensorSpec([], dtypes.string))

    def own_inputs(self):
        return tensor_inputs(self.filenames)

    def stream(self, env):
        for name in np.asarray(env.value(self.filenames), dtype=object).reshape(-1):
            path = name.decode() if isinstance(name, bytes) else str(name)
            for line in _read(path, self.compression).split(b"\n"):
                yield (_line(line),)


def _read(path: str, compression: str) -> bytes:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise NotFoundError(f"{path}; No such file or directory") from None
    if compression == "GZIP":
        data = gzip.decompress(data)
    elif compression == "ZLIB":
        data = zlib.decompress(data)
    if data.endswith(b"\n"):  # the last line's ending does not start another line
        data = data[:-1]
    return data


def _line(line: bytes) -> np.ndarray:
    out = np.empty((), dtype=object)
    out[()] = line[:-1] if line.endswith(b"\r") else line
    return out
