"""`import graphflow.compat.v1 as tf`: every public graphflow name, looked up on first use.

graphflow is TF1's surface already, so this module forwards to the `graphflow` package (which
Python has imported before any of its submodules; reading it from sys.modules keeps the import
graph free of a circle). Unknown names get graphflow's own message; `tf.compat.v1.compat.v1`
works too.
"""

from __future__ import annotations

import sys


def __getattr__(name: str):
    return getattr(sys.modules["graphflow"], name)


def __dir__():
    return dir(sys.modules["graphflow"])
