"""TFRecord files, read and written: TF's documented framing of a sequence of byte strings.

Each record is `uint64 length`, `uint32 masked_crc32c(length)`, `length` bytes of data,
`uint32 masked_crc32c(data)`, little-endian; the CRC is CRC-32C (Castagnoli), masked as
`((crc >> 15) | (crc << 17)) + 0xa282ead8`. A file may be GZIP or ZLIB compressed as a whole.
Reading checks both checksums and fails as TF does: DataLossError "corrupted record at N" for a
bad checksum, "truncated record at N" for a record cut short; a file cut inside a record's
header ends the records there, as in TF.

The records are bytes; `tf.train.Example` protos inside them are not parsed (graphflow has no
Example protos: tensorboard's copy of TF's protos does not include example.proto).
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib

import numpy as np

from graphflow.errors import DataLossError, InvalidArgumentError, NotFoundError

__all__ = ["TFRecordCompressionType", "TFRecordOptions", "TFRecordWriter", "masked_crc32c",
           "read_records", "tf_record_iterator"]

_MASK_DELTA = 0xA282EAD8


def _crc_table() -> list[int]:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1  # the Castagnoli polynomial, reflected
        table.append(c)
    return table


_TABLE = _crc_table()
_OFFSETS = np.arange(4096, dtype=np.intp) * 256


_BLOCK = 4096  # bytes whose CRC one NumPy gather computes
_POSITIONS: list = []  # [_BLOCK, 256] uint32, built on first use


def crc32c_reference(crc: int, data) -> int:
    """The running CRC `crc` (not conditioned) advanced over `data`, byte by byte: the
    definition the blockwise crc32c is checked against, and its way for short data."""
    table = _TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc


def _position_table() -> np.ndarray:
    """table[j, b]: what byte b at position j of a _BLOCK-byte message adds to its CRC (from
    state 0). The CRC is linear over GF(2), so a message's CRC is the XOR of its bytes'."""
    if not _POSITIONS:
        table = np.array(_TABLE, dtype=np.uint32)
        out = np.empty((_BLOCK, 256), dtype=np.uint32)
        row = table.copy()  # the last byte: one table step, no zero bytes after it
        out[-1] = row
        for j in range(_BLOCK - 2, -1, -1):  # each earlier position: one more zero byte after
            row = table[row & 0xFF] ^ (row >> 8)
            out[j] = row
        _POSITIONS.append(out)
    return _POSITIONS[0]


def crc32c(data: bytes) -> int:
    """CRC-32C of `data`: by NumPy gathers over a table of per-position contributions, a block
    of up to 4 KiB at a time (the running CRC is XORed into each block's first 4 bytes, which
    is what a reflected CRC's state does); short data byte by byte."""
    view = np.frombuffer(data, dtype=np.uint8)
    if len(view) < 64:
        return crc32c_reference(0xFFFFFFFF, view.tolist()) ^ 0xFFFFFFFF
    flat = _position_table().reshape(-1)
    crc, start = 0xFFFFFFFF, 0
    while len(view) - start >= 4:
        block = view[start:start + _BLOCK].astype(np.intp)
        block[:4] ^= np.frombuffer(crc.to_bytes(4, "little"), dtype=np.uint8)
        block += _OFFSETS[_BLOCK - len(block):]  # row j of the table starts at 256 * j
        crc = int(np.bitwise_xor.reduce(flat[block]))
        start += _BLOCK
    return crc32c_reference(crc, view[start:].tolist()) ^ 0xFFFFFFFF


def masked_crc32c(data: bytes) -> int:
    """The CRC a TFRecord stores: rotated right by 15 bits plus a constant (TF's masking)."""
    crc = crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + _MASK_DELTA) & 0xFFFFFFFF


class TFRecordCompressionType:
    """TF1's compression constants (tf.python_io.TFRecordCompressionType)."""

    NONE = 0
    ZLIB = 1
    GZIP = 2


_NAMES = {None: "", "": "", "NONE": "", "ZLIB": "ZLIB", "GZIP": "GZIP",
          TFRecordCompressionType.NONE: "", TFRecordCompressionType.ZLIB: "ZLIB",
          TFRecordCompressionType.GZIP: "GZIP"}


class TFRecordOptions:
    """How a TFRecord file is compressed: compression_type None/"" , "ZLIB" or "GZIP" (or the
    TFRecordCompressionType constants) and compression_level; TF1's other tuning options
    (buffer sizes, zlib window and memory settings) work only at their defaults."""

    def __init__(self, compression_type=None, flush_mode=None, input_buffer_size=None,
                 output_buffer_size=None, window_bits=None, compression_level=None,
                 compression_method=None, mem_level=None, compression_strategy=None):
        from graphflow.compat.missing import unsupported_argument

        for arg, value in (("flush_mode", flush_mode), ("window_bits", window_bits),
                           ("compression_method", compression_method), ("mem_level", mem_level),
                           ("compression_strategy", compression_strategy)):
            if value is not None:
                raise unsupported_argument("TFRecordOptions", arg, value)
        del input_buffer_size, output_buffer_size  # buffering changes no byte of the file
        self.compression_type = compression_name(compression_type, "TFRecordOptions")
        self.compression_level = 6 if compression_level is None else int(compression_level)

    @classmethod
    def get_compression_type_string(cls, options) -> str:
        return _options(options, "TFRecordOptions").compression_type


def compression_name(value, function: str) -> str:
    """"", "ZLIB" or "GZIP" for a compression_type argument; ValueError for anything else."""
    key = value.upper() if isinstance(value, str) else value
    try:
        return _NAMES[key]
    except (KeyError, TypeError):
        raise ValueError(f"{function}: compression_type must be None, '', 'ZLIB' or 'GZIP', "
                         f"got {value!r}") from None


def _options(options, function: str) -> TFRecordOptions:
    if isinstance(options, TFRecordOptions):
        return options
    return TFRecordOptions(compression_name(options, function))


class TFRecordWriter:
    """Writes records to a TFRecord file (`tf.io.TFRecordWriter`); also a context manager."""

    def __init__(self, path, options=None):
        opts = _options(options, "TFRecordWriter")
        self.path = os.fspath(path)
        try:
            raw = open(self.path, "wb")  # noqa: SIM115 - closed by close()
        except OSError as err:
            raise NotFoundError(f"{self.path}; {err.strerror}") from None
        self._raw = raw
        if opts.compression_type == "GZIP":
            self._file = gzip.GzipFile(fileobj=raw, mode="wb",
                                       compresslevel=opts.compression_level, mtime=0)
            self._zlib = None
        else:
            self._file = raw
            self._zlib = zlib.compressobj(opts.compression_level) \
                if opts.compression_type == "ZLIB" else None

    def write(self, record) -> None:
        if self._file is None:
            raise InvalidArgumentError(f"TFRecordWriter for {self.path} is closed")
        data = record.encode() if isinstance(record, str) else bytes(record)
        header = struct.pack("<Q", len(data))
        framed = b"".join((header, struct.pack("<I", masked_crc32c(header)), data,
                           struct.pack("<I", masked_crc32c(data))))
        self._file.write(self._zlib.compress(framed) if self._zlib else framed)

    def flush(self) -> None:
        if self._file is not None:
            if self._zlib is not None:
                self._file.write(self._zlib.flush(zlib.Z_SYNC_FLUSH))
            self._file.flush()

    def close(self) -> None:
        if self._file is None:
            return
        if self._zlib is not None:
            self._file.write(self._zlib.flush())
        self._file.close()
        if self._raw is not self._file:
            self._raw.close()
        self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _open(path: str, compression: str):
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by read_records
    except FileNotFoundError:
        raise NotFoundError(f"{path}; No such file or directory") from None
    except OSError as err:
        raise NotFoundError(f"{path}; {err.strerror}") from None
    if compression == "GZIP":
        return gzip.GzipFile(fileobj=raw, mode="rb"), raw
    if compression == "ZLIB":
        with raw:
            try:
                data = zlib.decompress(raw.read())
            except zlib.error as err:
                raise DataLossError(f"{path}: not ZLIB data ({err})") from None
        import io

        return io.BytesIO(data), None
    return raw, None


def read_records(path, compression: str = ""):
    """Yield the records of the TFRecord file at `path`, each checked against its CRCs."""
    path = os.fspath(path)
    f, raw = _open(path, compression)
    offset = 0
    try:
        while True:
            try:
                header = f.read(12)
            except (OSError, EOFError, zlib.error) as err:  # a damaged gzip stream
                raise DataLossError(f"{path}: cannot decompress ({err})") from None
            if len(header) < 12:
                return  # no further record (TF stops at a partial header too)
            length, stored = struct.unpack("<QI", header)
            if masked_crc32c(header[:8]) != stored:
                hint = " (Is this even a TFRecord file?)" if offset == 0 else ""
                raise DataLossError(f"corrupted record at {offset}{hint}")
            body = f.read(length + 4)
            if len(body) < length + 4:
                raise DataLossError(f"truncated record at {offset}' failed with Read less "
                                    "bytes than requested")
            data = body[:length]
            if masked_crc32c(data) != struct.unpack("<I", body[length:])[0]:
                raise DataLossError(f"corrupted record at {offset + 12}")
            yield data
            offset += 16 + length
    finally:
        f.close()
        if raw is not None:
            raw.close()


def tf_record_iterator(path, options=None):
    """TF1's `tf.io.tf_record_iterator`: the records of one file, as bytes."""
    return read_records(path, _options(options, "tf_record_iterator").compression_type)
