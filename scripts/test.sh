#!/usr/bin/env bash
# Set up (scripts/setup.sh), then run the test suite against the installed package (an editable
# install of this tree, with the extension compiled in place from the current sources).
# Extra arguments go to pytest: `bash scripts/test.sh tests/core -x`.
# Under CI=true the hypothesis "ci" profile is used (tests/conftest.py).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The tests also open the docs site in a headless browser: setup installs one (apt) if missing.
GRAPHFLOW_TEST_BROWSER=1 bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
# The venv's pytest imports graphflow through the editable install (this tree); setup.sh has just
# rebuilt whatever of the extension changed, and tests/test_install.py fails on a stale module.
# The whole suite runs twice: on the default (cpu) executor, then with every Session on the NumPy
# reference executor (GRAPHFLOW_EXECUTOR), so both pass everything. Arguments run one pass only.
if [ "$#" -gt 0 ]; then
  echo "test: .venv/bin/pytest $*"
  exec "$ROOT/.venv/bin/pytest" "$@"
fi
start=$SECONDS
echo "test: pass 1 of 2, executor cpu"
"$ROOT/.venv/bin/pytest" --durations=10
echo "test: pass 1 took $((SECONDS - start)) s; pass 2 of 2, executor reference"
# Tests that name every executor themselves (marked executor_matrix) ran in full in pass 1.
# So did those that run no graph on the default executor (executor_free: docs, lint, imports).
GRAPHFLOW_EXECUTOR=reference "$ROOT/.venv/bin/pytest" -p no:cacheprovider \
    -m "not executor_matrix and not executor_free"
