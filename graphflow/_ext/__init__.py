"""Compiled extension modules, built from ext/ by `pip install .`; never replaced by pure Python."""

import os

# OpenMP's default busy-waiting makes every parallel region crawl when the cores are shared with
# other work (measured here: 6.4 ms instead of 0.8 ms per region on a loaded 2-core machine).
# Idle threads sleep instead, unless the user chose a policy. Set before libgomp loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

try:
    from graphflow._ext import runloop
except ImportError as exc:  # pragma: no cover - exercised only on a broken install
    raise ImportError(
        "graphflow's compiled extension 'graphflow._ext.runloop' is missing or broken "
        f"({exc}). graphflow has no pure-Python fallback: install it with `pip install .` "
        "(or `pip install -e .` for development) so that the Cython sources in ext/ are compiled."
    ) from exc

__all__ = ["runloop"]
