"""Where graphflow's TF1 surface differs from TF1's, each difference with its reason, in one place.

TF1's API is recorded by scripts/record_tf1_api.py (tests/compat/data/tf1_api.json: every public
name of tf.compat.v1 and its submodules, with parameter lists). tests/compat/test_signatures.py
checks graphflow against it with `signature_problems`, and scripts/gen_compat_doc.py writes
docs/compat.md from it with `surface`; both read the explanations below, so the page and the test
cannot drift apart.

The rule a graphflow function or class meets: every parameter TF1's has is accepted at the same
position, under the same name, with the same default (a parameter TF1 requires may have a
default in graphflow); graphflow may add parameters after TF1's or keyword-only ones.
"""

from __future__ import annotations

import ast
import inspect
import re

# TF1 module (a key of the recording) -> the graphflow attribute that stands for it.
MODULES = {"tf": "", "nn": "nn", "layers": "layers", "train": "train", "losses": "losses",
           "math": "math", "random": "random", "image": "image", "summary": "summary",
           "data": "data", "metrics": "metrics", "errors": "errors", "app": "app",
           "flags": "flags", "gfile": "gfile", "logging": "logging",
           "initializers": "initializers", "linalg": "linalg"}

# "tf.<module>.<name>" -> why its parameters differ from TF1's (checked: each must still differ).
SIGNATURES = {
    "tf.matmul": "TF 2.x's output_type, grad_a and grad_b (after TF 1.15's b_is_sparse) are not "
                 "accepted: graphflow's matmul keeps its operands' dtype and has no sparse or "
                 "gradient-only mode; pass name= by keyword",
    "tf.map_fn": "TF 2.x's fn_output_signature (after TF 1.15's name) is not accepted; give "
                 "the output structure with dtype, as in TF 1.15",
    "tf.fill": "TF 2.x's `layout` (DTensor) is not accepted; graphflow has no DTensor",
    "tf.ones": "TF 2.x's `layout` (DTensor) is not accepted; graphflow has no DTensor",
    "tf.zeros": "TF 2.x's `layout` (DTensor) is not accepted; graphflow has no DTensor",
    "tf.DType": "graphflow's DTypes are made from their names (`tf.as_dtype('float32')`), not "
                "from TF's protobuf type enums",
    "tf.VariableScope": "construct scopes with `tf.variable_scope(...)`; graphflow's VariableScope "
                        "constructor takes the scope's name and defaults, not TF1's argument list",
    "tf.nn.fused_batch_norm": "TF 2.x's exponential_avg_factor is not accepted; graphflow's "
                              "fused_batch_norm returns the batch statistics as TF 1.15 does",
    "tf.train.Optimizer": "TF 2.x's use_own_namescope_for_non_slot_vars is not accepted",
    "tf.train.AdamOptimizer": "TF 2.x's use_own_namescope_for_non_slot_vars is not accepted",
    "tf.Variable": "synchronization and aggregation (tf.distribute's, which graphflow does not "
                   "have) and TF 2.x's shape are not accepted",
    "tf.get_variable": "synchronization and aggregation (tf.distribute's, which graphflow does "
                       "not have) are not accepted",
    **{f"tf.flags.DEFINE_{kind}": "graphflow's flags are a small subset of absl's, read by "
                                  "absl's rules: absl's required, module_name and extra keyword "
                                  "arguments are not accepted, and the default flag_values is "
                                  "graphflow's own tf.flags.FLAGS"
       for kind in ("bool", "boolean", "float", "integer", "list", "string")},
    **{f"tf.errors.{name}": "graphflow's error classes take the message alone "
                            "(`tf.errors.OutOfRangeError('end of data')`), not TF1's "
                            "(node_def, op, message)"
       for name in ("AlreadyExistsError", "DataLossError", "FailedPreconditionError",
                    "InvalidArgumentError", "NotFoundError", "OpError", "OutOfRangeError",
                    "PermissionDeniedError", "ResourceExhaustedError")},
}

# "tf.<module>.<name>" -> a behaviour that differs from TF1's (documented, not checked here).
BEHAVIOUR = {
    "tf.nn.conv2d": "gradients of an input of unknown rank have 4 dims with the channels known "
                    "from the filter, where TF1 leaves all 4 unknown",
    "tf.nn.sigmoid_cross_entropy_with_logits": "with labels of unknown rank the result has the "
                                               "logits' static shape (TF1 leaves it unknown); "
                                               "integer labels raise a TypeError, as in TF1",
    "tf.nn.softmax_cross_entropy_with_logits_v2": "the labels' gradient has the logits' static "
                                                  "shape where TF1 leaves it unknown",
    "tf.Variable": "caching_device, expected_shape and use_resource change nothing; "
                   "variable_def and import_scope raise",
    "tf.get_variable": "caching_device and use_resource change nothing; partitioner and "
                       "custom_getter raise",
    "tf.variable_scope": "caching_device and use_resource change nothing; partitioner, "
                         "custom_getter and constraint raise",
    "tf.gradients": "colocate_gradients_with_ops, gate_gradients and aggregation_method change "
                    "nothing (graphflow reads every variable before the updates of a run, which "
                    "is what gating guards)",
    "tf.gather": "batch_dims other than 0 raises",
    "tf.train.Saver": "reshape, sharded, keep_checkpoint_every_n_hours, saver_def, builder, "
                      "pad_step_number and filename raise unless at their defaults; the other "
                      "options change nothing; save writes PREFIX.meta as graphflow's JSON graph "
                      "file (collections of graph elements included), not a MetaGraphDef",
    "tf.train.export_meta_graph": "writes graphflow's JSON graph file; meta_info_def, graph_def, "
                                  "saver_def, collection_list, export_scope and clear_devices "
                                  "raise unless at their defaults",
    "tf.train.import_meta_graph": "reads graphflow's JSON graph file (PREFIX.meta, or the "
                                  "older PREFIX.meta.json) with its collections; TF's protobuf "
                                  "MetaGraphDef is recognised and refused; clear_devices and "
                                  "import_scope raise unless at their defaults",
    "tf.layers.batch_normalization": "fused changes nothing; renorm, renorm_clipping, "
                                     "virtual_batch_size and adjustment raise",
    "tf.data.TFRecordDataset": "records are read and CRC-checked as TF does, but graphflow "
                               "cannot parse tf.train.Example protos in them (it has no "
                               "Example protos); buffer_size and num_parallel_reads change "
                               "nothing",
    "tf.data.Dataset": "window() carries each window as one stacked tensor, so a window's "
                       "elements must share their shape, and windows must be flat_map'ed or "
                       "interleave'd into tensors before batching or iterating; interleave's "
                       "default cycle_length is the number of CPUs, as TF's runtime picks it",
    "tf.Print": "first_n counts runs per node, where TF1 counts them per Session",
    # Python's operators and the binary functions name their ops and a converted Python operand
    # as TF1's (`a + 2.0`: `add` reading `add/y`; `tf.add(a, 2.0)`: `Add` reading `Add/y`;
    # tests/compat/test_operator_names.py, test_division.py)
    "tf.logical_xor": "one LogicalXor op (also for `p ^ q`, named `xor`), where TF1 builds "
                      "LogicalOr, LogicalAnd and LogicalNot into one named `LogicalXor`",
    **{f"tf.metrics.{name}": "labels are dense (graphflow has no SparseTensor): the number of "
                             "labels per row must be known while building; pad rows with an "
                             "out-of-range id such as -1"
       for name in ("precision_at_k", "recall_at_k", "precision_at_top_k", "recall_at_top_k",
                    "average_precision_at_k", "sparse_precision_at_k",
                    "sparse_average_precision_at_k")},
}

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_OBJECT = re.compile(r"^<[\w.]*?\.?(\w+) object>$")


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def normalize_default(text):
    """A default's repr in a form comparable across TF and graphflow (None: no default).

    Literals compare by value (a tuple equals a list); `tf.float32` equals `graphflow.float32`;
    an initializer object `<...init_ops.Zeros object>` equals `Zeros()`."""
    if text is None:
        return None
    text = _ADDRESS.sub("", text)
    enum = re.match(r"^<\w+\.\w+: (.+)>$", text)  # an enum member: its value
    text = enum.group(1) if enum else text
    try:
        return ("literal", _plain(ast.literal_eval(text)))
    except (ValueError, SyntaxError):
        pass
    text = re.sub(r"^(tf|graphflow)\.", "dtype:", text)
    obj = _OBJECT.match(text)
    if obj:
        return ("object", obj.group(1))
    call = re.match(r"^(\w+)\(\)$", text)
    if call:
        return ("object", call.group(1))
    return ("text", text)


def parameters(obj):
    """[(name, kind, default repr or None)] of a function, or of a class's __init__; None when
    Python cannot tell."""
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):
        return None
    params = [(p.name, p.kind.name, None if p.default is inspect.Parameter.empty
               else repr(p.default)) for p in sig.parameters.values()]
    if inspect.isclass(obj) and params and params[0][0] == "self":
        params = params[1:]
    return params


_POSITIONAL = ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")


def signature_problems(tf_params, obj) -> list[str]:
    """How `obj`'s parameters break TF1's (`tf_params` as recorded); [] when they do not."""
    ours = parameters(obj)
    if ours is None or tf_params is None:
        return []
    problems = []
    theirs_pos = [p for p in tf_params if p[1] in _POSITIONAL]
    ours_pos = [p for p in ours if p[1] in _POSITIONAL]
    by_name = {p[0]: p for p in ours}
    var_kw = any(p[1] == "VAR_KEYWORD" for p in ours)
    for i, (name, _, default) in enumerate(theirs_pos):
        if i >= len(ours_pos) or ours_pos[i][0] != name:
            got = ours_pos[i][0] if i < len(ours_pos) else "nothing"
            problems.append(f"parameter {i} is {name!r} in TF1 but {got!r} here")
            break
        if default is not None and normalize_default(default) != \
                normalize_default(ours_pos[i][2]):
            got = "none" if ours_pos[i][2] is None else ours_pos[i][2]
            problems.append(f"{name}'s default is {default} in TF1 but {got} here")
    for name, kind, default in tf_params:
        if kind != "KEYWORD_ONLY":
            continue
        if name not in by_name:
            if not var_kw:
                problems.append(f"keyword-only {name!r} is missing")
        elif default is not None and normalize_default(default) != \
                normalize_default(by_name[name][2]):
            got = "none" if by_name[name][2] is None else by_name[name][2]
            problems.append(f"{name}'s default is {default} in TF1 but {got} here")
    return problems


def resolve(graphflow, module_key: str, name: str | None = None):
    """graphflow's counterpart of TF1's `<module>.<name>` (or of the module), or None."""
    obj = graphflow
    path = [p for p in (MODULES.get(module_key, module_key), name) if p]
    for part in path:
        try:
            obj = getattr(obj, part)
        except AttributeError:
            return None
    return obj


def qualified(module_key: str, name: str) -> str:
    return f"tf.{name}" if module_key == "tf" else f"tf.{module_key}.{name}"


def surface(api: dict, graphflow) -> dict:
    """{module key: [(name, kind, status, note)]}: TF1's API against graphflow's.

    status is "supported", "differs" (a difference listed above) or "not supported"."""
    from graphflow.compat.missing import KNOWN_MISSING, NN_KNOWN_MISSING

    known = {"tf": KNOWN_MISSING, "nn": NN_KNOWN_MISSING}
    table = {}
    for key, names in sorted(api["modules"].items()):
        rows = []
        for name, entry in sorted(names.items()):
            full = qualified(key, name)
            obj = resolve(graphflow, key, name)
            if obj is None:
                reason = known.get(key, {}).get(name, "")
                rows.append((name, entry["kind"], "not supported", reason))
                continue
            notes = [n for n in (SIGNATURES.get(full), BEHAVIOUR.get(full)) if n]
            problems = signature_problems(entry.get("params"), obj) \
                if entry["kind"] in ("function", "class") else []
            if problems and full not in SIGNATURES:
                notes.append("unexplained: " + "; ".join(problems))
            rows.append((name, entry["kind"], "differs" if notes else "supported",
                         "; ".join(notes)))
        table[key] = rows
    return table
