"""Peak resident memory of W3 and W4, each variant in a fresh process.

The number reported is the growth of the peak over the process's state after imports, so the
interpreter and libraries do not dilute the comparison. The peak is Linux's VmHWM, which starts
afresh at exec (ru_maxrss does not: it keeps the forking parent's high-water mark).
"""

from __future__ import annotations

import json
import subprocess
import sys

_CHILD = r"""
import json, resource, sys
import numpy as np

def high_water_kib():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

import graphflow as gf
from graphflow.bench import workloads as w
from graphflow.bench.lenet import build_graph, init_params, numpy_step

workload, variant = sys.argv[1], sys.argv[2]
base = high_water_kib()
rng = np.random.default_rng(0)
if workload == "W3":
    x, labels, w1, w2 = w._mlp_data()
    if variant == "numpy":
        m = w.NumpyMLP(w1, w2)
        step = lambda: m.step(x, labels)
    else:
        xs = gf.placeholder(gf.float32, [None, 784]); ys = gf.placeholder(gf.float32, [None, 10])
        v1, v2 = gf.Variable(w1), gf.Variable(w2)
        b1, b2 = gf.Variable(np.zeros(256, np.float32)), gf.Variable(np.zeros(10, np.float32))
        logits = gf.matmul(gf.nn.relu(gf.matmul(xs, v1) + b1), v2) + b2
        loss = gf.reduce_mean(gf.nn.softmax_cross_entropy_with_logits(labels=ys, logits=logits))
        train = gf.train.GradientDescentOptimizer(0.1).minimize(loss)
        sess = gf.Session(executor=variant)
        sess.run(gf.global_variables_initializer())
        call = sess.make_callable(train, [xs, ys])
        step = lambda: call(x, labels)
else:
    params = init_params(rng)
    xs = rng.random((64, 28, 28, 1), dtype=np.float32)
    ys = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 64)]
    if variant == "numpy":
        state = [p.copy() for p in params]
        step = lambda: numpy_step(state, xs, ys)
    else:
        x, y, _, train = build_graph(params, 64)
        sess = gf.Session(executor=variant)
        sess.run(gf.global_variables_initializer())
        call = sess.make_callable(train, [x, y])
        step = lambda: call(xs, ys)
for _ in range(20):
    step()
peak = high_water_kib()
print(json.dumps({"kib": peak - base}))
"""


def peak_growth_kib(workload: str, variant: str) -> int:
    out = subprocess.run([sys.executable, "-c", _CHILD, workload, variant], capture_output=True,
                         text=True, check=True, timeout=600)
    return json.loads(out.stdout.strip().splitlines()[-1])["kib"]


def memory_table(executors=("cpu",)) -> str:
    lines = [f"{'workload':<10} {'variant':<22} {'peak growth':>12} {'x NumPy':>9}", "-" * 56]
    for workload in ("W3", "W4"):
        base = peak_growth_kib(workload, "numpy")
        lines.append(f"{workload:<10} {'numpy':<22} {base:>9} KiB {1.0:>9.2f}")
        for ex in executors:
            kib = peak_growth_kib(workload, ex)
            lines.append(f"{workload:<10} {'graphflow/' + ex:<22} {kib:>9} KiB "
                         f"{kib / max(base, 1):>9.2f}")
    return "\n".join(lines)
