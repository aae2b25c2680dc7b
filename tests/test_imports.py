"""graphflow's imports run one way: no import circle, and no layer imports a layer above it.

Read from the source with `ast`, without importing anything. Every `import` counts, at module
level or deferred inside a function (a deferred import is a dependency all the same, and hiding
one in a function is how circles used to creep back), and so does an `importlib.import_module` /
`__import__` of a literal "graphflow..." name. An import names the deepest module that exists:
`from graphflow.ops.array import reshape` depends on `graphflow.ops.array`, and
`from graphflow.ops import Op` on the package `graphflow.ops` (its `__init__`).
"""

from __future__ import annotations

import ast
import pathlib
from typing import NamedTuple

import networkx as nx

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "graphflow"

# The layers, lowest first (see ../shared/DESIGN.md: a graph flows from building, through the
# compiler, to an executor, and no layer reaches back up). A module may import modules of its own
# layer and of any layer below. Each entry is a module or package prefix; the root "graphflow"
# stands for graphflow/__init__.py alone.
LAYERS = [
    # 0. What everything shares: the IR (Graph, Node, Tensor, dtypes, shapes, creation sites), the
    #    error types, nested-structure helpers, and the compiled extension with its thread
    #    settings (the executors and the CLI set them; nothing in them builds graphs).
    ["graphflow.core", "graphflow.errors", "graphflow.nest", "graphflow._ext",
     "graphflow.threads", "graphflow.config", "graphflow.flags", "graphflow.gfile",
     "graphflow.tf_logging", "graphflow.compat.missing", "graphflow.compat.behavior"],
    # 1. Op definitions: the registry and every op (infer, reference compute and gradient side by
    #    side). Gradients build more ops from this layer only.
    ["graphflow.ops"],
    # 2. Symbolic differentiation (`gradients`) over the ops' gradients.
    ["graphflow.autodiff",
     # Control flow (cond, while_loop, ...): If/While ops whose gradients call `gradients`.
     "graphflow.control_flow"],
    # 3. The building library on top of the ops: variables and their scopes, initializers, the NN
    #    and layer helpers, losses, optimizers, schedules and checkpoints (train), graph files
    #    (io; the Saver writes them), data sets and check_numerics (an op outside ops/).
    ["graphflow.variables", "graphflow.variable_scope", "graphflow.initializers", "graphflow.nn",
     "graphflow.layers", "graphflow.contrib", "graphflow.losses", "graphflow.metrics",
     "graphflow.train",
     "graphflow.io", "graphflow.python_io", "graphflow.datasets", "graphflow.debugging",
     "graphflow.assign_ops",
     "graphflow.tf_random", "graphflow.tf_math",
     # graphflow.summary: summary ops (outside ops/) and the TensorBoard FileWriter.
     "graphflow.summary",
     # graphflow.distributed: the MPI collectives (ops outside ops/), DistributedOptimizer over
     # train, broadcasts and sharding; the Saver asks it which rank writes checkpoints.
     "graphflow.distributed"],
    # 4. The compiler: a built graph and its fetches/feeds -> a Plan for an executor's target.
    ["graphflow.compiler"],
    # 5. The executors (reference, cpu) behind the kernel contract; they run Plans.
    ["graphflow.executors"],
    # 6. Running graphs: Session, compiled run signatures, feed/fetch conversion, run metadata;
    #    and tf.data, whose map functions are traced graphs it compiles and runs per element
    #    (the compiler and the cpu executor) like a Session does.
    ["graphflow.session", "graphflow.run_signature", "graphflow.feeds", "graphflow.profiling",
     "graphflow.graph_growth", "graphflow.data", "graphflow.explain"],
    # 7. The public face and what is built on the whole stack: `import graphflow`, the command
    #    line, pictures, benchmarks, ONNX export, Keras (models that own a Session) and the
    #    test-support package.
    ["graphflow", "graphflow.app", "graphflow.compat", "graphflow.cli", "graphflow.viz",
     "graphflow.bench", "graphflow.onnx", "graphflow.keras", "graphflow.testing"],
]

# Imports from a layer to one above it that exist today on purpose, each with its reason, as
# (importer, imported) module names. Keep this list short; an entry that no longer matches an
# import fails the test so that it is removed.
UPWARD_EXCEPTIONS: dict[tuple[str, str], str] = {}

# Private names (`_x`) imported from another module, as (importer, module, name), with the reason
# each is left. A shared helper should be public in the module that owns it.
PRIVATE_EXCEPTIONS: dict[tuple[str, str, str], str] = {
    ("graphflow.bench.peers", "graphflow.bench.workloads", "_check"):
        "bench's shared result check; bench is outside the ops/onnx/autodiff clean-up",
    ("graphflow.bench.peers", "graphflow.bench.workloads", "_mlp_data"):
        "bench's shared MLP data; as above",
    ("graphflow.bench.peers_graph", "graphflow.bench.workloads", "_check"): "as above",
    ("graphflow.bench.peers_graph", "graphflow.bench.workloads", "_mlp_data"): "as above",
    ("graphflow.bench.peers_gpu", "graphflow.bench.workloads", "_check"): "as above",
    ("graphflow.bench.peers_gpu", "graphflow.bench.workloads", "_mlp_data"): "as above",
    ("graphflow.ops.nn_activations", "graphflow.ops.elementwise", "_check_dtype"):
        "the elementwise dtype-class check, shared by the NN activations; to become public",
    ("graphflow.ops.nn_misc", "graphflow.ops.nn_ops", "_log_softmax"):
        "the reference log-softmax, shared by the cross-entropy ops; to become public",
    ("graphflow.variables", "graphflow.core.node", "_default_session"):
        "the default-session slot that core keeps for Tensor.eval / Variable.load",
}


class Import(NamedTuple):
    importer: str
    imported: str
    line: int
    names: tuple[str, ...]  # the names taken by `from imported import ...` (empty otherwise)


def _modules() -> dict[str, pathlib.Path]:
    mods = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


MODULES = _modules()


def _deepest(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _literal_import(node: ast.Call) -> str | None:
    """The module named by `importlib.import_module("graphflow...")` or `__import__("...")`."""
    fn = node.func
    called = fn.attr if isinstance(fn, ast.Attribute) else fn.id if isinstance(fn, ast.Name) \
        else None
    if called not in ("import_module", "__import__") or not node.args:
        return None
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    return None


def _imports_of(name: str, path: pathlib.Path) -> list[Import]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [(a.name, ()) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = package
                for _ in range(node.level - 1):
                    pkg = pkg.rpartition(".")[0]
                base = f"{pkg}.{base}" if base else pkg
            # `from pkg import sub` depends on the submodule; `from mod import f` on the module.
            targets = []
            for a in node.names:
                sub = f"{base}.{a.name}"
                targets.append((sub, ()) if sub in MODULES else (base, (a.name,)))
        elif isinstance(node, ast.Call) and (literal := _literal_import(node)):
            targets = [(literal, ())]
        else:
            continue
        for target, names in targets:
            if target != "graphflow" and not target.startswith("graphflow."):
                continue
            imported = _deepest(target)
            if imported and imported != name:
                found.append(Import(name, imported, node.lineno, names))
    return found


IMPORTS = [imp for name, path in MODULES.items() for imp in _imports_of(name, path)]


def _where(imp: Import) -> str:
    path = MODULES[imp.importer].relative_to(PACKAGE.parent)
    return f"{path}:{imp.line}: {imp.importer} imports {imp.imported}"


def _layer_of(module: str) -> int | None:
    """The index of the layer whose longest prefix names `module` (None if unplaced)."""
    best, best_len = None, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if prefix == "graphflow":
                matches = module == "graphflow"
            else:
                matches = module == prefix or module.startswith(prefix + ".")
            if matches and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    return best


def test_the_checker_sees_the_imports_it_must_count():
    """Guards the checker itself: module-level, deferred, relative and package imports count."""
    edges = {(i.importer, i.imported) for i in IMPORTS}
    assert ("graphflow.ops.cast", "graphflow.ops.constant") in edges  # module level
    assert ("graphflow.ops", "graphflow.ops.array") in edges  # `from graphflow.ops import array`
    assert ("graphflow.cli", "graphflow.bench") in edges  # importlib.import_module("...")
    assert ("graphflow.onnx", "graphflow.onnx.converters") in edges  # deferred, in a function
    assert len(edges) > 300


def test_no_import_cycles():
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    first = {}
    for imp in IMPORTS:
        graph.add_edge(imp.importer, imp.imported)
        first.setdefault((imp.importer, imp.imported), imp)
    circles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    report = []
    for circle in circles:
        cycle = nx.find_cycle(graph.subgraph(circle))
        report.append(f"a circle of {len(circle)} modules: {', '.join(circle)}; for example\n"
                      + "\n".join("    " + _where(first[edge]) for edge in cycle))
    assert not circles, "import circles (deferred imports count):\n" + "\n".join(report)


def test_every_module_has_a_layer():
    unplaced = sorted(m for m in MODULES if _layer_of(m) is None)
    assert not unplaced, f"modules in no layer of LAYERS (add them to the right one): {unplaced}"
    stale = [p for layer in LAYERS for p in layer
             if not any(m == p or m.startswith(p + ".") for m in MODULES)]
    assert not stale, f"LAYERS names modules that do not exist: {stale}"


def test_no_layer_imports_a_layer_above_it():
    upward, used = [], set()
    for imp in IMPORTS:
        low, high = _layer_of(imp.importer), _layer_of(imp.imported)
        if low is None or high is None or high <= low:
            continue
        key = (imp.importer, imp.imported)
        if key in UPWARD_EXCEPTIONS:
            used.add(key)
            continue
        upward.append(f"{_where(imp)} (layer {low} imports layer {high})")
    assert not upward, "imports from a lower layer to a higher one:\n" + "\n".join(upward)
    stale = sorted(set(UPWARD_EXCEPTIONS) - used)
    assert not stale, f"UPWARD_EXCEPTIONS entries that no longer happen (remove them): {stale}"


def test_no_private_names_imported_across_modules():
    found, used = [], set()
    for imp in IMPORTS:
        for name in imp.names:
            if not name.startswith("_") or name.startswith("__"):
                continue
            key = (imp.importer, imp.imported, name)
            if key in PRIVATE_EXCEPTIONS:
                used.add(key)
            else:
                found.append(f"{_where(imp)}: the private name {name}")
    assert not found, ("private names imported from another module (make the helper public in "
                       "the module that owns it):\n" + "\n".join(found))
    stale = sorted(set(PRIVATE_EXCEPTIONS) - used)
    assert not stale, f"PRIVATE_EXCEPTIONS entries that no longer happen (remove them): {stale}"


def _top_level_definitions(path: pathlib.Path) -> tuple[set[str], list[str] | None, bool]:
    """The names a module defines itself, its `__all__` (None if it has none), and whether it
    star-imports another graphflow module."""
    defined, exported, star = set(), None, False
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            defined |= names
            if "__all__" in names and isinstance(node.value, ast.List | ast.Tuple):
                exported = [e.value for e in node.value.elts if isinstance(e, ast.Constant)]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("graphflow"):
            star = star or any(a.name == "*" for a in node.names)
    return defined, exported, star


def test_ops_names_come_from_the_module_that_defines_them():
    """The ops package has one face, graphflow/ops/__init__.py (it imports every op module, so
    every op is registered). Everything else takes an op function or helper from the module that
    defines it, never through an op module that imports it from another (as `array` once
    re-exported four modules and `elementwise` re-exported `cast`)."""
    ops_modules = {m: p for m, p in MODULES.items()
                   if m.startswith("graphflow.ops.") and p.name != "__init__.py"}
    facts = {m: _top_level_definitions(p) for m, p in ops_modules.items()}
    wrong = [f"{MODULES[m].relative_to(PACKAGE.parent)} star-imports another module"
             for m, (_, _, star) in facts.items() if star]
    for imp in IMPORTS:
        if imp.imported not in ops_modules:
            continue
        defined, exported, _ = facts[imp.imported]
        for name in imp.names:
            if name == "*":
                missing = sorted(set(exported or ()) - defined)
                if exported is None or missing:
                    wrong.append(f"{_where(imp)} with `*`: its __all__ must list only names it "
                                 f"defines (not defined there: {missing})")
            elif name not in defined:
                wrong.append(f"{_where(imp)}: {name} is not defined there")
    assert not wrong, "\n".join(wrong)
