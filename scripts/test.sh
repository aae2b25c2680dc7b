#!/usr/bin/env bash
# Set up (scripts/setup.sh), then run the test suite against the installed package.
# Extra arguments go to pytest: `bash scripts/test.sh tests/core -x`.
# Under CI=true the hypothesis "ci" profile is used (tests/conftest.py).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
# The venv's pytest executable (not `python -m pytest`) keeps the source tree off sys.path, so the
# tests import the installed, compiled package; pyproject sets --import-mode=importlib.
# The whole suite runs twice: on the default (cpu) executor, then with every Session on the NumPy
# reference executor (GRAPHFLOW_EXECUTOR), so both pass everything. Arguments run one pass only.
if [ "$#" -gt 0 ]; then
  echo "test: .venv/bin/pytest $*"
  exec "$ROOT/.venv/bin/pytest" "$@"
fi
echo "test: pass 1 of 2, executor cpu"
"$ROOT/.venv/bin/pytest" --durations=10
echo "test: pass 2 of 2, executor reference"
GRAPHFLOW_EXECUTOR=reference "$ROOT/.venv/bin/pytest" -p no:cacheprovider
