"""`graphflow bench`: workloads W1-W5 (docs/performance.md), timed beside NumPy and any peers.

Prints a table of medians and ratios to the NumPy baseline and can write the rows as JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform

from graphflow.bench.report import format_table
from graphflow.bench.workloads import WORKLOADS, Row


def usable_executors(executors) -> list:
    """The executors that can run here; each one that cannot is skipped with its reason printed
    (e.g. cuda without CuPy or a GPU: the `available()` reason)."""
    from graphflow.executors import executor_status

    status, usable = executor_status(), []
    for name in executors:
        ok, why = status.get(name, (False, f"no executor named {name!r}; registered: "
                                           f"{', '.join(sorted(status))}"))
        if ok:
            usable.append(name)
        else:
            print(f"graphflow bench: skipping executor {name!r}: {why}")
    return usable


def run(workloads=None, executors=("cpu", "reference"), peers: bool = True) -> list:
    """Rows for each workload: NumPy, each usable executor, then installed peers (with the cuda
    executor, PyTorch on the GPU too)."""
    from graphflow.bench.peers import peer_rows
    from graphflow.bench.peers_gpu import torch_gpu_rows

    usable = usable_executors(executors)
    rows = []
    for name in workloads or list(WORKLOADS):
        rows.extend(WORKLOADS[name](usable))
        if peers:
            rows.extend(peer_rows(name))
            if "cuda" in usable:
                rows.extend(torch_gpu_rows(name))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="graphflow bench", description=__doc__)
    parser.add_argument("workloads", nargs="*", metavar="WORKLOAD",
                        help=f"which workloads (default: all of {', '.join(WORKLOADS)})")
    parser.add_argument("--executors", default="cpu,reference",
                        help="comma-separated executors to time (default: cpu,reference)")
    parser.add_argument("--json", metavar="PATH", help="also write the rows as JSON")
    parser.add_argument("--no-peers", action="store_true",
                        help="skip the peer frameworks even when they are installed")
    parser.add_argument("--memory", action="store_true",
                        help="also measure peak memory of W3 and W4 (fresh processes)")
    parser.add_argument("--curve", action="store_true",
                        help="also time W5's phases (build, gradient, compile, lower, first run) "
                             "for chains of --curve-lengths ops")
    parser.add_argument("--curve-lengths", default="1000,10000,100000", metavar="N,N,...",
                        help="chain lengths for --curve (default: 1000,10000,100000; the "
                             "longest takes about a minute)")
    args = parser.parse_args(argv)
    unknown = [w for w in args.workloads if w not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workloads {unknown}; choose from {list(WORKLOADS)}")
    only_curve = args.curve and not args.workloads
    rows = [] if only_curve else run(args.workloads or None, tuple(args.executors.split(",")),
                                     not args.no_peers)
    if rows:
        print(format_table(rows))
    if args.curve:
        from graphflow.bench.scaling import PHASES, curve, format_curve

        lengths = tuple(int(n) for n in args.curve_lengths.split(","))
        results = curve(lengths, args.executors.split(",")[0])
        print(("\n" if rows else "") + format_curve(results))
        rows += [Row(f"W5 curve {r['ops']}", phase, r[phase], f"{r['nodes']} nodes")
                 for r in results for phase in PHASES]
    if args.memory:
        from graphflow.bench.memory import memory_table

        print()
        print(memory_table(tuple(e for e in args.executors.split(",") if e != "reference")))
    if args.json:
        meta = {"date": datetime.date.today().isoformat(), "machine": platform.machine(),
                "processor": platform.processor(), "cores": os.cpu_count(),
                "python": platform.python_version()}
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "rows": [r._asdict() for r in rows]}, f, indent=1)
    return 0
