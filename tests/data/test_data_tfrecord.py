"""TFRecord files: tf.data.TFRecordDataset and tf.io's writer and iterator, byte for byte as TF
writes them, with TF's errors for damaged files. The hex files below were written by
TensorFlow 2.21's tf.io.TFRecordWriter (2026-12-02) with the records RECORDS."""

import gzip

import numpy as np
import pytest

import graphflow as tf
from graphflow.io.tfrecord import crc32c, crc32c_reference, masked_crc32c

RECORDS = [b"hello", b"", b"\x00\xffbytes"]
TF_FILES = {
    "": "0500000000000000eab2043e68656c6c6fbb1f1c19000000000000000029039807d8ea82a207000000000000"
        "00bbd79f1100ff62797465730b2a7000",
    "GZIP": "1f8b080000000000000363658080579b58ec32527372f277cbcb4842c518349967b0df78d5b4881dca"
            "df7d7dbe20c3ffa4ca92d4626ead020600adc82a963c000000",
    "ZLIB": "789c63658080579b58ec32527372f277cbcb4842c518349967b0df78d5b4881dcadf7d7dbe20c3ffa4ca"
            "92d4626ead02060089f60ecc",
}


def _tf_file(tmp_path, compression=""):
    path = tmp_path / f"tf{compression}.tfrecord"
    path.write_bytes(bytes.fromhex(TF_FILES[compression]))
    return str(path)


def test_crc32c_check_values():
    assert crc32c(b"123456789") == 0xE3069283  # the standard CRC-32C check value
    assert crc32c(b"") == 0
    assert masked_crc32c(b"\x05" + b"\x00" * 7) == 0x3E04B2EA  # the first header's, from TF
    assert crc32c(b"\x00" * 32) == 0x8A9136AA  # RFC 3720's test vectors (B.4)
    assert crc32c(bytes(range(32))) == 0x46DD794E
    assert crc32c(b"\xff" * 4099) == crc32c_reference(0xFFFFFFFF, b"\xff" * 4099) ^ 0xFFFFFFFF


@pytest.mark.parametrize("size", [63, 64, 65, 4095, 4096, 4097, 4099, 4100, 9000])
def test_blockwise_crc_equals_thecrc32c_reference_definition(size):
    data = np.random.RandomState(size).bytes(size)
    assert crc32c(data) == crc32c_reference(0xFFFFFFFF, data) ^ 0xFFFFFFFF


@pytest.mark.parametrize("compression", ["", "GZIP", "ZLIB"])
def test_dataset_reads_tf_files(tmp_path, compression, elements):
    ds = tf.data.TFRecordDataset(_tf_file(tmp_path, compression), compression_type=compression)
    assert (ds.output_types, ds.output_shapes) == (tf.string, tf.TensorShape([]))
    assert elements(ds) == RECORDS


def test_writer_writes_tf_bytes_and_reads_back(tmp_path):
    path = tmp_path / "gf.tfrecord"
    with tf.io.TFRecordWriter(str(path)) as writer:
        for record in RECORDS:
            writer.write(record)
    assert path.read_bytes() == bytes.fromhex(TF_FILES[""])
    for compression in ("GZIP", "ZLIB"):
        packed = tmp_path / f"gf{compression}.tfrecord"
        writer = tf.io.TFRecordWriter(str(packed), tf.io.TFRecordOptions(compression))
        for record in RECORDS:
            writer.write(record)
        writer.close()
        assert list(tf.io.tf_record_iterator(str(packed), compression)) == RECORDS
    assert gzip.decompress((tmp_path / "gfGZIP.tfrecord").read_bytes()) == path.read_bytes()


def test_several_files_from_a_fed_placeholder(tmp_path):
    names = tf.placeholder(tf.string, [None])
    it = tf.data.make_initializable_iterator(tf.data.TFRecordDataset(names).batch(2))
    nxt = it.get_next()
    files = [_tf_file(tmp_path), _tf_file(tmp_path, "")]
    with tf.Session() as sess:
        sess.run(it.initializer, {names: files})
        batches = [list(sess.run(nxt)) for _ in range(3)]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(nxt)
    assert sum(batches, []) == RECORDS * 2


@pytest.mark.parametrize("damage, message", [
    (lambda b: b[:12] + b"J" + b[13:], "^corrupted record at 12$"),
    (lambda b: b[:8] + bytes([b[8] ^ 1]) + b[9:],
     r"^corrupted record at 0 \(Is this even a TFRecord file\?\)$"),
    (lambda b: b[:-3], "^truncated record at 37' failed with Read less bytes than requested$"),
    (lambda b: b[:19], "^truncated record at 0' failed"),
])
def test_damaged_files_fail_as_in_tf(tmp_path, damage, message):
    path = tmp_path / "bad.tfrecord"
    path.write_bytes(damage(bytes.fromhex(TF_FILES[""])))
    with pytest.raises(tf.errors.DataLossError, match=message):
        list(tf.io.tf_record_iterator(str(path)))
    it = tf.data.make_one_shot_iterator(tf.data.TFRecordDataset(str(path))).get_next()
    with tf.Session() as sess, pytest.raises(tf.errors.DataLossError, match=message[1:10]):
        while True:
            sess.run(it)


def test_a_partial_header_ends_the_records_and_bad_arguments_are_named(tmp_path):
    path = tmp_path / "cut.tfrecord"
    path.write_bytes(bytes.fromhex(TF_FILES[""])[:27])  # inside the second record's header
    assert list(tf.io.tf_record_iterator(str(path))) == [b"hello"]
    with pytest.raises(tf.errors.NotFoundError, match="missing.tfrecord"):
        list(tf.io.tf_record_iterator(str(tmp_path / "missing.tfrecord")))
    with pytest.raises(ValueError, match="TFRecordDataset called at .*compression_type"):
        tf.data.TFRecordDataset(str(path), compression_type="BZIP2")
    with pytest.raises(TypeError, match="must contain `tf.string` elements"):
        tf.data.TFRecordDataset([1, 2])


def test_python_io_is_tf1s_home_for_the_same_functions(tmp_path):
    path = str(tmp_path / "p.tfrecord")
    options = tf.python_io.TFRecordOptions(tf.python_io.TFRecordCompressionType.GZIP)
    with tf.python_io.TFRecordWriter(path, options) as writer:
        writer.write(b"one")
        writer.write("two")  # a str is written as its UTF-8 bytes
    assert list(tf.python_io.tf_record_iterator(path, options)) == [b"one", b"two"]
    with pytest.raises(AttributeError, match="did you mean tf.python_io.tf_record_iterator"):
        tf.python_io.tf_record_iteratr  # noqa: B018


def test_example_parsing_is_refused_plainly():
    for get in (lambda: tf.train.Example, lambda: tf.io.parse_single_example,
                lambda: tf.parse_example, lambda: tf.FixedLenFeature):
        with pytest.raises(AttributeError, match="has no Example protos.*TFRecordDataset"):
            get()
    with pytest.raises(AttributeError, match="^module 'graphflow.io' has no attribute 'nope'$"):
        tf.io.nope  # noqa: B018
