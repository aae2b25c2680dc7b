"""The Keras cell equations in NumPy (float64), written from the formulas, to check the layers
against: each function maps (x_t [B, D], states, weights) to (output, new states)."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def simple_rnn(x, states, kernel, recurrent, bias, act=np.tanh):
    (h,) = states
    out = act(x @ kernel + bias + h @ recurrent)
    return out, [out]


def lstm(x, states, kernel, recurrent, bias, act=np.tanh, rec_act=sigmoid):
    h, c = states
    i, f, g, o = np.split(x @ kernel + h @ recurrent + bias, 4, axis=1)
    c = rec_act(f) * c + rec_act(i) * act(g)
    h = rec_act(o) * act(c)
    return h, [h, c]


def gru(x, states, kernel, recurrent, bias, reset_after=True, act=np.tanh, rec_act=sigmoid):
    (h,) = states
    u = h.shape[1]
    b_in, b_rec = (bias[0], bias[1]) if reset_after else (bias, np.zeros(3 * u))
    x_z, x_r, x_h = np.split(x @ kernel + b_in, 3, axis=1)
    if reset_after:
        h_z, h_r, h_h = np.split(h @ recurrent + b_rec, 3, axis=1)
        z, r = rec_act(x_z + h_z), rec_act(x_r + h_r)
        cand = act(x_h + r * h_h)
    else:
        h_z, h_r = np.split(h @ recurrent[:, :2 * u], 2, axis=1)
        z, r = rec_act(x_z + h_z), rec_act(x_r + h_r)
        cand = act(x_h + (r * h) @ recurrent[:, 2 * u:])
    h = z * h + (1 - z) * cand
    return h, [h]


def run(cell, x, states, weights, go_backwards=False, mask=None):
    """Every step's output [B, T, U] (in processing order) and the final states."""
    steps = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    outs, last = [], np.zeros_like(states[0]) if mask is not None else None
    for t in steps:
        out, new = cell(x[:, t], states, *weights)
        if mask is not None:
            keep = mask[:, t:t + 1]
            new = [np.where(keep, n, s) for n, s in zip(new, states)]
            out = np.where(keep, out, last)
            last = out
        states = new
        outs.append(out)
    return np.stack(outs, 1), states
