"""`tf.summary.FileWriter`: events in a TensorBoard event file, by tensorboard's own writer.

The file (`events.out.tfevents.<time>.<host>...`) starts with the event `brain.Event:2`; events
are queued and written by tensorboard's EventFileWriter thread, every `flush_secs` and on
`flush()`/`close()`. As in TF1, a graph given to the constructor is written first (the Graphs
tab) with a MetaGraphDef, and a summary's metadata is kept only the first time its tag appears.
"""

from __future__ import annotations

import os
import time
import warnings

from graphflow.core.graph import Graph
from graphflow.core.site import user_site
from graphflow.errors import FailedPreconditionError
from graphflow.summary.graph_def import graph_to_graph_def
from graphflow.summary.protos import as_bytes, protos, require
from graphflow.summary.run_metadata import run_metadata_proto


def _check_logdir(logdir) -> str:
    if not isinstance(logdir, (str, os.PathLike)):
        raise TypeError(f"FileWriter(logdir) takes a directory path, got "
                        f"{type(logdir).__name__} (at {user_site().describe()})")
    logdir = os.fspath(logdir)
    if not logdir:
        raise ValueError(f"FileWriter needs a logdir, got '' (at {user_site().describe()})")
    path = logdir
    while path and not os.path.exists(path):  # the nearest existing ancestor must be a folder
        parent = os.path.dirname(path)
        path = parent if parent != path else ""
    if path and not os.path.isdir(path):
        raise FailedPreconditionError(f"{path} is not a directory: FileWriter cannot write "
                                      f"event files under {logdir} (at "
                                      f"{user_site().describe()})")
    return logdir


def _graph_proto(graph, graph_def):
    """The GraphDef to write for a graphflow Graph or a GraphDef, given as either argument."""
    if graph is not None and graph_def is not None:
        raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
    given = graph if graph is not None else graph_def
    if isinstance(given, Graph):
        return graph_to_graph_def(given)
    if isinstance(given, protos().graph.GraphDef):
        return given
    raise TypeError(f"The passed graph must be a graphflow Graph (such as sess.graph) or a "
                    f"GraphDef, got {type(given).__name__}")


class FileWriter:
    """TF1's `tf.summary.FileWriter(logdir, graph=None, max_queue=10, flush_secs=120,
    graph_def=None, filename_suffix=None, session=None)`.

    `session` is accepted as in TF1; the events are always written by the host writer.
    """

    def __init__(self, logdir, graph=None, max_queue: int = 10, flush_secs: float = 120,
                 graph_def=None, filename_suffix: str | None = None, session=None):
        self._logdir = _check_logdir(logdir)
        self._max_queue, self._flush_secs = int(max_queue), flush_secs
        self._suffix = filename_suffix or ""
        self._session = session
        proto = None if graph is None and graph_def is None else _graph_proto(graph, graph_def)
        self._writer = self._open()
        self._closed = False
        self._session_run_tags: set[str] = set()
        self._seen_summary_tags: set[str] = set()
        if proto is not None:
            self._add_graph_def(proto, None)
            meta = protos().meta_graph.MetaGraphDef()
            meta.graph_def.CopyFrom(proto)
            self.add_meta_graph(meta)

    def _open(self):
        module = require("tensorboard.summary.writer.event_file_writer", "tensorboard",
                         "tf.summary.FileWriter")
        try:
            return module.EventFileWriter(self._logdir, self._max_queue, self._flush_secs,
                                          self._suffix)
        except OSError as err:
            raise FailedPreconditionError(f"FileWriter cannot create an event file in "
                                          f"{self._logdir}: {err}") from err

    # --- events -------------------------------------------------------------------------------
    def _closed_warning(self) -> bool:
        if self._closed:
            warnings.warn("Attempting to use a closed FileWriter. The operation will be a noop "
                          "unless the FileWriter is explicitly reopened.", stacklevel=3)
        return self._closed

    def _add_event(self, event, global_step) -> None:
        if self._closed_warning():
            return
        event.wall_time = time.time()
        if global_step is not None:
            event.step = int(global_step)
        self._writer.add_event(event)

    def add_event(self, event) -> None:
        """Write an `Event` proto as it is."""
        if not self._closed_warning():
            self._writer.add_event(event)

    def add_summary(self, summary, global_step=None) -> None:
        """Write a Summary: the bytes a summary op returned from `sess.run`, or a proto."""
        pb = protos()
        if isinstance(summary, pb.summary.Summary):
            parsed = pb.summary.Summary()
            parsed.CopyFrom(summary)
        else:
            parsed = pb.summary.Summary()
            try:
                parsed.ParseFromString(as_bytes(summary))
            except Exception as err:
                raise TypeError(f"add_summary takes a Summary proto or the serialised bytes a "
                                f"summary op returns, got {type(summary).__name__}") from err
        for value in parsed.value:
            if not value.HasField("metadata"):
                continue
            if value.tag in self._seen_summary_tags:
                value.ClearField("metadata")  # TensorBoard keeps the first one per tag
                continue
            self._seen_summary_tags.add(value.tag)
        self._add_event(pb.event.Event(summary=parsed), global_step)

    def add_graph(self, graph, global_step=None, graph_def=None) -> None:
        """Write the graph for TensorBoard's Graphs tab: a graphflow Graph (e.g. `sess.graph`)
        or a GraphDef proto."""
        self._add_graph_def(_graph_proto(graph, graph_def), global_step)

    def _add_graph_def(self, proto, global_step) -> None:
        event = protos().event.Event(graph_def=proto.SerializeToString())
        self._add_event(event, global_step)

    def add_meta_graph(self, meta_graph_def, global_step=None) -> None:
        pb = protos()
        if not isinstance(meta_graph_def, pb.meta_graph.MetaGraphDef):
            raise TypeError(f"meta_graph_def must be type MetaGraphDef, saw type: "
                            f"{type(meta_graph_def).__name__}")
        self._add_event(pb.event.Event(meta_graph_def=meta_graph_def.SerializeToString()),
                        global_step)

    def add_session_log(self, session_log, global_step=None) -> None:
        """Write a `SessionLog` proto (START, STOP or CHECKPOINT)."""
        pb = protos()
        if not isinstance(session_log, pb.event.SessionLog):
            raise TypeError(f"add_session_log takes a SessionLog proto, got "
                            f"{type(session_log).__name__}")
        self._add_event(pb.event.Event(session_log=session_log), global_step)

    def add_run_metadata(self, run_metadata, tag: str, global_step=None) -> None:
        """Write a traced run's timings (a graphflow RunMetadata or a proto) under `tag`."""
        pb = protos()
        if tag in self._session_run_tags:
            raise ValueError("The provided tag was already used for this event type")
        proto = run_metadata_proto(run_metadata)
        self._session_run_tags.add(tag)
        tagged = pb.event.TaggedRunMetadata(tag=tag,
                                            run_metadata=proto.SerializeToString())
        self._add_event(pb.event.Event(tagged_run_metadata=tagged), global_step)

    # --- the file -----------------------------------------------------------------------------
    def get_logdir(self) -> str:
        return self._logdir

    def flush(self) -> None:
        """Write every queued event to disk now."""
        if not self._closed_warning():
            self._writer.flush()

    def close(self) -> None:
        """Flush and close the file; later writes warn and do nothing until `reopen()`."""
        if not self._closed:
            self._writer.close()
        self._closed = True

    def reopen(self) -> None:
        """After `close()`, continue in a new event file in the same logdir."""
        if self._closed:
            self._writer = self._open()
            self._closed = False

    def __enter__(self) -> FileWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self):
        state = "closed" if self._closed else "open"
        return f"<graphflow.summary.FileWriter {self._logdir!r} ({state})>"
