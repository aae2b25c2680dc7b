#!/usr/bin/env bash
# Set up graphflow on a fresh Debian machine; safe to re-run (each run rebuilds from the sources).
#   1. system packages, installed with apt-get only when missing (graphviz's `dot`, a C compiler
#      with OpenMP, Python's venv module and headers);
#   2. the virtual environment .venv (python3 -m venv), when missing;
#   3. graphflow with its dev tools, as a real (non-editable) build, so the Cython extension is
#      compiled by the package's own build from the current sources.
# Environment: PYTHON (default python3) picks the interpreter for a new .venv; GRAPHFLOW_EXTRAS
# (default dev,examples: test tools and the examples' data sets) the optional dependency groups.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
EXTRAS="${GRAPHFLOW_EXTRAS:-dev,examples}"  # the optional dependency groups of pyproject.toml to install
VENV="$ROOT/.venv"

say() { printf 'setup: %s\n' "$*"; }

# --- 1. system packages ---------------------------------------------------------------------
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v gcc >/dev/null 2>&1 || missing+=(build-essential)
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    missing+=(python3 python3-venv python3-dev)
else
    "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
    "$PYTHON" -c 'import os, sysconfig, sys
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
        || missing+=(python3-dev)
fi
if ((${#missing[@]})); then
    say "installing system packages: ${missing[*]}"
    SUDO=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { say "need root or sudo to install ${missing[*]}" >&2; exit 1; }
        SUDO=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
else
    say "system packages present (dot, gcc, python venv and headers)"
fi

# --- 2. virtual environment -----------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV with $("$PYTHON" --version 2>&1)"
    "$PYTHON" -m venv "$VENV"
else
    say "using $VENV ($("$VENV/bin/python" --version 2>&1))"
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)

# --- 3. graphflow, built from the current sources -------------------------------------------
# Dependencies are (re)installed when pyproject.toml or the extras change (a stamp in .venv);
# otherwise only graphflow itself is rebuilt and reinstalled.
cd "$ROOT"
STAMP="$VENV/.graphflow-deps"
want="$(sha256sum pyproject.toml | cut -d' ' -f1) extras=$EXTRAS"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$want" ]; then
    say "installing graphflow[$EXTRAS] and its dependencies (Cython extension with OpenMP)"
    "${PIP[@]}" uninstall -q -y graphflow >/dev/null 2>&1 || true  # so the install below builds it
    rm -rf "$ROOT/build"
    "${PIP[@]}" install -q ".[$EXTRAS]"
    echo "$want" >"$STAMP"
else
    say "building and installing graphflow (Cython extension with OpenMP)"
    rm -rf "$ROOT/build"  # no stale modules or objects from an earlier build end up in the wheel
    "${PIP[@]}" install -q --force-reinstall --no-deps .
fi
"$VENV/bin/python" - <<'PY'
import os, sys
sys.path = [p for p in sys.path if p not in ("", os.getcwd())]  # the installed package, not ./graphflow
import graphflow
from graphflow._ext import runloop
print(f"setup: graphflow {graphflow.__version__} installed; extension {os.path.basename(runloop.__file__)}, "
      f"OpenMP threads {runloop.openmp_max_threads()}")
PY
