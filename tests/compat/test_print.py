"""tf.Print and tf.print write what TF writes. Every expected line below is what TensorFlow
2.21's tf.compat.v1 printed in graph mode for the same tensors (recorded 2026-12-02)."""

import sys

import numpy as np
import pytest

import graphflow.compat.v1 as tf

TENSORS = {
    "a22": np.array([[1, 2], [3, 4]]),
    "a33": np.arange(9).reshape(3, 3),
    "a234": np.arange(24).reshape(2, 3, 4),
    "f": np.array([[1.5, 2.25], [3.0, -4.125]], np.float32),
    "b": np.array([[True, False], [False, True]]),
    "s": np.array([b"ab", b"c d"]),
    "e": np.zeros((2, 0), np.float32),
    "sc": np.float32(3.5),
    "one": np.array([[[7]]]),
    "r1": np.arange(10),
}
# tf.Print(..., summarize=n): TENSORS name -> {n: line}
PRINT_V1 = {
    "a22": {-1: "[[1 2][3 4]]", 1: "[[1...]...]", 2: "[[1 2]...]", 3: "[[1 2][3...]...]",
            4: "[[1 2][3 4]]", 5: "[[1 2][3 4]]", None: "[[1 2][3...]...]"},
    "a234": {-1: "[[[0 1 2 3][4 5 6 7][8 9 10 11]][[12 13 14 15][16 17 18 19][20 21 22 23]]]",
             1: "[[[0...]]...]", 2: "[[[0 1...]]...]", 3: "[[[0 1 2...]]...]",
             4: "[[[0 1 2 3]]...]", 5: "[[[0 1 2 3][4...]]...]", None: "[[[0 1 2...]]...]"},
    "a33": {-1: "[[0 1 2][3 4 5][6 7 8]]", 1: "[[0...]...]", 2: "[[0 1...]...]",
            3: "[[0 1 2]...]", 4: "[[0 1 2][3...]...]", 5: "[[0 1 2][3 4...]...]",
            None: "[[0 1 2]...]"},
    "b": {-1: "[[1 0][0 1]]", 1: "[[1...]...]", 2: "[[1 0]...]", 3: "[[1 0][0...]...]",
          4: "[[1 0][0 1]]", None: "[[1 0][0...]...]"},
    "e": {-1: "[]", 1: "[]", None: "[]"},
    "f": {-1: "[[1.5 2.25][3 -4.125]]", 1: "[[1.5...]...]", 2: "[[1.5 2.25]...]",
          3: "[[1.5 2.25][3...]...]", 4: "[[1.5 2.25][3 -4.125]]", None: "[[1.5 2.25][3...]...]"},
    "one": {-1: "[[[7]]]", 1: "[[[7]]]", None: "[[[7]]]"},
    "r1": {-1: "[0 1 2 3 4 5 6 7 8 9]", 1: "[0...]", 2: "[0 1...]", 3: "[0 1 2...]",
           4: "[0 1 2 3...]", None: "[0 1 2...]"},
    "s": {-1: "[ab c d]", 1: "[ab...]", 2: "[ab c d]", None: "[ab c d]"},
    "sc": {-1: "[3.5]", 1: "[3.5]", None: "[3.5]"},
}
ELEMENTS = [  # one element: float32 in 6 digits unless 9 are needed to read it back
    (np.float32(1 / 3), "[0.333333343]"), (np.float64(0.1) + 0.2, "[0.30000000000000004]"),
    (np.float32(1e10), "[1e+10]"), (np.float32(1.5e-8), "[1.5e-08]"), (np.float32(-0.0), "[-0]"),
    (np.float32(np.inf), "[inf]"), (np.float32(np.nan), "[nan]"), (np.int64(-7), "[-7]"),
    (np.float16(0.1), "[0.0999755859]"), (np.uint8(200), "[200]"),
    (np.float32(123456.7), "[123456.703]"),
]


def _print_lines(capfd, ops):
    with tf.Session() as sess:
        sess.run(ops)
    return capfd.readouterr().err.splitlines()


@pytest.mark.parametrize("key", sorted(PRINT_V1))
def test_print_summarizes_as_tf1(key, capfd):
    cases = sorted(PRINT_V1[key].items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
    ops = [tf.Print(tf.constant(0), [tf.constant(TENSORS[key])], message=f"{key} {n}|",
                    summarize=n) for n, _ in cases]
    got = sorted(_print_lines(capfd, ops))
    assert got == sorted(f"{key} {n}|{line}" for n, line in cases)


def test_print_elements_as_tf1(capfd):
    ops = [tf.Print(tf.constant(0), [tf.constant(v)], message=f"{i}|")
           for i, (v, _) in enumerate(ELEMENTS)]
    got = dict(line.split("|", 1) for line in _print_lines(capfd, ops))
    assert got == {str(i): want for i, (_, want) in enumerate(ELEMENTS)}


PRINT_V2 = [  # (tf.print's arguments, what it wrote)
    (("A", np.array([[1, 2], [3, 4]])), {}, "A [[1 2]\n [3 4]]\n"),
    (("B", np.arange(10)), {}, "B [0 1 2 ... 7 8 9]\n"),
    (("C", np.arange(10)), {"summarize": 2}, "C [0 1 ... 8 9]\n"),
    (("D", np.arange(49).reshape(7, 7)), {},
     "D [[0 1 2 ... 4 5 6]\n [7 8 9 ... 11 12 13]\n [14 15 16 ... 18 19 20]\n ...\n"
     " [28 29 30 ... 32 33 34]\n [35 36 37 ... 39 40 41]\n [42 43 44 ... 46 47 48]]\n"),
    (("E", np.arange(24).reshape(2, 3, 4)), {},
     "E [[[0 1 2 3]\n  [4 5 6 7]\n  [8 9 10 11]]\n [[12 13 14 15]\n  [16 17 18 19]\n"
     "  [20 21 22 23]]]\n"),
    (("F", np.arange(60).reshape(3, 4, 5)), {"summarize": 1},
     "F [[[0 ... 4]\n  ...\n  [15 ... 19]]\n ...\n [[40 ... 44]\n  ...\n  [55 ... 59]]]\n"),
    (("G", np.array([1.5, -2.25, 1 / 3], np.float32)), {}, "G [1.5 -2.25 0.333333343]\n"),
    (("H", np.array([b"ab", b"c d"])), {}, 'H ["ab" "c d"]\n'),
    (("I", np.bool_(True), np.array([True, False])), {}, "I 1 [1 0]\n"),
    (("K", np.arange(10)), {"summarize": -1}, "K [0 1 2 3 4 5 6 7 8 9]\n"),
    (("L", np.zeros([2, 0], np.float32)), {}, "L [\n ...]\n"),
    (("N", np.arange(8).reshape(8, 1)), {}, "N [[0]\n [1]\n [2]\n ...\n [5]\n [6]\n [7]]\n"),
    (("O", np.array(b"str scalar")), {}, 'O "str scalar"\n'),
]


@pytest.mark.parametrize("args, kwargs, want", PRINT_V2, ids=[a[0] for a, _, _ in PRINT_V2])
def test_tf_print_lays_out_as_tf(args, kwargs, want, capfd):
    op = tf.print(args[0], *[tf.constant(a) for a in args[1:]], **kwargs)
    with tf.Session() as sess:
        assert sess.run(op) is None
    assert capfd.readouterr().err == want


def test_tf_print_python_structures_sep_end_and_streams(capfd, tmp_path):
    op = tf.print("J", tf.constant(3.5), "x", 7, [1, tf.constant(2)],
                  {"k": tf.constant([1, 2])}, sep=",", end="!\n")
    out = tf.print("to stdout", tf.constant([1, 2]), output_stream=sys.stdout)
    path = tmp_path / "log.txt"
    to_file = tf.print("to file", tf.constant(1), output_stream=f"file://{path}")
    with tf.Session() as sess:
        sess.run([op, out])
        sess.run(to_file)
        sess.run(to_file)
    captured = capfd.readouterr()
    assert captured.err == "J,3.5,x,7,[1, 2],{'k': [1 2]}!\n"
    assert captured.out == "to stdout [1 2]\n"
    assert path.read_text() == "to file 1\n" * 2


def test_tf_print_as_a_control_dependency_and_its_errors(capfd):
    x = tf.placeholder(tf.float32, [2])
    with tf.control_dependencies([tf.print("x =", x)]):
        y = tf.identity(x * 2)
    with tf.Session() as sess:
        assert sess.run(y, {x: [1.0, 2.0]}).tolist() == [2.0, 4.0]
    assert capfd.readouterr().err == "x = [1 2]\n"
    with pytest.raises(TypeError, match=r"^print\(\) got an unexpected keyword argument 'sepp'"):
        tf.print("a", sepp=",")
    with pytest.raises(ValueError, match="unsupported output_stream"):
        tf.print("a", output_stream="nowhere")
