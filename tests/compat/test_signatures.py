"""graphflow's TF1 surface against a recording of TF1's (tests/compat/data/tf1_api.json).

Every function and class graphflow has under a TF1 name takes TF1's parameters in TF1's order
with TF1's defaults, except the differences explained in graphflow/compat/differences.py (which
docs/compat.md lists too); a typo'd keyword names the public function; a name graphflow lacks
says whether TF1 has it and points to docs/compat.md; no message of graphflow's recommends an
API that does not exist; docs/compat.md and graphflow/compat/tf1_names.json are what
scripts/gen_compat_doc.py writes.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import json
import pathlib
import re
import types

import pytest

import graphflow
from graphflow.compat import differences
from graphflow.compat.differences import (
    BEHAVIOUR,
    SIGNATURES,
    qualified,
    resolve,
    signature_problems,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]
API_FILE = ROOT / "tests" / "compat" / "data" / "tf1_api.json"
API = json.loads(API_FILE.read_text(encoding="utf-8"))


def _gen_compat_doc():
    spec = importlib.util.spec_from_file_location("gen_compat_doc",
                                                  ROOT / "scripts" / "gen_compat_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _present():
    """(qualified name, TF1 entry, graphflow object) for each TF1 function/class graphflow has."""
    for key, names in sorted(API["modules"].items()):
        for name, entry in sorted(names.items()):
            if entry["kind"] in ("function", "class"):
                obj = resolve(graphflow, key, name)
                if obj is not None:
                    yield qualified(key, name), entry, obj


PRESENT = list(_present())


def test_the_recording_covers_tf1s_main_modules():
    modules = API["modules"]
    assert {"tf", "nn", "layers", "train", "losses", "math", "random", "summary", "data",
            "metrics", "errors", "app", "flags", "gfile", "logging", "initializers"} <= set(modules)
    assert modules["tf"]["reduce_sum"]["params"][:3] == [
        ["input_tensor", "POSITIONAL_OR_KEYWORD", None], ["axis", "POSITIONAL_OR_KEYWORD", "None"],
        ["keepdims", "POSITIONAL_OR_KEYWORD", "None"]]
    assert len(PRESENT) > 300  # what graphflow has of it, checked below


def test_the_recording_is_canonical_json():
    """Sorted keys and no memory addresses, so re-recording gives a reviewable diff."""
    text = API_FILE.read_text(encoding="utf-8")
    assert text == json.dumps(API, indent=1, sort_keys=True) + "\n"
    assert " at 0x" not in text


@pytest.mark.parametrize("full,entry,obj", PRESENT, ids=[p[0] for p in PRESENT])
def test_parameters_are_tf1s(full, entry, obj):
    problems = signature_problems(entry["params"], obj)
    if full in SIGNATURES:
        assert problems, (f"{full} now takes TF1's parameters: remove it from "
                          "graphflow/compat/differences.py SIGNATURES")
    else:
        assert not problems, f"{full}: " + "; ".join(problems)


def test_every_explained_difference_names_a_tf1_api():
    def tf1_has(full):
        module, _, name = full[len("tf."):].rpartition(".")
        return name in API["modules"].get(module or "tf", {})

    assert [f for f in {**SIGNATURES, **BEHAVIOUR} if not tf1_has(f)] == []


def test_the_comparison_rule():
    """Same names in the same order and the same defaults; extra keyword parameters allowed;
    literals compare by value and dtypes across the two packages."""
    tf1 = [["x", "POSITIONAL_OR_KEYWORD", None], ["axis", "POSITIONAL_OR_KEYWORD", "None"],
           ["dtype", "POSITIONAL_OR_KEYWORD", "tf.float32"],
           ["dilations", "POSITIONAL_OR_KEYWORD", "[1, 1, 1, 1]"]]

    def same(x, axis=None, dtype=graphflow.float32, dilations=(1, 1, 1, 1), *, extra=0):
        pass

    def reordered(x, dtype=graphflow.float32, axis=None, dilations=(1, 1, 1, 1)):
        pass

    def other_default(x, axis=-1, dtype=graphflow.float32, dilations=(1, 1, 1, 1)):
        pass

    assert signature_problems(tf1, same) == []
    assert signature_problems(tf1, reordered) == ["parameter 1 is 'axis' in TF1 but 'dtype' here"]
    assert signature_problems(tf1, other_default) == ["axis's default is None in TF1 but -1 here"]


# --- typo'd keywords ----------------------------------------------------------------------------
def _public_functions():
    seen = set()
    for key in sorted(API["modules"]):
        module = resolve(graphflow, key)
        if not isinstance(module, types.ModuleType):
            continue
        for name in sorted(dir(module)):
            fn = getattr(module, name, None)
            if (name.startswith("_") or not isinstance(fn, types.FunctionType)
                    or not fn.__module__.startswith("graphflow") or id(fn) in seen):
                continue
            seen.add(id(fn))
            params = inspect.signature(fn).parameters.values()
            if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
                yield qualified(key, name), fn, module


PUBLIC = list(_public_functions())


@pytest.mark.parametrize("full,fn,module", PUBLIC, ids=[p[0] for p in PUBLIC])
def test_a_typod_keyword_names_the_public_function(full, fn, module):
    with pytest.raises(TypeError) as info:
        fn(nmae_typo=1)  # Python refuses the keyword before the function body runs
    message = str(info.value)
    assert re.match(rf"^{re.escape(fn.__name__)}\(\) got an unexpected keyword argument "
                    r"'nmae_typo'$", message), f"{full}: {message}"
    assert getattr(module, fn.__name__, None) is fn, f"{full} is called {fn.__name__}"


def test_typo_tests_cover_the_main_functions():
    names = {fn.__name__ for _, fn, _ in PUBLIC}
    assert {"reduce_sum", "get_variable", "conv2d", "dense", "variable_scope", "gradients",
            "dropout", "softmax_cross_entropy_with_logits", "batch_normalization"} <= names


# --- names graphflow does not have -------------------------------------------------------------
def test_a_tf1_name_graphflow_lacks_points_to_the_compat_page():
    with pytest.raises(AttributeError, match=r"graphflow does not support tf.nn.atrous_conv2d "
                                             r"\(a TF1 API\); see docs/compat.md"):
        graphflow.nn.atrous_conv2d  # noqa: B018
    with pytest.raises(AttributeError, match=r"graphflow does not support tf.sparse_placeholder "
                                             r"\(a TF1 API\)"):
        graphflow.sparse_placeholder  # noqa: B018


# graphflow modules that do not yet route unknown names through compat.missing.module_getattr,
# with who owns them; an entry whose module does fails the test, so that it is removed.
PENDING_GETATTR: dict = {}


def _missing_name(key):
    module = resolve(graphflow, key)
    for name in sorted(API["modules"][key]):
        if not name.startswith("_") and resolve(graphflow, key, name) is None:
            return module, name
    return module, None


@pytest.mark.parametrize("key", sorted(k for k in API["modules"] if k != "tf"
                                      and isinstance(resolve(graphflow, k), types.ModuleType)))
def test_every_module_points_to_the_compat_page_for_a_tf1_name_it_lacks(key):
    module, name = _missing_name(key)
    if name is None:
        pytest.skip(f"graphflow has every name of tf.{key}")
    with pytest.raises(AttributeError) as info:
        getattr(module, name)
    routed = f"tf.{key}.{name}" in str(info.value) and "see docs/compat.md" in str(info.value)
    assert routed != (key in PENDING_GETATTR), str(info.value)


def test_a_typo_is_not_called_a_tf1_api():
    with pytest.raises(AttributeError) as info:
        graphflow.reduce_summ  # noqa: B018
    assert "is not a TF1 name either; did you mean tf.reduce_sum?" in str(info.value)
    assert "docs/compat.md" not in str(info.value)


def test_unsupported_arguments_name_the_function_and_the_page():
    x = graphflow.constant([[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"^gather\(\) does not support batch_dims=1 in "
                                         r"graphflow; see docs/compat.md"):
        graphflow.gather(x, [0], batch_dims=1)
    with pytest.raises(ValueError, match=r"^get_variable\(\) does not support partitioner="):
        graphflow.get_variable("v", [2], partitioner=lambda *a: [1])


# --- API mentions in messages ------------------------------------------------------------------
_MENTION = re.compile(r"(?<![\w.])(tf|graphflow)\.([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(?![\w{])")
# Mentions that are not APIs, each with why; an entry that no longer matches fails the test.
NOT_APIS = {
    ("graphflow/executors/cuda/nvrtc.py", "graphflow.cu"): "a file name given to NVRTC",
    ("graphflow/ops/function_graph.py", "graphflow.FuncGraph"): "a repr, not a recommendation",
}
# Modules that name TF1 APIs graphflow lacks by design (the lists of missing names and the
# explained differences).
_EXEMPT = {"graphflow/compat/missing.py", "graphflow/compat/differences.py"}


def _docstring_ids(tree) -> set:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                and node.body and isinstance(node.body[0], ast.Expr) \
                and isinstance(node.body[0].value, ast.Constant):
            ids.add(id(node.body[0].value))
    return ids


def _message_texts(tree):
    """Each string of the module but its docstrings; an f-string's fields become '{'."""
    skip = _docstring_ids(tree)
    parts = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts.update(id(v) for v in node.values)
            yield node.lineno, "".join(v.value if isinstance(v, ast.Constant) else "{"
                                       for v in node.values)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in skip and id(node) not in parts:
            yield node.lineno, node.value


def _exists(root: str, path: str) -> bool:
    obj, parts = graphflow, path.split(".")
    for i, part in enumerate(parts):
        try:
            obj = getattr(obj, part)
            continue
        except AttributeError:
            pass
        try:
            obj = importlib.import_module("graphflow." + ".".join(parts[:i + 1]))
        except ImportError:
            return False
    return True


def test_messages_mention_only_apis_that_exist():
    found, bad = set(), []
    for path in sorted((ROOT / "graphflow").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in _EXEMPT:
            continue
        for line, text in _message_texts(ast.parse(path.read_text(encoding="utf-8"))):
            for m in _MENTION.finditer(text):
                mention = m.group(0)
                if (rel, mention) in NOT_APIS:
                    found.add((rel, mention))
                elif not _exists(m.group(1), m.group(2)):
                    bad.append(f"{rel}:{line}: {mention}")
    assert bad == []
    assert set(NOT_APIS) == found, f"stale NOT_APIS entries: {set(NOT_APIS) - found}"


def test_the_known_missing_hints_name_apis_that_exist():
    from graphflow.compat.missing import KNOWN_MISSING, NN_KNOWN_MISSING

    for hint in [*KNOWN_MISSING.values(), *NN_KNOWN_MISSING.values()]:
        for m in _MENTION.finditer(hint):
            assert _exists(m.group(1), m.group(2)), hint


# --- generated files ----------------------------------------------------------------------------
def test_compat_doc_is_up_to_date():
    """docs/compat.md is what scripts/gen_compat_doc.py writes (rerun it after API changes)."""
    gen = _gen_compat_doc()
    assert (ROOT / "docs" / "compat.md").read_text(encoding="utf-8") == gen.doc_text(API), \
        "docs/compat.md is stale: run .venv/bin/python scripts/gen_compat_doc.py"


def test_tf1_names_file_is_up_to_date():
    gen = _gen_compat_doc()
    assert (ROOT / "graphflow" / "compat" / "tf1_names.json").read_text(encoding="utf-8") == \
        gen.names_text(API), "tf1_names.json is stale: run scripts/gen_compat_doc.py"


def test_compat_doc_has_no_unexplained_difference_and_is_in_the_nav():
    text = (ROOT / "docs" / "compat.md").read_text(encoding="utf-8")
    assert "unexplained" not in text
    assert "compat.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert differences.MODULES.keys() >= API["modules"].keys()
