"""The ratio table: each variant's median against the NumPy baseline of its workload."""

from __future__ import annotations


def _fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.3f} ms"
    return f"{seconds:.3f} s"


def format_table(rows) -> str:
    baseline = {r.workload: r.seconds for r in rows if r.variant == "numpy"}
    groups = {}
    for r in rows:
        base_key = r.workload if r.workload in baseline else r.workload.rsplit(" ", 1)[0] + " run"
        groups.setdefault(r.workload, []).append((r, baseline.get(r.workload,
                                                                  baseline.get(base_key))))
    lines = [f"{'workload':<22} {'variant':<22} {'median':>12} {'x NumPy':>9}", "-" * 68]
    for workload, items in groups.items():
        for r, base in items:
            ratio = f"{r.seconds / base:.2f}" if base else "-"
            lines.append(f"{workload:<22} {r.variant:<22} {_fmt(r.seconds):>12} {ratio:>9}")
    lines.append("x NumPy: time relative to the hand-written NumPy baseline in the same run "
                 "(lower is faster).")
    return "\n".join(lines)
