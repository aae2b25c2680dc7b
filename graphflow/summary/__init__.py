"""`graphflow.summary` (TF1's `tf.summary`): summary ops and the FileWriter for TensorBoard.

Summary ops are graph ops whose value is a serialised `Summary` proto (`sess.run` gives bytes);
`FileWriter` writes them, the graph and run metadata as TensorBoard event files. Needs the
optional tensorboard package (`pip install graphflow[summary]`); `import graphflow` works
without it, and the first summary op or FileWriter says what to install. The proto classes
(`Summary`, `Event`, `SessionLog`, ...) are tensorboard's, looked up on first use.
"""

from __future__ import annotations

from graphflow.compat.missing import module_getattr
from graphflow.summary.audio import audio
from graphflow.summary.graph_def import graph_to_graph_def
from graphflow.summary.histogram import histogram
from graphflow.summary.image import image
from graphflow.summary.merge import merge, merge_all
from graphflow.summary.scalar import scalar
from graphflow.summary.text import tensor_summary, text
from graphflow.summary.writer import FileWriter
from graphflow.summary.writer_cache import FileWriterCache

# The proto classes TF1 has as tf.summary.<name>, and as tf.<name>, by their proto module.
PROTO_MODULES = {"Summary": "summary", "SummaryDescription": "summary",
                 "SummaryMetadata": "summary", "HistogramProto": "summary", "Event": "event",
                 "SessionLog": "event", "TaggedRunMetadata": "event"}
PROTO_CLASSES = ("Event", "SessionLog", "Summary", "SummaryDescription", "TaggedRunMetadata")
TOP_LEVEL_PROTOS = ("Event", "HistogramProto", "SessionLog", "Summary", "SummaryMetadata")


def proto_class(name: str):
    """tensorboard's proto class `name` (one of PROTO_MODULES), imported on first use."""
    from graphflow.summary.protos import protos

    return getattr(getattr(protos(), PROTO_MODULES[name]), name)


_missing = module_getattr(__name__, "tf.summary")


def __getattr__(name: str):
    if name in PROTO_CLASSES:
        return proto_class(name)
    return _missing(name)  # raises: a TF1 name graphflow lacks, or a typo


__all__ = ["FileWriter", "FileWriterCache", "audio", "graph_to_graph_def", "histogram", "image",
           "merge", "merge_all", "scalar", "tensor_summary", "text"]
