"""Compiled extension modules, built from ext/ (in place by scripts/setup.sh, or by
`pip install .`); never replaced by pure Python."""

import os

# OpenMP's default busy-waiting makes every parallel region crawl when the cores are shared with
# other work (measured here: 6.4 ms instead of 0.8 ms per region on a loaded 2-core machine).
# Idle threads sleep instead, unless the user chose a policy. Set before libgomp loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def _missing_extension_message(exc: ImportError) -> str:
    """What went wrong and the command that fixes it, for a source tree or an installed copy."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    root = os.path.dirname(package)
    what = (f"graphflow's compiled extension 'graphflow._ext.runloop' could not be imported "
            f"from {os.path.join(package, '_ext')} ({exc}); graphflow has no pure-Python "
            f"fallback.")
    if os.path.isdir(os.path.join(root, "ext")) and os.path.isfile(os.path.join(root, "setup.py")):
        return (f"{what} This is the source tree {root} (the current directory or an editable "
                f"install puts it first on sys.path), and its extension is not built for this "
                f"Python, or is stale. Build it in place, from {root}: `bash scripts/setup.sh` "
                f"(sets up .venv with an editable install and builds the extension), or, in an "
                f"environment that has Cython and numpy, `python setup.py build_ext --inplace`.")
    return (f"{what} This installation is incomplete or was built for another Python or NumPy: "
            f"reinstall it (`pip install --force-reinstall --no-deps graphflow`, or `pip install "
            f".` from a source checkout) so that the Cython sources in ext/ are compiled.")


try:
    from graphflow._ext import runloop
except ImportError as exc:  # pragma: no cover - exercised only on a broken install
    raise ImportError(_missing_extension_message(exc)) from exc

__all__ = ["runloop"]
