"""The TF1 names graphflow does not have yet, and the message for a name it does not know.

Python's own "Did you mean" suggests the closest spelling, which misleads for TF1 names
(`tf.sin` once suggested `sign`, `tf.cond` `round`); this says plainly what is missing.
"""

from __future__ import annotations

import difflib

# TF1 name -> what it is, for "graphflow has no tf.<name> yet (<what>)".
KNOWN_MISSING = {
    "cond": "control flow is planned",
    "case": "control flow is planned",
    "while_loop": "control flow is planned",
    "map_fn": "control flow is planned",
    "scan": "control flow is planned",
    "foldl": "control flow is planned",
    "foldr": "control flow is planned",
    "summary": "summaries are planned",
    "data": "tf.data input pipelines are planned",
    "metrics": "tf.metrics is planned",
    "py_func": "calling Python from a graph is not supported",
    "py_function": "calling Python from a graph is not supported",
    "print": "use tf.Print, which graphflow has",
    "atan2": "not implemented yet",
    "erfc": "not implemented yet",
    "lgamma": "not implemented yet",
    "digamma": "not implemented yet",
    "enable_resource_variables": "graphflow's variables are TF1's reference variables",
    "estimator": "tf.estimator is not supported",
    "keras": "tf.keras is not supported; use tf.layers",
    "saved_model": "SavedModel is not supported; use tf.train.Saver",
    "sparse": "sparse tensors are not supported",
    "SparseTensor": "sparse tensors are not supported",
    "string_split": "string ops are not supported",
    "TensorArray": "TensorArray needs control flow, which is planned",
    "FIFOQueue": "queues are not supported; tf.data is planned",
    "train.string_input_producer": "queue runners are not supported",
}

NN_KNOWN_MISSING = {
    "rnn_cell": "RNNs are planned",
    "dynamic_rnn": "RNNs are planned",
    "static_rnn": "RNNs are planned",
    "bidirectional_dynamic_rnn": "RNNs are planned",
    "nce_loss": "not implemented yet",
    "sampled_softmax_loss": "not implemented yet",
    "ctc_loss": "not implemented yet",
}


def missing_attribute(module: str, prefix: str, name: str, known: dict, names) -> AttributeError:
    """The AttributeError for `<prefix>.<name>` on `module`, whose public names are `names`."""
    if name in known:
        return AttributeError(f"graphflow has no {prefix}.{name} yet ({known[name]})")
    public = [n for n in names if not n.startswith("_")]
    close = difflib.get_close_matches(name, public, n=1, cutoff=0.88)
    hint = f"; did you mean {prefix}.{close[0]}?" if close else ""
    return AttributeError(f"module '{module}' has no attribute '{name}' ({prefix}.{name} is not "
                          f"part of graphflow's TF1 surface{hint})")
