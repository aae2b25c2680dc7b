#!/usr/bin/env bash
# Set up (scripts/setup.sh), then run the test suite against the installed package.
# Extra arguments go to pytest: `bash scripts/test.sh tests/core -x`.
# Under CI=true the hypothesis "ci" profile is used (tests/conftest.py).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
echo "test: .venv/bin/pytest $*"
# The venv's pytest executable (not `python -m pytest`) keeps the source tree off sys.path, so the
# tests import the installed, compiled package; pyproject sets --import-mode=importlib.
exec "$ROOT/.venv/bin/pytest" "$@"
