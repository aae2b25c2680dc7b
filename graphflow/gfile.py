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
    """A file object for a local path: read/write/iterate, usable with `with`.

    `tf.gfile.Open` and `tf.gfile.FastGFile` are this class. A missing file raises
    `graphflow.errors.NotFoundError` rather than Python's FileNotFoundError, as TF1 does.

    Args:
        name: The path (str or os.PathLike).
        mode: As for Python's `open`: "r", "w", "a", "rb", "wb", ...

    Examples:
        >>> with tf.gfile.GFile("notes.txt", "w") as f:
        ...     _ = f.write("one\\ntwo\\n")
        >>> with tf.gfile.GFile("notes.txt") as f:
        ...     f.readlines()
        ['one\\n', 'two\\n']
    """

    def __init__(self, name, mode="r"):
        self.name, self.mode = os.fspath(name), mode
        try:
            self._f = open(self.name, mode)  # noqa: SIM115 - closed by close()/__exit__
        except FileNotFoundError:
            raise _missing(self.name) from None

    def read(self, n=-1):
        """Read `n` characters (bytes in a binary mode), or the rest of the file.

        Args:
            n: How many to read; -1 (the default) reads to the end.

        Returns:
            A str, or bytes in a binary mode.

        Examples:
            >>> with tf.gfile.GFile("gfile_read_a.txt", "w") as f:
            ...     _ = f.write("hello")
            >>> tf.gfile.GFile("gfile_read_a.txt").read(4)
            'hell'
        """
        return self._f.read(n)

    def readline(self):
        """Read one line, with its newline ('' at the end of the file).

        Returns:
            The line.

        Examples:
            >>> with tf.gfile.GFile("gfile_readline_a.txt", "w") as f:
            ...     _ = f.write("one\\ntwo\\n")
            >>> tf.gfile.GFile("gfile_readline_a.txt").readline()
            'one\\n'
        """
        return self._f.readline()

    def readlines(self):
        """Read the remaining lines.

        Returns:
            A list of lines, each with its newline.

        Examples:
            >>> with tf.gfile.GFile("gfile_readlines_a.txt", "w") as f:
            ...     _ = f.write("one\\ntwo")
            >>> tf.gfile.GFile("gfile_readlines_a.txt").readlines()
            ['one\\n', 'two']
        """
        return self._f.readlines()

    def write(self, data):
        """Write `data` at the current position.

        Args:
            data: A str (bytes in a binary mode).

        Returns:
            How many characters (bytes) were written.

        Examples:
            >>> with tf.gfile.GFile("gfile_write_a.txt", "w") as f:
            ...     f.write("abc")
            3
        """
        return self._f.write(data)

    def flush(self):
        """Push what was written to the operating system, so other readers see it.

        Examples:
            >>> f = tf.gfile.GFile("gfile_flush_a.txt", "w")
            >>> _ = f.write("abc")
            >>> f.flush()
            >>> tf.gfile.GFile("gfile_flush_a.txt").read()
            'abc'
            >>> f.close()
        """
        self._f.flush()

    def seek(self, offset, whence=0):
        """Move the position, as Python's `file.seek`.

        Args:
            offset: The new position, relative to `whence`.
            whence: 0 from the start (the default), 1 from the current position, 2 from the end.

        Returns:
            The new absolute position.

        Examples:
            >>> with tf.gfile.GFile("gfile_seek_a.txt", "w") as f:
            ...     _ = f.write("abcdef")
            >>> f = tf.gfile.GFile("gfile_seek_a.txt")
            >>> f.seek(3)
            3
            >>> f.read()
            'def'
        """
        return self._f.seek(offset, whence)

    def tell(self):
        """The current position in the file.

        Returns:
            An int offset from the start.

        Examples:
            >>> with tf.gfile.GFile("gfile_tell_a.txt", "w") as f:
            ...     _ = f.write("abc")
            ...     f.tell()
            3
        """
        return self._f.tell()

    def size(self):
        """The file's size on disk, in bytes.

        Returns:
            An int.

        Examples:
            >>> with tf.gfile.GFile("gfile_size_a.txt", "w") as f:
            ...     _ = f.write("abcd")
            >>> tf.gfile.GFile("gfile_size_a.txt").size()
            4
        """
        return os.path.getsize(self.name)

    def close(self):
        """Close the file (a `with` block does it for you).

        Examples:
            >>> f = tf.gfile.GFile("gfile_close_a.txt", "w")
            >>> f.close()
        """
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
    """Whether a file or directory exists at the path.

    Args:
        filename: The path.

    Returns:
        True or False.

    Examples:
        >>> tf.gfile.Exists("nothing-here.txt")
        False
    """
    return os.path.exists(filename)


def IsDirectory(dirname) -> bool:  # noqa: N802
    """Whether the path is an existing directory.

    Args:
        dirname: The path.

    Returns:
        True or False (False also when nothing is there).

    Examples:
        >>> tf.gfile.MakeDirs("logs")
        >>> tf.gfile.IsDirectory("logs"), tf.gfile.IsDirectory("missing")
        (True, False)
    """
    return os.path.isdir(dirname)


def MakeDirs(dirname) -> None:  # noqa: N802
    """Create `dirname` and its parents; fine if it exists already.

    Args:
        dirname: The directory to create.

    Examples:
        >>> tf.gfile.MakeDirs("runs/a/b")
        >>> tf.gfile.MakeDirs("runs/a/b")
        >>> tf.gfile.ListDirectory("runs/a")
        ['b']
    """
    os.makedirs(dirname, exist_ok=True)


def Mkdir(dirname) -> None:  # noqa: N802
    if os.path.exists(dirname):
        raise AlreadyExistsError(f"{dirname}; File exists")
    try:
        os.mkdir(dirname)
    except FileNotFoundError:
        raise _missing(os.path.dirname(dirname) or dirname, "directory") from None


def Glob(filename) -> list:  # noqa: N802
    """The paths that match a shell pattern (`*`, `?`, `[...]`), sorted.

    Args:
        filename: The pattern.

    Returns:
        A sorted list of paths ([] when none match).

    Examples:
        >>> for name in ("glob_b.txt", "glob_a.txt", "c.csv"):
        ...     tf.gfile.GFile("g_" + name, "w").close()
        >>> tf.gfile.Glob("g_*.txt")
        ['g_glob_a.txt', 'g_glob_b.txt']
    """
    return sorted(_glob.glob(os.fspath(filename)))


def ListDirectory(dirname) -> list:  # noqa: N802
    """The names in a directory, sorted (without the directory's path).

    Args:
        dirname: The directory.

    Returns:
        A sorted list of names.

    Raises:
        NotFoundError: `dirname` is not a directory.

    Examples:
        >>> tf.gfile.MakeDirs("d/sub")
        >>> tf.gfile.GFile("d/x.txt", "w").close()
        >>> tf.gfile.ListDirectory("d")
        ['sub', 'x.txt']
    """
    if not os.path.isdir(dirname):
        raise _missing(dirname, "directory")
    return sorted(os.listdir(dirname))


def Remove(filename) -> None:  # noqa: N802
    """Delete a file.

    Args:
        filename: The file.

    Raises:
        NotFoundError: there is no such file.

    Examples:
        >>> tf.gfile.GFile("remove_a.txt", "w").close()
        >>> tf.gfile.Remove("remove_a.txt")
        >>> tf.gfile.Exists("remove_a.txt")
        False
    """
    try:
        os.remove(filename)
    except FileNotFoundError:
        raise _missing(filename, "file") from None


def DeleteRecursively(dirname) -> None:  # noqa: N802
    """Delete a directory with everything in it (or a single file).

    Args:
        dirname: The directory or file.

    Raises:
        NotFoundError: nothing is at `dirname`.

    Examples:
        >>> tf.gfile.MakeDirs("tmp/a/b")
        >>> tf.gfile.DeleteRecursively("tmp")
        >>> tf.gfile.Exists("tmp")
        False
    """
    if os.path.isdir(dirname):
        shutil.rmtree(dirname)
    elif os.path.exists(dirname):
        os.remove(dirname)
    else:
        raise _missing(dirname)


def Copy(oldpath, newpath, overwrite=False) -> None:  # noqa: N802
    """Copy a file's contents to a new path.

    Args:
        oldpath: The file to copy.
        newpath: Where to write the copy.
        overwrite: Replace `newpath` if it exists; otherwise that raises AlreadyExistsError.

    Raises:
        NotFoundError: `oldpath` does not exist.
        AlreadyExistsError: `newpath` exists and `overwrite` is False.

    Examples:
        >>> with tf.gfile.GFile("copy_a.txt", "w") as f:
        ...     _ = f.write("data")
        >>> tf.gfile.Copy("copy_a.txt", "copy_b.txt")
        >>> tf.gfile.GFile("copy_b.txt").read()
        'data'
    """
    if not os.path.exists(oldpath):
        raise _missing(oldpath, "file")
    if os.path.exists(newpath) and not overwrite:
        raise AlreadyExistsError(f"{newpath}; File exists (pass overwrite=True)")
    shutil.copyfile(oldpath, newpath)


def Rename(oldname, newname, overwrite=False) -> None:  # noqa: N802
    """Move a file or directory to a new path.

    Args:
        oldname: The path to move.
        newname: The new path.
        overwrite: Replace `newname` if it exists; otherwise that raises AlreadyExistsError.

    Raises:
        NotFoundError: `oldname` does not exist.
        AlreadyExistsError: `newname` exists and `overwrite` is False.

    Examples:
        >>> tf.gfile.GFile("rename_a.txt", "w").close()
        >>> tf.gfile.Rename("rename_a.txt", "rename_b.txt")
        >>> tf.gfile.Exists("rename_a.txt"), tf.gfile.Exists("rename_b.txt")
        (False, True)
    """
    if not os.path.exists(oldname):
        raise _missing(oldname)
    if os.path.exists(newname) and not overwrite:
        raise AlreadyExistsError(f"{newname}; File exists (pass overwrite=True)")
    os.replace(oldname, newname)


def Stat(filename):  # noqa: N802
    """The file's status (size, times), as `os.stat` gives it.

    TF1 returns a FileStatistics with `length` and `mtime_nsec`; graphflow returns Python's
    `os.stat_result` (`st_size`, `st_mtime_ns`).

    Args:
        filename: The path.

    Returns:
        An `os.stat_result`.

    Raises:
        NotFoundError: nothing is at `filename`.

    Examples:
        >>> with tf.gfile.GFile("stat_a.txt", "w") as f:
        ...     _ = f.write("abc")
        >>> tf.gfile.Stat("stat_a.txt").st_size
        3
    """
    try:
        return os.stat(filename)
    except FileNotFoundError:
        raise _missing(filename) from None


def Walk(top, in_order=True):  # noqa: N802
    """(dirname, subdirs, files) for each directory under `top`, like os.walk.

    Args:
        top: The directory to start from.
        in_order: Yield a directory before its subdirectories (True) or after them.

    Yields:
        (dirname, subdirectory names, file names) tuples.

    Examples:
        >>> tf.gfile.MakeDirs("w/sub")
        >>> tf.gfile.GFile("w/sub/x.txt", "w").close()
        >>> [(d, sorted(s), f) for d, s, f in tf.gfile.Walk("w")]
        [('w', ['sub'], []), ('w/sub', [], ['x.txt'])]
    """
    yield from os.walk(top, topdown=in_order)


__getattr__ = module_getattr(__name__, "tf.gfile")  # a TF1 name graphflow lacks, or a typo
