"""Image data for convolutional examples: the 8x8 digits enlarged to MNIST's size, and a reader
for MNIST's IDX files (for those who have them; nothing here downloads)."""

from __future__ import annotations

import gzip
import os

import numpy as np

from graphflow.datasets.loaders import load_digits

_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def load_digits_images(size: int = 28):
    """scikit-learn's digits as NHWC images (1797, size, size, 1) in [0, 1], and int64 labels.

    Each 8x8 digit is enlarged by an integer factor (nearest neighbour: 3 for 28) and centred
    with zero padding, as MNIST centres its 20x20 digits in a 28x28 frame.
    """
    if size < 8:
        raise ValueError(f"size must be at least 8, got {size}")
    X, y = load_digits()
    k = size // 8
    images = X.reshape(-1, 8, 8).repeat(k, axis=1).repeat(k, axis=2)
    before = (size - 8 * k) // 2
    after = size - 8 * k - before
    images = np.pad(images, ((0, 0), (before, after), (before, after)))
    return images[..., None].astype(np.float32), y


def load_mnist_idx(path: str) -> np.ndarray:
    """The array stored in one IDX file (MNIST's format), gzipped or not."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if len(data) < 4 or data[:2] != b"\x00\x00" or data[2] not in _IDX_TYPES:
        raise ValueError(f"{path} is not an IDX file (bad magic number {data[:4]!r})")
    ndim = data[3]
    header = 4 + 4 * ndim
    shape = tuple(int(d) for d in np.frombuffer(data[4:header], dtype=">u4"))
    dtype = np.dtype(_IDX_TYPES[data[2]])
    count = int(np.prod(shape, dtype=np.int64))
    if len(data) - header != count * dtype.itemsize:
        raise ValueError(f"{path}: header says {shape} of {dtype.str}, but the file holds "
                         f"{len(data) - header} bytes of data")
    return np.frombuffer(data, dtype=dtype, count=count, offset=header).reshape(shape)


def _find(directory: str, kind: str, what: str) -> str:
    suffix = "idx3-ubyte" if what == "images" else "idx1-ubyte"
    for name in (f"{kind}-{what}-{suffix}", f"{kind}-{what}.{suffix}"):
        for ext in ("", ".gz"):
            path = os.path.join(directory, name + ext)
            if os.path.exists(path):
                return path
    raise FileNotFoundError(f"No {kind}-{what}-{suffix}[.gz] in {directory}")


def load_mnist(directory: str):
    """MNIST from its four IDX files in `directory`: X_train, y_train, X_test, y_test, the images
    NHWC float32 in [0, 1] and the labels int64."""
    out = []
    for kind in ("train", "t10k"):
        images = load_mnist_idx(_find(directory, kind, "images"))
        labels = load_mnist_idx(_find(directory, kind, "labels"))
        if len(images) != len(labels):
            raise ValueError(f"{kind}: {len(images)} images but {len(labels)} labels")
        out += [(images[..., None] / 255.0).astype(np.float32), labels.astype(np.int64)]
    return tuple(out)
