"""graphflow imports without tensorboard (or Pillow); summaries then say what to install.

Each case runs in a fresh interpreter in which `import tensorboard` (or `import PIL`) fails, as
it does where the package is not installed."""

import subprocess
import sys
import textwrap

import pytest


def _run(blocked: list[str], body: str) -> str:
    code = ("import sys\n" + "".join(f"sys.modules[{name!r}] = None\n" for name in blocked)
            + textwrap.dedent(body))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_graphflow_imports_and_summaries_name_the_extra_without_tensorboard():
    out = _run(["tensorboard"], """
        import graphflow as tf
        import graphflow.compat.v1 as v1
        assert v1.summary is tf.summary
        x = tf.constant(1.0)
        calls = {
            "scalar": lambda: tf.summary.scalar("x", x),
            "histogram": lambda: tf.summary.histogram("h", x),
            "merge": lambda: tf.summary.merge([x]),
            "FileWriter": lambda: tf.summary.FileWriter("logs"),
            "Summary": lambda: tf.summary.Summary,
        }
        for name, call in calls.items():
            try:
                call()
            except ImportError as err:
                print(name, "|", err)
            else:
                print(name, "| no error")
        print("nodes", len(tf.get_default_graph().get_operations()))
    """)
    lines = dict(line.split(" | ", 1) for line in out.splitlines() if " | " in line)
    assert set(lines) == {"scalar", "histogram", "merge", "FileWriter", "Summary"}
    for name, message in lines.items():
        assert "pip install graphflow[summary]" in message, (name, message)
        assert "tensorboard" in message, (name, message)
    assert "nodes 1" in out  # a failed summary adds nothing but the user's constant


@pytest.mark.skipif(not __import__("importlib").util.find_spec("tensorboard"),
                    reason="needs tensorboard, to block Pillow alone")
def test_image_summaries_name_pillow_when_it_is_missing():
    out = _run(["PIL", "PIL.Image"], """
        import numpy as np
        import graphflow as tf
        try:
            tf.summary.image("im", tf.constant(np.zeros((1, 2, 2, 3), np.float32)))
        except ImportError as err:
            print("error |", err)
        print("scalar |", tf.summary.scalar("fine", 1.0).name)
    """)
    assert "tf.summary.image needs the pillow package" in out
    assert "pip install graphflow[summary]" in out
    assert "scalar | fine:0" in out
