"""Draw the example models into docs/images/ (the pictures the README and the docs show).

    .venv/bin/python scripts/make_pictures.py [--out docs/images] [--check]

Needs graphviz's `dot` (scripts/setup.sh installs it). `--check` only reports which pictures are
out of date with the current DOT text (kept beside each SVG as `<name>.dot`), and exits 1 if any.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples"))

import graphflow as tf  # noqa: E402
from graphflow.viz import render, to_dot  # noqa: E402


def digits_training() -> dict:
    """examples/digits_mlp.py's model with its Adam step, as drawn by default."""
    from digits_mlp import build

    tf.reset_default_graph()
    _, _, loss, _ = build()
    step = tf.train.AdamOptimizer(0.005).minimize(loss)
    return {"fetches": [step],
            "title": "digits MLP: one Adam training step (gradients, Adam and each variable's "
                     "initializer and slots folded, as by default)"}


def mlp_adam() -> dict:
    """Issue 16's example: a 3-layer MLP whose Adam training sits under name_scope("train")."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 64], name="images")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    h = tf.layers.dense(x, 128, activation=tf.nn.relu, name="dense1")
    h = tf.layers.dense(h, 64, activation=tf.nn.relu, name="dense2")
    logits = tf.layers.dense(h, 10, name="logits")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits), name="loss")
    with tf.name_scope("train"):
        tf.train.AdamOptimizer(0.01).minimize(loss)
    graph = tf.get_default_graph()
    return {"graph": graph, "title": f"3-layer MLP trained with Adam: {len(graph)} ops, "
                                     "drawn with the default collapse_scopes=\"auto\""}


def digits_forward() -> dict:
    """The same model's forward pass only: what the loss and accuracy need."""
    from digits_mlp import build

    tf.reset_default_graph()
    _, _, loss, accuracy = build()
    return {"fetches": [loss, accuracy], "title": "digits MLP: loss and accuracy"}


def digits_plan() -> dict:
    """The compiled plan of one evaluation run: slots on edges, the training half greyed."""
    from digits_mlp import build

    tf.reset_default_graph()
    x, labels, loss, accuracy = build()
    with tf.Session(executor="cpu") as session:  # the same picture whatever GRAPHFLOW_EXECUTOR
        plan = session.compiled_plan(loss, {x: np.zeros((64, 64), np.float32),
                                            labels: np.zeros(64, np.int64)})
    return {"fetches": [loss, accuracy], "plan": plan,
            "title": f"digits MLP: the plan for run(loss), {len(plan.steps)} steps"}


def planar_flower() -> dict:
    """examples/planar_flower.py's 2-4-1 network and its gradient-descent step, in full."""
    tf.reset_default_graph()
    W1 = tf.Variable(np.zeros((4, 2)), name="W1")
    b1 = tf.Variable(np.zeros((4, 1)), name="b1")
    W2 = tf.Variable(np.zeros((1, 4)), name="W2")
    b2 = tf.Variable(np.zeros((1, 1)), name="b2")
    x = tf.placeholder(tf.float64, [2, None], name="X")
    y = tf.placeholder(tf.float64, [1, None], name="Y")
    A1 = tf.tanh(tf.matmul(W1, x) + b1)
    Z2 = tf.matmul(W2, A1) + b2
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=Z2))
    tf.train.GradientDescentOptimizer(1.2).minimize(loss)
    return {"graph": tf.get_default_graph(), "collapse_scopes": False,
            "title": "planar flower: 2-4-1 network, every gradient op and update"}


def miniflow() -> dict:
    """examples/miniflow_regression.py's two-layer regression, gradients collapsed."""
    tf.reset_default_graph()
    W1 = tf.Variable(np.zeros((13, 10)), name="W1")
    b1 = tf.Variable(np.zeros(10), name="b1")
    W2 = tf.Variable(np.zeros((10, 1)), name="W2")
    b2 = tf.Variable(np.zeros(1), name="b2")
    X = tf.placeholder(tf.float64, [None, 13], name="X")
    y = tf.placeholder(tf.float64, [None], name="y")
    hidden = tf.sigmoid(tf.matmul(X, W1) + b1)
    output = tf.matmul(hidden, W2) + b2
    cost = tf.reduce_mean(tf.square(tf.reshape(y, [-1, 1]) - output))
    tf.train.GradientDescentOptimizer(0.01).minimize(cost)
    return {"graph": tf.get_default_graph(), "collapse_scopes": ["gradients"],
            "title": "MiniFlow regression (gradients collapsed)"}


PICTURES = {
    "digits_mlp": digits_training,
    "digits_mlp_forward": digits_forward,
    "digits_mlp_plan": digits_plan,
    "mlp_adam": mlp_adam,
    "planar_flower": planar_flower,
    "miniflow_regression": miniflow,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "images"))
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a stored picture's DOT text differs from the current")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stale = []
    for name, make in PICTURES.items():
        options = make()
        graph = options.pop("graph", None)
        text = to_dot(graph, **options)
        dot_file = out / f"{name}.dot"
        if args.check:
            if not dot_file.exists() or dot_file.read_text() != text:
                stale.append(name)
            continue
        dot_file.write_text(text)
        svg = render(text, out / f"{name}.svg")
        print(f"wrote {svg.relative_to(ROOT) if svg.is_relative_to(ROOT) else svg} "
              f"({svg.stat().st_size // 1024} KiB)")
    if stale:
        print(f"out of date: {', '.join(stale)} (run scripts/make_pictures.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
