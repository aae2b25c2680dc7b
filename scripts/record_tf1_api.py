"""Record TF1's public API (tf.compat.v1) as JSON: names, kinds and parameter lists.

Run with a TensorFlow venv, never graphflow's (`/work/tfvenv/bin/python scripts/record_tf1_api.py
[out.json]`). The recording is TF1's behaviour, kept as test data: tests/compat/test_signatures.py
checks graphflow's signatures against it and scripts/gen_compat_doc.py builds docs/compat.md
from it. The output is deterministic (sorted keys, addresses stripped from reprs).
"""

from __future__ import annotations

import inspect
import json
import os
import re
import sys
import types

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # tf.compat.v1.layers lives in tf_keras

# The tf.compat.v1 submodules graphflow users reach for ("" is the root, tf.*).
MODULES = ("", "nn", "layers", "train", "losses", "math", "random", "image", "summary", "data",
           "metrics", "errors", "app", "flags", "gfile", "logging", "initializers", "linalg")

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _repr(value) -> str:
    return _ADDRESS.sub("", repr(value))


def _parameters(obj):
    """[[name, kind, default repr or None], ...] or None when Python cannot tell."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = []
    for p in sig.parameters.values():
        default = None if p.default is inspect.Parameter.empty else _repr(p.default)
        params.append([p.name, p.kind.name, default])
    return params


def _kind(value) -> str:
    if isinstance(value, types.ModuleType):
        return "module"
    if inspect.isclass(value):
        return "class"
    if callable(value):
        return "function"
    return "constant"


def _entry(value) -> dict:
    kind = _kind(value)
    entry = {"kind": kind}
    if kind == "function":
        entry["params"] = _parameters(value)
    elif kind == "class":
        init = value.__dict__.get("__init__") or getattr(value, "__init__", None)
        params = _parameters(init) if init not in (None, object.__init__) else []
        if params and params[0][0] == "self":
            params = params[1:]
        entry["params"] = params
    elif kind == "constant":
        entry["repr"] = _repr(value)[:200]
    return entry


def record() -> dict:
    import tensorflow as tf

    v1 = tf.compat.v1
    modules = {}
    for name in MODULES:
        module = v1 if not name else getattr(v1, name, None)
        if module is None:
            continue
        names = {}
        for attr in sorted(dir(module)):
            if attr.startswith("_"):
                continue
            try:
                value = getattr(module, attr)
            except Exception:  # noqa: BLE001 - a lazily loaded name that fails to import
                continue
            names[attr] = _entry(value)
        modules[name or "tf"] = names
    return {"tensorflow_version": tf.__version__, "modules": modules}


def main(argv) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    out = argv[1] if len(argv) > 1 else os.path.join(here, "..", "tests", "compat", "data",
                                                     "tf1_api.json")
    data = record()
    with open(out, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
    total = sum(len(v) for v in data["modules"].values())
    print(f"recorded {total} names in {len(data['modules'])} modules to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
