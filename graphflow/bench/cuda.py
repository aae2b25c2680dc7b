"""GPU benchmarks of the cuda executor (run by scripts/gpu_check.sh on a machine with a GPU).

`python -m graphflow.bench.cuda --json FILE` times, on the same GPU in the same run:
- W2 at 100M float32 elements: y = tanh(x*0.7 + 0.1) * sigmoid(x) - 0.5*x with x a device
  variable, fetching max(y) (so nothing large crosses the bus): seconds, and the bandwidth of the
  bytes the fused kernel must move (x read, y written), next to a device-to-device copy measured
  with cupy;
- W3 (MLP 784-256-10 SGD step) and W4 (LeNet-5 SGD step) at batch 128 and 4096, against PyTorch
  eager (when importable) on the same device; every timed call ends with a device synchronise;
- cold start: the LeNet training plan's first run (render, NVRTC compile, allocate) and the
  compile of its module alone.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

import graphflow as gf
from graphflow.bench.lenet import build_graph, init_params
from graphflow.bench.timing import measure


def _sync():
    import cupy

    cupy.cuda.Device().synchronize()


def w2(n: int = 100_000_000) -> dict:
    import cupy

    x_val = np.random.default_rng(0).standard_normal(n, dtype=np.float32)
    g = gf.Graph()
    with g.as_default():
        x = gf.Variable(x_val)
        y = gf.tanh(x * 0.7 + 0.1) * gf.sigmoid(x) - 0.5 * x
        peak = gf.reduce_max(y)
    sess = gf.Session(graph=g, executor="cuda")
    sess.run(gf.global_variables_initializer())
    seconds = measure(lambda: sess.run(peak), min_time=0.2, repeats=5)
    a = cupy.asarray(x_val)
    b = cupy.empty_like(a)

    def copy():
        b[...] = a
        _sync()

    copy_s = measure(copy, min_time=0.2, repeats=5)
    return {"n": n, "seconds": seconds, "kernel_bytes": 2 * 4 * n,
            "copy_bandwidth_GBps": 2 * 4 * n / copy_s / 1e9,
            "w2_bandwidth_GBps_lower_bound": 2 * 4 * n / seconds / 1e9,
            "note": "seconds include the max reduction and the fetch of one scalar"}


def _mlp_graph(batch):
    rng = np.random.default_rng(0)
    w1 = (rng.standard_normal((784, 256)) * 0.05).astype(np.float32)
    w2_ = (rng.standard_normal((256, 10)) * 0.05).astype(np.float32)
    xs = rng.standard_normal((batch, 784)).astype(np.float32)
    ys = np.eye(10, dtype=np.float32)[rng.integers(0, 10, batch)]
    g = gf.Graph()
    with g.as_default():
        x = gf.placeholder(gf.float32, [batch, 784])
        y = gf.placeholder(gf.float32, [batch, 10])
        v1, v2 = gf.Variable(w1), gf.Variable(w2_)
        b1, b2 = gf.Variable(np.zeros(256, np.float32)), gf.Variable(np.zeros(10, np.float32))
        logits = gf.matmul(gf.nn.relu(gf.matmul(x, v1) + b1), v2) + b2
        loss = gf.reduce_mean(gf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
        step = gf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return g, x, y, step, xs, ys


def _graphflow_step(g, x, y, step, xs, ys):
    sess = gf.Session(graph=g, executor="cuda")
    sess.run(gf.global_variables_initializer())
    call = sess.make_callable(step, [x, y])

    def run():
        call(xs, ys)
        _sync()

    return run


def _torch_mlp(batch):
    import torch

    dev = torch.device("cuda")
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 10)).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    xs = torch.randn(batch, 784, device=dev)
    ys = torch.randint(0, 10, (batch,), device=dev)
    return _torch_step(model, opt, xs, ys)


def _torch_lenet(batch):
    import torch

    nn, dev = torch.nn, torch.device("cuda")
    model = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5),
                          nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(256, 120),
                          nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10)).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    xs = torch.rand(batch, 1, 28, 28, device=dev)
    ys = torch.randint(0, 10, (batch,), device=dev)
    return _torch_step(model, opt, xs, ys)


def _torch_step(model, opt, xs, ys):
    import torch

    def run():
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(model(xs), ys).backward()
        opt.step()
        torch.cuda.synchronize()

    return run


def _lenet_graph(batch):
    rng = np.random.default_rng(0)
    params = init_params(rng)
    xs = rng.random((batch, 28, 28, 1), dtype=np.float32)
    ys = np.eye(10, dtype=np.float32)[rng.integers(0, 10, batch)]
    g = gf.Graph()
    with g.as_default():
        x, y, _, train = build_graph(params, batch)
    return g, x, y, train, xs, ys


def steps() -> list:
    rows = []
    try:
        import torch

        has_torch = torch.cuda.is_available()
    except ImportError:
        has_torch = False
    for name, graph_of, torch_of in (("W3 MLP step", _mlp_graph, _torch_mlp),
                                     ("W4 LeNet step", _lenet_graph, _torch_lenet)):
        for batch in (128, 4096):
            row = {"workload": name, "batch": batch,
                   "graphflow_cuda_s": measure(_graphflow_step(*graph_of(batch)))}
            if has_torch:
                row["pytorch_eager_s"] = measure(torch_of(batch))
                row["ratio"] = row["graphflow_cuda_s"] / row["pytorch_eager_s"]
            rows.append(row)
    return rows


def cold_start(batch: int = 128) -> dict:
    from graphflow.executors.cuda.backend import CupyBackend
    from graphflow.executors.cuda.codegen import render_steps
    from graphflow.executors.cuda.executor import generated_steps

    g, x, y, train, xs, ys = _lenet_graph(batch)
    sess = gf.Session(graph=g, executor="cuda")
    sess.run(gf.global_variables_initializer())
    start = time.perf_counter()
    sess.run(train, {x: xs, y: ys})
    _sync()
    first = time.perf_counter() - start
    (signature,) = [s for s in set(sess._signatures.values()) if s.runnables]
    plan = next(iter(signature.runnables.values())).plan
    module = render_steps(generated_steps(plan))
    start = time.perf_counter()
    CupyBackend().compile(module).raw.get_function(next(iter(module.kernels)))
    return {"first_run_s": first, "module_compile_s": time.perf_counter() - start,
            "kernels": len(module.kernels)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args(argv)
    ok, why = gf.executors.executor_status()["cuda"]
    if not ok:
        print(f"cuda executor not available: {why}")
        return 2
    figures = {"W2": w2(), "steps": steps(), "cold_start": cold_start()}
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
