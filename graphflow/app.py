"""`tf.app`: `run(main=None, argv=None)` parses the flags and calls `main(argv)`, then exits."""

from __future__ import annotations

import sys

from graphflow import flags
from graphflow.compat.missing import module_getattr

__all__ = ["flags", "run"]


def run(main=None, argv=None):
    """Parse flags from `argv` (sys.argv by default), call main(remaining argv), exit with its
    return value as TF1 does (`sys.exit(main(argv))`). `main` defaults to `__main__.main`.

    Args:
        main: The program's function of the remaining argv (default: `main` of `__main__`).
        argv: The command line, program name first (default `sys.argv`).

    Returns:
        Nothing: it raises SystemExit with main's return value.

    Examples:
        >>> def main(argv):
        ...     print("main got", argv)
        ...     return 0
        >>> try:
        ...     tf.app.run(main, argv=["train.py", "extra"])
        ... except SystemExit as done:
        ...     print("exit code", done.code)
        main got ['train.py', 'extra']
        exit code 0
    """
    args = flags.FLAGS(sys.argv if argv is None else argv)
    if main is None:
        main = getattr(sys.modules["__main__"], "main", None)
        if main is None:
            raise ValueError("tf.app.run() found no main: pass main= or define main(argv) in "
                             "the program")
    sys.exit(main(args))


__getattr__ = module_getattr(__name__, "tf.app")  # a TF1 name graphflow lacks, or a typo
