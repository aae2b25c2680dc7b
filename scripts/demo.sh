#!/usr/bin/env bash
# Set up (scripts/setup.sh), then run the demo training example. Extra arguments go to the example.
set -euo pipefail

EXAMPLE="examples/demo.py"  # the demo to run, relative to the repository root

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
if [ ! -f "$EXAMPLE" ]; then
    echo "demo: $EXAMPLE does not exist yet" >&2
    exit 1
fi
echo "demo: .venv/bin/python $EXAMPLE $*"
exec "$ROOT/.venv/bin/python" "$EXAMPLE" "$@"
