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
from graphflow.bench.workloads import WORKLOADS


def run(workloads=None, executors=("cpu", "reference"), peers: bool = True) -> list:
    """Rows for each workload: NumPy, each usable executor, then installed peers."""
    from graphflow.bench.peers import peer_rows
    from graphflow.executors import executor_status

    usable = [e for e in executors if executor_status().get(e, (False, ""))[0]]
    rows = []
    for name in workloads or list(WORKLOADS):
        rows.extend(WORKLOADS[name](usable))
        if peers:
            rows.extend(peer_rows(name))
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
    args = parser.parse_args(argv)
    unknown = [w for w in args.workloads if w not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workloads {unknown}; choose from {list(WORKLOADS)}")
    rows = run(args.workloads or None, tuple(args.executors.split(",")), not args.no_peers)
    print(format_table(rows))
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
