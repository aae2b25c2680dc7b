"""The API reference: each name of the TF1 surface has a docstring a user can work from, and
every example in the reference runs.

The surface (scripts/gen_api_reference.py, over the comparison that writes docs/compat.md) is
graphflow's TF1 functions and classes and the public methods of those classes. Each needs a
summary line, an `Args:` section naming every parameter, a `Returns:` (functions and methods
that return something) and an `Examples:` section with `>>>` lines (Google style; mkdocstrings
renders `Examples:` as code, a singular `Example:` as prose). Names not documented yet are
listed in UNDOCUMENTED, which may only shrink: a new public name without a docstring fails,
and so does a listed name that gained one. Every
docstring example of the modules the reference shows runs as a doctest, each in a fresh
default graph with NumPy's printing fixed (PRINTING).
"""

from __future__ import annotations

import ast
import doctest
import importlib
import importlib.util
import inspect
import re
import textwrap
from pathlib import Path

import numpy as np
import pytest

import graphflow as tf

ROOT = Path(__file__).resolve().parents[2]


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_api_reference",
                                                  ROOT / "scripts" / "gen_api_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _load_generator()
ENTRIES = GEN.entries()

SECTION = re.compile(r"^(?P<title>[A-Z][\w ]*):\s*$")
ARG = re.compile(r"^(?P<name>\*{0,2}\w+)\s*(\([^)]*\))?\s*:")


def sections(doc: str) -> dict[str, list[str]]:
    """Google-style sections of a cleaned docstring: title -> its (indented) lines."""
    found: dict[str, list[str]] = {}
    current = None
    for line in doc.splitlines()[1:]:
        match = SECTION.match(line)
        if match:
            current = found.setdefault(match["title"], [])
        elif current is not None and (line.startswith(" ") or not line.strip()):
            current.append(line)
        elif line.strip():
            current = None
    return found


def documented_args(lines: list[str]) -> set[str]:
    indents = [len(x) - len(x.lstrip()) for x in lines if x.strip()]
    base = min(indents, default=0)
    names = set()
    for line in lines:
        if line.strip() and len(line) - len(line.lstrip()) == base:
            match = ARG.match(line.strip())
            if match:
                names.add(match["name"].lstrip("*"))
    return names


def _parameters(obj, kind: str) -> list[str]:
    target = obj.__init__ if kind == "class" else obj
    if kind == "class" and not inspect.isfunction(target):
        return []  # object's or Exception's own __init__: nothing of graphflow's to document
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):
        return []
    names = [p.name for p in sig.parameters.values()]
    if kind in ("class", "method") and names and names[0] in ("self", "cls"):
        names = names[1:]
    return names


def _returns_nothing(obj) -> bool:
    """Annotated `-> None`, or no `return value` and no `yield` in its own body."""
    try:
        if inspect.signature(obj).return_annotation in (None, "None"):
            return True
        tree = ast.parse(textwrap.dedent(inspect.getsource(obj)))
    except (TypeError, ValueError, OSError, SyntaxError):
        return False
    body = tree.body[0]
    nested = {id(n) for top in ast.walk(body) if top is not body and isinstance(
        top, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef))
        for n in ast.walk(top)}
    return not any(id(n) not in nested and (isinstance(n, (ast.Yield, ast.YieldFrom)) or (
        isinstance(n, ast.Return) and n.value is not None)) for n in ast.walk(body))


def problems(obj, kind: str) -> list[str]:
    """What the object's docstring lacks ([] when it has all the reference needs)."""
    doc = GEN.own_doc(obj) if kind != "property" else inspect.cleandoc(obj.__doc__ or "")
    if not doc.strip():
        return ["no docstring"]
    found = []
    if not doc.splitlines()[0].strip():
        found.append("no summary line")
    if kind == "property":
        return found  # a property is its summary; its class's example shows it
    parts = sections(doc)
    params = _parameters(obj, kind)
    if params:
        missing = [p for p in params if p not in documented_args(parts.get("Args", []))]
        if missing:
            found.append(f"Args: does not name {', '.join(missing)}")
    if kind != "class" and not _returns_nothing(obj) and \
            not ({"Returns", "Yields"} & set(parts)):
        found.append("no Returns: section")
    if not any(line.strip().startswith(">>>") for line in parts.get("Examples", [])):
        found.append("no Examples: with >>> lines")
    return found


# Names without a complete docstring yet, sorted, one a line (empty: every name has its entry).
# A new public name comes with its docstring; listing it here only defers that, and the
# test below fails once it is documented, so the set only shrinks.
UNDOCUMENTED: set[str] = set()


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.path not in UNDOCUMENTED],
                         ids=lambda e: e.path)
def test_each_public_name_has_a_reference_docstring(entry):
    found = problems(entry.obj, entry.kind)
    assert not found, (f"{entry.path} ({', '.join(entry.tf_names) or 'a member'}): "
                       f"{'; '.join(found)}. Write its docstring (Google style, with "
                       f"Examples: that run), or, for a new name only, list it in UNDOCUMENTED")


def test_undocumented_only_shrinks():
    by_path = {e.path: e for e in ENTRIES}
    gone = sorted(UNDOCUMENTED - set(by_path))
    assert not gone, f"UNDOCUMENTED lists names that are not in the TF1 surface: {gone}"
    done = sorted(p for p in UNDOCUMENTED if not problems(by_path[p].obj, by_path[p].kind))
    assert not done, f"these are documented now; remove them from UNDOCUMENTED: {done}"


def test_the_checker_finds_what_a_docstring_lacks():
    def good(x, axis=None, name=None):
        """Sum of x.

        Args:
            x: A tensor.
            axis (int): The axis.
            name: The op's name.

        Returns:
            A tensor.

        Examples:
            >>> 1 + 1
            2
        """

    def bare(x, axis=None):
        """Sum of x."""
        return x

    def no_axis(x, axis=None):
        """Sum of x.

        Args:
            x: A tensor, with
                axis: not a parameter line (deeper).

        Returns:
            A tensor.
        """

    assert problems(good, "function") == []
    assert problems(bare, "function") == ["Args: does not name x, axis", "no Returns: section",
                                          "no Examples: with >>> lines"]
    assert problems(no_axis, "function") == ["Args: does not name axis",
                                             "no Examples: with >>> lines"]
    assert problems(lambda: None, "function") == ["no docstring"]

    def setter(name, value):
        """Set it.

        Args:
            name: The key.
            value: The value.

        Examples:
            >>> 1
            1
        """
        def inner():
            return 1
        del inner

    assert problems(setter, "function") == []  # returns nothing: no Returns: needed


def test_the_surface_holds_what_users_look_up_first():
    paths = {e.path for e in ENTRIES}
    for path in ("graphflow.ops.state.placeholder", "graphflow.ops.reduce.reduce_sum",
                 "graphflow.core.graph.Graph.get_tensor_by_name",
                 "graphflow.profiling.RunMetadata.write_chrome_trace",
                 "graphflow.session.Session.run", "graphflow.ops.elementwise.exp"):
        assert path in paths


def test_every_name_is_on_an_api_page():
    targets = GEN.page_targets()
    missing = sorted({e.path.rsplit(".", 1)[0] for e in ENTRIES
                      if e.kind in ("function", "class") and not GEN.on_a_page(e, targets)})
    assert not missing, f"add `::: <module>` for these to a docs/api page: {missing}"


def test_the_names_page_is_current():
    page = ROOT / "docs" / "api" / "tf1-names.md"
    targets = GEN.page_targets()
    assert page.read_text() == GEN.page_text(lambda e: GEN.has_docstring(e, targets)), (
        "docs/api/tf1-names.md is stale: run .venv/bin/python scripts/gen_api_reference.py")


def _reference_modules() -> list[str]:
    """The modules the surface comes from and those the API pages show."""
    names = {e.path.rsplit(".", 1)[0] for e in ENTRIES if e.kind in ("function", "class")}
    for page in (ROOT / "docs" / "api").glob("*.md"):
        names |= set(re.findall(r"^::: (graphflow[\w.]*)", page.read_text(), re.M))
    modules = []
    for name in sorted(names):
        try:
            importlib.import_module(name)
        except ImportError:
            continue  # a class path (module.Class), not a module
        modules.append(name)
    return modules


# NumPy's printing in the examples: 4 digits, and scalars shown as 2.0 rather than
# np.float32(2.0) (NumPy 1's style, which `legacy` keeps on NumPy 2).
PRINTING = {"precision": 4, "suppress": True, "linewidth": 88}
if int(np.__version__.split(".")[0]) >= 2:
    PRINTING["legacy"] = "1.25"


def _doctests(module_name):
    module = importlib.import_module(module_name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    return [t for t in finder.find(module, module_name, globs={}) if t.examples]


@pytest.mark.parametrize("module_name", _reference_modules())
def test_docstring_examples_run(module_name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples may write checkpoints or traces
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    failures = []
    for test in _doctests(module_name):
        test.globs = {"tf": tf, "np": np}
        tf.reset_default_graph()
        with np.printoptions(**PRINTING):
            out: list[str] = []
            result = runner.run(test, out=out.append, clear_globs=True)
        if result.failed:
            failures.append("".join(out))
    tf.reset_default_graph()
    assert not failures, "\n".join(failures)
