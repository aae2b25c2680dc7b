"""Keras's initializers: its names, defaults and `{"class_name", "config"}` serialisation over
graphflow's initializer objects (`init(shape, dtype) -> Tensor`).

Where Keras 2 and TF1 agree (zeros, ones, constant, the variance-scaling family with the
truncated-normal stddev correction) graphflow's classes are reused; Keras's own defaults differ for
the plain random ones (stddev / range 0.05), and Orthogonal and Identity are Keras-only. The
orthogonal matrix is drawn here in NumPy (graphflow has no QR op), seeded from the graph's seed
rules, and enters the graph as a constant.
"""

from __future__ import annotations

import numpy as np

from graphflow import initializers as tf_init
from graphflow.core.dtypes import as_dtype, float32

__all__ = ["Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
           "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "RandomNormal",
           "RandomUniform", "TruncatedNormal", "VarianceScaling", "Zeros", "constant",
           "deserialize", "get", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform",
           "identity", "lecun_normal", "lecun_uniform", "ones", "orthogonal", "random_normal",
           "random_uniform", "serialize", "truncated_normal", "variance_scaling", "zeros"]

Initializer = tf_init.Initializer
Zeros, Ones = tf_init.Zeros, tf_init.Ones
GlorotUniform, GlorotNormal = tf_init.GlorotUniform, tf_init.GlorotNormal
HeNormal, HeUniform = tf_init.HeNormal, tf_init.HeUniform
LecunNormal, LecunUniform = tf_init.LecunNormal, tf_init.LecunUniform


class Constant(tf_init.Constant):
    """Every value `value` (Keras's config holds only the value)."""

    def __init__(self, value=0, dtype=float32):
        super().__init__(value, dtype)

    def get_config(self) -> dict:
        value = self.value
        return {"value": value.tolist() if isinstance(value, np.ndarray) else value}


class RandomNormal(tf_init.RandomNormal):
    """N(mean, stddev²), Keras's default stddev 0.05."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None, dtype=float32):
        super().__init__(mean, stddev, seed, dtype)


class TruncatedNormal(tf_init.TruncatedNormal):
    """N(mean, stddev²) redrawn beyond 2 stddev, Keras's default stddev 0.05."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None, dtype=float32):
        super().__init__(mean, stddev, seed, dtype)


class RandomUniform(tf_init.RandomUniform):
    """U(minval, maxval), Keras's default range (-0.05, 0.05)."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None, dtype=float32):
        super().__init__(minval, maxval, seed, dtype)


class VarianceScaling(tf_init.VarianceScaling):
    """Keras's VarianceScaling: 'normal' means truncated normal, as in TF1."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 dtype=float32):
        super().__init__(scale, mode, distribution, seed, dtype)


class Orthogonal(Initializer):
    """A (semi-)orthogonal matrix times `gain`: the Q of a QR of a Gaussian matrix, with the
    signs fixed by R's diagonal; shapes of rank > 2 are flattened to [prod(leading), last]."""

    def __init__(self, gain=1.0, seed=None, dtype=float32):
        self.gain, self.seed, self.dtype = float(gain), seed, as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        from graphflow.ops.constant import constant
        from graphflow.ops.random import get_seed

        dtype = self._dtype(dtype)
        shape = tf_init.known_shape(shape)
        if len(shape) < 2:
            raise ValueError(f"The tensor to initialize must be at least two-dimensional, got "
                             f"shape {shape}")
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        seed, seed2 = get_seed(self.seed)
        rng = np.random.default_rng(None if seed is None else [seed, seed2])
        a = rng.standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return constant((self.gain * q).reshape(shape).astype(dtype.np), dtype=dtype)

    def get_config(self) -> dict:
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    """`gain` times the identity matrix (2-D shapes only, as Keras)."""

    def __init__(self, gain=1.0, dtype=float32):
        self.gain, self.dtype = float(gain), as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        from graphflow.ops.constant import constant

        dtype = self._dtype(dtype)
        shape = tf_init.known_shape(shape)
        if len(shape) != 2:
            raise ValueError(f"Identity matrix initializer can only be used for 2D matrices, "
                             f"got shape {shape}")
        return constant(self.gain * np.eye(*shape, dtype=dtype.np), dtype=dtype)

    def get_config(self) -> dict:
        return {"gain": self.gain}


# Keras's lower-case aliases are the classes themselves, as in tf.keras.initializers.
zeros, ones, constant = Zeros, Ones, Constant
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling, orthogonal, identity = VarianceScaling, Orthogonal, Identity
glorot_uniform, glorot_normal = GlorotUniform, GlorotNormal
he_normal, he_uniform, lecun_normal, lecun_uniform = HeNormal, HeUniform, LecunNormal, LecunUniform

_CLASSES = {c.__name__: c for c in (Zeros, Ones, Constant, RandomNormal, RandomUniform,
                                     TruncatedNormal, VarianceScaling, Orthogonal, Identity,
                                     GlorotUniform, GlorotNormal, HeNormal, HeUniform,
                                     LecunNormal, LecunUniform)}
_ALIASES = {"zeros": Zeros, "zero": Zeros, "ones": Ones, "one": Ones, "constant": Constant,
            "random_normal": RandomNormal, "normal": RandomNormal,
            "random_uniform": RandomUniform, "uniform": RandomUniform,
            "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
            "orthogonal": Orthogonal, "identity": Identity, "glorot_uniform": GlorotUniform,
            "glorot_normal": GlorotNormal, "he_normal": HeNormal, "he_uniform": HeUniform,
            "lecun_normal": LecunNormal, "lecun_uniform": LecunUniform}


def serialize(initializer) -> dict:
    """`{"class_name": "GlorotUniform", "config": {"seed": None}}`."""
    config = initializer.get_config()
    if type(initializer) in (Zeros, Ones):
        config = {}
    elif type(initializer) is tf_init.Constant:
        config = Constant(initializer.value).get_config()
    return {"class_name": type(initializer).__name__, "config": config}


def deserialize(config, custom_objects=None):
    """An initializer from `serialize`'s dict (or a bare class name)."""
    if isinstance(config, str):
        config = {"class_name": config, "config": {}}
    name, args = config["class_name"], dict(config.get("config") or {})
    cls = (custom_objects or {}).get(name) or _CLASSES.get(name) or _ALIASES.get(name)
    if cls is None:
        raise ValueError(f"Unknown initializer: {name!r}. Known: {', '.join(sorted(_CLASSES))}; "
                         "pass others in custom_objects")
    return cls(**args)


def get(identifier):
    """An initializer from a Keras name ('he_normal'), a config dict, a class, an instance, a
    function `(shape, dtype) -> Tensor`, or None (returned as is)."""
    if identifier is None or isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, str):
        cls = _ALIASES.get(identifier) or _CLASSES.get(identifier)
        if cls is None:
            raise ValueError(f"Unknown initializer: {identifier!r}. Known: "
                             f"{', '.join(sorted(_ALIASES))}")
        return cls()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")
