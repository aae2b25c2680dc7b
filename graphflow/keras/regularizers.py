"""Keras's weight regularizers: `l1(0.01)` is 0.01·Σ|w|, `l2(0.01)` is 0.01·Σw² (not TF1's
`nn.l2_loss`, which halves it), `l1_l2` both. A layer adds `regularizer(weight)` to its losses."""

from __future__ import annotations

__all__ = ["L1", "L1L2", "L2", "Regularizer", "deserialize", "get", "l1", "l1_l2", "l2",
           "serialize"]


class Regularizer:
    """Base: `regularizer(weight) -> scalar loss tensor`, with a config of its factors."""

    def __call__(self, x):
        from graphflow.ops.constant import constant

        return constant(0.0, dtype=x.dtype)

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class L1L2(Regularizer):
    """l1·Σ|w| + l2·Σw²."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, x):
        from graphflow.ops.constant import constant
        from graphflow.ops.elementwise import abs as _abs
        from graphflow.ops.elementwise import square
        from graphflow.ops.reduce import reduce_sum

        total = None
        if self.l1:
            total = reduce_sum(_abs(x)) * self.l1
        if self.l2:
            term = reduce_sum(square(x)) * self.l2
            total = term if total is None else total + term
        return total if total is not None else constant(0.0, dtype=x.dtype)

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    def __init__(self, l1=0.01, **kwargs):
        super().__init__(l1=kwargs.pop("l", l1))

    def get_config(self) -> dict:
        return {"l1": self.l1}


class L2(L1L2):
    def __init__(self, l2=0.01, **kwargs):
        super().__init__(l2=kwargs.pop("l", l2))

    def get_config(self) -> dict:
        return {"l2": self.l2}


l1, l2 = L1, L2  # Keras's lower-case names are the classes (`l2(0.01)`, `l2(l2=0.01)`)


def l1_l2(l1=0.01, l2=0.01):  # noqa: F811 - Keras's argument names shadow the aliases
    """Both penalties, 0.01 each by default (the class L1L2 defaults to 0)."""
    return L1L2(l1=l1, l2=l2)


_CLASSES = {"L1L2": L1L2, "L1": L1, "L2": L2, "l1": L1, "l2": L2, "l1_l2": L1L2}


def serialize(regularizer) -> dict:
    return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}


def deserialize(config, custom_objects=None):
    if isinstance(config, str):
        config = {"class_name": config, "config": {}}
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _CLASSES.get(name)
    if cls is None:
        raise ValueError(f"Unknown regularizer: {name!r}; known: L1, L2, L1L2 (pass others in "
                         "custom_objects)")
    return cls(**dict(config.get("config") or {}))


def get(identifier):
    """A regularizer from a name ('l2'), a config dict, a callable or None."""
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret regularizer identifier: {identifier!r}")
