"""Flatten nested fetch structures (lists, tuples, namedtuples, dicts) and rebuild them."""

from __future__ import annotations

import collections


def _is_namedtuple(x) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def flatten(structure) -> list:
    """The leaves of `structure`, depth first, dict values in key order of insertion."""
    out: list = []

    def walk(s):
        if isinstance(s, dict):
            for k in s:
                walk(s[k])
        elif isinstance(s, (list, tuple)):
            for v in s:
                walk(v)
        else:
            out.append(s)

    walk(structure)
    return out


def pack_sequence_as(structure, flat: list):
    """`structure` with its leaves replaced, in order, by the items of `flat`."""
    it = iter(flat)

    def build(s):
        if isinstance(s, dict):
            items = [(k, build(s[k])) for k in s]
            if isinstance(s, collections.defaultdict):
                return type(s)(s.default_factory, items)
            return type(s)(items)
        if _is_namedtuple(s):
            return type(s)(*[build(v) for v in s])
        if isinstance(s, (list, tuple)):
            return type(s)(build(v) for v in s)
        return next(it)

    return build(structure)


def same_structure(a, b) -> bool:
    """True when `a` and `b` nest the same way: dicts with the same keys in the same order,
    lists/tuples of the same length (a list matches a tuple, as TF1's control flow allows)."""
    if isinstance(a, dict) or isinstance(b, dict):
        return (isinstance(a, dict) and isinstance(b, dict) and list(a) == list(b)
                and all(same_structure(a[k], b[k]) for k in a))
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple))
                and len(a) == len(b) and all(same_structure(x, y) for x, y in zip(a, b)))
    return True
