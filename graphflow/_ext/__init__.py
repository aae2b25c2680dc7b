"""Compiled extension modules, built from ext/ by `pip install .`; never replaced by pure Python."""

try:
    from graphflow._ext import runloop
except ImportError as exc:  # pragma: no cover - exercised only on a broken install
    raise ImportError(
        "graphflow's compiled extension 'graphflow._ext.runloop' is missing or broken "
        f"({exc}). graphflow has no pure-Python fallback: install it with `pip install .` "
        "(or `pip install -e .` for development) so that the Cython sources in ext/ are compiled."
    ) from exc

__all__ = ["runloop"]
