"""TF1's `tf.python_io`: TFRecord files, read and written (see graphflow.io.tfrecord)."""

from graphflow.compat.missing import module_getattr
from graphflow.io.tfrecord import (
    TFRecordCompressionType,
    TFRecordOptions,
    TFRecordWriter,
    tf_record_iterator,
)

__all__ = ["TFRecordCompressionType", "TFRecordOptions", "TFRecordWriter", "tf_record_iterator"]

__getattr__ = module_getattr(__name__, "tf.python_io")  # a TF1 name graphflow lacks, or a typo
