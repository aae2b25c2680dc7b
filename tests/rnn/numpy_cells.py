"""The cell equations in NumPy (float64): the reference the graph cells are checked against.

Weights come as a dict keyed by the variable's name within the cell scope ("kernel", "bias",
"gates/kernel", "w_f_diag", "projection/kernel", ...)."""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def basic_rnn(w, x, h, act=np.tanh):
    h = act(np.concatenate([x, h], 1) @ w["kernel"] + w["bias"])
    return h, h


def lstm(w, x, state, forget_bias=1.0, peepholes=False, cell_clip=None, proj_clip=None,
         act=np.tanh):
    c, h = state
    z = np.concatenate([x, h], 1) @ w["kernel"] + w["bias"]
    i, j, f, o = np.split(z, 4, axis=1)  # TF1's gate order
    if peepholes:
        c = sigmoid(f + forget_bias + w["w_f_diag"] * c) * c + sigmoid(i + w["w_i_diag"] * c) \
            * act(j)
    else:
        c = sigmoid(f + forget_bias) * c + sigmoid(i) * act(j)
    if cell_clip is not None:
        c = np.clip(c, -cell_clip, cell_clip)
    h = (sigmoid(o + w["w_o_diag"] * c) if peepholes else sigmoid(o)) * act(c)
    if "projection/kernel" in w:
        h = h @ w["projection/kernel"]
        if proj_clip is not None:
            h = np.clip(h, -proj_clip, proj_clip)
    return h, (c, h)


def gru(w, x, h, act=np.tanh):
    r, u = np.split(sigmoid(np.concatenate([x, h], 1) @ w["gates/kernel"] + w["gates/bias"]),
                    2, axis=1)
    cand = act(np.concatenate([x, r * h], 1) @ w["candidate/kernel"] + w["candidate/bias"])
    h = u * h + (1 - u) * cand
    return h, h


def run(step, x, state, lengths=None):
    """outputs [B, T, H], final state: `step(x_t, state)` over batch-major `x`, with TF1's
    sequence_length rule (zero outputs and a frozen state past each row's length)."""
    outputs = []
    for t in range(x.shape[1]):
        out, new = step(x[:, t], state)
        if lengths is not None:
            live = (t < np.asarray(lengths))[:, None]
            out = np.where(live, out, 0.0)
            new = _map2(lambda n, s: np.where(live, n, s), new, state)
        outputs.append(out)
        state = new
    return np.stack(outputs, 1), state


def _map2(fn, a, b):
    if isinstance(a, tuple):
        return tuple(_map2(fn, x, y) for x, y in zip(a, b))
    return fn(a, b)
