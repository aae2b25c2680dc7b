"""What `import graphflow.compat.v1 as tf` costs per training step: the same MLP built through
the compat module and through graphflow itself, each step timed as a median of many (no test
asserts on these figures; run `python bench/compat_overhead.py [--executor cpu] [--batch 128]`).

compat.v1 only forwards names to graphflow, so both graphs hold the same ops and `Session.run`
takes the same path; the figures show that. Before timing, five steps from the same start must
give both the same losses.
"""

from __future__ import annotations

import argparse
import importlib
import sys

import numpy as np

from graphflow.bench.timing import measure


def build(module_name: str, model: str, batch: int, executor: str | None):
    """`model` written as a TF1 tutorial writes it against `tf`: "mlp", a 784-256-128-10 relu
    MLP with Adam, or "toy", the course's scalar quadratic (where per-run overhead dominates)."""
    tf = importlib.import_module(module_name)
    rng = np.random.RandomState(0)
    graph = tf.Graph()
    with graph.as_default():
        if model == "toy":
            w = tf.Variable(0, dtype=tf.float32)
            cost = tf.add(tf.add(w**2, tf.multiply(-10., w)), 25)
            train = tf.train.GradientDescentOptimizer(0.01).minimize(cost)
            sess = tf.Session(graph=graph, executor=executor) if executor else \
                tf.Session(graph=graph)
            sess.run(tf.global_variables_initializer())
            return sess, lambda: sess.run([train, cost])
        x = tf.placeholder(tf.float32, [None, 784])
        y = tf.placeholder(tf.float32, [None, 10])
        h = x
        for n_in, n_out in ((784, 256), (256, 128)):
            W = tf.Variable((rng.randn(n_in, n_out) * 0.05).astype(np.float32))
            b = tf.Variable(tf.zeros([n_out]))
            h = tf.nn.relu(tf.matmul(h, W) + b)
        W = tf.Variable((rng.randn(128, 10) * 0.05).astype(np.float32))
        logits = tf.matmul(h, W) + tf.Variable(tf.zeros([10]))
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
        train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=graph, executor=executor) if executor else tf.Session(graph=graph)
    sess.run(init)
    xs = rng.rand(batch, 784).astype(np.float32)
    ys = np.eye(10, dtype=np.float32)[rng.randint(0, 10, batch)]
    feed = {x: xs, y: ys}
    return sess, lambda: sess.run([train_op, loss], feed)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executor", default=None, help="executor name (default: cpu)")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=3, help="alternating timing rounds")
    args = parser.parse_args(argv)
    import graphflow
    import graphflow.compat.v1 as v1

    shared = all(getattr(v1, n) is getattr(graphflow, n)
                 for n in ("Session", "placeholder", "Variable", "matmul", "nn", "train"))
    print(f"compat.v1's Session, placeholder, Variable, matmul, nn and train are graphflow's own "
          f"objects: {shared}")
    same = shared
    for model in ("toy", "mlp"):
        same &= compare(model, args)
    return 0 if same else 1


def compare(model: str, args) -> bool:
    sessions = {name: build(name, model, args.batch, args.executor)
                for name in ("graphflow", "graphflow.compat.v1")}
    first = {name: [float(step()[1]) for _ in range(5)] for name, (_, step) in sessions.items()}
    same = np.allclose(first["graphflow"], first["graphflow.compat.v1"], rtol=1e-6, atol=0)
    times = {name: [] for name in sessions}
    for _ in range(args.rounds):  # alternate, so machine noise hits both sides alike
        for name, (_, step) in sessions.items():
            times[name].append(measure(step, min_time=0.2, repeats=7))
    base = min(times["graphflow"])
    what = "toy quadratic, gradient descent" if model == "toy" else \
        f"MLP 784-256-128-10, Adam, batch {args.batch}"
    print(f"{what}, executor {args.executor or 'default'}: median time per training step, "
          f"best of {args.rounds} rounds")
    for name in sessions:
        best = min(times[name])
        print(f"  import {name + ' as tf':<32} {best * 1e6:9.1f} us   ({best / base:.3f}x)   "
              f"first losses {', '.join(f'{v:.6f}' for v in first[name])}")
    print("same graph, same steps: the losses agree" if same else "THE LOSSES DIFFER")
    for sess, _ in sessions.values():
        sess.close()
    return same


if __name__ == "__main__":
    sys.exit(main())
