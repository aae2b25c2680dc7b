"""What the program runners share: the import swap, each program's argv, and reading what a
program printed. Used by tests/compat/test_programs.py (graphflow) and scripts/tf1_programs.py
(the same programs under TensorFlow), so both sides run and read a program the same way.
"""

from __future__ import annotations

import re

GRAPHFLOW_IMPORTS = {
    "import graphflow.compat.v1 as tf": "import tensorflow.compat.v1 as tf",
    "import graphflow as tf": "import tensorflow.compat.v1 as tf",
}
# Command lines the programs run with (the tf.app.run program reads its flags from them).
ARGV = {
    "app_flags": ["--steps=150", "--learning_rate=0.2", "--data_dir=run_data"],
}


def to_tensorflow(source: str) -> str:
    """The program with its graphflow import line swapped for TensorFlow's; nothing else
    changes (`from graphflow.datasets import ...` stays: it is the data, not the framework)."""
    lines = []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped in GRAPHFLOW_IMPORTS:
            line = line.replace(stripped, GRAPHFLOW_IMPORTS[stripped])
        elif "graphflow" in stripped and not stripped.startswith("from graphflow.datasets "):
            if stripped.startswith(("import ", "from ")):
                raise ValueError(f"not a swappable import line: {line!r}")
        lines.append(line)
    return "\n".join(lines) + "\n"


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf|nan)")
_NUMPY_SCALAR = re.compile(r"np\.\w+\(([^()]*)\)")  # NumPy 2's repr in printed lists: np.int32(3)
_NUMERIC_LINE = re.compile(r"^[\s\[\](),]*(?:" + _NUMBER.pattern + r"[\s\[\](),]*)+$")


def parse(text: str) -> dict:
    """The labelled lines of `text`; a label printed twice keeps its last value. Numeric lines
    without a label continue the value above them (a NumPy array printed over several rows)."""
    values, label = {}, None
    for line in text.splitlines():
        if ": " not in line:
            if label is not None and isinstance(values[label], list) \
                    and _NUMERIC_LINE.match(line):
                values[label] += [float(v) for v in _NUMBER.findall(line)]
            else:
                label = None
            continue
        label, value = line.split(": ", 1)
        label, value = label.strip(), _NUMPY_SCALAR.sub(r"\1", value.strip())
        if _NUMERIC_LINE.match(value):
            values[label] = [float(v) for v in _NUMBER.findall(value)]
        else:
            values[label] = value
    return values
