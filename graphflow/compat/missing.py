"""The TF1 names graphflow does not have yet, and the message for a name it does not know.

Python's own "Did you mean" suggests the closest spelling, which misleads for TF1 names
(`tf.sin` once suggested `sign`, `tf.cond` `round`); this says plainly what is missing. A name
TF1 has (tf1_names.json, generated from the recording of TF1's API by scripts/gen_compat_doc.py)
is reported as a TF1 API graphflow does not support, pointing to docs/compat.md; any other name
as a typo, with a suggestion only when a close graphflow name exists.
"""

from __future__ import annotations

import difflib
import functools
import json
import pathlib

COMPAT_DOC = "docs/compat.md"
TF1_NAMES = pathlib.Path(__file__).with_name("tf1_names.json")

EXAMPLE_PROTOS = ("graphflow has no Example protos, so it cannot parse them; "
                  "tf.data.TFRecordDataset gives each record's bytes, which tf.py_func can decode")

# TF1 name -> what it is, for "graphflow has no tf.<name> yet (<what>)".
KNOWN_MISSING = {
    "enable_resource_variables": "graphflow's variables are TF1's reference variables",
    "estimator": "TF1's Estimator API is not supported",
    "saved_model": "SavedModel is not supported; use tf.train.Saver",
    "sparse": "sparse tensors are not supported",
    "SparseTensor": "sparse tensors are not supported",
    "string_split": "string ops are not supported",
    "TensorArray": "TensorArray is not supported; map_fn, scan and while_loop cover its uses",
    "FIFOQueue": "queues are not supported; use tf.data",
    "train.string_input_producer": "queue runners are not supported",
    **{name: EXAMPLE_PROTOS for name in ("parse_example", "parse_single_example",
                                         "parse_single_sequence_example", "FixedLenFeature",
                                         "FixedLenSequenceFeature", "VarLenFeature")},
}

NN_KNOWN_MISSING = {
    "fixed_unigram_candidate_sampler": "not implemented yet; use log_uniform_candidate_sampler",
    "ctc_loss": "not implemented yet",
}


@functools.cache
def tf1_names() -> dict:
    """{"tf": [...], "tf.nn": [...], ...}: the public names of TF1's modules (tf.compat.v1)."""
    with open(TF1_NAMES, encoding="utf-8") as f:
        return {prefix: frozenset(names) for prefix, names in json.load(f).items()}


def is_tf1_name(prefix: str, name: str) -> bool:
    """Whether `<prefix>.<name>` (e.g. "tf.nn", "ctc_loss") is part of TF1's API."""
    return name in tf1_names().get(prefix, ())


def missing_attribute(module: str, prefix: str, name: str, known: dict, names) -> AttributeError:
    """The AttributeError for `<prefix>.<name>` on `module`, whose public names are `names`."""
    if name in known:
        return AttributeError(f"graphflow has no {prefix}.{name} ({known[name]}); see "
                              f"{COMPAT_DOC} for what graphflow supports")
    if is_tf1_name(prefix, name):
        return AttributeError(f"graphflow does not support {prefix}.{name} (a TF1 API); see "
                              f"{COMPAT_DOC} for what graphflow supports")
    public = [n for n in names if not n.startswith("_")]
    close = difflib.get_close_matches(name, public, n=1, cutoff=0.88)
    hint = f"; did you mean {prefix}.{close[0]}?" if close else ""
    return AttributeError(f"module '{module}' has no attribute '{name}' ({prefix}.{name} is not "
                          f"a TF1 name either{hint})")


def module_getattr(module: str, prefix: str, known: dict | None = None):
    """A module-level `__getattr__` for a graphflow module standing for TF1's `<prefix>`."""
    import sys

    def __getattr__(name: str):
        if name.startswith("__"):  # Python's own probes (__path__, __wrapped__, ...)
            raise AttributeError(f"module '{module}' has no attribute '{name}'")
        raise missing_attribute(module, prefix, name, known or {}, vars(sys.modules[module]))

    return __getattr__


def unsupported_argument(function: str, argument: str, value) -> ValueError:
    """The error for a TF1 argument graphflow accepts only at its default value."""
    return ValueError(f"{function}() does not support {argument}={value!r} in graphflow; see "
                      f"{COMPAT_DOC} for what graphflow supports")
