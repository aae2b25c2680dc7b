"""`tf.gfile` on local files, with os/shutil/glob: TF1's names and behaviour for paths on disk.

Missing files raise `graphflow.errors.NotFoundError` (also a ValueError), as TF1's gfile does.
"""

from __future__ import annotations

import glob as _glob
import os
import shutil

from graphflow.compat.missing import module_getattr
from graphflow.errors import AlreadyExistsError, NotFoundError

__all__ = ["Copy", "DeleteRecursively", "Exists", "GFile", "Glob", "IsDirectory",
           "ListDirectory", "MakeDirs", "Mkdir", "Open", "Remove", "Rename", "Stat", "Walk"]


def _missing(path, what="file or directory"):
    return NotFoundError(f"{path}; No such {what}")


class GFile:
    """A file object for a local path: read/write/iterate, usable with `with`."""

    def __init__(self, name, mode="r"):
        self.name, self.mode = os.fspath(name), mode
        try:
            self._f = open(self.name, mode)  # noqa: SIM115 - closed by close()/__exit__
        except FileNotFoundError:
            raise _missing(self.name) from None

    def read(self, n=-1):
        return self._f.read(n)

    def readline(self):
        return self._f.readline()

    def readlines(self):
        return self._f.readlines()

    def write(self, data):
        return self._f.write(data)

    def flush(self):
        self._f.flush()

    def seek(self, offset, whence=0):
        return self._f.seek(offset, whence)

    def tell(self):
        return self._f.tell()

    def size(self):
        return os.path.getsize(self.name)

    def close(self):
        self._f.close()

    def __iter__(self):
        return iter(self._f)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


Open = GFile
FastGFile = GFile


def Exists(filename) -> bool:  # noqa: N802 - TF1's names
    return os.path.exists(filename)


def IsDirectory(dirname) -> bool:  # noqa: N802
    return os.path.isdir(dirname)


def MakeDirs(dirname) -> None:  # noqa: N802
    """Create `dirname` and its parents; fine if it exists already."""
    os.makedirs(dirname, exist_ok=True)


def Mkdir(dirname) -> None:  # noqa: N802
    if os.path.exists(dirname):
        raise AlreadyExistsError(f"{dirname}; File exists")
    try:
        os.mkdir(dirname)
    except FileNotFoundError:
        raise _missing(os.path.dirname(dirname) or dirname, "directory") from None


def Glob(filename) -> list:  # noqa: N802
    return sorted(_glob.glob(os.fspath(filename)))


def ListDirectory(dirname) -> list:  # noqa: N802
    if not os.path.isdir(dirname):
        raise _missing(dirname, "directory")
    return sorted(os.listdir(dirname))


def Remove(filename) -> None:  # noqa: N802
    try:
        os.remove(filename)
    except FileNotFoundError:
        raise _missing(filename, "file") from None


def DeleteRecursively(dirname) -> None:  # noqa: N802
    if os.path.isdir(dirname):
        shutil.rmtree(dirname)
    elif os.path.exists(dirname):
        os.remove(dirname)
    else:
        raise _missing(dirname)


def Copy(oldpath, newpath, overwrite=False) -> None:  # noqa: N802
    if not os.path.exists(oldpath):
        raise _missing(oldpath, "file")
    if os.path.exists(newpath) and not overwrite:
        raise AlreadyExistsError(f"{newpath}; File exists (pass overwrite=True)")
    shutil.copyfile(oldpath, newpath)


def Rename(oldname, newname, overwrite=False) -> None:  # noqa: N802
    if not os.path.exists(oldname):
        raise _missing(oldname)
    if os.path.exists(newname) and not overwrite:
        raise AlreadyExistsError(f"{newname}; File exists (pass overwrite=True)")
    os.replace(oldname, newname)


def Stat(filename):  # noqa: N802
    try:
        return os.stat(filename)
    except FileNotFoundError:
        raise _missing(filename) from None


def Walk(top, in_order=True):  # noqa: N802
    """(dirname, subdirs, files) for each directory under `top`, like os.walk."""
    yield from os.walk(top, topdown=in_order)


__getattr__ = module_getattr(__name__, "tf.gfile")  # a TF1 name graphflow lacks, or a typo
