#!/usr/bin/env bash
# The cuda executor's checks on a machine with a CUDA GPU, in one command (within ~8 minutes on a
# fresh machine; nothing is downloaded): build graphflow in place with this machine's Python,
# print `graphflow info`, run the gpu-marked tests, the agreement and contract tests on the cuda
# executor, the digits / LeNet examples on it, then the GPU benchmarks and `graphflow bench
# --executors cuda`. Writes gpu_check.log and
# gpu_figures.json under $OUT (or ./gpu-check-out). Exits non-zero, with the reason, when the
# cuda executor is not available here (after building) or when any step fails.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT_DIR="${OUT:-$PWD/gpu-check-out}"
mkdir -p "$OUT_DIR"
LOG="$OUT_DIR/gpu_check.log"
PY="${PYTHON:-python3}"
exec > >(tee "$LOG") 2>&1
status=0
# The whole script stays within 8 minutes: each step's box is cut to what is left of TOTAL.
TOTAL="${GPU_CHECK_SECONDS:-470}"
step() {  # step NAME SECONDS COMMAND...: a time-boxed step; failures are counted, not fatal
  local name="$1" seconds="$2"; shift 2
  local left=$((TOTAL - SECONDS))
  if [ "$left" -lt 10 ]; then
    echo "=== $name: skipped, the ${TOTAL}s budget is spent ==="; status=1; return
  fi
  [ "$seconds" -le "$left" ] || seconds=$left
  echo "=== $name (time box ${seconds}s) ==="
  local start=$SECONDS
  timeout "$seconds" "$@"
  local rc=$?
  echo "=== $name: rc=$rc in $((SECONDS - start))s ==="
  [ "$rc" -eq 0 ] || status=1
}

echo "=== build (in place, no downloads) ==="
"$PY" --version
if ! "$PY" setup.py -q build_ext --inplace -j 8 >"$OUT_DIR/build.log" 2>&1; then
  tail -30 "$OUT_DIR/build.log"; echo "gpu_check: the build failed (see build.log)"; exit 3
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
"$PY" -c "import sys; from graphflow.cli import main; sys.exit(main(['info']))"
if ! "$PY" - <<'PY'
import sys
from graphflow.executors import executor_status
ok, why = executor_status()["cuda"]
print("cuda executor:", "available" if ok else f"NOT available: {why}")
sys.exit(0 if ok else 1)
PY
then
  echo "gpu_check: the cuda executor cannot run here; nothing on the GPU was checked"; exit 2
fi

if ! "$PY" -c "import pytest, hypothesis" 2>/dev/null; then
  echo "gpu_check: pytest or hypothesis is not installed for $PY: tests skipped (carry them in" \
       "a wheelhouse: pip install --no-index --find-links DIR pytest hypothesis)"
  status=1
  step "benchmarks" 120 "$PY" -m graphflow.bench.cuda --json "$OUT_DIR/gpu_figures.json"
  exit $status
fi
PYTEST=("$PY" -m pytest -q -p no:cacheprovider -o addopts="--import-mode=importlib -ra")
step "gpu-marked tests" 150 "${PYTEST[@]}" -m gpu tests/cuda -k "not gradient"
step "gpu gradients" 60 "${PYTEST[@]}" -m gpu tests/cuda -k gradient
step "agreement + contract on cuda" 60 env GRAPHFLOW_EXECUTOR=cuda "${PYTEST[@]}" \
  tests/executors/test_agreement.py tests/executors/test_contract.py -k cuda
step "benchmarks" 90 "$PY" -m graphflow.bench.cuda --json "$OUT_DIR/gpu_figures.json"
# the ratio table: W2 / W3 / W4 on cuda beside cpu, NumPy and PyTorch (CPU and GPU)
step "graphflow bench --executors cuda" 90 "$PY" -c \
  "import sys; from graphflow.cli import main; sys.exit(main(sys.argv[1:]))" \
  bench W2 W3 W4 --executors cuda,cpu --json "$OUT_DIR/bench_cuda.json"
echo "gpu_check: done, status $status (log: $LOG)"
exit $status
