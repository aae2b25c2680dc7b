"""Record TF1's training steps of the std-1 MLP (784-256-256-10, Adam 1e-3) for the agreement test.

The tutorial behind issue #11 item 10 draws every weight and bias from `tf.random_normal`
(stddev 1), so its logits are in the hundreds or thousands and its loss in the thousands. To
compare graphflow with TF step by step both must start from the same weights and see the same
batches, so the inputs are made once, with graphflow's venv, and TF is run on them:

    .venv/bin/python scripts/record_tf1_mlp.py inputs /tmp/mlp_inputs.npz
    /work/tfvenv/bin/python scripts/record_tf1_mlp.py record /tmp/mlp_inputs.npz

The second step writes tests/compat/data/mlp_tf1_steps.json (TF's float32 loss at every step, the
gradients' norms at the first step, each variable's sum and norm after the last step, and the
softmax cross-entropy and its gradient at logits of +-300); tests/compat/test_mlp_tf1.py checks
graphflow against it. tensorflow is imported only in `record`, graphflow only in `inputs`.
"""

from __future__ import annotations

import json
import os
import pathlib
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "compat" / "data" / "mlp_tf1_steps.json"
SIZES = (784, 256, 256, 10)
EXAMPLES, BATCH, EPOCHS, SEED = 300, 100, 3, 1234
XENT_LOGITS = [[300.0, -300.0, 0.0], [-300.0, 300.0, 299.5], [250.0, 250.0, -250.0]]
XENT_LABELS = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.5, 0.5, 0.0]]


def mlp_inputs():
    """(x, y one-hot, [w1, b1, w2, b2, w3, b3]): the first digits as 28x28 images, and weights
    and biases drawn as the tutorial's random_normal does (stddev 1), from a fixed NumPy seed."""
    from graphflow.datasets import load_digits_images

    images, labels = load_digits_images(28)
    x = images[:EXAMPLES].reshape(EXAMPLES, -1)
    y = np.eye(10, dtype=np.float32)[labels[:EXAMPLES]]
    rng = np.random.default_rng(SEED)
    params = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        params += [rng.standard_normal((fan_in, fan_out)).astype(np.float32),
                   rng.standard_normal(fan_out).astype(np.float32)]
    return x, y, params


def batches():
    """The batch index ranges in order: EPOCHS passes over the examples, unshuffled."""
    return [(b, b + BATCH) for _ in range(EPOCHS) for b in range(0, EXAMPLES, BATCH)]


def fingerprint(arrays) -> list:
    """Per array: [sum, L2 norm] in float64, to tell whether two runs saw the same inputs."""
    return [[float(np.sum(a, dtype=np.float64)), float(np.linalg.norm(a.astype(np.float64)))]
            for a in arrays]


def record(inputs_path: str) -> dict:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    data = np.load(inputs_path)
    x_val, y_val = data["x"], data["y"]
    params = [data[f"p{i}"] for i in range(6)]
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, SIZES[0]])
        y = tf.placeholder(tf.float32, [None, SIZES[-1]])
        variables = [tf.Variable(p) for p in params]
        h = x
        for i in range(3):
            h = tf.matmul(h, variables[2 * i]) + variables[2 * i + 1]
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=h, labels=y))
        opt = tf.train.AdamOptimizer(learning_rate=0.001)
        # compute_gradients gates each op's gradients (GATE_OP, minimize's default): with bare
        # tf.gradients TF may apply W2's update before W1's gradient has read W2, which makes
        # TF's own runs differ from each other (graphflow reads every variable before updates)
        pairs = opt.compute_gradients(loss, variables)
        grads = [g for g, _ in pairs]
        train = opt.apply_gradients(pairs)
        logits = tf.constant(XENT_LOGITS)
        labels = tf.constant(XENT_LABELS)
        xent = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
        xent_grad = tf.gradients(xent, logits)[0]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses, first_grads, first_logits = [], None, None
            for lo, hi in batches():
                feed = {x: x_val[lo:hi], y: y_val[lo:hi]}
                if first_grads is None:
                    first_grads = [float(np.linalg.norm(g)) for g in sess.run(grads, feed)]
                    first_logits = float(np.abs(sess.run(h, feed)).max())
                losses.append(float(sess.run([loss, train], feed)[0]))
            final = fingerprint(sess.run(variables))
            xent_value, xent_gradient = sess.run([xent, xent_grad])
    return {"tensorflow_version": tf.__version__, "inputs": fingerprint([x_val, y_val, *params]),
            "losses": losses, "first_step_gradient_norms": first_grads,
            "first_step_max_abs_logit": first_logits, "final_variables": final,
            "xent_logits": XENT_LOGITS, "xent_labels": XENT_LABELS,
            "xent": xent_value.tolist(), "xent_gradient": xent_gradient.tolist()}


def main(argv) -> int:
    if len(argv) != 3 or argv[1] not in ("inputs", "record"):
        print(__doc__)
        return 2
    if argv[1] == "inputs":
        x, y, params = mlp_inputs()
        np.savez(argv[2], x=x, y=y, **{f"p{i}": p for i, p in enumerate(params)})
        print(f"wrote {argv[2]}")
        return 0
    result = record(argv[2])
    OUT.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
