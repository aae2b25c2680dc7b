"""Random ops drawn on the device: one `xp.random` Generator per op key, no host draw, no copy.

On a GPU `xp.random.default_rng([seed, seed2])` is CuPy's cuRAND-based Generator (XORWOW), so a
seeded graph repeats across sessions, as on cpu, but draws **different numbers from cpu's**
(NumPy's PCG64); under the host emulation `xp` is NumPy and the same code draws NumPy's. The
op's contract is kept: shapes, dtypes, U[0, 1), N(0, 1), integers in [minval, maxval), and the
truncated normal within two standard deviations. What CuPy's Generator lacks is handled here:
`standard_normal` and `random` draw float32 or float64 only, so other float dtypes draw float64
and are cast (the cpu rule); it has no truncated normal, so TruncatedNormal is the inverse CDF
of a uniform draw over [Phi(-2), Phi(2)) (exact in distribution, no rejection loop and so no
host read); `integers` takes host ints, so minval / maxval are read from their Const when the
graph has one there and copied out otherwise (one small read per run).
"""

from __future__ import annotations

import math

import numpy as np

from graphflow.executors.cuda.table import Kernel, cuda_kernel
from graphflow.ops.random import draw_dtype

DEVICE_RANDOM = ("RandomStandardNormal", "TruncatedNormal", "RandomUniform", "RandomUniformInt")

# Wichura's AS 241 (PPND16) rational approximations of the normal quantile, relative error
# about 1e-16: the central region |p - 0.5| <= 0.425 and the next one (r <= 5), which is all of
# [Phi(-2), Phi(2)). Coefficients lowest degree first.
_A = (3.3871328727963666080e0, 1.3314166789178437745e2, 1.9715909503065514427e3,
      1.3731693765509461125e4, 4.5921953931549871457e4, 6.7265770927008700853e4,
      3.3430575583588128105e4, 2.5090809287301226727e3)
_B = (1.0, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3,
      2.1213794301586595867e4, 3.9307895800092710610e4, 2.8729085735721942674e4,
      5.2264952788528545610e3)
_C = (1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0,
      3.64784832476320460504e0, 1.27045825245236838258e0, 2.41780725177450611770e-1,
      2.27238449892691845833e-2, 7.74545014278341407640e-4)
_D = (1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
      1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
      1.05075007164441684324e-9)
PHI_2 = 0.5 * (1.0 + math.erf(2.0 / math.sqrt(2.0)))  # P(Z < 2)


def _poly(xp, coefficients, r):
    total = xp.full_like(r, coefficients[-1])
    for c in reversed(coefficients[:-1]):
        total = total * r + c
    return total


def ndtri(xp, p):
    """The standard normal quantile of float64 `p` in [Phi(-5), Phi(5)], elementwise in `xp`."""
    q = p - 0.5
    r = 0.180625 - q * q
    central = q * _poly(xp, _A, r) / _poly(xp, _B, r)
    t = xp.sqrt(-xp.log(xp.minimum(p, 1.0 - p))) - 1.6
    tail = _poly(xp, _C, t) / _poly(xp, _D, t)
    return xp.where(xp.abs(q) <= 0.425, central, xp.where(q < 0, -tail, tail))


def truncated_normal(xp, rng, shape, dtype):
    """N(0, 1) conditioned on |x| <= 2, as the quantile of U[Phi(-2), Phi(2))."""
    u = rng.random(shape, dtype=np.float64)
    return ndtri(xp, (1.0 - PHI_2) + u * (2.0 * PHI_2 - 1.0)).astype(dtype, copy=False)


def _const(spec):
    """The value of a Const input, known while lowering (None when it is computed)."""
    tensor = getattr(spec, "tensor", None)
    if tensor is not None and tensor.op.type == "Const":
        return tensor.op.get_attr("value")
    return None


@cuda_kernel(*DEVICE_RANDOM)
def _random(step, lowering):
    op, xp = step.op, lowering.backend.xp
    dtype = np.dtype(op.dtype.np)
    spec = step.outputs[0]
    static = tuple(spec.shape.as_list()) if spec.shape.is_fully_defined() else None
    has_shape_input = op.shape is None
    bounds = step.inputs[1:] if has_shape_input else step.inputs
    known = [_const(s) for s in bounds] if step.type == "RandomUniformInt" else []

    def draw(rng, shape, rest, ctx):
        if step.type == "RandomStandardNormal":
            return rng.standard_normal(shape, dtype=draw_dtype(op.dtype))
        if step.type == "RandomUniform":
            return rng.random(shape, dtype=draw_dtype(op.dtype))
        if step.type == "TruncatedNormal":
            return truncated_normal(xp, rng, shape, draw_dtype(op.dtype))
        lo, hi = (int(k) if k is not None else int(ctx.to_host(v))
                  for k, v in zip(known, rest, strict=True))
        if not lo < hi:
            raise ValueError(f"Need minval < maxval: {lo} >= {hi}")
        return rng.integers(lo, hi, size=shape, dtype=dtype)

    def random(ctx, out, *inputs):
        rest = inputs[1:] if has_shape_input else inputs
        shape = static if static is not None else tuple(
            int(d) for d in ctx.to_host(inputs[0]))
        value = draw(ctx.device_rng(op.key, op.seed, op.seed2), shape, rest, ctx)
        value = value.astype(dtype, copy=False)
        if out is None:
            return value
        xp.copyto(out, value.reshape(out.shape))
        return out

    return Kernel(random, takes_context=True, quiet=True)
