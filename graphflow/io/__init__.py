"""Files: serialised graphs (a JSON form of a graph that round-trips without pickle), and TF's
TFRecord files (`tf.io.TFRecordWriter`, `tf.io.tf_record_iterator`)."""

from graphflow.io.graph_json import (
    export_meta_graph,
    graph_to_json,
    import_graph_file,
    import_graph_json,
)
from graphflow.io.tfrecord import (
    TFRecordCompressionType,
    TFRecordOptions,
    TFRecordWriter,
    tf_record_iterator,
)

__all__ = ["TFRecordCompressionType", "TFRecordOptions", "TFRecordWriter", "export_meta_graph",
           "graph_to_json", "import_graph_file", "import_graph_json", "tf_record_iterator"]


def __getattr__(name: str):
    """tf.io's Example parsing gets a plain answer; any other missing name Python's error."""
    from graphflow.compat.missing import EXAMPLE_PROTOS, missing_attribute

    if name in _EXAMPLE_PARSING:
        raise missing_attribute(__name__, "tf.io", name, {name: EXAMPLE_PROTOS}, globals())
    raise AttributeError(f"module '{__name__}' has no attribute '{name}'")


_EXAMPLE_PARSING = ("parse_example", "parse_single_example", "parse_sequence_example",
                    "parse_single_sequence_example", "FixedLenFeature", "FixedLenSequenceFeature",
                    "VarLenFeature", "decode_proto")
