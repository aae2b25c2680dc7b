"""`tf.logging`: TF1's logging names over Python's logging, on a "graphflow" logger.

`set_verbosity(tf.logging.INFO)` and `tf.logging.info(...)` work as in TF1.
"""

from __future__ import annotations

import logging as _logging

from graphflow.compat.missing import module_getattr

DEBUG, INFO, WARN, ERROR, FATAL = (_logging.DEBUG, _logging.INFO, _logging.WARNING,
                                   _logging.ERROR, _logging.FATAL)
WARNING = WARN

_logger = _logging.getLogger("graphflow")


def set_verbosity(v) -> None:
    _logger.setLevel(v)


def get_verbosity() -> int:
    return _logger.getEffectiveLevel()


def debug(msg, *args, **kwargs):
    _logger.debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs):
    _logger.info(msg, *args, **kwargs)


def warning(msg, *args, **kwargs):
    _logger.warning(msg, *args, **kwargs)


warn = warning


def error(msg, *args, **kwargs):
    _logger.error(msg, *args, **kwargs)


def fatal(msg, *args, **kwargs):
    _logger.fatal(msg, *args, **kwargs)


def log(level, msg, *args, **kwargs):
    _logger.log(level, msg, *args, **kwargs)


__getattr__ = module_getattr(__name__, "tf.logging")  # a TF1 name graphflow lacks, or a typo
