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
