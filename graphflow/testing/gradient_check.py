"""Numerical gradient checks: symbolic gradients against central finite differences in float64.

One random projection r of the outputs is compared (HIPS autograd's trick): the symbolic
J^T r from `gradients(y, x, grad_ys=r)` against (r . f(x + e) - r . f(x - e)) / 2eps per input
element. The reported number is the course's relative difference ||g - g~|| / (||g|| + ||g~||),
with the denominator floored at 1 so vanishing gradients are compared absolutely.
"""

from __future__ import annotations

import numpy as np

from graphflow.autodiff.gradients import gradients
from graphflow.core.dtypes import as_dtype
from graphflow.core.graph import Graph
from graphflow.ops.state import placeholder
from graphflow.session import Session


def relative_difference(a: np.ndarray, b: np.ndarray, floor: float = 0.0) -> float:
    """||a - b|| / (||a|| + ||b||), the denominator at least `floor`.

    A floor of 1 makes vanishing gradients (whose finite differences are pure rounding noise)
    compare absolutely instead of relatively.
    """
    num = np.linalg.norm(np.ravel(a) - np.ravel(b))
    den = max(np.linalg.norm(np.ravel(a)) + np.linalg.norm(np.ravel(b)), floor)
    return 0.0 if den == 0 else float(num / den)


def check_gradients(fn, inputs, wrt=None, eps: float = 1e-5, seed: int = 0,
                    executor: str = "reference") -> float:
    """Worst relative difference over the float inputs of `fn(*tensors) -> tensor(s)`.

    Floating inputs are promoted to float64; `wrt` picks which input indices to check.
    """
    values = [np.asarray(v, dtype=np.float64) if np.asarray(v).dtype.kind == "f"
              else np.asarray(v) for v in inputs]
    wrt = [i for i, v in enumerate(values) if v.dtype.kind == "f"] if wrt is None else list(wrt)
    graph = Graph()
    with graph.as_default():
        phs = [placeholder(as_dtype(v.dtype), v.shape) for v in values]
        out = fn(*phs)
        outs = [t for t in (out if isinstance(out, (list, tuple)) else [out])
                if t.dtype.is_floating]
        if not outs:
            raise ValueError("check_gradients: the function has no floating-point output")
        rng = np.random.default_rng(seed)
        with Session(graph=graph, executor=executor) as sess:
            feed = dict(zip(phs, values))
            y0 = sess.run(outs, feed)
            proj = [rng.standard_normal(np.shape(y)).astype(np.float64) for y in y0]
            grads = gradients(outs, [phs[i] for i in wrt], grad_ys=proj)
            symbolic = sess.run([g for g in grads if g is not None], feed)
            it = iter(symbolic)
            symbolic = [next(it) if g is not None else np.zeros_like(values[i])
                        for g, i in zip(grads, wrt)]
            run_outs = sess.make_callable(outs, phs)

            def projected(vals):
                return sum(float(np.sum(np.asarray(y, dtype=np.float64) * r))
                           for y, r in zip(run_outs(*vals), proj))

            worst = 0.0
            for sym, i in zip(symbolic, wrt):
                numeric = np.zeros_like(values[i])
                for idx in np.ndindex(values[i].shape):
                    plus = [v.copy() for v in values]
                    minus = [v.copy() for v in values]
                    plus[i][idx] += eps
                    minus[i][idx] -= eps
                    numeric[idx] = (projected(plus) - projected(minus)) / (2 * eps)
                worst = max(worst, relative_difference(np.asarray(sym), numeric, floor=1.0))
    return worst


def compute_gradient_error(fn, inputs, eps: float = 1e-5) -> float:
    """Alias in TF1's spirit: the worst relative difference for `fn` at `inputs`."""
    return check_gradients(fn, inputs, eps=eps)
