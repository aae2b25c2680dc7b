#!/usr/bin/env bash
# The file fuzzers of the test suite, run long: mutated checkpoints and state files
# (tests/train/test_saver_fuzz.py, test_checkpoint_state.py), mutated graph files
# (tests/io/test_graph_import_fuzz.py), and the sampled bit-flip sweeps.
# Usage: bash scripts/fuzz.sh [EXAMPLES_PER_FUZZER] [extra pytest arguments]
# Default 2000 examples per fuzzer (about 10-20 minutes on 2 cores); the suite runs 15 under CI.
# Each fuzzer prints how many cases ended in which outcome. Needs .venv (scripts/setup.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
EXAMPLES="${1:-2000}"
shift || true
export GRAPHFLOW_FUZZ_EXAMPLES="$EXAMPLES"
echo "fuzz: $EXAMPLES examples per fuzzer"
exec "$ROOT/.venv/bin/python" -m pytest -q -s -p no:cacheprovider \
  tests/train/test_saver_fuzz.py tests/train/test_saver_integrity.py \
  tests/train/test_checkpoint_state.py tests/io/test_graph_import_fuzz.py "$@"
