"""Atomic file writes, and the removal of temporary files that killed writers left behind.

A file is written to `.tmp-gf<host>-<pid>-<name>.<random>` in its directory, then renamed over
`name`, so a crash never leaves a half-written file under the real name. A writer killed midway
(SIGKILL, power loss) leaves its temporary file; `remove_stale_temp_files` deletes those whose
writer is gone: on this host, when the pid in the name is not alive (or is this process but not
one of its live writes); otherwise, or when the pid was reused, once untouched for `STALE_AGE_S`.
A live writer's file is never removed.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import tempfile
import threading
import time

STALE_AGE_S = 3600.0  # a temporary file untouched this long has no live writer
_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]
_OURS = re.compile(r"^\.tmp-gf(?P<host>[0-9a-f]{8})-(?P<pid>\d{1,10})-.+\.[A-Za-z0-9_]{6,}$")
# Written by graphflow before these names carried a pid: `.tmp-<name><8 random characters>`.
_LEGACY = re.compile(r"^\.tmp-.+(\.npz|\.index\.json|\.meta\.json|checkpoint)[A-Za-z0-9_]{8}$")
_live: set[str] = set()  # this process's temporary files still being written
_lock = threading.Lock()


def atomic_write(path: str, write) -> None:
    """Write `path` through `write(binary_file)` into a temporary file, then rename it."""
    directory = os.path.dirname(os.path.abspath(path))
    prefix = f".tmp-gf{_HOST}-{os.getpid()}-{os.path.basename(path)}."
    with _lock:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=prefix)
        _live.add(tmp)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    finally:
        with _lock:
            _live.discard(tmp)


def _pid_alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # cannot tell: the age rule decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0  # another user's live process (or a pid no process can have)
    return True


def _is_stale(directory: str, name: str, now: float) -> bool:
    try:
        age = now - os.stat(os.path.join(directory, name)).st_mtime
    except OSError:
        return False
    ours = _OURS.match(name)
    if ours is None:
        return _LEGACY.match(name) is not None and age > STALE_AGE_S
    if ours["host"] == _HOST:
        pid = int(ours["pid"])
        if pid == os.getpid():
            return os.path.join(directory, name) not in _live
        if not _pid_alive(pid):
            return True
    return age > STALE_AGE_S


def remove_stale_temp_files(directory: str) -> list[str]:
    """Delete the temporary files of dead writers in `directory`; returns the names removed."""
    directory = os.path.abspath(directory)
    try:
        names = [n for n in os.listdir(directory) if n.startswith(".tmp-")]
    except OSError:
        return []
    removed = []
    now = time.time()
    with _lock:  # so that no write of this process starts between the check and the unlink
        for name in names:
            if _is_stale(directory, name, now):
                try:
                    os.unlink(os.path.join(directory, name))
                except OSError:
                    continue  # removed meanwhile, or not ours to remove
                removed.append(name)
    return removed
