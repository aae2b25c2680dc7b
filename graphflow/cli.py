"""The `graphflow` command: `info` (what this install can run), `draw` (a saved graph), `bench`.

Every subcommand returns an exit status from `main(argv)`, so tests call it directly and the
console script (`[project.scripts]` in pyproject.toml) only adds `sys.exit`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import warnings
from pathlib import Path

THREAD_VARIABLES = ("GRAPHFLOW_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                    "MKL_NUM_THREADS", "GRAPHFLOW_EXECUTOR")


# --- info -------------------------------------------------------------------------------------
def _blas() -> dict:
    """NumPy's BLAS and LAPACK as its build recorded them (NumPy >= 1.25), else {}."""
    import numpy as np

    try:
        config = np.show_config(mode="dicts")
    except TypeError:  # an older NumPy: show_config only prints
        return {}
    deps = (config or {}).get("Build Dependencies", {})
    out = {}
    for key in ("blas", "lapack"):
        dep = deps.get(key) or {}
        if dep:
            out[key] = {k: dep.get(k) for k in ("name", "version", "found")
                        if dep.get(k) is not None}
            if dep.get("openblas configuration"):
                out[key]["configuration"] = dep["openblas configuration"]
    return out


def _openmp() -> dict:
    """OpenMP threads of the compiled run loop, checked with a real parallel reduction."""
    import numpy as np

    from graphflow._ext import runloop

    threads = int(runloop.openmp_max_threads())
    values = np.ones(100_000)
    ok = float(runloop.openmp_parallel_sum(values)) == float(values.size)
    return {"max_threads": threads, "parallel_sum_ok": ok}


def _threads() -> dict:
    """The thread policy the cpu executor applies, applied, and the BLAS libraries it governs."""
    from graphflow.threads import apply_thread_policy, blas_libraries

    policy = apply_thread_policy()
    return {"openmp": policy.openmp, "blas": policy.blas, "reason": policy.reason,
            "blas_libraries": blas_libraries()}


def collect_info() -> dict:
    """Everything `graphflow info` prints, as plain data (also its `--json` output)."""
    import numpy as np

    import graphflow
    from graphflow.executors import executor_status
    from graphflow.session import DEFAULT_EXECUTOR
    from graphflow.viz import dot_binary

    executors = {name: {"available": bool(ok), "reason": reason}
                 for name, (ok, reason) in executor_status().items()}
    threads = _threads()  # before _openmp(), so that it reports the count the executor sets
    return {
        "graphflow": graphflow.__version__,
        "location": str(Path(graphflow.__file__).parent),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "numpy": np.__version__,
        "blas": _blas(),
        "cpu_count": os.cpu_count(),
        "openmp": _openmp(),
        "threads": threads,
        "environment": {k: os.environ[k] for k in THREAD_VARIABLES if k in os.environ},
        "executors": executors,
        "default_executor": DEFAULT_EXECUTOR,
        "graphviz_dot": dot_binary(),
    }


def _print_info(info: dict) -> None:
    rows = [("graphflow", f"{info['graphflow']} ({info['location']})"),
            ("python", info["python"]), ("platform", info["platform"]),
            ("numpy", info["numpy"])]
    for key, dep in info["blas"].items():
        text = " ".join(str(dep[k]) for k in ("name", "version") if k in dep) or "unknown"
        if dep.get("configuration"):
            text += f" ({dep['configuration'].strip()})"
        rows.append((key, text))
    if not info["blas"]:
        rows.append(("blas", "unknown (this NumPy does not report its build configuration)"))
    omp = info["openmp"]
    threads = info["threads"]
    rows.append(("cpus", str(info["cpu_count"])))
    rows.append(("openmp threads", f"{omp['max_threads']} (graphflow's kernels; parallel check "
                                   f"{'ok' if omp['parallel_sum_ok'] else 'FAILED'})"))
    for lib in threads["blas_libraries"]:
        layer = f", threading layer {lib['threading_layer']}" if lib["threading_layer"] else ""
        rows.append(("blas library", f"{lib['name']} {lib['version'] or ''}{layer} "
                                     f"({lib['filepath']})"))
        rows.append(("blas threads", str(lib["threads"])))
    if not threads["blas_libraries"]:
        rows.append(("blas library", "none found by threadpoolctl"))
    rows.append(("thread policy", threads["reason"]))
    chosen = info["environment"].get("GRAPHFLOW_EXECUTOR")
    rows.append(("default executor", info["default_executor"] + (
        f" (GRAPHFLOW_EXECUTOR={chosen})" if chosen else " (GRAPHFLOW_EXECUTOR not set)")))
    for key in THREAD_VARIABLES:
        rows.append((key, info["environment"].get(key, "not set")))
    rows.append(("graphviz dot", info["graphviz_dot"] or "not found (apt-get install graphviz)"))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    print("executors:")
    for name, status in info["executors"].items():
        state = "available" if status["available"] else f"not available: {status['reason']}"
        print(f"  {name:<{width - 2}}  {state}")


def cmd_info(args: argparse.Namespace) -> int:
    info = collect_info()
    if args.json:
        print(json.dumps(info, indent=2, sort_keys=True))
    else:
        _print_info(info)
    return 0


# --- draw -------------------------------------------------------------------------------------
def cmd_draw(args: argparse.Namespace) -> int:
    from graphflow.core.graph import Graph
    from graphflow.errors import GraphError
    from graphflow.io.graph_json import import_graph_json
    from graphflow.viz import GraphvizNotFoundError, render, to_dot

    try:
        text = Path(args.graph).read_text()
    except OSError as err:
        print(f"graphflow draw: cannot read {args.graph}: {err.strerror}", file=sys.stderr)
        return 1
    try:
        graph = Graph()
        with graph.as_default():  # an empty Graph is falsy: import_graph_json would use the default
            import_graph_json(text, graph)
    except (ValueError, KeyError) as err:
        print(f"graphflow draw: {args.graph} is not a graphflow graph JSON file: {err}",
              file=sys.stderr)
        return 1
    collapse = (True if args.collapse_all else False if args.expand_all
                else args.collapse or "auto")
    options = {"fetches": args.fetch or None, "collapse_scopes": collapse,
               "show_shapes": not args.no_shapes, "title": args.title}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if args.output is None:
                text = to_dot(graph, **options)
            else:
                path = render(graph, args.output, format=args.format, **options)
        except (GraphvizNotFoundError, GraphError) as err:
            print(f"graphflow draw: {err}", file=sys.stderr)
            return 1
    for warning in caught:
        print(f"graphflow draw: warning: {warning.message}", file=sys.stderr)
    if args.output is None:
        sys.stdout.write(text)
    else:
        print(f"wrote {path}")
    return 0


# --- bench ------------------------------------------------------------------------------------
def cmd_bench(bench_args: list[str]) -> int:
    import importlib

    try:
        bench = importlib.import_module("graphflow.bench")
    except ModuleNotFoundError as err:
        if err.name != "graphflow.bench":
            raise
        print("graphflow bench: the benchmark suite (graphflow.bench) is not part of this "
              "install yet.", file=sys.stderr)
        return 2
    result = bench.main(list(bench_args))
    return int(result or 0)


# --- the parser -------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="graphflow", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    info = sub.add_parser("info", help="version, executors, BLAS and thread counts")
    info.add_argument("--json", action="store_true", help="print the report as JSON")
    info.set_defaults(func=cmd_info)

    draw = sub.add_parser("draw", help="draw a saved graph (graph JSON) with graphviz")
    draw.add_argument("graph", help="a graph saved by graphflow.io.export_meta_graph / "
                                    "graph_to_json (a .json or .meta.json file)")
    draw.add_argument("-o", "--output", help="picture to write (.svg, .png, .pdf, .dot); "
                                             "without it the DOT text goes to stdout")
    draw.add_argument("-f", "--format", help="picture format when the suffix does not say")
    folding = draw.add_mutually_exclusive_group()
    folding.add_argument("--collapse", nargs="+", metavar="SCOPE",
                         help="draw these name scopes as one box each, wherever they sit "
                              "(e.g. gradients Adam); the default folds gradients, optimizer "
                              "updates and variable initializers")
    folding.add_argument("--collapse-all", action="store_true",
                         help="draw every top-level name scope as one box")
    folding.add_argument("--expand-all", action="store_true",
                         help="draw every node, gradients and optimizer updates included")
    draw.add_argument("--fetch", nargs="+", metavar="NAME",
                      help="draw only what these tensors, ops or name scopes (by name) "
                           "depend on")
    draw.add_argument("--no-shapes", action="store_true", help="no dtype/shape on edges")
    draw.add_argument("--title", help="a title above the picture")
    draw.set_defaults(func=cmd_draw)

    # Listed for --help only: main() hands everything after `bench` to the suite unparsed.
    sub.add_parser("bench", help="run the benchmark suite and print the ratio table "
                                 "(arguments go to the suite: `graphflow bench --help`)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the `graphflow` command with `argv` (default: sys.argv[1:]); returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["bench"]:
        return cmd_bench(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        import graphflow

        print(f"graphflow {graphflow.__version__}")
        return 0
    if args.command is None:
        parser.print_help()
        return 2
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover - `python -m graphflow.cli`
    sys.exit(main())
