"""NN ops validate their attributes: bad ones fail where the graph is built, naming the op and the
user's line; attributes that bypass inference (edited after building, as a crafted graph file can
arrive) give a clean graphflow error at run time on every executor, never a crash."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import graphflow as tf
from graphflow.errors import GraphflowError

X = np.arange(2 * 5 * 5 * 3, dtype=np.float32).reshape(2, 5, 5, 3)
W = np.ones((2, 2, 3, 4), np.float32)
DY = np.ones((2, 4, 4, 4), np.float32)
ONES3, ZEROS3 = np.ones(3, np.float32), np.zeros(3, np.float32)

BAD_BUILDS = {  # each lambda is the user's line the error must name
    "pool ksize 0": lambda: tf.nn.max_pool(X, [1, 0, 2, 1], [1, 1, 1, 1], "VALID"),
    "pool ksize negative": lambda: tf.nn.avg_pool(X, [1, -2, 2, 1], [1, 1, 1, 1], "SAME"),
    "pool ksize of 3 entries": lambda: tf.nn.max_pool(X, [1, 2, 2], [1, 1, 1, 1], "VALID"),
    "pool batch window": lambda: tf.nn.max_pool(X, [2, 2, 2, 1], [1, 1, 1, 1], "VALID"),
    "pool window larger than input": lambda: tf.nn.max_pool(X, [1, 6, 2, 1], [1, 1, 1, 1],
                                                            "VALID"),
    "pool stride 0": lambda: tf.nn.avg_pool(X, [1, 2, 2, 1], [1, 0, 1, 1], "VALID"),
    "pool channel stride": lambda: tf.nn.max_pool(X, [1, 2, 2, 1], [1, 1, 1, 2], "VALID"),
    "pool explicit padding": lambda: tf.nn.max_pool(X, [1, 2, 2, 1], [1, 1, 1, 1],
                                                    [[0, 0], [1, 1], [1, 1], [0, 0]]),
    "pool bad padding": lambda: tf.nn.max_pool(X, [1, 2, 2, 1], [1, 1, 1, 1], "FULL"),
    "pool NCHW": lambda: tf.nn.avg_pool(X, [1, 2, 2, 1], [1, 1, 1, 1], "VALID", "NCHW"),
    "conv strides [1, 0, 1, 1]": lambda: tf.nn.conv2d(X, W, [1, 0, 1, 1], "SAME"),
    "conv batch stride": lambda: tf.nn.conv2d(X, W, [2, 1, 1, 1], "SAME"),
    "conv dilation 0": lambda: tf.nn.conv2d(X, W, [1, 1, 1, 1], "SAME", dilations=[1, 0, 1, 1]),
    "conv negative padding": lambda: tf.nn.conv2d(X, W, [1, 1, 1, 1],
                                                  [[0, 0], [-1, 0], [0, 0], [0, 0]]),
    "conv padding of 3 pairs": lambda: tf.nn.conv2d(X, W, [1, 1, 1, 1], [[0, 0], [1, 1], [1, 1]]),
    "conv filter larger than input": lambda: tf.nn.conv2d(X, np.ones((6, 2, 3, 4), np.float32),
                                                          [1, 1, 1, 1], "VALID"),
    "conv zero-size filter": lambda: tf.nn.conv2d(X, np.ones((0, 2, 3, 4), np.float32),
                                                  [1, 1, 1, 1], "SAME"),
    "conv NCHW": lambda: tf.nn.conv2d(X, W, [1, 1, 1, 1], "SAME", data_format="NCHW"),
    "conv missing padding": lambda: tf.nn.conv2d(X, W, [1, 1, 1, 1]),
    "backprop input sizes": lambda: tf.nn.conv2d_backprop_input([2, -5, 5, 3], W, DY,
                                                                [1, 1, 1, 1], "VALID"),
    "backprop filter sizes": lambda: tf.nn.conv2d_backprop_filter(X, [None, 2, 3, 4], DY,
                                                                  [1, 1, 1, 1], "VALID"),
    "transpose stride 0": lambda: tf.nn.conv2d_transpose(DY, W, [2, 5, 5, 3], [1, 0, 1, 1],
                                                         "VALID"),
    "transpose bad output shape": lambda: tf.nn.conv2d_transpose(DY, W, [2, 9, 9, 3],
                                                                 [1, 1, 1, 1], "VALID"),
    "batch norm NaN epsilon": lambda: tf.nn.fused_batch_norm(X, ONES3, ZEROS3,
                                                             epsilon=float("nan")),
    "batch norm NCHW": lambda: tf.nn.fused_batch_norm(X, ONES3, ZEROS3, data_format="NCHW"),
    "batch norm inference without stats": lambda: tf.nn.fused_batch_norm(X, ONES3, ZEROS3,
                                                                         is_training=False),
    "bias_add NCHW": lambda: tf.nn.bias_add(X, ONES3, data_format="NCHW"),
    "leaky_relu alpha": lambda: tf.nn.leaky_relu(X, alpha="big"),
    "in_top_k k": lambda: tf.nn.in_top_k(np.ones((2, 3), np.float32), [0, 1], k=1.5),
    "xent zero classes": lambda: tf.nn.softmax_cross_entropy_with_logits(
        labels=np.ones((3, 0), np.float32), logits=np.ones((3, 0), np.float32)),
    "sparse xent zero classes": lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=np.zeros(3, np.int32), logits=np.ones((3, 0), np.float32)),
    "sparse xent positional": lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(
        np.zeros(3, np.int32)),
    "dropout keep_prob": lambda: tf.nn.dropout(X, keep_prob=1.5),
    "dropout of ints": lambda: tf.nn.dropout(np.ones(3, np.int32), keep_prob=0.5),
}


@pytest.mark.parametrize("case", sorted(BAD_BUILDS))
def test_bad_attributes_fail_where_built_naming_the_op_and_line(case):
    build = BAD_BUILDS[case]
    with pytest.raises(GraphflowError) as info:
        build()
    message = str(info.value)
    assert f"{__file__}:{build.__code__.co_firstlineno}" in message, message
    assert "built at" in message or "called at" in message, message


# --- attributes that bypass inference, run in a subprocess so a crash cannot take pytest down ---
RUNNER = """
import numpy as np, graphflow as tf
from graphflow.errors import GraphflowError
X = np.arange(2 * 5 * 5 * 3, dtype=np.float32).reshape(2, 5, 5, 3)
W = np.ones((2, 2, 3, 4), np.float32)

def nodes(op_type):
    return [n for n in tf.get_default_graph().get_operations() if n.type == op_type]

def pool(kind):
    x = tf.constant(X)
    fn = tf.nn.max_pool if kind.startswith("Max") else tf.nn.avg_pool
    y = fn(x, [1, 2, 2, 1], [1, 1, 1, 1], "SAME")
    if kind in ("MaxPool", "AvgPool"):
        return y
    g = tf.gradients(tf.reduce_sum(y * y), x)[0]
    if kind == "MaxPoolGradGrad":
        return tf.gradients(tf.reduce_sum(g * g), x)[0]
    return g

def conv(kind):
    x, w = tf.constant(X), tf.constant(W)
    y = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    if kind == "Conv2D":
        return y
    return tf.gradients(tf.reduce_sum(y * y), x if kind == "Conv2DBackpropInput" else w)[0]

def other(kind):
    if kind == "FusedBatchNorm":
        return tf.nn.fused_batch_norm(X, np.ones(3, np.float32), np.zeros(3, np.float32))[0]
    if kind == "LeakyRelu":
        return tf.nn.leaky_relu(tf.constant(X))
    if kind == "InTopK":
        return tf.nn.in_top_k(np.ones((2, 3), np.float32), [0, 1], k=1)
    if kind in ("Softmax", "LogSoftmax"):
        return (tf.nn.softmax if kind == "Softmax" else tf.nn.log_softmax)(tf.constant(X))
    return tf.nn.bias_add(tf.constant(X), np.ones(3, np.float32))

for kind, attrs in CASES:
    for executor in ("cpu", "reference"):
        tf.reset_default_graph()
        build = pool if "Pool" in kind else conv if "Conv" in kind else other
        y = build(kind)
        for node in nodes(kind):
            node.op.attrs.update(attrs)
        try:
            with tf.Session(executor=executor) as sess:
                sess.run(y)
            print("NO ERROR", kind, attrs, executor)
        except GraphflowError as err:
            first = str(err).splitlines()[0]
            print("CLEAN" if kind in first else "UNNAMED", kind, attrs, executor, "|", first)
        except Exception as err:
            print("RAW", kind, attrs, executor, type(err).__name__, err)
"""

EXPLICIT_BIG = ((0, 0), (5, 5), (0, 0), (0, 0))
EXPLICIT_NEG = ((0, 0), (-1, 0), (0, 0), (0, 0))
POOL_EDITS = [{"ksize": (1, 0, 2, 1)}, {"ksize": (1, -3, 2, 1)}, {"ksize": (1, 2, 2, 2)},
              {"ksize": (2, 2, 2, 1)}, {"ksize": "abc"}, {"ksize": None},
              {"strides": (1, 0, 1, 1)}, {"strides": (1, -2, 1, 1)},
              {"padding": "VALID", "ksize": (1, 7, 7, 1)}, {"padding": EXPLICIT_BIG},
              {"padding": EXPLICIT_NEG}, {"padding": "BAD"}, {"data_format": "NCHW"}]
CONV_EDITS = [{"strides": (1, 0, 1, 1)}, {"strides": (1, -1, 1, 1)}, {"strides": (1, 1)},
              {"dilations": (1, 0, 1, 1)}, {"dilations": (1, -4, 1, 1)},
              {"padding": EXPLICIT_NEG}, {"padding": ((0, 0), (1, 1))}, {"padding": 3},
              {"data_format": "NCHW"}, {"dilations": (1, 9, 9, 1), "padding": "VALID"}]
GROUPS = {
    "max_pool": [(k, e) for k in ("MaxPool", "MaxPoolGrad", "MaxPoolGradGrad") for e in POOL_EDITS],
    "avg_pool": [(k, e) for k in ("AvgPool", "AvgPoolGrad") for e in POOL_EDITS]
    + [("AvgPoolGrad", {"orig_input_shape": (None, 99, 99, 3)}),
       ("AvgPoolGrad", {"orig_input_shape": (None, 5, 5)}),
       ("AvgPoolGrad", {"orig_input_shape": (None, 5, 5, 7)})],
    "conv": [(k, e) for k in ("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter")
             for e in CONV_EDITS]
    + [("Conv2DBackpropInput", {"input_sizes": (None, 99, 99, 3)}),
       ("Conv2DBackpropFilter", {"filter_sizes": (9, 9, 3, 4), "padding": "VALID"}),
       ("Conv2DBackpropInput", {"input_sizes": (None, 5, 5, 8)}),
       ("Conv2DBackpropFilter", {"filter_sizes": (0, 2, 3, 4)})],
    "others": [("FusedBatchNorm", {"epsilon": "x"}), ("FusedBatchNorm", {"epsilon": -1.0}),
               ("FusedBatchNorm", {"data_format": "NCHW"}), ("LeakyRelu", {"alpha": "x"}),
               ("LeakyRelu", {"alpha": float("nan")}), ("InTopK", {"k": "one"}),
               ("Softmax", {"axis": "last"}), ("LogSoftmax", {"axis": 9}),
               ("BiasAdd", {"data_format": "NCHW"})],
}


def run_cases(cases) -> list[str]:
    script = f"nan = float('nan')\nCASES = {cases!r}\n" + textwrap.dedent(RUNNER)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, (f"the run crashed (rc {done.returncode}); last lines:\n"
                                  + done.stdout[-2000:] + done.stderr[-3000:])
    return done.stdout.splitlines()


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_attributes_edited_after_building_give_clean_errors_on_every_executor(group):
    lines = run_cases(GROUPS[group])
    assert len(lines) == 2 * len(GROUPS[group]), lines
    bad = [line for line in lines if not line.startswith("CLEAN")]
    assert not bad, "\n".join(bad)
