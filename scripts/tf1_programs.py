"""Run the TF1 tutorial programs of tests/compat/programs under TensorFlow, for their expected
values: `python scripts/tf1_programs.py [NAME ...] [--tf PYTHON]`.

Each program runs in a fresh `PYTHON` process (default /work/tfvenv/bin/python, a TensorFlow
with `tf.compat.v1`) in an empty working directory, with its import line swapped
(`import graphflow.compat.v1 as tf` -> `import tensorflow.compat.v1 as tf`) and nothing else
changed. `graphflow.datasets` is loaded from this checkout's sources without importing the rest
of graphflow, and scikit-learn (for the digits) comes from this checkout's .venv when the
TensorFlow venv lacks it. TF 2's switches to TF1 behaviour (`disable_v2_behavior`) are applied
first, as a TF1 installation has them, and `tf.layers` comes from tf_keras (Keras 2), as it did in
TF1 (TF_USE_LEGACY_KERAS=1). The Keras programs (`keras_*`) are Keras 2 programs run in graph
mode, what graphflow.keras is: their import becomes `import tensorflow as tf` (tf.keras is tf_keras,
with Keras 2's defaults: sigmoid LSTM gates, reset_after GRUs, metrics logged as named) and only
eager execution is switched off (`disable_eager_execution`). It prints what each program printed,
as the `{label: value}` dict tests/compat/test_programs.py compares against (and, with --stderr,
its stderr).
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS = os.path.join(ROOT, "tests", "compat", "programs")

_spec = importlib.util.spec_from_file_location("_harness", os.path.join(PROGRAMS, "_harness.py"))
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)

BOOTSTRAP = """
import os, sys, types
sys.path.append({site!r})  # scikit-learn, when the TensorFlow venv has none
package = types.ModuleType("graphflow")
package.__path__ = [{package!r}]  # graphflow.datasets only; graphflow itself is never imported
sys.modules["graphflow"] = package
import tensorflow.compat.v1
{switch}
sys.argv = {argv!r}
main = types.ModuleType("__main__")  # the program is __main__, as when run as a script
main.__file__ = {path!r}
sys.modules["__main__"] = main
exec(compile(open({swapped!r}).read(), {path!r}, "exec"), main.__dict__)
"""

# Keras 2 in graph mode under TF 2.21: eager off; while-loop gradients (RNNs) need the loop's
# intermediates kept; and tf.keras.optimizers.X are Keras 2's optimizers again (`legacy.X`), as
# the TF 2.11+ ones run only eagerly.
KERAS_GRAPH_MODE = """
tensorflow.compat.v1.disable_eager_execution()
tensorflow.compat.v1.experimental.output_all_intermediates(True)
import tensorflow
for _name in ("Adadelta", "Adagrad", "Adam", "Adamax", "Ftrl", "Nadam", "RMSprop", "SGD"):
    setattr(tensorflow.keras.optimizers, _name, getattr(tensorflow.keras.optimizers.legacy, _name))
"""


def names() -> list[str]:
    return sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(PROGRAMS, "*.py"))
                  if not os.path.basename(p).startswith("_"))


def run(name: str, python: str) -> tuple[dict, str, str]:
    """What `name` printed under TensorFlow: (parsed stdout, stdout, stderr)."""
    path = os.path.join(PROGRAMS, name + ".py")
    with open(path) as f:
        swapped = harness.to_tensorflow(f.read())
    switch = "tensorflow.compat.v1.disable_v2_behavior()"
    if name.startswith("keras_"):  # Keras 2 in graph mode: the TF 2 API, eager execution off
        swapped = swapped.replace("import tensorflow.compat.v1 as tf", "import tensorflow as tf")
        switch = KERAS_GRAPH_MODE
    site = sysconfig.get_paths()["purelib"]
    with tempfile.TemporaryDirectory(prefix=f"tf1-{name}-") as work:
        swapped_path = os.path.join(work, "_swapped_program.py")
        with open(swapped_path, "w") as f:
            f.write(swapped)
        code = BOOTSTRAP.format(site=site, package=os.path.join(ROOT, "graphflow"),
                                argv=[path, *harness.ARGV.get(name, [])],
                                swapped=swapped_path, path=path, switch=switch)
        env = dict(os.environ, TF_USE_LEGACY_KERAS="1")  # tf.layers lives in tf_keras (Keras 2)
        result = subprocess.run([python, "-c", code], cwd=work, capture_output=True, text=True,
                                timeout=900, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"{name} failed under TensorFlow (rc {result.returncode}):\n"
                           f"{result.stdout[-3000:]}\n{result.stderr[-6000:]}")
    return harness.parse(result.stdout), result.stdout, result.stderr


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="programs to run (default: all)")
    parser.add_argument("--tf", default="/work/tfvenv/bin/python", help="a TensorFlow python")
    parser.add_argument("--stderr", action="store_true", help="print each program's stderr")
    args = parser.parse_args(argv)
    failed = 0
    for name in args.names or names():
        try:
            values, _, stderr = run(name, args.tf)
        except RuntimeError as e:
            print(e, file=sys.stderr)
            failed += 1
            continue
        print(f"{name!r}: {json.dumps(values)},")
        if args.stderr:
            print(stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
