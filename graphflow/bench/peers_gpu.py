"""PyTorch eager on the GPU, the peer of `graphflow bench --executors cuda` for W2, W3 and W4.

The same workloads as the CPU peers (peers.py), with every tensor on `cuda:0` and every timed
call ending with `torch.cuda.synchronize()`. W2's input stays on the device, as in the
"graphflow/cuda resident" row; each result is checked against the NumPy baseline. No rows when
PyTorch is missing or sees no GPU.
"""

from __future__ import annotations

import numpy as np

from graphflow.bench.timing import measure

VARIANT = "pytorch eager cuda"


def _torch_cuda():
    try:
        import torch
    except ImportError:
        return None
    return torch if torch.cuda.is_available() else None


def torch_gpu_rows(workload: str) -> list:
    """Rows for `workload` with PyTorch eager on the GPU, or [] without one."""
    torch = _torch_cuda()
    if torch is None or workload not in ("W2", "W3", "W4"):
        return []
    from graphflow.bench.workloads import Row, _check

    dev = torch.device("cuda")

    def timed(fn):
        def call():
            result = fn()
            torch.cuda.synchronize()
            return result

        return measure(call)

    if workload == "W2":
        xn = np.random.default_rng(0).standard_normal(1_000_000).astype(np.float32)
        x = torch.from_numpy(xn).to(dev)

        def w2():
            return torch.tanh(x * 0.7 + 0.1) * torch.sigmoid(x) - 0.5 * x

        expected = np.tanh(xn * 0.7 + 0.1) / (1 + np.exp(-xn)) - 0.5 * xn
        _check(w2().cpu().numpy(), expected, "torch cuda W2")
        return [Row("W2 elementwise 1M", VARIANT, timed(w2), "input on the device")]
    if workload == "W3":
        from graphflow.bench.workloads import NumpyMLP, _mlp_data

        x, labels, w1, w2 = _mlp_data()
        params = [torch.tensor(a, device=dev, requires_grad=True)
                  for a in (w1, np.zeros(256, np.float32), w2, np.zeros(10, np.float32))]
        opt = torch.optim.SGD(params, lr=0.1)
        xt, yt = torch.from_numpy(x).to(dev), torch.from_numpy(labels).to(dev)

        def step():
            opt.zero_grad(set_to_none=True)
            logits = torch.relu(xt @ params[0] + params[1]) @ params[2] + params[3]
            loss = torch.nn.functional.cross_entropy(logits, yt)
            loss.backward()
            opt.step()
            return loss

        _check(float(step().detach().cpu()), float(NumpyMLP(w1, w2).step(x, labels)),
               "torch cuda W3", rtol=1e-4)
        return [Row("W3 MLP step", VARIANT, timed(step))]
    from graphflow.bench.lenet import LR, init_params

    rng = np.random.default_rng(0)
    p = [torch.tensor(a, device=dev, requires_grad=True) for a in init_params(rng)]
    xs = torch.from_numpy(rng.random((64, 28, 28, 1), dtype=np.float32)).to(dev)
    xs = xs.permute(0, 3, 1, 2)
    ys = torch.from_numpy(np.eye(10, dtype=np.float32)[rng.integers(0, 10, 64)]).to(dev)
    opt = torch.optim.SGD(p, lr=LR)
    f = torch.nn.functional

    def lenet_step():
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

    return [Row("W4 LeNet step", VARIANT, timed(lenet_step))]
