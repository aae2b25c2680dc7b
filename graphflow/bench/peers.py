"""The peer frameworks, timed on the same workloads in the same process when they are installed
(`pip install .[bench]`): PyTorch eager, JAX jit, TensorFlow's compat.v1 graph mode and PyTensor.
Each result is checked against the NumPy baseline like graphflow's; a peer not installed is
skipped.
"""

from __future__ import annotations

import numpy as np

from graphflow.bench.timing import measure, measure_once


def _import(name):
    try:
        return __import__(name)
    except ImportError:
        return None


def _torch():
    return _import("torch")


def torch_rows(workload: str) -> list:
    """Rows for `workload` ("W1".."W5") with PyTorch eager, or [] when torch is missing."""
    torch = _torch()
    if torch is None:
        return []
    from graphflow.bench.workloads import Row, _check

    torch.manual_seed(0)
    if workload == "W1":
        x = torch.ones(1)
        _check((x * 2 + 1).numpy(), np.full(1, 3.0), "torch W1")
        return [Row("W1 run", "pytorch eager", measure(lambda: x * 2 + 1))]
    if workload == "W2":
        x = torch.from_numpy(np.random.default_rng(0).standard_normal(1_000_000)
                             .astype(np.float32))

        def w2():
            return torch.tanh(x * 0.7 + 0.1) * torch.sigmoid(x) - 0.5 * x

        xn = x.numpy()
        expected = np.tanh(xn * 0.7 + 0.1) / (1 + np.exp(-xn)) - 0.5 * xn
        _check(w2().numpy(), expected, "torch W2")
        return [Row("W2 elementwise 1M", "pytorch eager", measure(w2))]
    if workload == "W3":
        from graphflow.bench.workloads import NumpyMLP, _mlp_data

        x, labels, w1, w2 = _mlp_data()
        params = [torch.tensor(w1, requires_grad=True), torch.zeros(256, requires_grad=True),
                  torch.tensor(w2, requires_grad=True), torch.zeros(10, requires_grad=True)]
        opt = torch.optim.SGD(params, lr=0.1)
        xt, yt = torch.from_numpy(x), torch.from_numpy(labels)

        def step():
            opt.zero_grad(set_to_none=True)
            logits = torch.relu(xt @ params[0] + params[1]) @ params[2] + params[3]
            loss = torch.nn.functional.cross_entropy(logits, yt)
            loss.backward()
            opt.step()
            return loss

        _check(float(step().detach()), float(NumpyMLP(w1, w2).step(x, labels)), "torch W3",
               rtol=1e-5)
        return [Row("W3 MLP step", "pytorch eager", measure(step))]
    if workload == "W4":
        from graphflow.bench.lenet import LR, init_params

        rng = np.random.default_rng(0)
        p = [torch.tensor(a, requires_grad=True) for a in init_params(rng)]
        xs = torch.from_numpy(rng.random((64, 28, 28, 1), dtype=np.float32)).permute(0, 3, 1, 2)
        ys = torch.from_numpy(np.eye(10, dtype=np.float32)[rng.integers(0, 10, 64)])
        opt = torch.optim.SGD(p, lr=LR)
        f = torch.nn.functional

        def step():
            opt.zero_grad(set_to_none=True)
            a = xs
            for w, b in ((p[0], p[1]), (p[2], p[3])):
                a = f.max_pool2d(torch.relu(f.conv2d(a, w.permute(3, 2, 0, 1), b)), 2)
            a = a.permute(0, 2, 3, 1).reshape(64, 256)
            a = torch.relu(a @ p[4] + p[5])
            a = torch.relu(a @ p[6] + p[7])
            loss = f.cross_entropy(a @ p[8] + p[9], ys)
            loss.backward()
            opt.step()
            return loss

        step()
        return [Row("W4 LeNet step", "pytorch eager", measure(step))]
    if workload == "W5":
        def build_and_run():
            x = torch.linspace(-1, 1, 16, requires_grad=True)
            y = x
            for i in range(1000):
                y = y + 0.01 if i % 3 == 0 else y * 0.999 if i % 3 == 1 else torch.tanh(y)
            (g,) = torch.autograd.grad(y.sum(), x)
            return y, g

        build_and_run()
        return [Row("W5 build+grad+run", "pytorch eager", measure_once(build_and_run))]
    return []


def peer_rows(workload: str) -> list:
    """Every installed peer's rows for `workload`."""
    from graphflow.bench.peers_graph import jax_rows, pytensor_rows, tf1_rows

    return (torch_rows(workload) + jax_rows(workload) + tf1_rows(workload)
            + pytensor_rows(workload))
