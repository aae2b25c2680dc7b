"""Creation sites: the first stack frame outside graphflow, recorded on every node."""

from __future__ import annotations

import os
import sys

from graphflow.errors import ShapeError

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class Site:
    """Where the user built something: file, line and function."""

    __slots__ = ("filename", "lineno", "function")

    def __init__(self, filename: str, lineno: int, function: str):
        self.filename = filename
        self.lineno = lineno
        self.function = function

    def __str__(self):
        return f"{self.filename}:{self.lineno}"

    def __repr__(self):
        return f"Site({self.filename!r}, {self.lineno}, {self.function!r})"

    def describe(self) -> str:
        return f"{self.filename}:{self.lineno} in {self.function}"


def user_site() -> Site:
    """The innermost frame whose code lies outside the graphflow package."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
    if frame is None:
        return Site("<graphflow>", 0, "<internal>")
    return Site(frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name)


def argument_error(function: str, message: str, cls=ShapeError) -> Exception:
    """An error in a public function's arguments, before any op exists: names the user's line."""
    return cls(f"{function} called at {user_site().describe()}: {message}")
