"""`tf.data.TFRecordDataset`: the records of local TFRecord files (optionally GZIP or ZLIB
compressed), as string scalars, each checked against its CRCs when read (graphflow.io.tfrecord)."""

from __future__ import annotations

import numpy as np

from graphflow.core import dtypes
from graphflow.core.site import argument_error
from graphflow.data import structure
from graphflow.data.sources import component
from graphflow.data.stage import Stage, tensor_inputs
from graphflow.io.tfrecord import compression_name, read_records


class TFRecords(Stage):
    def __init__(self, filenames, compression_type=None):
        self.filenames = component(filenames)
        dtype = structure.spec_of(self.filenames).dtype
        if dtype is not dtypes.string:
            raise argument_error("TFRecordDataset", "The `filenames` argument must contain "
                                 f"`tf.string` elements. Got `tf.{dtype.name}` elements.",
                                 TypeError)
        try:
            self.compression = compression_name(compression_type, "TFRecordDataset")
        except ValueError as err:
            raise argument_error("TFRecordDataset", str(err).split(": ", 1)[1],
                                 ValueError) from None
        self.structure = structure.leaf(structure.TensorSpec([], dtypes.string))

    def own_inputs(self):
        return tensor_inputs(self.filenames)

    def stream(self, env):
        for name in np.asarray(env.value(self.filenames), dtype=object).reshape(-1):
            path = name.decode() if isinstance(name, bytes) else str(name)
            for record in read_records(path, self.compression):
                out = np.empty((), dtype=object)
                out[()] = record
                yield (out,)
