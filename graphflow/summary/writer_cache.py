"""`tf.summary.FileWriterCache`: one FileWriter per logdir, shared, as in TF1."""

from __future__ import annotations

import threading

from graphflow.core.graph import get_default_graph
from graphflow.summary.writer import FileWriter


class FileWriterCache:
    """`FileWriterCache.get(logdir)`: the writer of `logdir`, made (with the default graph) on
    first use; `clear()` closes them all.

    For code in several places (hooks, a training loop) that should write one event file.

    Examples:
        >>> a = tf.summary.FileWriterCache.get("logs_cache")
        >>> a is tf.summary.FileWriterCache.get("logs_cache")
        True
        >>> tf.summary.FileWriterCache.clear()
    """

    _cache: dict = {}
    _lock = threading.RLock()

    @staticmethod
    def get(logdir) -> FileWriter:
        """The shared FileWriter of `logdir`, made with the default graph on first use.

        Args:
            logdir: The directory.

        Returns:
            A FileWriter.

        Examples:
            >>> writer = tf.summary.FileWriterCache.get("logs_get")
            >>> writer.get_logdir()
            'logs_get'
            >>> tf.summary.FileWriterCache.clear()
        """
        with FileWriterCache._lock:
            if logdir not in FileWriterCache._cache:
                FileWriterCache._cache[logdir] = FileWriter(logdir, graph=get_default_graph())
            return FileWriterCache._cache[logdir]

    @staticmethod
    def clear() -> None:
        """Close every cached writer and forget them (a later `get` makes a new one).

        Examples:
            >>> writer = tf.summary.FileWriterCache.get("logs_clear")
            >>> tf.summary.FileWriterCache.clear()
            >>> writer
            <graphflow.summary.FileWriter 'logs_clear' (closed)>
        """
        with FileWriterCache._lock:
            for writer in FileWriterCache._cache.values():
                writer.close()
            FileWriterCache._cache = {}
