"""Per-op profiling of a run: `run(..., options=RunOptions(trace=True), run_metadata=md)`.

The run loop reports each step's start and end; `RunMetadata` keeps them, prints a table sorted
by time, and writes Chrome trace-event JSON (open it in Perfetto or chrome://tracing).
"""

from __future__ import annotations

import json
import os
import threading
from typing import NamedTuple


class RunOptions:
    """TF1's RunOptions: `trace=True` (or `trace_level=RunOptions.FULL_TRACE`) times every op.

    Args:
        trace: Time every op of the run (graphflow's short form).
        trace_level: TF1's form: any level but NO_TRACE times every op.

    Examples:
        >>> options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
        >>> print(options.trace)
        True
    """

    NO_TRACE = 0
    SOFTWARE_TRACE = 1
    HARDWARE_TRACE = 2
    FULL_TRACE = 3

    def __init__(self, trace: bool = False, trace_level: int = NO_TRACE):
        self.trace = bool(trace) or trace_level != self.NO_TRACE


NAME_WIDTH = 48  # the widest name column of RunMetadata.table before names are shortened


def shorten(name: str, width: int) -> str:
    """`name` cut to `width` characters in the middle, keeping the start and the op's end."""
    if len(name) <= width:
        return name
    tail = (width - 1) * 2 // 3
    return name[: width - 1 - tail] + "\u2026" + name[len(name) - tail:]


def _shown_names(names: list[str], width: int) -> list[str]:
    """Each name shortened, unless two different names would then read the same."""
    short = [shorten(n, width) for n in names]
    distinct = {}
    for full, cut in zip(names, short):
        distinct.setdefault(cut, set()).add(full)
    if any(len(fulls) > 1 for fulls in distinct.values()):
        return list(names)
    return short


class OpTiming(NamedTuple):
    name: str
    type: str
    start_ns: int
    end_ns: int
    shapes: tuple
    site: str

    @property
    def seconds(self) -> float:
        return (self.end_ns - self.start_ns) / 1e9


class RunMetadata:
    """Filled by a traced run: `step_stats` holds one OpTiming per executed step, in order.

    Each OpTiming has the step's `name`, op `type`, `start_ns`, `end_ns`, output `shapes` and
    the `site` (file:line) where the op was built. A fused group is one step.

    Examples:
        >>> x = tf.placeholder(tf.float32, [None, 3], name="x")
        >>> y = tf.matmul(x, tf.ones([3, 1]), name="y")
        >>> metadata = tf.RunMetadata()
        >>> with tf.Session() as sess:
        ...     _ = sess.run(y, {x: [[1., 2., 3.]]}, run_metadata=metadata,
        ...                  options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE))
        >>> [(t.name, t.type, t.shapes) for t in metadata.step_stats]
        [('y', 'MatMul', ((1, 1),))]
    """

    def __init__(self):
        self.step_stats: list[OpTiming] = []

    def table(self, top: int | None = None, name_width: int = NAME_WIDTH) -> str:
        """The steps sorted by time, slowest first, with their share of the total.

        Names longer than `name_width` keep their start and their end (`train/gra…/MatMul_1`),
        and are printed whole whenever shortening would make two rows read the same.

        Args:
            top: Show only the `top` slowest steps (None: all).
            name_width: The widest name (and type) column before names are shortened.

        Returns:
            The table as text: time, share, op name, op type and output shapes per step, then the
            total.

        Examples:
            >>> x = tf.placeholder(tf.float32, [None, 3], name="x")
            >>> y = tf.matmul(x, tf.ones([3, 1]), name="y")
            >>> metadata = tf.RunMetadata()
            >>> with tf.Session() as sess:
            ...     _ = sess.run(y, {x: [[1., 2., 3.]]}, run_metadata=metadata,
            ...                  options=tf.RunOptions(trace=True))
            >>> print(metadata.table())  # doctest: +ELLIPSIS
                  time  share  op type   output shapes
            ------------------------------------------
            ...us 100.0%  y  MatMul [1, 1]
            ...us total over 1 steps
        """
        total = sum(t.seconds for t in self.step_stats) or 1.0
        rows = sorted(self.step_stats, key=lambda t: t.end_ns - t.start_ns, reverse=True)
        rows = rows[:top] if top else rows
        names = _shown_names([t.name for t in rows], name_width)
        types = _shown_names([t.type for t in rows], name_width)
        nw = max([len("op"), *map(len, names)])
        tw = max([len("type"), *map(len, types)])
        lines = [f"{'time':>10} {'share':>6}  {'op':<{nw}} {'type':<{tw}} output shapes",
                 "-" * (34 + nw + tw)]
        for t, name, op_type in zip(rows, names, types):
            shapes = ", ".join(str(list(s)) for s in t.shapes)
            lines.append(f"{t.seconds * 1e6:>8.1f}us {t.seconds / total:>6.1%}  "
                         f"{name:<{nw}} {op_type:<{tw}} {shapes}")
        lines.append(f"{total * 1e6:>8.1f}us total over {len(self.step_stats)} steps")
        return "\n".join(lines)

    def chrome_trace(self) -> dict:
        """Trace-event format: one complete ('X') event per op, times in microseconds.

        Returns:
            A dict `{"traceEvents": [...], "displayTimeUnit": "ms"}`; each event has the op's
            `name`, its type as `cat`, `ts` and `dur` in microseconds from the first step, and its
            output shapes and build site under `args`.

        Examples:
            >>> x = tf.placeholder(tf.float32, [None, 3], name="x")
            >>> y = tf.matmul(x, tf.ones([3, 1]), name="y")
            >>> metadata = tf.RunMetadata()
            >>> with tf.Session() as sess:
            ...     _ = sess.run(y, {x: [[1., 2., 3.]]}, run_metadata=metadata,
            ...                  options=tf.RunOptions(trace=True))
            >>> event = metadata.chrome_trace()["traceEvents"][0]
            >>> event["name"], event["cat"], event["ph"], event["args"]["shapes"]
            ('y', 'MatMul', 'X', [[1, 1]])
        """
        if not self.step_stats:
            return {"traceEvents": [], "displayTimeUnit": "ms"}
        origin = self.step_stats[0].start_ns
        pid, tid = os.getpid(), threading.get_ident() % (1 << 31)
        events = [{"name": t.name, "cat": t.type, "ph": "X", "pid": pid, "tid": tid,
                   "ts": (t.start_ns - origin) / 1e3, "dur": (t.end_ns - t.start_ns) / 1e3,
                   "args": {"shapes": [list(s) for s in t.shapes], "site": t.site}}
                  for t in self.step_stats]
        return {"traceEvents": events, "displayTimeUnit": "ms"}

    def write_chrome_trace(self, path: str) -> str:
        """Write `chrome_trace()` as JSON to `path`, to open in Perfetto or chrome://tracing.

        Args:
            path: The file to write (replaced if it exists).

        Returns:
            `path`.

        Examples:
            >>> x = tf.placeholder(tf.float32, [None, 3], name="x")
            >>> y = tf.matmul(x, tf.ones([3, 1]), name="y")
            >>> metadata = tf.RunMetadata()
            >>> with tf.Session() as sess:
            ...     _ = sess.run(y, {x: [[1., 2., 3.]]}, run_metadata=metadata,
            ...                  options=tf.RunOptions(trace=True))
            >>> metadata.write_chrome_trace("trace.json")
            'trace.json'
            >>> import json
            >>> with open("trace.json") as f:
            ...     print(json.load(f)["traceEvents"][0]["name"])
            y
        """
        with open(path, "w") as f:
            json.dump(self.chrome_trace(), f)
        return path


class Tracer:
    """The run-loop observer behind a traced run; the executor's state reads value shapes."""

    def __init__(self, metadata: RunMetadata, state):
        self.metadata = metadata
        self.state = state

    def __call__(self, instruction, start_ns, end_ns, result):
        node = instruction.node
        results = result if len(instruction.out_slots) != 1 else (result,)
        shapes = tuple(() if r is None else self.state.step_value_shape(r, node.device)
                       for r in results)
        self.metadata.step_stats.append(
            OpTiming(node.name, node.type, start_ns, end_ns, shapes, str(node.site)))
