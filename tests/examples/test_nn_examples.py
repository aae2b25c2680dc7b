"""The layer examples: LeNet-5 on the offline digits, the regularisation comparison, and the
image loaders they use (enlarged digits, MNIST's IDX files)."""

import gzip
import struct

import numpy as np
import pytest

from graphflow.datasets import load_digits_images, load_mnist, load_mnist_idx


def write_idx(path, array, gz=False):
    codes = {np.dtype(np.uint8): 0x08, np.dtype(">i4"): 0x0C, np.dtype(">f4"): 0x0D}
    header = struct.pack(">BBBB", 0, 0, codes[array.dtype], array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    data = header + array.tobytes()
    with open(path, "wb") as f:
        f.write(gzip.compress(data) if gz else data)


def test_load_mnist_idx_reads_ubyte_int_and_float_files_gzipped_or_not(tmp_path):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    write_idx(tmp_path / "images-idx3-ubyte", images)
    write_idx(tmp_path / "labels.gz", np.array([7, 2], np.uint8), gz=True)
    write_idx(tmp_path / "ints", np.array([[-1, 70000]], ">i4"))
    write_idx(tmp_path / "floats", np.array([0.5, -2.0], ">f4"))
    np.testing.assert_array_equal(load_mnist_idx(tmp_path / "images-idx3-ubyte"), images)
    assert load_mnist_idx(tmp_path / "labels.gz").tolist() == [7, 2]
    assert load_mnist_idx(tmp_path / "ints").tolist() == [[-1, 70000]]
    assert load_mnist_idx(tmp_path / "floats").tolist() == [0.5, -2.0]


def test_load_mnist_idx_rejects_other_files_and_short_data(tmp_path):
    (tmp_path / "text").write_bytes(b"hello world")
    with pytest.raises(ValueError, match="not an IDX file"):
        load_mnist_idx(tmp_path / "text")
    write_idx(tmp_path / "cut", np.zeros((4, 4), np.uint8))
    (tmp_path / "cut").write_bytes((tmp_path / "cut").read_bytes()[:-3])
    with pytest.raises(ValueError, match=r"header says \(4, 4\)"):
        load_mnist_idx(tmp_path / "cut")


def fake_mnist(directory, n_train=64, n_test=32):
    rng = np.random.RandomState(0)
    for kind, n in (("train", n_train), ("t10k", n_test)):
        write_idx(directory / f"{kind}-images-idx3-ubyte.gz",
                  rng.randint(0, 256, (n, 28, 28)).astype(np.uint8), gz=True)
        write_idx(directory / f"{kind}-labels-idx1-ubyte", (np.arange(n) % 10).astype(np.uint8))


def test_load_mnist_finds_the_four_files_and_scales_to_nhwc(tmp_path):
    fake_mnist(tmp_path)
    X_train, y_train, X_test, y_test = load_mnist(str(tmp_path))
    assert X_train.shape == (64, 28, 28, 1) and X_test.shape == (32, 28, 28, 1)
    assert X_train.dtype == np.float32 and 0.0 <= X_train.min() and X_train.max() <= 1.0
    assert y_train.dtype == np.int64 and y_test[:3].tolist() == [0, 1, 2]
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte"):
        load_mnist(str(tmp_path / "nowhere"))


def test_digit_images_are_the_8x8_digits_enlarged_and_centred():
    X, y = load_digits_images(28)
    assert X.shape == (1797, 28, 28, 1) and X.dtype == np.float32 and len(y) == 1797
    from graphflow.datasets import load_digits

    flat, _ = load_digits()
    np.testing.assert_array_equal(X[5, 2:26:3, 2:26:3, 0], flat[5].reshape(8, 8))
    assert X[:, :2].max() == 0 and X[:, 26:].max() == 0
    assert load_digits_images(32)[0].shape == (1797, 32, 32, 1)


def test_lenet_reaches_97_percent_on_the_held_out_digits(example):
    lenet = example("lenet")
    accuracy, epoch_times, params = lenet.train(verbose=False)
    assert params == 61_706
    assert accuracy >= 0.97  # 0.9833 when recorded: 6 errors in 360
    assert len(epoch_times) == 10


def test_lenet_trains_on_mnist_idx_files(example, tmp_path, capsys):
    fake_mnist(tmp_path)
    accuracy, times, _ = example("lenet").train(epochs=1, batch_size=16, mnist_dir=str(tmp_path))
    assert 0.0 <= accuracy <= 1.0 and len(times) == 1
    assert "epoch  1/1" in capsys.readouterr().out


def test_dropout_l2_comparison_records_its_accuracies(example):
    """Recorded at 5,000 steps (seeded, so repeatable; ±1 point allows for round-off flipping a
    boundary point): both regularisers trade a little training fit for test accuracy."""
    results = example("dropout_l2").compare(steps=5000, verbose=False)
    expected = {"none": (0.925, 0.85), "l2": (0.92, 0.88), "dropout": (0.925, 0.87)}
    for kind, (train_acc, test_acc) in expected.items():
        assert results[kind][0] == pytest.approx(train_acc, abs=0.011), kind
        assert results[kind][1] == pytest.approx(test_acc, abs=0.011), kind
    assert results["l2"][1] > results["none"][1] and results["dropout"][1] > results["none"][1]
