"""Keras's weight constraints, applied to a variable's new value after each optimizer step:
`max_norm(m)` rescales columns whose L2 norm (over `axis`, default 0) exceeds m, `non_neg`
zeroes negatives, `unit_norm` scales to norm 1, `min_max_norm` keeps norms in a range."""

from __future__ import annotations

__all__ = ["Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "deserialize", "get",
           "max_norm", "min_max_norm", "non_neg", "serialize", "unit_norm"]

_EPSILON = 1e-7  # Keras's backend epsilon, in the norms' denominators


def _norms(w, axis):
    from graphflow.ops.elementwise import sqrt, square
    from graphflow.ops.reduce import reduce_sum

    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    return sqrt(reduce_sum(square(w), axes, keepdims=True))


class Constraint:
    """Base: `constraint(w) -> w'`, the projected value."""

    def __call__(self, w):
        return w

    def get_config(self) -> dict:
        return {}


class MaxNorm(Constraint):
    """w · clip(norm, 0, max_value) / (ε + norm)."""

    def __init__(self, max_value=2, axis=0):
        self.max_value, self.axis = max_value, axis

    def __call__(self, w):
        from graphflow.ops.reduce import clip_by_value

        norms = _norms(w, self.axis)
        desired = clip_by_value(norms, 0.0, float(self.max_value))
        return w * (desired / (norms + _EPSILON))

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """w · [w >= 0]."""

    def __call__(self, w):
        from graphflow.ops.cast import cast
        from graphflow.ops.elementwise import greater_equal

        return w * cast(greater_equal(w, 0.0), w.dtype)


class UnitNorm(Constraint):
    """w / (ε + norm over `axis`)."""

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (_norms(w, self.axis) + _EPSILON)

    def get_config(self) -> dict:
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Norms moved `rate` of the way into [min_value, max_value]."""

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w):
        from graphflow.ops.reduce import clip_by_value

        norms = _norms(w, self.axis)
        desired = clip_by_value(norms, float(self.min_value), float(self.max_value)) * \
            self.rate + norms * (1.0 - self.rate)
        return w * (desired / (norms + _EPSILON))

    def get_config(self) -> dict:
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


max_norm, non_neg, unit_norm, min_max_norm = MaxNorm, NonNeg, UnitNorm, MinMaxNorm
_CLASSES = {"MaxNorm": MaxNorm, "NonNeg": NonNeg, "UnitNorm": UnitNorm,
            "MinMaxNorm": MinMaxNorm, "max_norm": MaxNorm, "non_neg": NonNeg,
            "unit_norm": UnitNorm, "min_max_norm": MinMaxNorm}


def serialize(constraint) -> dict:
    return {"class_name": type(constraint).__name__, "config": constraint.get_config()}


def deserialize(config, custom_objects=None):
    if isinstance(config, str):
        config = {"class_name": config, "config": {}}
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _CLASSES.get(name)
    if cls is None:
        raise ValueError(f"Unknown constraint: {name!r}; known: {', '.join(sorted(_CLASSES))}")
    return cls(**dict(config.get("config") or {}))


def get(identifier):
    """A constraint from a name, a config dict, a callable or None."""
    if identifier is None or isinstance(identifier, Constraint):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret constraint identifier: {identifier!r}")
