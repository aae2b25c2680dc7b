"""W4's LeNet-5 training step, as a graphflow graph and as a hand-written NumPy baseline.

NHWC 28x28x1; conv 5x5x6 VALID + ReLU + maxpool 2; conv 5x5x16 VALID + ReLU + maxpool 2; dense
120 ReLU, 84 ReLU, 10; mean softmax cross-entropy; SGD. The NumPy step does im2col by sliding
windows and one GEMM per convolution.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import graphflow as tf

LR = 0.05


def init_params(rng):
    shapes = [(5, 5, 1, 6), (6,), (5, 5, 6, 16), (16,), (256, 120), (120,), (120, 84), (84,),
              (84, 10), (10,)]
    return [(rng.standard_normal(s) * 0.1).astype(np.float32) for s in shapes]


# --- the hand-written NumPy step ---------------------------------------------------------------
def _conv(x, w):
    """VALID stride-1 conv: (output, im2col matrix)."""
    n, h, wd, c = x.shape
    k, o = w.shape[0], w.shape[3]
    cols = sliding_window_view(x, (k, k), axis=(1, 2))  # n, oh, ow, c, k, k
    cols = cols.transpose(0, 1, 2, 4, 5, 3).reshape(-1, k * k * c)
    out = cols @ w.reshape(-1, o)
    return out.reshape(n, h - k + 1, wd - k + 1, o), cols


def _conv_dx(dy, w, x_shape):
    n, oh, ow, o = dy.shape
    k, c = w.shape[0], w.shape[2]
    dcols = (dy.reshape(-1, o) @ w.reshape(-1, o).T).reshape(n, oh, ow, k, k, c)
    dx = np.zeros(x_shape, dy.dtype)
    for i in range(k):
        for j in range(k):
            dx[:, i:i + oh, j:j + ow, :] += dcols[:, :, :, i, j, :]
    return dx


def _pool(x):
    """2x2/2 max pool: (output, one-hot of each window's first maximum)."""
    n, h, w, c = x.shape
    win = x.reshape(n, h // 2, 2, w // 2, 2, c).transpose(0, 1, 3, 5, 2, 4).reshape(
        n, h // 2, w // 2, c, 4)
    arg = win.argmax(axis=-1)
    return np.take_along_axis(win, arg[..., None], -1)[..., 0], arg


def _pool_dx(dy, arg, shape):
    n, h, w, c = shape
    d = np.zeros((*arg.shape, 4), dy.dtype)
    np.put_along_axis(d, arg[..., None], dy[..., None], -1)
    return d.reshape(n, h // 2, w // 2, c, 2, 2).transpose(0, 1, 4, 2, 5, 3).reshape(shape)


def numpy_step(p, x, y):
    w1, b1, w2, b2, w3, b3, w4, b4, w5, b5 = p
    z1, c1 = _conv(x, w1)
    a1 = np.maximum(z1 + b1, 0)
    p1, arg1 = _pool(a1)
    z2, c2 = _conv(p1, w2)
    a2 = np.maximum(z2 + b2, 0)
    p2, arg2 = _pool(a2)
    f = p2.reshape(len(x), -1)
    h3 = np.maximum(f @ w3 + b3, 0)
    h4 = np.maximum(h3 @ w4 + b4, 0)
    logits = h4 @ w5 + b5
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs = e / e.sum(axis=1, keepdims=True)
    d5 = (probs - y) / len(x)
    d4 = (d5 @ w5.T) * (h4 > 0)
    d3 = (d4 @ w4.T) * (h3 > 0)
    df = (d3 @ w3.T).reshape(p2.shape)
    dz2 = _pool_dx(df, arg2, a2.shape) * (a2 > 0)
    dp1 = _conv_dx(dz2, w2, p1.shape)
    dz1 = _pool_dx(dp1, arg1, a1.shape) * (a1 > 0)
    grads = [(c1.T @ dz1.reshape(-1, 6)).reshape(w1.shape), dz1.sum(axis=(0, 1, 2)),
             (c2.T @ dz2.reshape(-1, 16)).reshape(w2.shape), dz2.sum(axis=(0, 1, 2)),
             f.T @ d3, d3.sum(0), h3.T @ d4, d4.sum(0), h4.T @ d5, d5.sum(0)]
    for v, g in zip(p, grads, strict=True):
        v -= LR * g


# --- the graphflow step -----------------------------------------------------------------------
def build_graph(params, batch, tf=tf):
    """The step's graph; `tf` may be TensorFlow's compat.v1 module too (the API is the same)."""
    x = tf.placeholder(tf.float32, [batch, 28, 28, 1])
    y = tf.placeholder(tf.float32, [batch, 10])
    v = [tf.Variable(p) for p in params]
    a = x
    for w, b in ((v[0], v[1]), (v[2], v[3])):
        a = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(a, w, [1, 1, 1, 1], "VALID"), b))
        a = tf.nn.max_pool(a, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    a = tf.reshape(a, [batch, 256])
    a = tf.nn.relu(tf.matmul(a, v[4]) + v[5])
    a = tf.nn.relu(tf.matmul(a, v[6]) + v[7])
    logits = tf.matmul(a, v[8]) + v[9]
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
    train = tf.train.GradientDescentOptimizer(LR).minimize(loss)
    return x, y, v, train
