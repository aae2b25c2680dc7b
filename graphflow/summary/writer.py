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
from graphflow.distributed.comm import is_secondary
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

    Writes an event file in `logdir` for TensorBoard: summaries from `sess.run`, the graph,
    session logs and traced runs. Needs the `tensorboard` package. Usable with `with`.

    `session` is accepted as in TF1; the events are always written by the host writer.

    In a graphflow.distributed job of several ranks only rank 0 writes: on the others the writer
    checks its arguments as usual but creates no directory or file and drops every event, so
    one job leaves one event file (as Horovod programs arrange with `if hvd.rank() == 0`).

    Args:
        logdir: The directory for the event file (created if missing).
        graph: A graph to write at once (e.g. `sess.graph`), for the Graphs tab.
        max_queue: How many events to queue before writing to disk.
        flush_secs: How often, in seconds, queued events are written.
        graph_def: TF1's deprecated GraphDef instead of `graph` (not both).
        filename_suffix: A suffix for the event file's name.
        session: Accepted for TF1 scripts.

    Examples:
        >>> loss = tf.constant(0.5)
        >>> summary = tf.summary.scalar("loss", loss)
        >>> with tf.summary.FileWriter("logs", tf.get_default_graph()) as writer:
        ...     with tf.Session() as sess:
        ...         for step in range(3):
        ...             writer.add_summary(sess.run(summary), step)
        >>> from tensorboard.backend.event_processing.event_file_loader import EventFileLoader
        >>> events = EventFileLoader(tf.gfile.Glob("logs/events.*")[0]).Load()
        >>> [e.step for e in events for v in e.summary.value if v.tag == "loss"]
        [0, 1, 2]
    """

    def __init__(self, logdir, graph=None, max_queue: int = 10, flush_secs: float = 120,
                 graph_def=None, filename_suffix: str | None = None, session=None):
        self._logdir = _check_logdir(logdir)
        self._max_queue, self._flush_secs = int(max_queue), flush_secs
        self._suffix = filename_suffix or ""
        self._session = session
        self._silent = is_secondary()  # a rank other than 0: write nothing
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
        if self._silent:
            return None
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
        if self._closed_warning() or self._silent:
            return
        event.wall_time = time.time()
        if global_step is not None:
            event.step = int(global_step)
        self._writer.add_event(event)

    def add_event(self, event) -> None:
        """Write an `Event` proto as it is.

        Args:
            event: A `tf.Event` proto (its wall_time and step are the caller's).

        Examples:
            >>> writer = tf.summary.FileWriter("logs_event")
            >>> writer.add_event(tf.Event(step=5, wall_time=0.0))
            >>> writer.close()
        """
        if not self._closed_warning() and not self._silent:
            self._writer.add_event(event)

    def add_summary(self, summary, global_step=None) -> None:
        """Write a Summary: the bytes a summary op returned from `sess.run`, or a proto.

        Args:
            summary: The serialised Summary (bytes) or a `tf.Summary` proto.
            global_step: The training step to record with it.

        Examples:
            >>> merged = tf.summary.merge([tf.summary.scalar("a", 1.0)])
            >>> with tf.summary.FileWriter("logs_summary") as writer, tf.Session() as sess:
            ...     writer.add_summary(sess.run(merged), global_step=10)
            ...     value = tf.Summary.Value(tag="c", simple_value=3.0)
            ...     writer.add_summary(tf.Summary(value=[value]))
        """
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
        or a GraphDef proto.

        Args:
            graph: A graphflow Graph, or None with `graph_def`.
            global_step: A step to record with it.
            graph_def: TF1's deprecated GraphDef argument (not with `graph`).

        Examples:
            >>> _ = tf.add(tf.constant(1), 2, name="sum")
            >>> with tf.summary.FileWriter("logs_graph") as writer:
            ...     writer.add_graph(tf.get_default_graph())
        """
        self._add_graph_def(_graph_proto(graph, graph_def), global_step)

    def _add_graph_def(self, proto, global_step) -> None:
        event = protos().event.Event(graph_def=proto.SerializeToString())
        self._add_event(event, global_step)

    def add_meta_graph(self, meta_graph_def, global_step=None) -> None:
        """Write a MetaGraphDef proto (TensorBoard reads its graph and collections).

        Args:
            meta_graph_def: A TensorBoard `MetaGraphDef` proto; anything else raises a TypeError.
            global_step: A step to record with it.

        Examples:
            >>> writer = tf.summary.FileWriter("logs_meta")
            >>> writer.add_meta_graph("not a proto")
            Traceback (most recent call last):
            ...
            TypeError: meta_graph_def must be type MetaGraphDef, saw type: str
            >>> writer.close()
        """
        pb = protos()
        if not isinstance(meta_graph_def, pb.meta_graph.MetaGraphDef):
            raise TypeError(f"meta_graph_def must be type MetaGraphDef, saw type: "
                            f"{type(meta_graph_def).__name__}")
        self._add_event(pb.event.Event(meta_graph_def=meta_graph_def.SerializeToString()),
                        global_step)

    def add_session_log(self, session_log, global_step=None) -> None:
        """Write a `SessionLog` proto (START, STOP or CHECKPOINT).

        TensorBoard uses START to drop events of a crashed run with later steps.

        Args:
            session_log: A `tf.SessionLog` proto.
            global_step: The step it happened at.

        Examples:
            >>> with tf.summary.FileWriter("logs_session") as writer:
            ...     writer.add_session_log(tf.SessionLog(status=tf.SessionLog.START), global_step=0)
        """
        pb = protos()
        if not isinstance(session_log, pb.event.SessionLog):
            raise TypeError(f"add_session_log takes a SessionLog proto, got "
                            f"{type(session_log).__name__}")
        self._add_event(pb.event.Event(session_log=session_log), global_step)

    def add_run_metadata(self, run_metadata, tag: str, global_step=None) -> None:
        """Write a traced run's timings (a graphflow RunMetadata or a proto) under `tag`.

        TensorBoard shows them per node in the Graphs tab. Each tag may be used once per writer.

        Args:
            run_metadata: What `sess.run(..., options=FULL_TRACE, run_metadata=md)` filled.
            tag: A name for this run, e.g. "step100".
            global_step: The step to record with it.

        Raises:
            ValueError: `tag` was already used.

        Examples:
            >>> opts = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
            >>> md = tf.RunMetadata()
            >>> with tf.Session() as sess:
            ...     _ = sess.run(tf.constant(1) + 1, options=opts, run_metadata=md)
            >>> writer = tf.summary.FileWriter("logs_trace")
            >>> writer.add_run_metadata(md, "step1")
            >>> writer.add_run_metadata(md, "step1")
            Traceback (most recent call last):
            ...
            ValueError: The provided tag was already used for this event type
            >>> writer.close()
        """
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
        """The directory the event file is written in.

        Returns:
            The logdir, as given.

        Examples:
            >>> with tf.summary.FileWriter("logs_dir") as writer:
            ...     print(writer.get_logdir())
            logs_dir
        """
        return self._logdir

    def flush(self) -> None:
        """Write every queued event to disk now.

        Examples:
            >>> writer = tf.summary.FileWriter("logs_flush")
            >>> writer.flush()
            >>> len(tf.gfile.Glob("logs_flush/events.out.tfevents.*"))
            1
            >>> writer.close()
        """
        if not self._closed_warning() and not self._silent:
            self._writer.flush()

    def close(self) -> None:
        """Flush and close the file; later writes warn and do nothing until `reopen()`.

        Examples:
            >>> writer = tf.summary.FileWriter("logs_close")
            >>> writer.close()
            >>> writer
            <graphflow.summary.FileWriter 'logs_close' (closed)>
        """
        if not self._closed and not self._silent:
            self._writer.close()
        self._closed = True

    def reopen(self) -> None:
        """After `close()`, continue in a new event file in the same logdir.

        Examples:
            >>> writer = tf.summary.FileWriter("logs_reopen")
            >>> writer.close()
            >>> writer.reopen()
            >>> writer.close()
            >>> len(tf.gfile.Glob("logs_reopen/events.*"))
            2
        """
        if self._closed:
            self._writer = self._open()
            self._closed = False

    def __enter__(self) -> FileWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self):
        state = "closed" if self._closed else "open"
        if self._silent:
            state += ", writing nothing on this rank"
        return f"<graphflow.summary.FileWriter {self._logdir!r} ({state})>"
