"""Initialisers as objects: `init(shape, dtype) -> Tensor` builds the ops that make a value.

TF1's names and formulas. Random initialisers build `random_normal`/`truncated_normal`/
`random_uniform` ops, so TF1's seed rules apply (`set_random_seed` plus the `seed=` given here);
the streams are NumPy's, not TensorFlow's.

Fans follow TF: a 2-D kernel `[fan_in, fan_out]`; a conv kernel `[..., in, out]` multiplies both
by the receptive field. `variance_scaling` with `distribution="truncated_normal"` (TF1's default,
and what "normal" means there) divides the stddev by 0.8796..., the stddev of N(0, 1) truncated to
±2, so the drawn values keep the variance `scale / n` exactly. `he_normal` and `glorot_normal` are
variance scaling, so they get that correction as in TF; `truncated_normal_initializer(stddev=s)`
and `random_normal_initializer` do not: they draw what they say.
"""

from __future__ import annotations

import abc
import math

import numpy as np

from graphflow.compat.missing import module_getattr
from graphflow.core import dtypes
from graphflow.core.dtypes import as_dtype
from graphflow.core.shape import as_shape

__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Initializer",
    "LecunNormal", "LecunUniform", "Ones", "RandomNormal", "RandomUniform", "TruncatedNormal",
    "VarianceScaling", "Zeros", "constant_initializer", "get", "global_variables", "glorot_normal",
    "glorot_normal_initializer", "glorot_uniform", "glorot_uniform_initializer", "he_normal",
    "he_uniform", "lecun_normal", "lecun_uniform", "local_variables", "ones_initializer",
    "random_normal_initializer",
    "random_uniform_initializer", "truncated_normal_initializer", "variance_scaling_initializer",
    "variables", "xavier_initializer", "zeros_initializer",
]

# stddev of a standard normal truncated to (-2, 2), as TF's VarianceScaling uses it
TRUNCATED_STDDEV = 0.87962566103423978


def known_shape(shape) -> list[int]:
    dims = as_shape(shape)
    if not dims.is_fully_defined():
        raise ValueError(f"An initializer needs a fully known shape, got {dims}")
    return dims.as_list()


def compute_fans(shape) -> tuple[float, float]:
    """(fan_in, fan_out) as TF computes them for dense and convolution kernels."""
    shape = known_shape(shape)
    if not shape:
        return 1.0, 1.0
    if len(shape) == 1:
        return float(shape[0]), float(shape[0])
    receptive = float(np.prod(shape[:-2])) if len(shape) > 2 else 1.0
    return shape[-2] * receptive, shape[-1] * receptive


class Initializer(abc.ABC):
    """Base class: `init(shape, dtype=None, partition_info=None)` returns a Tensor of that shape."""

    dtype = dtypes.float32

    def _dtype(self, dtype, floating: bool = True):
        dtype = as_dtype(dtype if dtype is not None else self.dtype)
        if floating and not dtype.is_floating:
            raise ValueError(f"{type(self).__name__} makes floating-point values; dtype "
                             f"{dtype.name} is not one")
        return dtype

    @abc.abstractmethod
    def __call__(self, shape, dtype=None, partition_info=None):
        """A tensor of `shape` and `dtype` holding the initial values."""

    def get_config(self) -> dict:
        return {k: v for k, v in vars(self).items() if k != "dtype"}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class Zeros(Initializer):
    def __init__(self, dtype=dtypes.float32):
        self.dtype = as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        from graphflow.ops.shape_ops import zeros

        return zeros(known_shape(shape), dtype=self._dtype(dtype, floating=False))


class Ones(Initializer):
    def __init__(self, dtype=dtypes.float32):
        self.dtype = as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        from graphflow.ops.shape_ops import ones

        return ones(known_shape(shape), dtype=self._dtype(dtype, floating=False))


class Constant(Initializer):
    """A scalar filled in, or an array of exactly `shape`'s number of elements, reshaped."""

    def __init__(self, value=0, dtype=dtypes.float32, verify_shape: bool = False):
        self.value = value
        self.dtype = as_dtype(dtype)
        self.verify_shape = verify_shape

    def __call__(self, shape, dtype=None, partition_info=None):
        from graphflow.ops.constant import constant

        dtype = self._dtype(dtype, floating=False)
        shape = known_shape(shape)
        value = np.asarray(self.value, dtype=dtype.np)
        if self.verify_shape and list(value.shape) != shape:
            raise ValueError(f"constant_initializer: value has shape {list(value.shape)}, "
                             f"the variable {shape}")
        if value.size == 1:
            value = np.full(shape, value.reshape(()), dtype=dtype.np)
        elif value.size != int(np.prod(shape)):
            raise ValueError(f"constant_initializer: {value.size} values cannot fill shape "
                             f"{shape} ({int(np.prod(shape))} elements)")
        return constant(value.reshape(shape), dtype=dtype)


class RandomNormal(Initializer):
    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        from graphflow.ops.random import random_normal

        return random_normal(known_shape(shape), self.mean, self.stddev, self._dtype(dtype),
                             self.seed)


class TruncatedNormal(Initializer):
    """N(mean, stddev²) with draws beyond 2 stddev redrawn (so the spread is ~0.88 stddev)."""

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        from graphflow.ops.random import truncated_normal

        return truncated_normal(known_shape(shape), self.mean, self.stddev, self._dtype(dtype),
                                self.seed)


class RandomUniform(Initializer):
    def __init__(self, minval=0.0, maxval=None, seed=None, dtype=dtypes.float32):
        self.minval, self.maxval, self.seed, self.dtype = minval, maxval, seed, as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        from graphflow.ops.random import random_uniform

        dtype = self._dtype(dtype, floating=False)
        maxval = self.maxval if self.maxval is not None or dtype.is_integer else 1.0
        return random_uniform(known_shape(shape), self.minval, maxval, dtype, self.seed)


class VarianceScaling(Initializer):
    """Values of variance `scale / n`, n the fan in, fan out or their mean (`mode`)."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 dtype=dtypes.float32):
        if scale <= 0.0:
            raise ValueError(f"`scale` must be positive, got {scale}")
        mode = mode.lower()
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Invalid `mode` {mode!r}: use 'fan_in', 'fan_out' or 'fan_avg'")
        distribution = distribution.lower()
        if distribution == "normal":  # TF1's deprecated spelling of truncated_normal
            distribution = "truncated_normal"
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(f"Invalid `distribution` {distribution!r}: use 'truncated_normal', "
                             "'untruncated_normal' or 'uniform'")
        self.scale, self.mode, self.distribution = float(scale), mode, distribution
        self.seed, self.dtype = seed, as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        from graphflow.ops.random import random_normal, random_uniform, truncated_normal

        dtype = self._dtype(dtype)
        shape = known_shape(shape)
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, n)
        if self.distribution == "truncated_normal":
            return truncated_normal(shape, 0.0, math.sqrt(variance) / TRUNCATED_STDDEV, dtype,
                                    self.seed)
        if self.distribution == "untruncated_normal":
            return random_normal(shape, 0.0, math.sqrt(variance), dtype, self.seed)
        limit = math.sqrt(3.0 * variance)
        return random_uniform(shape, -limit, limit, dtype, self.seed)


class GlorotUniform(VarianceScaling):
    """U(±√(6 / (fan_in + fan_out))): TF1's default for `get_variable` and the layers."""

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_avg", "uniform", seed, dtype)

    def get_config(self) -> dict:
        return {"seed": self.seed}


class GlorotNormal(VarianceScaling):
    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed, dtype)

    get_config = GlorotUniform.get_config


class HeNormal(VarianceScaling):
    """Variance 2 / fan_in, from a truncated normal with TF's stddev correction."""

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(2.0, "fan_in", "truncated_normal", seed, dtype)

    get_config = GlorotUniform.get_config


class HeUniform(VarianceScaling):
    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(2.0, "fan_in", "uniform", seed, dtype)

    get_config = GlorotUniform.get_config


class LecunNormal(VarianceScaling):
    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_in", "truncated_normal", seed, dtype)

    get_config = GlorotUniform.get_config


class LecunUniform(VarianceScaling):
    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_in", "uniform", seed, dtype)

    get_config = GlorotUniform.get_config


# --- TF1's lower-case names ---------------------------------------------------------------------
zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_normal_initializer = RandomNormal
truncated_normal_initializer = TruncatedNormal
random_uniform_initializer = RandomUniform
variance_scaling_initializer = VarianceScaling
glorot_uniform_initializer = GlorotUniform
glorot_normal_initializer = GlorotNormal


ZEROS = Zeros()  # shared defaults for layer arguments (initialisers hold no state)
ONES = Ones()


def glorot_uniform(seed=None, dtype=dtypes.float32) -> GlorotUniform:
    return GlorotUniform(seed, dtype)


def glorot_normal(seed=None, dtype=dtypes.float32) -> GlorotNormal:
    return GlorotNormal(seed, dtype)


def he_normal(seed=None) -> HeNormal:
    return HeNormal(seed)


def he_uniform(seed=None) -> HeUniform:
    return HeUniform(seed)


def lecun_normal(seed=None) -> LecunNormal:
    return LecunNormal(seed)


def lecun_uniform(seed=None) -> LecunUniform:
    return LecunUniform(seed)


def xavier_initializer(uniform: bool = True, seed=None, dtype=dtypes.float32) -> VarianceScaling:
    """tf.contrib.layers.xavier_initializer: Glorot uniform, or Glorot (truncated) normal."""
    return GlorotUniform(seed, dtype) if uniform else GlorotNormal(seed, dtype)


_BY_NAME = {
    "zeros": Zeros, "ones": Ones, "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
    "he_normal": HeNormal, "he_uniform": HeUniform, "lecun_normal": LecunNormal,
    "lecun_uniform": LecunUniform, "random_normal": RandomNormal, "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal, "xavier": GlorotUniform,
}


def get(identifier):
    """An initializer from a name ('he_normal'), a class, an instance or None (returned as is)."""
    if identifier is None or isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, str):
        try:
            return _BY_NAME[identifier.lower()]()
        except KeyError:
            raise ValueError(f"Unknown initializer {identifier!r}; known: "
                             f"{', '.join(sorted(_BY_NAME))}") from None
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Cannot interpret {identifier!r} as an initializer")


# --- TF1's tf.initializers.{global_variables, local_variables, variables} ---------------------
def global_variables():
    """The op that initialises every global variable (`global_variables_initializer`)."""
    from graphflow.variables import global_variables_initializer

    return global_variables_initializer()


def local_variables():
    """The op that initialises every local variable (`local_variables_initializer`)."""
    from graphflow.variables import local_variables_initializer

    return local_variables_initializer()


def variables(var_list, name: str = "init"):
    """The op that initialises `var_list` (`variables_initializer`)."""
    from graphflow.variables import variables_initializer

    return variables_initializer(var_list, name=name)


__getattr__ = module_getattr(__name__, "tf.initializers")  # a TF1 name graphflow lacks, or a typo
