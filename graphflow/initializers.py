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
    """Base class: `init(shape, dtype=None, partition_info=None)` returns a Tensor of that shape.

    Examples:
        >>> init = tf.zeros_initializer()
        >>> with tf.Session() as sess:
        ...     print(sess.run(init([2])))
        [0. 0.]
    """

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
        """The initializer's arguments (without its dtype), as TF1's `get_config`.

        Returns:
            A dict from argument name to value.

        Examples:
            >>> print(tf.random_normal_initializer(stddev=0.1).get_config())
            {'mean': 0.0, 'stddev': 0.1, 'seed': None}
        """
        return {k: v for k, v in vars(self).items() if k != "dtype"}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class Zeros(Initializer):
    """`tf.zeros_initializer`: all zeros (of any dtype).

    Args:
        dtype: The default dtype, when the caller gives none.

    Examples:
        >>> v = tf.get_variable("v", [2], initializer=tf.zeros_initializer())
        >>> with tf.Session() as sess:
        ...     sess.run(v.initializer)
        ...     print(sess.run(v))
        [0. 0.]
    """
    def __init__(self, dtype=dtypes.float32):
        self.dtype = as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        from graphflow.ops.shape_ops import zeros

        return zeros(known_shape(shape), dtype=self._dtype(dtype, floating=False))


class Ones(Initializer):
    """`tf.ones_initializer`: all ones (of any dtype).

    Args:
        dtype: The default dtype, when the caller gives none.

    Examples:
        >>> with tf.Session() as sess:
        ...     print(sess.run(tf.ones_initializer()([2], tf.int32)))
        [1 1]
    """
    def __init__(self, dtype=dtypes.float32):
        self.dtype = as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        from graphflow.ops.shape_ops import ones

        return ones(known_shape(shape), dtype=self._dtype(dtype, floating=False))


class Constant(Initializer):
    """`tf.constant_initializer`: a scalar filled in, or an array of exactly `shape`'s number of
    elements, reshaped.

    Args:
        value: A scalar, or a list or array of as many elements as the variable.
        dtype: The default dtype, when the caller gives none.
        verify_shape: Require `value` to have the variable's shape exactly.

    Examples:
        >>> v = tf.get_variable("v", [2, 2], initializer=tf.constant_initializer([1, 2, 3, 4]))
        >>> with tf.Session() as sess:
        ...     sess.run(v.initializer)
        ...     print(sess.run(v))
        [[1. 2.]
         [3. 4.]]
    """

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
    """`tf.random_normal_initializer`: draws from N(mean, stddev²).

    Args:
        mean: The mean.
        stddev: The standard deviation.
        seed: The op seed (with the graph seed it fixes the draws).
        dtype: The default floating dtype.

    Examples:
        >>> init = tf.random_normal_initializer(mean=5.0, stddev=0.01, seed=1)
        >>> with tf.Session() as sess:
        ...     print(np.round(sess.run(init([3]))))
        [5. 5. 5.]
    """
    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        from graphflow.ops.random import random_normal

        return random_normal(known_shape(shape), self.mean, self.stddev, self._dtype(dtype),
                             self.seed)


class TruncatedNormal(Initializer):
    """`tf.truncated_normal_initializer`: N(mean, stddev²) with draws beyond 2 stddev redrawn (so
    the spread is ~0.88 stddev).

    Args:
        mean: The mean.
        stddev: The standard deviation before truncation.
        seed: The op seed.
        dtype: The default floating dtype.

    Examples:
        >>> init = tf.truncated_normal_initializer(stddev=1.0, seed=3)
        >>> with tf.Session() as sess:
        ...     values = sess.run(init([1000]))
        >>> print(values.shape, bool(np.abs(values).max() <= 2.0))
        (1000,) True
    """

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        from graphflow.ops.random import truncated_normal

        return truncated_normal(known_shape(shape), self.mean, self.stddev, self._dtype(dtype),
                                self.seed)


class RandomUniform(Initializer):
    """`tf.random_uniform_initializer`: draws from U[minval, maxval).

    Args:
        minval: The lower bound.
        maxval: The upper bound (default 1 for floats; needed for integers).
        seed: The op seed.
        dtype: The default dtype.

    Examples:
        >>> init = tf.random_uniform_initializer(-1.0, 1.0, seed=2)
        >>> with tf.Session() as sess:
        ...     values = sess.run(init([100]))
        >>> print(bool(values.min() >= -1.0 and values.max() < 1.0))
        True
    """
    def __init__(self, minval=0.0, maxval=None, seed=None, dtype=dtypes.float32):
        self.minval, self.maxval, self.seed, self.dtype = minval, maxval, seed, as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        from graphflow.ops.random import random_uniform

        dtype = self._dtype(dtype, floating=False)
        maxval = self.maxval if self.maxval is not None or dtype.is_integer else 1.0
        return random_uniform(known_shape(shape), self.minval, maxval, dtype, self.seed)


class VarianceScaling(Initializer):
    """`tf.variance_scaling_initializer`: values of variance `scale / n`, n the fan in, fan out
    or their mean (`mode`).

    Args:
        scale: The variance's numerator (positive).
        mode: "fan_in", "fan_out" or "fan_avg".
        distribution: "truncated_normal" (TF1's "normal" too), "untruncated_normal" or
            "uniform".
        seed: The op seed.
        dtype: The default floating dtype.

    Examples:
        >>> init = tf.variance_scaling_initializer(scale=2.0, distribution="uniform", seed=0)
        >>> with tf.Session() as sess:
        ...     values = sess.run(init([200, 10]))
        >>> print(bool(np.abs(values).max() <= np.sqrt(3 * 2.0 / 200)))
        True
    """

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
    """`tf.glorot_uniform_initializer`: U(±√(6 / (fan_in + fan_out))), TF1's default for
    `get_variable` and the layers.

    Args:
        seed: The op seed.
        dtype: The default floating dtype.

    Examples:
        >>> with tf.Session() as sess:
        ...     values = sess.run(tf.glorot_uniform_initializer(seed=0)([4, 2]))
        >>> print(values.shape, bool(np.abs(values).max() <= 1.0))
        (4, 2) True
    """

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_avg", "uniform", seed, dtype)

    def get_config(self) -> dict:
        """The initializer's one argument, its seed (the rest is fixed by the class).

        Returns:
            `{"seed": seed}`.

        Examples:
            >>> print(tf.glorot_uniform_initializer(seed=3).get_config())
            {'seed': 3}
        """
        return {"seed": self.seed}


class GlorotNormal(VarianceScaling):
    """`tf.glorot_normal_initializer`: a truncated normal of variance 2 / (fan_in + fan_out).

    Args:
        seed: The op seed.
        dtype: The default floating dtype.

    Examples:
        >>> print(tf.glorot_normal_initializer(seed=1))
        GlorotNormal(seed=1)
    """
    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed, dtype)

    get_config = GlorotUniform.get_config


class HeNormal(VarianceScaling):
    """Variance 2 / fan_in, from a truncated normal with TF's stddev correction (`he_normal`).

    Args:
        seed: The op seed.
        dtype: The default floating dtype.

    Examples:
        >>> print(tf.initializers.he_normal(seed=1))
        HeNormal(seed=1)
    """

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(2.0, "fan_in", "truncated_normal", seed, dtype)

    get_config = GlorotUniform.get_config


class HeUniform(VarianceScaling):
    """U(±√(6 / fan_in)), variance 2 / fan_in (`he_uniform`).

    Args:
        seed: The op seed.
        dtype: The default floating dtype.

    Examples:
        >>> print(tf.initializers.he_uniform(seed=1))
        HeUniform(seed=1)
    """
    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(2.0, "fan_in", "uniform", seed, dtype)

    get_config = GlorotUniform.get_config


class LecunNormal(VarianceScaling):
    """A truncated normal of variance 1 / fan_in (`lecun_normal`).

    Args:
        seed: The op seed.
        dtype: The default floating dtype.

    Examples:
        >>> print(tf.initializers.lecun_normal(seed=1))
        LecunNormal(seed=1)
    """
    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_in", "truncated_normal", seed, dtype)

    get_config = GlorotUniform.get_config


class LecunUniform(VarianceScaling):
    """U(±√(3 / fan_in)), variance 1 / fan_in (`lecun_uniform`).

    Args:
        seed: The op seed.
        dtype: The default floating dtype.

    Examples:
        >>> print(tf.initializers.lecun_uniform(seed=1))
        LecunUniform(seed=1)
    """
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
    """`tf.initializers.glorot_uniform`: a GlorotUniform.

    Args:
        seed: The op seed.
        dtype: The default floating dtype.

    Returns:
        A GlorotUniform initializer.

    Examples:
        >>> print(tf.initializers.glorot_uniform(seed=4))
        GlorotUniform(seed=4)
    """
    return GlorotUniform(seed, dtype)


def glorot_normal(seed=None, dtype=dtypes.float32) -> GlorotNormal:
    """`tf.initializers.glorot_normal`: a GlorotNormal.

    Args:
        seed: The op seed.
        dtype: The default floating dtype.

    Returns:
        A GlorotNormal initializer.

    Examples:
        >>> print(tf.initializers.glorot_normal(seed=4))
        GlorotNormal(seed=4)
    """
    return GlorotNormal(seed, dtype)


def he_normal(seed=None) -> HeNormal:
    """`tf.initializers.he_normal`: variance 2 / fan_in, truncated normal (for ReLU layers).

    Args:
        seed: The op seed.

    Returns:
        A HeNormal initializer.

    Examples:
        >>> w = tf.get_variable("w", [100, 10], initializer=tf.initializers.he_normal(seed=0))
        >>> with tf.Session() as sess:
        ...     sess.run(w.initializer)
        ...     print(bool(abs(sess.run(w).std() - np.sqrt(2 / 100)) < 0.02))
        True
    """
    return HeNormal(seed)


def he_uniform(seed=None) -> HeUniform:
    """`tf.initializers.he_uniform`: variance 2 / fan_in, uniform.

    Args:
        seed: The op seed.

    Returns:
        A HeUniform initializer.

    Examples:
        >>> print(tf.initializers.he_uniform().get_config())
        {'seed': None}
    """
    return HeUniform(seed)


def lecun_normal(seed=None) -> LecunNormal:
    """`tf.initializers.lecun_normal`: variance 1 / fan_in, truncated normal (for SELU).

    Args:
        seed: The op seed.

    Returns:
        A LecunNormal initializer.

    Examples:
        >>> print(tf.initializers.lecun_normal(seed=7))
        LecunNormal(seed=7)
    """
    return LecunNormal(seed)


def lecun_uniform(seed=None) -> LecunUniform:
    """`tf.initializers.lecun_uniform`: variance 1 / fan_in, uniform.

    Args:
        seed: The op seed.

    Returns:
        A LecunUniform initializer.

    Examples:
        >>> print(tf.initializers.lecun_uniform(seed=7))
        LecunUniform(seed=7)
    """
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
    """The op that initialises every global variable (`global_variables_initializer`).

    Returns:
        An Operation.

    Examples:
        >>> v = tf.Variable(2.0)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.initializers.global_variables())
        ...     print(sess.run(v))
        2.0
    """
    from graphflow.variables import global_variables_initializer

    return global_variables_initializer()


def local_variables():
    """The op that initialises every local variable (`local_variables_initializer`).

    Returns:
        An Operation.

    Examples:
        >>> v = tf.Variable(3, collections=[tf.GraphKeys.LOCAL_VARIABLES])
        >>> with tf.Session() as sess:
        ...     sess.run(tf.initializers.local_variables())
        ...     print(sess.run(v))
        3
    """
    from graphflow.variables import local_variables_initializer

    return local_variables_initializer()


def variables(var_list, name: str = "init"):
    """The op that initialises `var_list` (`variables_initializer`).

    Args:
        var_list: The Variables to initialise.
        name: A name for the op.

    Returns:
        An Operation.

    Examples:
        >>> v = tf.Variable(4.0)
        >>> with tf.Session() as sess:
        ...     sess.run(tf.initializers.variables([v]))
        ...     print(sess.run(v))
        4.0
    """
    from graphflow.variables import variables_initializer

    return variables_initializer(var_list, name=name)


__getattr__ = module_getattr(__name__, "tf.initializers")  # a TF1 name graphflow lacks, or a typo
