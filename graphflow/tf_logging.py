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
    """Log only messages at level `v` or above (TF1's default is WARN).

    Args:
        v: A level: `tf.logging.DEBUG`, `INFO`, `WARN`, `ERROR` or `FATAL`.

    Examples:
        >>> old = tf.logging.get_verbosity()
        >>> tf.logging.set_verbosity(tf.logging.INFO)
        >>> print(tf.logging.get_verbosity() == tf.logging.INFO)
        True
        >>> tf.logging.set_verbosity(old)
    """
    _logger.setLevel(v)


def get_verbosity() -> int:
    """The level below which messages are dropped.

    Returns:
        An int level (`tf.logging.WARN` is 30).

    Examples:
        >>> print(tf.logging.get_verbosity() in (tf.logging.DEBUG, tf.logging.INFO,
        ...                                      tf.logging.WARN, tf.logging.ERROR))
        True
    """
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
    """Log `msg % args` at `level` (one of DEBUG, INFO, WARN, ERROR, FATAL).

    Args:
        level: The level, an int such as `tf.logging.INFO`.
        msg: The message, a %-format string.
        *args: The values for msg's % fields.
        **kwargs: Python logging's options (`exc_info=True`, ...).

    Examples:
        >>> import io, logging
        >>> out, old = io.StringIO(), tf.logging.get_verbosity()
        >>> handler = logging.StreamHandler(out)
        >>> logging.getLogger("graphflow").addHandler(handler)
        >>> tf.logging.set_verbosity(tf.logging.INFO)
        >>> tf.logging.log(tf.logging.INFO, "step %d", 5)
        >>> tf.logging.log(tf.logging.DEBUG, "hidden below INFO")
        >>> print(out.getvalue().strip())
        step 5
        >>> logging.getLogger("graphflow").removeHandler(handler)
        >>> tf.logging.set_verbosity(old)
    """
    _logger.log(level, msg, *args, **kwargs)


def _level_doc(fn, level: str) -> None:
    """The five level functions share one docstring, naming their level."""
    fn.__doc__ = f"""Log `msg % args` at {level} on the "graphflow" logger (Python's logging).

    Args:
        msg: The message, a %-format string.
        *args: The values for msg's % fields.
        **kwargs: Python logging's options (`exc_info=True`, ...).

    Examples:
        >>> import io, logging
        >>> out, old = io.StringIO(), tf.logging.get_verbosity()
        >>> handler = logging.StreamHandler(out)
        >>> logging.getLogger("graphflow").addHandler(handler)
        >>> tf.logging.set_verbosity(tf.logging.DEBUG)
        >>> tf.logging.{fn.__name__}("loss %.2f", 0.25)
        >>> print(out.getvalue().strip())
        loss 0.25
        >>> logging.getLogger("graphflow").removeHandler(handler)
        >>> tf.logging.set_verbosity(old)
    """


for _fn, _level in ((debug, "DEBUG"), (info, "INFO"), (warning, "WARN"), (error, "ERROR"),
                    (fatal, "FATAL")):
    _level_doc(_fn, _level)


__getattr__ = module_getattr(__name__, "tf.logging")  # a TF1 name graphflow lacks, or a typo
