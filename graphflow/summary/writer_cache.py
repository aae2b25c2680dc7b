"""`tf.summary.FileWriterCache`: one FileWriter per logdir, shared, as in TF1."""

from __future__ import annotations

import threading

from graphflow.core.graph import get_default_graph
from graphflow.summary.writer import FileWriter


class FileWriterCache:
    """`FileWriterCache.get(logdir)`: the writer of `logdir`, made (with the default graph) on
    first use; `clear()` closes them all."""

    _cache: dict = {}
    _lock = threading.RLock()

    @staticmethod
    def get(logdir) -> FileWriter:
        with FileWriterCache._lock:
            if logdir not in FileWriterCache._cache:
                FileWriterCache._cache[logdir] = FileWriter(logdir, graph=get_default_graph())
            return FileWriterCache._cache[logdir]

    @staticmethod
    def clear() -> None:
        with FileWriterCache._lock:
            for writer in FileWriterCache._cache.values():
                writer.close()
            FileWriterCache._cache = {}
