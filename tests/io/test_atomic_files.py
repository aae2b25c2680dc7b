"""Atomic writes, and removing the temporary files of dead writers, never of a live one."""

import os
import subprocess
import sys
import threading
import time

import pytest

from graphflow.io import atomic_files
from graphflow.io.atomic_files import atomic_write, remove_stale_temp_files


def _tmp_name(pid: int, host: str = atomic_files._HOST, target: str = "m.npz") -> str:
    return f".tmp-gf{host}-{pid}-{target}.abc12345"


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def _age(path, seconds: float) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_atomic_write_leaves_only_the_target(tmp_path):
    atomic_write(str(tmp_path / "f"), lambda f: f.write(b"data"))
    assert os.listdir(tmp_path) == ["f"] and (tmp_path / "f").read_bytes() == b"data"


def test_a_failed_write_removes_its_temporary_file_and_keeps_the_old_file(tmp_path):
    (tmp_path / "f").write_bytes(b"old")

    def fail(f):
        f.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(str(tmp_path / "f"), fail)
    assert os.listdir(tmp_path) == ["f"] and (tmp_path / "f").read_bytes() == b"old"


def test_dead_writers_files_go_live_writers_files_stay(tmp_path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead, live = _tmp_name(_dead_pid()), _tmp_name(sleeper.pid)
        other_host_new, other_host_old = _tmp_name(1, "0" * 8, "a"), _tmp_name(1, "0" * 8, "b")
        legacy_new, legacy_old = ".tmp-m.npzabcd1234", ".tmp-m.index.jsonabcd1234"
        not_ours = ".tmp-something-else"
        for name in (dead, live, other_host_new, other_host_old, legacy_new, legacy_old,
                     not_ours):
            (tmp_path / name).write_bytes(b"x")
        for name in (other_host_old, legacy_old, not_ours):
            _age(tmp_path / name, atomic_files.STALE_AGE_S + 60)
        removed = remove_stale_temp_files(str(tmp_path))
    finally:
        sleeper.kill()
        sleeper.wait()
    assert sorted(removed) == sorted([dead, other_host_old, legacy_old])
    assert sorted(os.listdir(tmp_path)) == sorted([live, other_host_new, legacy_new, not_ours])


def test_a_concurrent_write_in_this_process_is_not_removed(tmp_path):
    started, release = threading.Event(), threading.Event()

    def slow(f):
        f.write(b"first half")
        started.set()
        release.wait(10)
        f.write(b", second half")

    writer = threading.Thread(target=atomic_write, args=(str(tmp_path / "f"), slow))
    writer.start()
    try:
        assert started.wait(10)
        (tmp_path / _tmp_name(os.getpid(), target="g")).write_bytes(b"left by this process")
        removed = remove_stale_temp_files(str(tmp_path))
    finally:
        release.set()
        writer.join()
    assert removed == [_tmp_name(os.getpid(), target="g")]
    assert os.listdir(tmp_path) == ["f"] and (tmp_path / "f").read_bytes() == \
        b"first half, second half"
