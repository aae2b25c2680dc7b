"""Drawing DOT text with graphviz's `dot` program (run as a subprocess, never a Python binding)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

FORMATS = {"svg": "svg", "png": "png", "pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "gif": "gif",
           "ps": "ps", "eps": "eps", "dot": "dot", "gv": "dot"}
INSTALL_HINT = ("install graphviz: `apt-get install graphviz` (Debian/Ubuntu), "
                "`brew install graphviz` (macOS) or `conda install graphviz`")
DEFAULT_TIMEOUT = 120.0


class GraphvizNotFoundError(RuntimeError):
    """graphviz's `dot` program is not on PATH, so nothing can be drawn."""


def dot_binary() -> str | None:
    """Path of graphviz's `dot` (`$GRAPHFLOW_DOT` overrides the PATH lookup), or None."""
    return shutil.which(os.environ.get("GRAPHFLOW_DOT", "dot"))


def dot_available() -> bool:
    return dot_binary() is not None


def _dot_text(graph_or_dot, to_dot_kwargs: dict) -> str:
    if isinstance(graph_or_dot, str) and graph_or_dot.lstrip().startswith(("digraph", "graph",
                                                                           "strict")):
        return graph_or_dot
    from graphflow.viz.dot import to_dot

    return to_dot(graph_or_dot, **to_dot_kwargs)


def run_dot(dot_text: str, fmt: str, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """`dot -T<fmt>` on `dot_text`: the drawing's bytes; on failure, raises with dot's message."""
    binary = dot_binary()
    if binary is None:
        raise GraphvizNotFoundError(f"graphviz's `dot` program was not found on PATH; "
                                    f"{INSTALL_HINT}.")
    try:
        done = subprocess.run([binary, f"-T{fmt}"], input=dot_text.encode(), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"`dot -T{fmt}` took longer than {timeout:g} s; draw fewer nodes "
                           "(fetches=...) or collapse name scopes (collapse_scopes=...).") from None
    if done.returncode != 0:
        raise RuntimeError(f"`dot -T{fmt}` failed (exit {done.returncode}): "
                           f"{done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def to_svg(graph_or_dot=None, **to_dot_kwargs) -> str:
    """The drawing as SVG text (what Jupyter shows)."""
    return run_dot(_dot_text(graph_or_dot, to_dot_kwargs), "svg").decode()


def render(graph_or_dot, path: str | os.PathLike, format: str | None = None,  # noqa: A002
           timeout: float = DEFAULT_TIMEOUT, **to_dot_kwargs) -> Path:
    """Draw a graph, fetches or DOT text into `path`, in the format its suffix names.

    `.svg`, `.png`, `.pdf` (and `.jpg`, `.gif`, `.ps`, `.eps`) need graphviz's `dot`; `.dot`/`.gv`
    write the DOT text itself. Other keyword arguments go to `to_dot` (`collapse_scopes`, `plan`,
    `fetches`, `show_shapes`, `title`).
    """
    path = Path(path)
    suffix = (format or path.suffix.lstrip(".")).lower()
    if suffix not in FORMATS:
        raise ValueError(f"Cannot tell the picture format from {str(path)!r}; use one of "
                         f"{', '.join('.' + f for f in sorted(FORMATS))} or pass format=.")
    text = _dot_text(graph_or_dot, to_dot_kwargs)
    if FORMATS[suffix] == "dot":
        path.write_text(text)
        return path
    path.write_bytes(run_dot(text, FORMATS[suffix], timeout))
    return path
